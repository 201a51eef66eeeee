"""A task written as a letter: the greeting that opens it and the sign-off that closes it ask nothing.

    Hey all,                                  Referrals: build "invite a friend" in the app.
                                          ->  Then social posts and an IG story sequence.
    Referrals: build "invite a friend" ...
    Then social posts and an IG story ...

    Thanks!
    — Maya

Only whole lines go: "Thanks for the fix, now write the post" stays. A forwarded message below the sign-off stays
for `pasted.py` to read as material.
"""

from __future__ import annotations

import re

from agents.routing.corrections import corrected

from agents.routing.tickets import ticket_fields

# "Hey all,", "Hi team!", "Hello everyone -", "Good morning Sam,", "Dear Ana,": a greeting on its own line or before a
# comma; a bare "hi" before the ask ("hi can you fix ...") goes too
_ADDRESSEE = (r"(?:all|team|everyone|everybody|folks|guys|gang|crew|friends|there|both|you\s+two|y'?all|"
              r"[A-Z][\w'’-]*(?:\s+(?:and|&)\s+[A-Z][\w'’-]*)?)")
_GREETING = re.compile(r"\A\s*(?:hey|hi|hello|hiya|heya|yo|dear|greetings|good\s+(?:morning|afternoon|evening)|morning)"
                       r"(?:\s+" + _ADDRESSEE + r")?\s*(?:[,!.:\u2014\u2013-]+[ \t]*\n?|\n)\s*"
                       r"|\A\s*(?:hey|hi|hello)\s+(?=(?:can|could|would|pls|please|quick|so|i|we)\b)", re.IGNORECASE)

# "Thanks!", "Thanks, Maya", "Cheers — M.", "Best,", "Thank you so much!!": a sign-off line
_SIGN_OFF = re.compile(r"^\s*(?i:thanks|thank\s+you|thx|ty|tia|cheers|many\s+thanks|"
                       r"thanks\s+(?:again|all|team|everyone|so\s+much|a\s+lot|in\s+advance)|"
                       r"thank\s+you\s+(?:all|so\s+much|in\s+advance)|talk\s+soon|speak\s+soon|ttyl|xo|xx|"
                       r"(?:best|kind|warm|warmest)?\s*regards|best(?=\s*(?:,|$|[\u2014\u2013-])))"
                       r"[\s,!.]*(?:(?:[\u2014\u2013]|--?)\s*)?(?:[A-Z][\w.'’-]*(?:\s+[A-Z][\w.'’-]*)?)?[\s!.]*$")
# "— Maya", "-- M.", "Maya" under a sign-off: the name that signs the letter
_SIGNATURE = re.compile(r"^\s*(?:[\u2014\u2013]|--)\s*[A-Z][\w.'’-]*(?:\s+[A-Z][\w.'’-]*)?\s*$")
_NAME_ALONE = re.compile(r"^\s*[A-Z][\w.'’-]*(?:\s+[A-Z][\w.'’-]*)?\s*$")


def letter_unwrapped(text: str) -> str:
    """``text`` without the greeting that opens it and the sign-off lines (and the name under them)."""
    text = _GREETING.sub("", text, count=1)
    lines = text.split("\n")
    out: list[str] = []
    signed = False
    for line in lines:
        if _SIGN_OFF.match(line) or _SIGNATURE.match(line) or (signed and _NAME_ALONE.match(line)):
            signed = True
            continue
        if line.strip():
            signed = False
        out.append(line)
    kept = "\n".join(out).strip("\n") if len(out) != len(lines) else text
    return kept if kept.strip() else text


def unwrapped(text: str) -> str:
    """``text`` without its letter wrapping and chat markup, with a ticket's fields as plain lines (tickets.py) and
    without the asks its writer took back ("..., no actually forget the blog, ...": corrections.py)."""
    return corrected(ticket_fields(letter_unwrapped(chat_markup_plain(text))))


# Slack's "<https://github.com/x/pull/88|PR 88>" and "<https://x.io>" (emoji codes such as ":eyes:" are read as emoji, text.py)
_CHAT_LINK = re.compile(r"<((?:https?|mailto):[^|>\s]+)(?:\|([^>\n]{1,80}))?>")
# "replying to @maya:", "replying to @support-team thread —": where the message sits in the chat, not an order to reply
_REPLYING = re.compile(r"^\s*(?:replying|in\s+reply)\s+to\s+@[\w.-]+(?:['’]s)?(?:\s+(?:thread|message|msg|comment|post|question))?"
                       r"\s*(?:[:,]|[\u2014\u2013]|--?|\n)\s*", re.IGNORECASE | re.MULTILINE)


def chat_markup_plain(text: str) -> str:
    """A chat message's links as their labels with their addresses, and its reply header dropped: "<https://...|PR 88>
    changed the params" reads as "PR 88 (https://...) changed the params"."""
    if not any(mark in text for mark in "<@"):
        return text
    return _REPLYING.sub("", _CHAT_LINK.sub(_link, text))


def _link(found: re.Match[str]) -> str:
    return f"{found.group(2)} ({found.group(1)})" if found.group(2) else found.group(1)
