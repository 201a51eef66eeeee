"""What a team agent sees of a repository: files chosen by path and content, within the context budget.

Pure: the caller lists the files and counts keyword hits (``git ls-files``, ``git grep``); this
module picks the words, scores the files, packs the best ones into the budget and writes the
prompt. The scoring is deliberately simple (aider's repo map inspired it): a word of the task in
a file's path weighs more than in its content, files named in the task or in failing test
output weigh most, and a test file follows the module it tests.
"""

from __future__ import annotations

import math
import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass

from agents.backends.base import ChatMessage
from agents.prompts import render
from teams.base import Role, TeamSpec

_WORD = re.compile(r"[A-Za-z_][A-Za-z0-9_]{2,}")
_PATHLIKE = re.compile(r"[\w./-]+\.[A-Za-z0-9]{1,8}")
_STOP = frozenset("""the and for with that this from into when then than them they their there these those what which
while where your you our are was were been being have has had not but can could should would will shall may might
must make makes made does did done doing fix fixes fixed bug bugs add adds added use uses used using code file files
test tests function functions method class write please all any each its also only just like some more most very
new get set run runs let see one two need needs want wants work works about after before again why how who now
returns return true false none null self def import""".split())
MAX_FILE_CHARS = 12000  # a bigger file is shown clipped (edits to its hidden part will not match)
MAX_LISTED = 60  # other paths named in the prompt without their content


@dataclass(frozen=True)
class FileView:
    path: str
    content: str
    clipped: bool = False


@dataclass(frozen=True)
class Selection:
    files: tuple[FileView, ...]
    listed: tuple[str, ...]  # more paths, named but not shown
    total: int  # files in the repository


def search_words(*texts: str) -> tuple[list[str], list[str]]:
    """(words to look for, paths or file names mentioned) in the task, notes and failure text."""
    words: dict[str, None] = {}
    mentioned: dict[str, None] = {}
    for text in texts:
        for m in _PATHLIKE.findall(text or ""):
            mentioned[m.strip("./")] = None
        for w in _WORD.findall(text or ""):
            for part in _split_identifier(w):
                if len(part) >= 3 and part.lower() not in _STOP:
                    words[part.lower()] = None
            if w.lower() not in _STOP and len(w) >= 3:
                words[w.lower()] = None
    return list(words)[:40], list(mentioned)[:40]


def score_files(paths: Sequence[str], hits: Mapping[str, int], words: Sequence[str],
                mentioned: Sequence[str]) -> list[tuple[str, float]]:
    """Every path with a score, best first (ties: shorter path first); zero-score paths are left out."""
    wanted = set(words)
    named = [m.lower() for m in mentioned]
    scores: dict[str, float] = {}
    for path in paths:
        low = path.lower()
        tokens = {t for part in re.split(r"[/._-]+", low) for t in _split_identifier(part) + [part]}
        score = 4.0 * len(wanted & tokens)
        if any(low == m or low.endswith("/" + m) or low.endswith(m) and "/" in m for m in named):
            score += 20.0
        elif any(low.rsplit("/", 1)[-1] == m.rsplit("/", 1)[-1] for m in named):
            score += 10.0
        if hits.get(path):
            score += 2.0 * math.log2(1 + hits[path])
        if score:
            scores[path] = score
    # A test file brings the module it tests, and the other way round.
    for path in list(scores):
        stem = path.rsplit("/", 1)[-1]
        if stem.startswith("test_"):
            for other in paths:
                if other.rsplit("/", 1)[-1] == stem[5:] and other not in scores:
                    scores[other] = scores[path] / 2
    return sorted(scores.items(), key=lambda kv: (-kv[1], len(kv[0]), kv[0]))


def pack(ranked: Sequence[str], contents: Mapping[str, str], *, budget_chars: int, total: int) -> Selection:
    """The best files that fit ``budget_chars`` (the first is clipped if it alone is too big), then names."""
    files: list[FileView] = []
    used = 0
    rest: list[str] = []
    for path in ranked:
        text = contents.get(path)
        if text is None:
            continue
        size = len(text) + len(path) + 16
        if used + size <= budget_chars and len(text) <= MAX_FILE_CHARS:
            files.append(FileView(path, text))
            used += size
        elif not files and budget_chars > 500:
            room = min(MAX_FILE_CHARS, budget_chars - len(path) - 64)
            files.append(FileView(path, text[:room], clipped=True))
            used += room
        else:
            rest.append(path)
    return Selection(files=tuple(files), listed=tuple(rest[:MAX_LISTED]), total=total)


@dataclass(frozen=True, kw_only=True)
class WorkspaceRequest:
    team: TeamSpec
    role: Role
    task_text: str
    repo: str
    test_command: str | None
    selection: Selection
    whole_task: str | None = None
    context: str = ""  # work of earlier steps
    notes: str | None = None  # why the last round was sent back (test failures, review notes)
    previous_edits: str | None = None  # the diff of the last round


def build_messages(request: WorkspaceRequest) -> list[ChatMessage]:
    system = render("workspace/system.md", role=request.role.name, team=request.team.name)
    shown = "".join(f"\nFile {f.path}{' (first part only)' if f.clipped else ''}:\n```\n{f.content.rstrip()}\n```\n"
                    for f in request.selection.files)
    if request.selection.listed:
        shown += "\nOther files that may matter: " + ", ".join(request.selection.listed) + "\n"
    if not request.selection.files:
        shown += "\nNo file matched the task; create the files it needs.\n"
    context = ""
    if request.whole_task:
        context += f"\nThis is your part of a larger task: {request.whole_task[:3000]}\n"
    context += request.context
    notes = ""
    if request.notes:
        if request.previous_edits:
            notes += f"\nYour previous edits (they were undone; the files above are as they were):\n```diff\n" \
                     f"{request.previous_edits[:3000]}\n```\n"
        notes += f"\nRework it. Why it was sent back: {request.notes[:3000]}\n"
    user = render("workspace/step.md", task=request.task_text[:6000], context=context, repo=request.repo,
                  tests=f"`{request.test_command}`" if request.test_command else "none configured",
                  files=shown, notes=notes)
    return [ChatMessage("system", system), ChatMessage("user", user)]


def _split_identifier(word: str) -> list[str]:
    parts = re.split(r"_+", word)
    out: list[str] = []
    for p in parts:
        out += [x.lower() for x in re.findall(r"[A-Z]?[a-z0-9]+|[A-Z]+(?![a-z])", p)]
    return [p for p in out if p]
