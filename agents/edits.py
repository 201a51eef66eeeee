"""The edit format of a team agent working in a repository, parsed strictly, and applied to text.

Two kinds of edit (the forms aider made familiar):

    path/to/file.py
    <<<<<<< SEARCH
    exact lines from the file
    =======
    the lines that replace them
    >>>>>>> REPLACE

    FILE: path/to/new_or_whole_file.py
    ```python
    the whole content of the file
    ```

A SEARCH block may sit inside a fenced block (the fence line is skipped). An empty SEARCH
creates a new file. Anything else in the reply is the explanation. A block that is cut off,
has no path, or names a path outside the repository is an ``EditFormatError`` naming the
block and what to fix; a SEARCH text that is not in the file is an ``EditApplyError``.
"""

from __future__ import annotations

import posixpath
import re
from dataclasses import dataclass

_SEARCH = re.compile(r"^\s*<{5,9}\s*SEARCH\s*$")
_DIVIDER = re.compile(r"^\s*={5,9}\s*$")
_REPLACE = re.compile(r"^\s*>{5,9}\s*REPLACE\s*$")
_FENCE = re.compile(r"^\s*(`{3,}|~{3,})(.*)$")
_WHOLE = re.compile(r"^\s*(?:\*\*)?(?:FILE|File|file)\s*:\s*(.+?)\s*$")
_PATH_DECOR = re.compile(r"^(?:#+\s*)?(?:\*\*)?(?:(?:file|path|filename)\s*:\s*)?[`*'\"]*(.*?)[`*'\":]*$", re.I)
_WINDOWS_ABS = re.compile(r"^[A-Za-z]:[\\/]")

FORMAT_HELP = ("Write each change as the file's path on its own line, then `<<<<<<< SEARCH`, the exact lines "
               "to find, `=======`, the new lines, and `>>>>>>> REPLACE`; or `FILE: path` followed by a fenced "
               "block with the whole file.")


class EditFormatError(ValueError):
    """The reply's edits cannot be read as given."""


class EditApplyError(ValueError):
    """An edit does not fit the file it names."""


@dataclass(frozen=True)
class Edit:
    """One change: ``search`` replaced by ``replace`` in ``path``, or the whole file when ``whole``."""

    path: str  # relative, POSIX separators, checked by ``check_path``
    replace: str
    search: str = ""
    whole: bool = False

    @property
    def creates(self) -> bool:
        return not self.whole and self.search == ""


@dataclass(frozen=True)
class ParsedEdits:
    edits: tuple[Edit, ...]
    explanation: str

    @property
    def paths(self) -> tuple[str, ...]:
        return tuple(dict.fromkeys(e.path for e in self.edits))


def check_path(raw: str) -> str:
    """The path as a clean relative POSIX path inside the repository, or ``EditFormatError`` saying why not."""
    path = raw.strip()
    if not path:
        raise EditFormatError("An edit names no file.")
    if "\x00" in path:
        raise EditFormatError(f"The path {path!r} contains a NUL character.")
    if path.startswith(("/", "\\", "~")) or _WINDOWS_ABS.match(path):
        raise EditFormatError(f"The path {path} is absolute; edits must name a file inside the repository, "
                              "relative to its top folder.")
    parts = path.replace("\\", "/").split("/")
    if ".." in parts:
        raise EditFormatError(f"The path {path} leads outside the repository (`..`).")
    clean = posixpath.normpath("/".join(parts))
    if clean in ("", ".") or clean.endswith("/"):
        raise EditFormatError(f"The path {path} names a folder, not a file.")
    if ".git" in clean.split("/"):
        raise EditFormatError(f"The path {path} is inside .git; edits may only change the project's files.")
    return clean


def parse_edits(reply: str) -> ParsedEdits:
    """The edits in ``reply`` in order; ``EditFormatError`` when there are none or one is malformed."""
    lines = reply.splitlines()
    edits: list[Edit] = []
    prose: list[str] = []
    i = 0
    block = 0
    while i < len(lines):
        line = lines[i]
        whole = _WHOLE.match(line)
        if whole and i + 1 < len(lines) and _FENCE.match(lines[i + 1]):
            block += 1
            path = check_path(_undecorate(whole.group(1)))
            fence = _FENCE.match(lines[i + 1])
            assert fence is not None
            end = _closing_fence(lines, i + 2, fence.group(1))
            if end is None:
                raise EditFormatError(f"Edit {block} (FILE: {path}): the fenced block is never closed. {FORMAT_HELP}")
            content = "\n".join(lines[i + 2:end])
            edits.append(Edit(path=path, replace=content + "\n" if content else "", whole=True))
            i = end + 1
            continue
        if _SEARCH.match(line):
            block += 1
            path = _path_before(lines, i, prose)
            if path is None:
                raise EditFormatError(f"Edit {block}: the SEARCH block has no file path on the line before it. "
                                      + FORMAT_HELP)
            search, replace, i = _search_block(lines, i + 1, block, path)
            edits.append(Edit(path=path, search=search, replace=replace))
            if i < len(lines) and _FENCE.match(lines[i]) and not _FENCE.match(lines[i]).group(2).strip():  # type: ignore[union-attr]
                i += 1  # the fence that closed the block
            continue
        if _DIVIDER.match(line) is None and _REPLACE.match(line):
            block += 1
            raise EditFormatError(f"Edit {block}: a `>>>>>>> REPLACE` line without its `<<<<<<< SEARCH`. "
                                  + FORMAT_HELP)
        prose.append(line)
        i += 1
    if not edits:
        raise EditFormatError("The reply contains no edits. " + FORMAT_HELP)
    return ParsedEdits(edits=tuple(edits), explanation=_tidy("\n".join(prose)))


