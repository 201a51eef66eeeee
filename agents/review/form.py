"""Checks of form per kind: an email has a greeting and a sign-off, a haiku three lines, code parses."""

from __future__ import annotations

import ast
import json
import re

from agents.review.asked import Asked
from agents.review.checks import Check, fail, ok
from agents.review.text import CodeBlock, code_blocks, nonempty_lines, prose, quote, strip_heading, words

_GREETING = re.compile(r"^\W*(?:hi|hello|hey|dear|good (?:morning|afternoon|evening)|greetings|thanks|thank you)\b",
                       re.I)
_SIGNOFF = re.compile(r"^\W*(?:best|regards|kind regards|warm regards|warmly|thanks|thank you|many thanks|cheers|"
                      r"sincerely|yours|all the best|talk soon|speak soon|the [\w ]{1,30} team|—|--|-)\b", re.I)
_LIST_LINE = re.compile(r"^\s*(?:[-*•]|\d+[.)]|#\d+)\s+\S")
_DOCKER = {"FROM", "RUN", "CMD", "LABEL", "MAINTAINER", "EXPOSE", "ENV", "ADD", "COPY", "ENTRYPOINT", "VOLUME",
           "USER", "WORKDIR", "ARG", "ONBUILD", "STOPSIGNAL", "HEALTHCHECK", "SHELL"}
_CODE_TAGS = {"python": ("python", "py", "python3"), "javascript": ("javascript", "js", "node"),
              "typescript": ("typescript", "ts"), "bash": ("bash", "sh", "shell", "zsh"), "go": ("go", "golang"),
              "rust": ("rust", "rs"), "java": ("java",), "ruby": ("ruby", "rb"), "php": ("php",), "sql": ("sql",)}


def form(asked: Asked, output: str) -> list[Check]:
    """The kind's own checks (empty for plain text)."""
    kind = asked.kind
    if kind == "email":
        return [_email(asked, output)]
    if kind == "haiku":
        return [_haiku(output)]
    if kind == "subject" or (kind == "list" and asked.count):
        return [_count(asked, output)]
    if kind in ("tweet", "linkedin") and asked.count:
        return [_count(asked, output)]
    if kind == "code":
        return [_code(asked, output)]
    if kind == "config":
        return [_config(asked, output)]
    if kind == "sql":
        return [_sql(output)]
    if kind == "release_notes":
        lines = nonempty_lines(prose(output))
        if sum(bool(_LIST_LINE.match(ln)) for ln in lines) < 1 and not any(ln.startswith("#") for ln in lines[1:]):
            return [fail("form", "no list or sections", "Release notes need one line per change; list each change "
                                                        "as a bullet point.")]
        return [ok("form", "a list of changes")]
    return []


def _email(asked: Asked, output: str) -> Check:
    lines = [ln for ln in nonempty_lines(prose(output)) if not re.match(r"^\W*subject\s*:", ln, re.I)
             and not ln.startswith("#")]
    if not lines:
        return fail("form", "no body", "Write the email itself: a greeting, the body and a sign-off.")
    head, tail = lines[:2], lines[-4:]
    if not any(_GREETING.match(ln) for ln in head):
        to = f"\"Hi {asked.recipient},\"" if asked.recipient else "a greeting such as \"Hi Sam,\""
        return fail("form", "no greeting", f"It has no greeting; start with {to}.")
    if asked.recipient and asked.recipient.lower() not in " ".join(head).lower():
        return fail("form", f"greeting without {asked.recipient}",
                    f"It does not address {asked.recipient}, to whom the task says it goes; greet them by name.")
    if len(lines) < 3 or not any(_SIGNOFF.match(ln) for ln in tail):
        return fail("form", "no sign-off", "It has no sign-off; end with a closing line and the sender's name.")
    return ok("form", "greeting, body and sign-off")


