"""Connectives that join two pieces of work in other words than "and" or "then", said the way the splitter reads.

- ", along with a launch plan", "as well as the Google Ads copy", ", together with a one-pager": another piece
  of work (", and ...").
- "Review the pull request before we write the release notes": work of ours after it (", then write ...").
- "The certificate expired this morning and has to be renewed": the work the thing needs ("..., and it has to be
  renewed").
"""

from __future__ import annotations

import re

from agents.routing.verbs import is_base_verb, participle_base

_THING = r"(?:a|an|the|our|some|their|its|\d+|two|three|four|five|one|short|new)\b"
_ALSO = re.compile(r",\s+(?:along|together)\s+with\s+(?=" + _THING + r")|,?\s+as\s+well\s+as\s+(?=" + _THING + r")",
                   re.IGNORECASE)
_BEFORE_WE = re.compile(r"\s+before\s+we\s+(?:can\s+|then\s+)?(?P<verb>[a-z]+)\s+(?=(?:the|a|an|our|any|this|these|those)\b)",
                        re.IGNORECASE)
_AND_NEEDS = re.compile(r"\s+and\s+(?P<need>(?:still\s+)?(?:has|have|needs?|must|should)\s+(?:to\s+)?be\s+)(?P<pp>[a-z]+)\b",
                        re.IGNORECASE)


def connectives_as_said(text: str) -> str:
    """``text`` with those connectives said as ", and ..." / ", then ..." (the rest of the words as written)."""
    text = _ALSO.sub(", and ", text)

    def before_we(found: re.Match[str]) -> str:
        verb = found.group("verb")
        return f", then {verb} " if is_base_verb(verb) and verb.casefold() not in _NOT_WORK else found.group(0)

    text = _BEFORE_WE.sub(before_we, text)

    def needs(found: re.Match[str]) -> str:
        return f", and it {found.group('need')}{found.group('pp')}" if participle_base(found.group("pp")) else found.group(0)

    return _AND_NEEDS.sub(needs, text)


_NOT_WORK = frozenset("have get go are be do see know lose run hit need".split())  # "before we get the numbers back"
