"""Will this model fit in this laptop's memory? Estimates from size, quantisation and context.

Everything here is a pure function except ``available_memory``, which reads
``/proc/meminfo`` (``MemAvailable``) and falls back to ``os.sysconf``.

The estimate for a llama.cpp model is: the weights (the GGUF file, mapped into memory),
plus the KV cache (2 x layers x context x KV heads x head size x 2 bytes for f16),
plus working buffers (150 MB + 5% of the weights). A model *fits* when that is at most
75% of the memory available now, is *tight* up to 95%, and *won't fit* beyond.
"""

from __future__ import annotations

import dataclasses
import os
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Literal

from agents.backends.base import BackendError
from agents.gguf.meta import GgufInfo

Verdict = Literal["fits", "tight", "wont_fit", "remote", "unknown"]
FITS_SHARE = 0.75
TIGHT_SHARE = 0.95
BUFFERS_BASE = 150 * 1024**2
BUFFERS_SHARE = 0.05
FALLBACK_KV_BYTES_PER_PARAM_TOKEN = 1.2e-5  # when layer shapes are unknown (dense GQA models)
SMALL_QUANT = "Q4_K_M"
GB = 1024**3

# bits per weight of the common quantisations (llama.cpp's figures, rounded)
BITS_PER_WEIGHT: dict[str, float] = {
    "F32": 32.0, "F16": 16.0, "BF16": 16.0, "Q8_0": 8.5, "Q6_K": 6.56, "Q5_1": 6.0, "Q5_K_M": 5.69,
    "Q5_K_S": 5.54, "Q5_0": 5.5, "Q4_1": 5.0, "Q4_K_M": 4.85, "Q4_K_S": 4.58, "Q4_0": 4.5, "IQ4_NL": 4.5,
    "IQ4_XS": 4.25, "MXFP4": 4.25, "MXFP4_MOE": 4.25, "Q3_K_L": 4.27, "Q3_K_M": 3.91, "IQ3_M": 3.66,
    "Q3_K_S": 3.5, "IQ3_S": 3.44, "Q2_K": 3.35, "IQ3_XS": 3.3, "IQ3_XXS": 3.06, "IQ2_M": 2.7,
    "IQ2_S": 2.5, "IQ2_XS": 2.31, "Q2_K_S": 2.6, "IQ2_XXS": 2.06, "TQ2_0": 2.06, "IQ1_M": 1.75,
    "TQ1_0": 1.69, "IQ1_S": 1.56,
}


@dataclass(frozen=True)
class Footprint:
    """What is known about a model's size. ``weights_bytes`` is the file (or download) size."""

    weights_bytes: int
    n_ctx: int
    parameter_count: int | None = None
    quantisation: str | None = None
    n_layers: int | None = None
    n_kv_heads: int | None = None
    head_dim_k: int | None = None
    head_dim_v: int | None = None


@dataclass(frozen=True)
class FitAdvice:
    verdict: Verdict
    need_bytes: int
    available_bytes: int
    message: str  # one line: "needs about 1.2 GB of the 7.8 GB free: fits"
    suggestion: str | None = None  # for "tight" and "won't fit": what would fit instead

    @property
    def ok_to_load(self) -> bool:
        return self.verdict != "wont_fit"

    @property
    def badge(self) -> str:
        return {"fits": "fits", "tight": "tight", "wont_fit": "won't fit", "remote": "remote", "unknown": "?"}[self.verdict]


class ModelTooLarge(BackendError):
    """The model needs more memory than this machine has free; loading it would thrash or crash."""


def kv_cache_bytes(fp: Footprint) -> int:
    """Bytes of f16 KV cache for ``fp.n_ctx`` tokens."""
    if fp.n_layers and fp.n_kv_heads and fp.head_dim_k:
        per_token = fp.n_layers * fp.n_kv_heads * (fp.head_dim_k + (fp.head_dim_v or fp.head_dim_k)) * 2
        return per_token * fp.n_ctx
    params = fp.parameter_count or _params_from_size(fp.weights_bytes, fp.quantisation)
    return int(params * FALLBACK_KV_BYTES_PER_PARAM_TOKEN * fp.n_ctx)


def estimate_bytes(fp: Footprint) -> int:
    """Memory the model needs when loaded with ``fp.n_ctx`` context."""
    buffers = BUFFERS_BASE + int(fp.weights_bytes * BUFFERS_SHARE)
    return fp.weights_bytes + kv_cache_bytes(fp) + buffers


def advise(fp: Footprint, available_bytes: int, alternatives: Sequence[tuple[str, int]] = ()) -> FitAdvice:
    """Fits, tight or won't fit in ``available_bytes``; names a smaller choice when it does not fit well.

    ``alternatives`` are other configured models as (name, estimated bytes); the ones that fit are named.
    """
    need = estimate_bytes(fp)
    if need <= available_bytes * FITS_SHARE:
        verdict: Verdict = "fits"
    elif need <= available_bytes * TIGHT_SHARE:
        verdict = "tight"
    else:
        verdict = "wont_fit"
    label = {"fits": "fits", "tight": "tight (the laptop will slow down)", "wont_fit": "won't fit"}[verdict]
    message = f"needs about {gb(need)} of the {gb(available_bytes)} free: {label}"
    suggestion = smaller_choice(fp, available_bytes, alternatives) if verdict != "fits" else None
    return FitAdvice(verdict=verdict, need_bytes=need, available_bytes=available_bytes, message=message,
                     suggestion=suggestion)


