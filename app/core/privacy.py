"""No telemetry: switch off every phone-home default a dependency could have, before it is imported.

Bureau itself opens network connections only to the model servers the founder configured
(Ollama, OpenAI-compatible servers) and to nothing else; tests/integration/test_no_telemetry.py
records every connection of a full session to prove it. None of today's dependencies phones
home by default; these switches make sure a library that learns to (or one pulled in later,
such as Hugging Face's hub client or OpenTelemetry exporters) stays quiet and offline.
A value the founder set in the environment is kept.
"""

from __future__ import annotations

import os

QUIET: dict[str, str] = {
    "DO_NOT_TRACK": "1",                 # the cross-tool convention (consoledonottrack.com)
    "HF_HUB_OFFLINE": "1",               # huggingface_hub: no downloads, no update or metadata calls
    "HF_HUB_DISABLE_TELEMETRY": "1",
    "HF_HUB_DISABLE_IMPLICIT_TOKEN": "1",
    "TRANSFORMERS_OFFLINE": "1",
    "OTEL_SDK_DISABLED": "true",         # OpenTelemetry (installed with fastapi): no exporters
    "OTEL_TRACES_EXPORTER": "none",
    "OTEL_METRICS_EXPORTER": "none",
    "OTEL_LOGS_EXPORTER": "none",
}


def quiet_defaults() -> None:
    """Set the switches in ``QUIET`` unless the environment already decides them."""
    for key, value in QUIET.items():
        os.environ.setdefault(key, value)
