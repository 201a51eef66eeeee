"""Every `bureau ...` example in README.md and docs/*.md works as written.

The examples are read from the fenced blocks of the documents themselves, so the docs cannot
drift: each one is either run in a fresh data folder (in order, in-process, the model scripted)
or, when it needs something a test machine lacks (an Ollama or OpenAI-compatible server, a
model run), at least parsed by the real command line. A new example must be put in one of the
two groups below. The plan-shape table is checked row by row against the CEO's planner.
"""

from __future__ import annotations

import io
import re
import shlex
import sys
from pathlib import Path

import pytest

from app.cli.main import build_parser, main
from app.core.paths import embedded_model_path
from tests.conftest import ScriptedBackend

ROOT = Path(__file__).resolve().parents[2]
DOCS = [ROOT / "README.md", *sorted((ROOT / "docs").glob("*.md"))]
FENCE = re.compile(r"^[ \t]*```[^\n]*\n(.*?)^[ \t]*```", re.S | re.M)

# Examples that need what a unit test does not have: checked by parsing them only.
PARSE_ONLY = {
    r"models test ": "runs a model",
    r"--ollama |models ollama ": "needs an Ollama server",
    r"--openai |models openai ": "needs an OpenAI-compatible server",
    r"models assign (code|content) big ": "`big` is a server model",
    r"relay (serve|connect|pair)|remote |runner": "needs a relay (tests/integration/test_relay_*.py run one)",
    r"^bureau (repo add|diff|apply) ": "needs a git repository and a task that worked in it (tests/integration/test_workspace.py)",
}


def examples(path: Path) -> list[tuple[str, list[str], str | None]]:
    """(line as written, bureau argv, file piped to stdin) for each `bureau` command in fenced blocks."""
    found = []
    for block in FENCE.findall(path.read_text(encoding="utf-8")):
        block = re.sub(r"\\\n\s*", " ", block)  # a command continued on the next line is one command
        for line in block.splitlines():
            stripped = line.strip()
            if stripped.startswith("#") or "bureau" not in stripped:
                continue
            words = shlex.split(stripped, comments=True)
            stdin = None
            if "|" in words:  # `cat FILE | bureau ...`
                before, words = words[:words.index("|")], words[words.index("|") + 1:]
                assert before[0] == "cat", stripped
                stdin = before[1]
            if not words or words[0] != "bureau":
                continue
            found.append((stripped, words[1:], stdin))
    return found


ALL = [(doc.name, *ex) for doc in DOCS for ex in examples(doc)]


def _parse_only(line: str) -> str | None:
    return next((why for pattern, why in PARSE_ONLY.items() if re.search(pattern, line)), None)


def test_the_docs_have_examples():
    assert len(ALL) >= 15
    assert any(doc == "models.md" for doc, *_ in ALL)


@pytest.mark.parametrize("doc, line, argv, stdin", ALL, ids=[f"{d}:{a[0][:50]}" for d, *a in ALL])
def test_every_example_parses(doc, line, argv, stdin):
    parser, handlers = build_parser()
    from app.cli.main import _global_options

    rest, _home, _json = _global_options(argv)
    args = parser.parse_args(rest)
    assert args.command in handlers


@pytest.fixture
def docs_world(tmp_path, home, monkeypatch):
    """A fresh data folder, the files the examples name, and a scripted model for `run`."""
    work = tmp_path / "work"
    work.mkdir()
    monkeypatch.chdir(work)
    (work / "brief.md").write_text("# Launch brief\n\nWrite a short blog post about our tidy-desk app.\n"
                                   + "Background line.\n" * 2000, encoding="utf-8")
    (work / "notes.txt").write_text("Our app reminds people to clear their desk every Friday.\n", encoding="utf-8")
    (work / "data.csv").write_text("week,users\n1,120\n2,180\n", encoding="utf-8")
    (work / "backlog.csv").write_text("text,team,priority\nFix the login bug,code,high\n"
                                      "Write a press release for the launch,,\n", encoding="utf-8")
    downloads = tmp_path / "user" / "Downloads"
    downloads.mkdir(parents=True)
    (downloads / "Qwen2.5-3B-Instruct-Q4_K_M.gguf").symlink_to(embedded_model_path())
    monkeypatch.setenv("HOME", str(tmp_path / "user"))
    scripted = ScriptedBackend()
    from app.llm.pool import ModelPool

    monkeypatch.setattr(ModelPool, "backend_for", lambda self, role: scripted)
    return work


def test_runnable_examples_work_as_written(docs_world, capsys, monkeypatch):
    ran = 0
    for doc, line, argv, stdin in ALL:
        if _parse_only(line):
            continue
        monkeypatch.setattr(sys, "stdin", io.StringIO((docs_world / stdin).read_text() if stdin else ""))
        code = main(argv)
        out, err = capsys.readouterr()
        assert code == 0, f"{doc}: `{line}` exited {code}: {err}"
        assert "Traceback" not in err
        ran += 1
        if argv[:2] == ["show", "1"] and "--json" not in argv:
            assert "Result:" in out, f"{doc}: `{line}` shows no result after `run`:\n{out}"
    assert ran >= 10


# -- the plan-shape table --------------------------------------------------------------------
SHAPE_ROW = re.compile(r"^\| (single|graph|fanout|mapreduce|pipeline|verify|loop) \| [^|]+ \| `([^`]+)` \|", re.M)
PLANNER_PENDING: set[str] = set()  # phrasings the planner does not honour yet
SHAPES = SHAPE_ROW.findall((ROOT / "README.md").read_text(encoding="utf-8"))


def _shape_cases():
    for shape, example in SHAPES:
        marks = [pytest.mark.xfail(strict=True, reason="planner: issue 14")] if example in PLANNER_PENDING else []
        yield pytest.param(shape, example.replace("\\n", "\n"), marks=marks, id=f"{shape}:{example[:40]}")


def test_the_shape_table_has_an_example_per_shape():
    assert {shape for shape, _ in SHAPES} == {"single", "graph", "fanout", "mapreduce", "pipeline", "verify", "loop"}


@pytest.mark.parametrize("shape, text", list(_shape_cases()))
def test_each_shape_example_is_planned_as_documented(company, shape, text):
    from agents.ceo import triage

    assert triage(company.router(), text).plan.shape == shape


def test_the_multi_team_example_is_confident_enough_to_run(company):
    from agents.ceo import triage

    result = triage(company.router(), "launch v2: release notes, deploy, announce")
    assert result.plan.shape == "graph" and len(result.plan.teams) == 3
    assert result.plan.confidence is not None and company.settings.autopilot.allows(result.plan.confidence)