def syllables(word: str) -> int:
    w = word.lower().strip("'’")
    if not w:
        return 0
    if w.isdigit():
        return sum(syllables(x) for x in ["one"] * len(w))
    groups = re.findall(r"[aeiouy]+", w)
    n = len(groups)
    if w.endswith("e") and not w.endswith(("le", "ee", "ye")) and n > 1:
        n -= 1
    if w.endswith(("ed",)) and not w.endswith(("ted", "ded")) and n > 1:
        n -= 1
    return max(1, n)


def _haiku(output: str) -> Check:
    lines = [ln for ln in nonempty_lines(strip_heading(output)) if not ln.startswith("#")]
    if len(lines) != 3:
        return fail("form", f"{len(lines)} lines", f"It has {len(lines)} lines; a haiku has 3 (about 5, 7 and 5 "
                                                   f"syllables). Rewrite it as three short lines.")
    counts = [sum(syllables(w) for w in words(ln)) for ln in lines]
    if any(abs(c - t) > 2 for c, t in zip(counts, (5, 7, 5), strict=True)):
        return fail("form", f"syllables {counts}", f"Its lines have about {counts[0]}, {counts[1]} and {counts[2]} "
                                                   f"syllables; a haiku has 5, 7 and 5.")
    return ok("form", f"3 lines, syllables {counts}")


def _count(asked: Asked, output: str) -> Check:
    want = asked.count or 1
    lines = [ln for ln in nonempty_lines(prose(output)) if not ln.startswith("#") and not ln.endswith(":")]
    bullets = [ln for ln in lines if _LIST_LINE.match(ln)]
    items = bullets if len(bullets) >= 2 or (want == 1 and bullets) else lines
    n = len(items)
    noun = asked.count_noun or "items"
    if asked.kind in ("subject", "tweet"):
        too_long = [ln for ln in items if len(re.sub(r"^\W*(?:\d+[.)])?\s*(?:subject\s*:)?\s*", "", ln,
                                                     flags=re.I)) > (asked.max_chars or 90)]
        if too_long:
            return fail("form", f"a line of {len(too_long[0])} characters",
                        f"{asked.label.capitalize()} has at most {asked.max_chars or 90} characters; "
                        f"\"{quote(too_long[0], 40)}\" is longer. Shorten it.")
        noun = noun if want > 1 else asked.label.removeprefix("a ")
    if n != want:
        return fail("form", f"{n} items", f"It has {n} {noun if n != 1 else noun.rstrip('s')}; the task asks for "
                                          f"{want}. Write exactly {want}, one per line.")
    return ok("form", f"{n} {noun}")


def _blocks_for(output: str, tags: tuple[str, ...]) -> list[CodeBlock]:
    blocks = code_blocks(output)
    tagged = [b for b in blocks if b.language in tags]
    return tagged or [b for b in blocks if not b.language]


def _code(asked: Asked, output: str) -> Check:
    blocks = code_blocks(output)
    lang = asked.language
    if not blocks:
        if lang == "python" and _parses_python(output.strip()) is None and len(output.strip().splitlines()) > 1:
            return ok("form", "unfenced Python that parses")
        return fail("form", "no code block", f"Put the code in a fenced block (```{lang or 'language'} ... ```).")
    if lang == "python":
        mine = _blocks_for(output, _CODE_TAGS["python"])
        if not mine:
            other = blocks[0].language
            return fail("form", f"code in {other}", f"The task asks for Python, but the code is {other}; write it "
                                                    f"in Python.")
        for block in mine:
            error = _parses_python(block.body)
            if error:
                return fail("parses", error, f"The Python code does not parse ({error}); fix it so it runs.")
        if not re.search(r"^\s*(?:def|class|async def)\s|\w+\s*=|\w+\(", "\n".join(b.body for b in mine), re.M):
            return fail("form", "no code in the block", "The code block has no code; write the function itself.")
        return ok("parses", f"{len(mine)} Python block(s) parse")
    if lang and lang in _CODE_TAGS and not any(b.language in _CODE_TAGS[lang] or not b.language for b in blocks):
        return fail("form", f"code in {blocks[0].language}", f"The task asks for {lang}, but the code is "
                                                             f"{blocks[0].language}; write it in {lang}.")
    unbalanced = [b for b in blocks for a, z in ("()", "[]", "{}") if b.body.count(a) != b.body.count(z)]
    if unbalanced:
        return fail("parses", "unbalanced brackets", "The code's brackets do not balance; it would not compile. "
                                                     "Fix it.")
    return ok("form", f"{len(blocks)} code block(s)")