def remote_advice(host: str, *, same_machine: bool = False) -> FitAdvice:
    """For a model served by another program: its memory is that server's business."""
    where = (f"served by another program on this machine ({host}), which manages its own memory"
             if same_machine else f"runs on {host}; its memory is not this laptop's")
    return FitAdvice(verdict="remote", need_bytes=0, available_bytes=0, message=where)


def unknown_advice(reason: str) -> FitAdvice:
    return FitAdvice(verdict="unknown", need_bytes=0, available_bytes=0, message=reason)


def smaller_choice(fp: Footprint, available_bytes: int, alternatives: Sequence[tuple[str, int]] = ()) -> str:
    """A concrete smaller setup that would fit: a shorter context, a smaller quantisation, or a smaller model."""
    budget = int(available_bytes * FITS_SHARE)
    ideas: list[str] = []
    for n_ctx in (8192, 4096, 2048):
        shorter = estimate_bytes(_with(fp, n_ctx=n_ctx))
        if n_ctx < fp.n_ctx and shorter <= budget:
            ideas.append(f"a context of {n_ctx} tokens instead of {fp.n_ctx} (about {gb(shorter)})")
            break
    params = fp.parameter_count or _params_from_size(fp.weights_bytes, fp.quantisation)
    current_bits = BITS_PER_WEIGHT.get((fp.quantisation or "").upper(), 0.0)
    if current_bits > BITS_PER_WEIGHT[SMALL_QUANT] + 0.1:
        smaller = estimate_bytes(_with(fp, weights_bytes=int(params * BITS_PER_WEIGHT[SMALL_QUANT] / 8),
                                       quantisation=SMALL_QUANT, n_ctx=min(fp.n_ctx, 4096)))
        if smaller <= budget:
            ideas.append(f"a {SMALL_QUANT} build of the same model (about {gb(smaller)})")
    if not ideas:
        largest = max_parameters_label(budget)
        if largest == "0M":
            return "Close other applications to free memory, or run the model on a bigger machine (Ollama or vLLM)."
        ideas.append(f"a model of at most {largest} parameters at {SMALL_QUANT}")
    fitting = sorted(((need, name) for name, need in alternatives if need <= budget), reverse=True)[:2]
    ideas.extend(f"the configured model {name} (about {gb(need)})" for need, name in fitting)
    return "Try " + ", or ".join(ideas) + "."


def max_parameters_label(budget_bytes: int, n_ctx: int = 4096) -> str:
    """The largest model (in parameters, at Q4_K_M) whose estimate stays within ``budget_bytes``."""
    low, high = 0, 1_000_000_000_000
    bits = BITS_PER_WEIGHT[SMALL_QUANT]
    while high - low > 10_000_000:
        mid = (low + high) // 2
        fp = Footprint(weights_bytes=int(mid * bits / 8), n_ctx=n_ctx, parameter_count=mid)
        low, high = (mid, high) if estimate_bytes(fp) <= budget_bytes else (low, mid)
    if low >= 1_000_000_000:
        return f"{low / 1e9:.0f}B" if low >= 10e9 else f"{low / 1e9:.1f}B"
    return f"{max(low, 0) / 1e6:.0f}M"


def gb(n: int) -> str:
    return f"{n / GB:.1f} GB" if n >= GB else f"{n / 1024**2:.0f} MB"


def _params_from_size(weights_bytes: int, quantisation: str | None) -> int:
    bits = BITS_PER_WEIGHT.get((quantisation or "").upper(), BITS_PER_WEIGHT[SMALL_QUANT])
    return int(weights_bytes * 8 / bits)


def _with(fp: Footprint, **changes: Any) -> Footprint:
    return dataclasses.replace(fp, **changes)


def footprint_of(info: GgufInfo, n_ctx: int) -> Footprint:
    """The footprint of a GGUF file loaded with ``n_ctx`` context (capped at what the model was trained for)."""
    head_dim = info.key_length
    if head_dim is None and info.embedding_length and info.head_count:
        head_dim = info.embedding_length // info.head_count
    ctx = min(n_ctx, info.context_length) if info.context_length else n_ctx
    return Footprint(weights_bytes=info.file_size, n_ctx=ctx, parameter_count=info.parameter_count,
                     quantisation=info.quantisation, n_layers=info.block_count,
                     n_kv_heads=info.head_count_kv or info.head_count, head_dim_k=head_dim,
                     head_dim_v=info.value_length or head_dim)


def available_memory(meminfo: Path = Path("/proc/meminfo")) -> int:
    """Bytes of memory available to a new process now: ``MemAvailable``, else ``os.sysconf``."""
    try:
        for line in meminfo.read_text(encoding="ascii").splitlines():
            if line.startswith("MemAvailable:"):
                return int(line.split()[1]) * 1024
    except (OSError, ValueError, IndexError):
        pass
    try:
        return int(os.sysconf("SC_AVPHYS_PAGES")) * int(os.sysconf("SC_PAGE_SIZE"))
    except (ValueError, OSError, AttributeError):
        return 0