def apply_to_text(original: str | None, edits: list[Edit], *, path: str) -> str:
    """The new content of ``path`` (None: it does not exist yet) after ``edits``, in order."""
    text = original
    for n, edit in enumerate(edits, start=1):
        if edit.whole:
            text = edit.replace
        elif edit.creates:
            if text not in (None, ""):
                raise EditApplyError(f"{path}: an empty SEARCH creates a new file, but {path} exists. "
                                     "Quote the lines to change in SEARCH, or give the whole file with `FILE:`.")
            text = edit.replace
        else:
            if text is None:
                raise EditApplyError(f"{path} does not exist. To create it, leave SEARCH empty or use `FILE: {path}`.")
            text = _replace_once(text, edit, path=path, n=n)
    return text if text is not None else ""


def _replace_once(text: str, edit: Edit, *, path: str, n: int) -> str:
    search = edit.search
    count = text.count(search)
    if count == 1:
        return text.replace(search, edit.replace, 1)
    if count > 1:
        raise EditApplyError(f"{path}: the SEARCH text of edit {n} appears {count} times; "
                             "include more surrounding lines so that it is unique.")
    # Second chance: the same lines with different trailing spaces.
    lines = text.split("\n")
    wanted = [s.rstrip() for s in search.rstrip("\n").split("\n")]
    hits = [k for k in range(len(lines) - len(wanted) + 1)
            if [ln.rstrip() for ln in lines[k:k + len(wanted)]] == wanted]
    if len(hits) == 1:
        k = hits[0]
        new = edit.replace.rstrip("\n").split("\n") if edit.replace.strip("\n") or edit.replace else []
        return "\n".join(lines[:k] + new + lines[k + len(wanted):])
    first = next((s for s in wanted if s.strip()), "")
    raise EditApplyError(f"{path}: the SEARCH text of edit {n} is not in the file (it starts with "
                         f"{first.strip()[:80]!r}); copy the lines exactly as they are in the file.")


def _search_block(lines: list[str], start: int, block: int, path: str) -> tuple[str, str, int]:
    """Lines of SEARCH and REPLACE from ``start``; the index after `>>>>>>> REPLACE`."""
    divider = None
    for j in range(start, len(lines)):
        if _SEARCH.match(lines[j]):
            raise EditFormatError(f"Edit {block} ({path}): a new SEARCH starts before this one ended. {FORMAT_HELP}")
        if divider is None and _DIVIDER.match(lines[j]):
            divider = j
        elif _REPLACE.match(lines[j]):
            if divider is None:
                raise EditFormatError(f"Edit {block} ({path}): `>>>>>>> REPLACE` before `=======`. {FORMAT_HELP}")
            search = "\n".join(lines[start:divider])
            replace = "\n".join(lines[divider + 1:j])
            return (search + "\n" if search else ""), (replace + "\n" if replace else ""), j + 1
    what = "`=======` and `>>>>>>> REPLACE`" if divider is None else "`>>>>>>> REPLACE`"
    raise EditFormatError(f"Edit {block} ({path}) is cut off: {what} missing. {FORMAT_HELP}")


def _path_before(lines: list[str], i: int, prose: list[str]) -> str | None:
    """The path on the nearest line above a SEARCH marker (over a fence opener); taken out of the prose."""
    j = i - 1
    while j >= 0 and not lines[j].strip():
        j -= 1
    if j >= 0 and _FENCE.match(lines[j]):
        fence = _FENCE.match(lines[j])
        assert fence is not None
        info = fence.group(2).strip()
        if "/" in info or "." in info:  # ```path/to/file.py
            _drop_tail(prose, lines[j])
            return check_path(_undecorate(info))
        _drop_tail(prose, lines[j])
        j -= 1
        while j >= 0 and not lines[j].strip():
            j -= 1
    if j < 0 or _REPLACE.match(lines[j]) or _FENCE.match(lines[j]):
        return None
    candidate = _undecorate(lines[j])
    if not candidate or " " in candidate.strip():
        return None
    _drop_tail(prose, lines[j])
    return check_path(candidate)


def _drop_tail(prose: list[str], line: str) -> None:
    while prose and not prose[-1].strip():
        prose.pop()
    if prose and prose[-1] == line:
        prose.pop()


def _closing_fence(lines: list[str], start: int, opener: str) -> int | None:
    for j in range(start, len(lines)):
        stripped = lines[j].strip()
        if stripped.startswith(opener[0] * len(opener)) and not stripped.strip(opener[0]):
            return j
    return None


def _undecorate(text: str) -> str:
    match = _PATH_DECOR.match(text.strip())
    return (match.group(1) if match else text).strip()


def _tidy(text: str) -> str:
    return re.sub(r"\n{3,}", "\n\n", text).strip()
