"""Wishes that ask for work without an order in them.

"A blog post on how we think about reliability would be nice at some point" asks for the post; "it would be
great if the PDF export handled Hebrew properly" asks for the export to be made to. Both read as orders here
("get a blog post ...", "make the PDF export handled ..."): the words of the thing decide the team as usual.
"""

from __future__ import annotations

import re

from agents.routing.days import DAYS
from agents.routing.connectives import THING_START
from agents.routing.grammar import is_action
from agents.routing.verbs import is_base_verb, participle_base, past_base

_NICE = r"(?:nice|great|good|helpful|ideal|awesome|amazing|useful|lovely|brilliant|cool|handy|fab|fantastic)"
_THING_WOULD_BE_NICE = re.compile(
    r"^(?P<thing>(?:(?:a|an|some|more|a\s+few|a\s+couple\s+of|\d+|two|three|four|five)\s|(?:the|our)\s(?=.+\bto\s+have\b)).+?)\s+"
    r"(?:would|could|will)\s+be\s+(?:really\s+|very\s+|so\s+|super\s+)?" + _NICE +
    r"(?=\s+(?:to\s+have|at\s+some\s+point|too|as\s+well|for\s+(?:us|me))\b|\s*(?:[,.;!?)]|$))", re.IGNORECASE)
_THING = r"(?P<thing>" + THING_START + r"\s.+)$"
# "it would be great to have a CLI import command", "would love a proper beginners guide", "I'd love to get a summary of ..."
_TO_HAVE = re.compile(r"^(?:(?:it'?d|it\s+would|it\s+might|it\s+could|it'?ll|it\s+will|might|would)\s+(?:also\s+)?be\s+"
                      r"(?:really\s+|so\s+|super\s+)?" + _NICE + r"\s+to\s+(?:have|get|see|do)\s+|"
                      r"(?:(?:i|we)\s*)?(?:'d|would)\s+(?:also\s+|really\s+)?(?:love|like)\s+(?:to\s+(?:get|have|see)\s+)?)"
                      + _THING, re.IGNORECASE)
# needs said of a thing: "there should be a guide in the docs on X", "a list of 40 bookshops is needed", "they should
# be deployed to the production server"
_THERE_BE = re.compile(r"^there\s+(?:also\s+)?(?:should|must|(?:needs?|has)\s+to|will\s+need\s+to)\s+(?:also\s+)?be\s+" + _THING,
                       re.IGNORECASE)
_IS_NEEDED = re.compile(r"^(?P<thing>(?:a|an|some|more|\d+|two|three|four|five)\s.+?)\s+(?:is|are)\s+(?:also\s+|still\s+)?"
                        r"(?:needed|required)\b(?P<rest>.*)$", re.IGNORECASE)
_IT_BE_DONE = re.compile(r"^(?P<subj>it|they|this|these|those)\s+(?:then\s+|also\s+)?(?:should|must|(?:needs?|has|have)\s+to|"
                         r"will\s+need\s+to)\s+(?:then\s+|also\s+|still\s+)?be\s+(?P<pp>[a-z]+)\b(?P<rest>.*)$", re.IGNORECASE)
# "Members who turned up to a full class deserve an apology", "the clinics are owed a refund": what they are to get
_DESERVE = re.compile(r"^(?P<who>(?:the\s+|our\s+|all\s+)?[\w'’-]+(?:\s+[^,;]{0,80}?)?)\s+(?:deserves?|(?:is|are)\s+owed|"
                      r"should\s+(?:get|receive))\s+(?P<thing>(?:a|an|some|their|his|her)\s+(?:[a-z]+\s+)?(?:apology|refund|credit|"
                      r"reply|answer|explanation|discount|voucher|partial\s+refund|full\s+refund|free\s+month)\b.*)$",
                      re.IGNORECASE)