def _parses_python(source: str) -> str | None:
    try:
        ast.parse(source)
    except SyntaxError as exc:
        return f"{exc.msg} at line {exc.lineno}"
    return None


def _config(asked: Asked, output: str) -> Check:
    fmt = asked.config_format or "yaml"
    tags = {"yaml": ("yaml", "yml"), "json": ("json",), "dockerfile": ("dockerfile", "docker")}[fmt]
    blocks = _blocks_for(output, tags)
    bodies = [b.body for b in blocks] or ([output.strip()] if not code_blocks(output) else [])
    if not bodies:
        return fail("form", f"no {fmt} block", f"Put the {fmt} in a fenced block (```{fmt} ... ```).")
    for body in bodies:
        error = _parse_config(fmt, body)
        if error:
            return fail("parses", error, f"The {_NAMES[fmt]} does not parse ({error}); fix it.")
    return ok("parses", f"{len(bodies)} {fmt} block(s) parse")


_NAMES = {"yaml": "YAML", "json": "JSON", "dockerfile": "Dockerfile"}


def _parse_config(fmt: str, body: str) -> str | None:
    if fmt == "json":
        try:
            json.loads(body)
        except ValueError as exc:
            return str(exc).split(":")[0] + f" at line {getattr(exc, 'lineno', '?')}"
        return None
    if fmt == "dockerfile":
        return _dockerfile(body)
    import yaml  # PyYAML

    try:
        data = list(yaml.safe_load_all(body))
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        where = f" at line {mark.line + 1}" if mark is not None else ""
        return f"{getattr(exc, 'problem', None) or 'invalid YAML'}{where}"
    if not any(isinstance(d, (dict, list)) for d in data):
        return "it is not a YAML mapping or list"
    return None


def _dockerfile(body: str) -> str | None:
    seen_from = False
    continued = False
    for n, raw in enumerate(body.splitlines(), 1):
        line = raw.strip()
        if continued:
            continued = line.endswith("\\")
            continue
        if not line or line.startswith("#"):
            continue
        word = line.split()[0].upper()
        if word not in _DOCKER:
            return f"line {n} starts with {line.split()[0]!r}, which is not an instruction"
        if word == "FROM":
            seen_from = True
        elif not seen_from and word != "ARG":
            return "it does not start with FROM"
        continued = line.endswith("\\")
    return None if seen_from else "it has no FROM line"


def _sql(output: str) -> Check:
    import sqlglot
    from sqlglot.errors import SqlglotError

    blocks = _blocks_for(output, ("sql", "postgresql", "postgres", "mysql", "sqlite"))
    bodies = [b.body for b in blocks] or ([output.strip()] if not code_blocks(output) else [])
    if not bodies:
        return fail("form", "no SQL block", "Put the query in a fenced block (```sql ... ```).")
    for body in bodies:
        error = None
        for dialect in (None, "postgres", "mysql", "sqlite"):
            try:
                parsed = [e for e in sqlglot.parse(body, read=dialect) if e is not None]
            except SqlglotError as exc:
                error = str(exc).splitlines()[0][:120]
                continue
            if not parsed or any(type(e).__name__ in ("Column", "Identifier", "Alias") for e in parsed):
                error = "it is not an SQL statement"
                continue
            error = None
            break
        if error:
            return fail("parses", error, f"The SQL does not parse ({error}); fix the query.")
    return ok("parses", f"{len(bodies)} SQL block(s) parse")

