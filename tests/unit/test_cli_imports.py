"""The `bureau` command starts light: its families import no model backend, Qt or ORM at module level."""

from __future__ import annotations

import json
import subprocess
import sys

HEAVY = ("ollama", "llama_cpp", "PySide6", "sqlmodel", "sqlalchemy", "pydantic", "httpx", "agents.backends", "app.llm")


def test_importing_the_cli_and_building_its_parser_stays_light():
    code = ("import json, sys, app.cli.main as m; m.build_parser(); "
            "print(json.dumps(sorted(sys.modules)))")
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=60, check=True)
    loaded = json.loads(done.stdout)
    heavy = [name for name in loaded if any(name == h or name.startswith(h + ".") for h in HEAVY)]
    assert heavy == [], f"imported at startup: {heavy}"