_OBJECT = {"it": "it", "they": "them", "this": "this", "these": "these", "those": "those"}
_GREAT_TO = re.compile(r"^(?:it'?d|it\s+would|it\s+might|it'?ll|it\s+will|would)\s+(?:also\s+)?be\s+(?:really\s+|so\s+|super\s+)?"
                       + _NICE + r"\s+to\s+(?P<verb>[a-z]+)\s+\S", re.IGNORECASE)
_NOT_DOING = frozenset("have get see do know hear be keep".split())  # "... to have proper personas": a thing wanted
_GREAT_IF = re.compile(r"^(?:(?:and|also|oh\s+and|but|so)\s+)*(?:it'?d|it\s+would|would)\s+be\s+(?:really\s+|so\s+|super\s+)?"
                       + _NICE + r"\s+if\s+", re.IGNORECASE)
# "it would be great if someone wrote up a guide, and then we turned it into ads", "what if we did a teardown and then
# used it in the proposal": the past tense of a wish asks for the work, as the present would
_IF_WISH = re.compile(r"\b(?:(?:it'?d|it\s+would|wouldn'?t\s+it)\s+be\s+(?:really\s+|so\s+|super\s+)?" + _NICE +
                      r"\s+if|what\s+if|how\s+about\s+if|i\s+wish)\s+(?:[^.!?\n]|\.(?=\S))*", re.IGNORECASE)
_PAST_AFTER = re.compile(r"\b(?P<lead>(?:(?:someone|somebody|we|you|u|they|then|and|also)\s+)+)(?P<verb>[a-z]+)\b", re.IGNORECASE)
_THEN_WE = re.compile(r"(?P<joined>\b(?:and|then)\s+)(?:we|you|u|they)\s+$", re.IGNORECASE)
_US = re.compile(r"(?:we|i|you|u|they|us|someone|somebody|anyone|everyone)\b", re.IGNORECASE)


def wished(raw: str, lead: str) -> str | None:
    """The order a wish asks for (``raw``: the clause as written, ``lead``: without its leading fillers), or None."""
    nice = _THING_WOULD_BE_NICE.match(lead) or _TO_HAVE.match(lead) or _THERE_BE.match(lead)
    if nice is not None:
        return f"get {nice.group('thing')}"
    owed = _DESERVE.match(lead)
    if owed is not None:  # "the members who turned up deserve an apology": send them one
        return f"send {owed.group('who')} {owed.group('thing')}"
    needed = _IS_NEEDED.match(lead)
    if needed is not None:
        return f"get {needed.group('thing')}{needed.group('rest')}"
    done = _IT_BE_DONE.match(lead)
    base = participle_base(done.group("pp")) if done is not None else None
    if done is not None and base is not None:
        return f"{base} {_OBJECT[done.group('subj').casefold()]}{done.group('rest')}"
    doing = _GREAT_TO.match(lead)
    if doing is not None and is_base_verb(doing.group("verb")) and doing.group("verb").casefold() not in _NOT_DOING:
        return lead[doing.start("verb"):]  # "it'd be great to send a little email to the list": send it
    great = _GREAT_IF.match(raw.strip())
    if great is not None and not _US.match(raw.strip()[great.end():]):  # not "... if we could all meet on Friday"
        return f"make {lead}"
    return None


# "..., then we turn those into a FAQ", "Then I want to pitch both to Lumen": the next step, said with us doing it
_WE_NEXT = re.compile(r"^(?:i|we)(?:'d\s+|\s+would\s+)(?:like|love)\s+to\s+(?P<wish>.+)$|"
                      r"^(?:i|we)(?:'ll\s+|\s+(?:(?:want|need|have|plan|hope|get)\s+to\s+|can\s+|could\s+|should\s+|will\s+|"
                      r"just\s+)?)(?P<order>.+)$", re.IGNORECASE)


# "This weekend we migrate the audio files": a step the founder says we take at a time to come
WHEN_WE = re.compile(r"^\W*(?:(?:this|next|on|over\s+the)\s+(?:weekend|week|" + DAYS + "|"
                     r"month|sprint)|tomorrow|tonight)\s*,?\s+(?:we|i)\s+(?!(?:have|are|were|had|was|am)\b)", re.IGNORECASE)


