"""Wishes that ask for work without an order in them.

"A blog post on how we think about reliability would be nice at some point" asks for the post; "it would be
great if the PDF export handled Hebrew properly" asks for the export to be made to. Both read as orders here
("get a blog post ...", "make the PDF export handled ..."): the words of the thing decide the team as usual.
"""

from __future__ import annotations

import re

_NICE = r"(?:nice|great|good|helpful|ideal|awesome|amazing|useful|lovely|brilliant|cool|handy|fab|fantastic)"
_THING_WOULD_BE_NICE = re.compile(
    r"^(?P<thing>(?:(?:a|an|some|more|a\s+few|a\s+couple\s+of|\d+|two|three|four|five)\s|(?:the|our)\s(?=.+\bto\s+have\b)).+?)\s+"
    r"(?:would|could|will)\s+be\s+(?:really\s+|very\s+|so\s+|super\s+)?" + _NICE +
    r"(?=\s+(?:to\s+have|at\s+some\s+point|too|as\s+well|for\s+(?:us|me))\b|\s*(?:[,.;!?)]|$))", re.IGNORECASE)
_GREAT_IF = re.compile(r"^(?:(?:and|also|oh\s+and|but|so)\s+)*(?:it'?d|it\s+would|would)\s+be\s+(?:really\s+|so\s+|super\s+)?"
                       + _NICE + r"\s+if\s+", re.IGNORECASE)
_US = re.compile(r"(?:we|i|you|u|they|us|someone|somebody|anyone|everyone)\b", re.IGNORECASE)


def wished(raw: str, lead: str) -> str | None:
    """The order a wish asks for (``raw``: the clause as written, ``lead``: without its leading fillers), or None."""
    nice = _THING_WOULD_BE_NICE.match(lead)
    if nice is not None:
        return f"get {nice.group('thing')}"
    great = _GREAT_IF.match(raw.strip())
    if great is not None and not _US.match(raw.strip()[great.end():]):  # not "... if we could all meet on Friday"
        return f"make {lead}"
    return None
