"""A founder's spoken self-corrections, read as the ask that stands.

    "write a blog post about it, no actually forget the blog, just do instagram posts"   -> "just do instagram posts"
    "make a landing page for it - no wait, skip the landing page, write the invite email"  -> "write the invite email"

Dictated and typed-in-a-hurry tasks take an ask back in the same sentence; the withdrawn part asks for nothing and
its team is not part of the plan. Only the sentence that holds the correction loses its start; a "no" or
"actually" that corrects nothing ("there's no wait time", "it's actually no problem") is left alone.
"""

from __future__ import annotations

import re

_SEP = r"[\s,;:\u2014\u2013]"
# "forget the blog", "skip that", "never mind the landing page", "drop the newsletter idea": the withdrawn thing
_DROP = (r"(?:(?:forget(?:\s+about)?|skip|drop|ditch|never\s*mind|cancel)\s+(?:the|that|this|it|those|these)|scratch\s+(?:the|this|it|those|these))\b"
         r"(?:\s+(?!just\b|and\b|but\b|instead\b|rather\b|do\b|make\b|write\b|i\b)[\w'’-]+){0,4}")
# the turn, always with what it withdraws: "no actually forget the blog", "no wait, skip that", "actually forget it";
# a turn that names nothing withdrawn ("no scratch that German", "scratch that, faq doc first") corrects a detail
# or the order, and is left as said
_TURN = rf"(?:no{_SEP}*(?:actually|wait)|actually{_SEP}*no|wait{_SEP}*no|no|actually|wait|scratch\s+that){_SEP}+{_DROP}"
_CORRECTED = re.compile(rf"(?:^|(?<=[.!?\n]))(?P<gone>[^.!?\n]*?[^\s.!?][^.!?\n]*?){_SEP}*\b{_TURN}(?:[ \t,;:.!?\u2014\u2013]|\s-\s)*",
                        re.IGNORECASE | re.MULTILINE)
_WORDS = ("forget", "skip", "scratch", "drop", "ditch", "mind", "cancel")


def corrected(text: str) -> str:
    """``text`` with each withdrawn ask dropped, up to the correction that withdraws it."""
    folded = text.casefold()
    if not any(word in folded for word in _WORDS):
        return text
    return _CORRECTED.sub(lambda found: " " if found.start() and text[found.start() - 1] in ".!?" else "", text)