def next_by_us(lead: str, verbs: frozenset[str]) -> str | None:
    """The order in a next step the founder says "we" or "I" will take ("then we turn those into a FAQ section"),
    or None. Only for a step said to come next: "I want to launch in May" alone is what we know, not an order."""
    found = _WE_NEXT.match(lead.strip())
    order = (found.group("wish") or found.group("order")) if found is not None else None
    return order if order is not None and is_action(order, verbs) else None


# "I would suggest that devops enable encryption, that code add an audit log, and that, once both are done, sales
# complete the questionnaire": each "that" opens work handed to whoever it names
_SUGGEST = re.compile(r"\b(?:i|we)(?:'d|’d|\s+would|\s+should|\s+might)?\s+(?:also\s+|strongly\s+)?(?:suggest|propose|recommend|advise)"
                      r"(?:\s+that(?:\s+(?P<we>we|you))?|\s+(?P<we2>we|you))\s+(?=[a-z])(?P<rest>[^.!?\n]*)", re.IGNORECASE)
_AND_THAT = re.compile(r"(?P<joint>[,;]\s*(?:and\s+)?)that(?:\s+(?=(?:[\w-]+\s+){1,2}[a-z]+\b)|(?=,))", re.IGNORECASE)


def _suggested(found: re.Match[str]) -> str:
    """ "that sales ask for a call" -> "have sales ask for a call" (the subjunctive hands the work over); "we write to
    the labs" -> "write to the labs"; "that the docs be updated" -> "the docs be updated"."""
    rest = found.group("rest")

    def joint(said: re.Match[str]) -> str:
        if not said.group(0)[-1:].isspace():
            return said.group("joint").rstrip()  # "and that, once both are done, sales complete ..."
        return said.group("joint") + _handed(rest[said.end():])

    body = _AND_THAT.sub(joint, rest)
    return body if found.group("we") or found.group("we2") else _handed(body) + body


def _handed(said: str) -> str:
    return "" if _WE_OR_BE.match(said) else "have "


_WE_OR_BE = re.compile(r"^(?:(?:we|you|i|it|this|that|they|there)\b|(?:[\w'’-]+\s+){1,4}?(?:be|is|are|was|were)\b)", re.IGNORECASE)


# "It would be helpful if a help article be written", "I would like to kindly ask that the API be built": the wish
# around a thing said in the subjunctive passive asks for the work ("a help article be written": write it)
_ASK_THAT = re.compile(r"\b(?:it\s+would\s+be\s+(?:very\s+|really\s+|most\s+)?" + _NICE + r"\s+if|"
                       r"(?:i|we)\s+would\s+(?:like\s+to\s+)?(?:kindly\s+)?(?:ask|request)(?:\s+you)?\s+that)\s+"
                       r"(?=(?:[\w'’/()-]+\s+){1,14}?be\s+\w+(?:ed|en|t|wn|ne)\b)", re.IGNORECASE)


def wishes_as_said(text: str) -> str:
    """``text`` with the past tense of its wishes said in the present ("what if we moved the site to Netlify" ->
    "what if we move the site to Netlify"), and a suggestion said as what it suggests ("I would suggest that sales
    ask for a call" -> "have sales ask for a call"), so that their work reads as requests."""
    lower = text.casefold()
    if any(word in lower for word in ("suggest", "propose", "recommend", "advise")):
        text = _SUGGEST.sub(_suggested, text)
    if " would " in lower:
        text = _ASK_THAT.sub("", text)
    def present(span: re.Match[str]) -> str:
        def verb(found: re.Match[str]) -> str:
            base = past_base(found.group("verb"))
            if not base or base == found.group("verb").casefold():
                return found.group(0)
            lead = found.group("lead")  # "..., and then we turned it into ads" -> "..., and then turn it into ads"
            return (_THEN_WE.sub(r"\g<joined>", lead) if _THEN_WE.search(lead) else lead) + base
        return _PAST_AFTER.sub(verb, span.group(0))
    return _IF_WISH.sub(present, text)
