"""Clauses worded like an order that ask for no work of their own.

    "ignore that part, Marta is editing it", "Not a sales text please"   work the founder rules out
    "no code change should be needed"                                    work the founder says is not needed
    "want them for the creator spotlight post"                           what the work is for
    "fix ETA thursday", "it's a bug, fix is planned for next sprint"   a fix someone else ships, as news
    "use the keywords from our seo plan", "use that and fill it in"      what the work starts from
    "the post itself will get fixed some other time"                    work someone else does, not now
    "code can hunt the leak another time"                               work put off, not asked now
    "..., then rest tomorrow"                                            the rest of the same work, later
    "Run against the replica, not prod"                                  where the work runs, not work of its own
    "I'll answer them myself", "Before I send it", "I've answered her"   the founder's own part
    "release notes 3.2 done + on blog"                                   where a thing stands
    "Support gets complaints that ...", "every week support gets ..."   what reaches a team, not work for it
    "For the campaign analysis marketing needs numbers"                 what a team works from, asked of others
    "We're launching on Product Hunt Tuesday and ..."                    an event on a date: why the work is due

Patterns only; agents/routing/clauses.py asks ``asks_nothing`` of each request it reads.
"""

from __future__ import annotations

import re
from collections.abc import Mapping

from agents.routing.days import DAY_ABBREVIATIONS, DAYS
from agents.routing.openings import CONDITION
from agents.routing.verbs import can_be_noun

_RULED_OUT = re.compile(r"^(?:ignore|skip|forget(?:\s+about)?|never\s+mind)\s+(?:that|this|those|these|it|them)\b|"
                        r"^not\s+(?:a|an|another|any)\s+(?:[\w'’-]+\s+){0,4}?[\w'’-]+(?:\s+(?:please|pls|plz))?[\s.!]*$|"
                        r"^(?:need\s+)?no\s+(?:[\w'’-]+\s+){0,3}?(?:change|changes|work|update|updates|fix|fixes)"
                        r"(?:\s+(?:should\s+be|is|are|will\s+be)\s+(?:needed|required|necessary))?[\s.!]*$", re.IGNORECASE)
# "Sorry to bother you on Sunday", "sorry for long message": the founder's apology for the message, no work
_APOLOGY = re.compile(r"^(?:(?:so|very|really)\s+)?(?:sorry|apologies)\s+(?:to\s+(?:bother|disturb|bug|trouble|ask|ping|nag)|"
                      r"for\s+(?:the\s+|my\s+|this\s+|a\s+|such\s+a\s+)?(?:long|trouble|delay|late|bother|mess|wall|ramble|rant|typos?|spam|"
                      r"noise|wait|waiting|message|preamble|interruption|many)\b|about\s+(?:the|this|my)\s+(?:long|late|mess|delay|ramble))"
                      r"[^,;:]*$", re.IGNORECASE)
# "Launch posts are ready already", "Onboarding emails are already done": a thing and where it stands ("launch" is no order)
_READY = re.compile(r"^(?:[\w'’-]+\s+){1,3}(?:is|are)\s+(?:(?:all\s+)?already\s+(?:ready|done|live|finished|written|scheduled|"
                    r"drafted|out|up|in\s+place)|(?:all\s+)?(?:ready|done|live|finished|written|scheduled|drafted|out|up|in\s+place)"
                    r"\s+already)[\s.!]*$", re.IGNORECASE)
# "release notes content team wrote:", "the deck marketing made": a thing a team made, what the work reads
_TEAM_MADE = re.compile(r"^(?:the\s+|our\s+)?(?:[\w'’-]+\s+){1,4}?(?:the\s+)?(?:marketing|sales|support|content|devops|ops|code|devs?|"
                        r"design|growth)(?:\s+team|\s+folks|\s+people)?\s+(?:already\s+)?(?:wrote|made|did|built|created|prepared|"
                        r"drafted|sent|shared|put\s+together)(?:\s+(?:last|this|yesterday|earlier)\b.*)?[\s:.]*$", re.IGNORECASE)
# "nobody needs to touch our clusters", "no one has to deploy anything": work the founder rules out
_NOBODY_NEEDS = re.compile(r"^(?:(?:and|but|so)\s+)?(?:nobody|no\s+one|no-one|none\s+of\s+(?:us|you|them))\s+(?:needs?|has|have|should|must|"
                           r"is\s+going|'s\s+going)\s+to\b", re.IGNORECASE)
_WANTED_FOR = re.compile(r"^(?:(?:i|we)\s+)?(?:want|need)\s+(?:them|it|this|that|these|those)\s+for\s+(?!you\b|me\b)", re.IGNORECASE)
_NOUN_FIX = re.compile(r"(?:^|,\s*)(?:the\s+)?(?:fix|patch|hotfix)\s+(?:eta|ships|lands|goes\s+out|is\s+(?:due|coming|planned|scheduled))\b|"
                       # "fix for the double-charge bug shipped yesterday": the fix is news
                       r"^(?:the\s+|a\s+|our\s+)?(?:fix|patch|hotfix)\s+for\s+(?:[\w'’-]+\s+){1,8}?(?:shipped|landed|went\s+(?:out|live)|"
                       r"is\s+(?:live|out|merged|deployed|in)|was\s+(?:merged|deployed|released|shipped)|got\s+(?:merged|deployed))\b",
                       re.IGNORECASE)
_USES_INPUT = re.compile(r"^(?:use|using)\s+(?:that|this|those|these|it|them)(?:\s+as\s+(?:a\s+|an\s+|the\s+|our\s+)?(?:reference|filter|"
                         r"guide|template|base|basis|starting\s+point|inspiration|examples?|source|don'?ts|dos|context|input)\b.*)?[\s.!]*$|"
                         r"^(?:use|using)\s+(?:the|our|my|his|her|their)\s+(?:[\w'’-]+\s+){0,3}?(?:from|in)\s+"
                         r"(?:the|our|my|his|her|their|this|that)?\s*(?:[\w'’-]+\s+){0,2}?(?:plan|doc|docs|wiki|notion|sheet|"
                         r"spreadsheet|notes|deck|brief|outline|research|list|report|audit|thread|email)\b", re.IGNORECASE)
_THING_NAMED = re.compile(r"^[a-z]+\s+(?!(?:the|a|an|our|my|your|their|this|that|these|those|it|them|him|her|us|me|to|"
                          r"up|out|in|on|for|with|and|all|some|every|each)\b)[a-z][\w.-]*\b", re.IGNORECASE)
_THING_DONE = re.compile(r"^(?:(?![\w'’-]*(?:ed|en)\s)[\w.'’-]+\s+){1,4}(?:is\s+|are\s+|now\s+|all\s+|already\s+)?(?:done|live|"
                         r"shipped|merged|published|finished|deployed)(?=\s*(?:$|[+&,;.!]|(?:and|now|already|yesterday|today|last|on)\b))",
                         re.IGNORECASE)
_GOVERNS = frozenset("need needs want wants wanna get have make keep let".split())  # "need release notes published"
# "I'll answer them myself", "i'll handle the refunds myself", "Before I fill in the questionnaire": the founder's own
# part, no team's
_MYSELF = re.compile(r"^before\s+i\s+|^(?:i|we)(?:\s+have|['’]ve)\s+(?:already\s+|just\s+)?(?!got\b|to\b|been\b)[a-z]+(?:ed|en|t)\b|^(?:(?:and|but|so)\s+)?(?:i['’]ll|i\s+will|i\s+can|i['’]m\s+going\s+to|i['’]m\s+gonna|i['’]ll\s+keep)\s+"
                     r"(?:[\w'’-]+\s+){1,6}?myself\b", re.IGNORECASE)
# "..., 10% of praxen first, then rest tomorrow": the rest of the same work, later
_THE_REST = re.compile(r"^(?:then\s+)?(?:the\s+)?(?:rest|remainder|remaining\s+[\w%]+|everyone\s+else|all\s+the\s+others?)"
                       r"(?:\s+(?:tomorrow|later|after|afterwards|next\s+\w+|on\s+\w+|the\s+day\s+after|\w+day))?[\s.!]*$", re.IGNORECASE)
_RUN_AGAINST = re.compile(r"^run\s+(?:it\s+|this\s+|that\s+|them\s+|the\s+quer(?:y|ies)\s+)?against\b", re.IGNORECASE)
_LATER_BY_OTHERS = re.compile(r"\b(?:will|'ll|is\s+going\s+to|are\s+going\s+to|gonna)\s+(?:get|be)\s+\w+(?:ed|en|t)\b[^.;]*?"
                              r"\b(?:some\s+other\s+time|another\s+time|separately|eventually|at\s+some\s+point|by\s+(?:someone|"
                              r"somebody)\s+else)\b", re.IGNORECASE)
# "code can hunt the leak another time", "the devs could look at it some other day": work put off, not asked now
_PUT_OFF = re.compile(r"^[^.;:!?\n]{0,60}?\b(?:can|could|will|'ll|may|might)\s+(?!not\b|never\b)(?:(?!not\b|never\b)[\w'’-]+\s+){1,8}?"
                      r"(?:another|some\s+other)\s+(?:time|day)[\s.!]*$", re.IGNORECASE)
_REACHES_TEAM = re.compile(r"^(?:(?:every|each)\s+(?:day|week|month)\s+|lately\s+|recently\s+|this\s+(?:week|month)\s+)?"
                           r"(?:the\s+|our\s+)?(?P<team>[a-z]+)(?:\s+team)?\s+(?:gets?|got|receives?|received|keeps?\s+getting|"
                           r"(?:has|have)\s+been\s+getting)\s+(?:(?:a\s+lot\s+of|lots\s+of|some|many|more|tons\s+of|a\s+few|"
                           r"several|\d+|the\s+same)\s+)?(?:[\w'’-]+\s+)?(?:complaints?|tickets?|emails?|questions?|messages?|"
                           r"requests?|calls?|reports?|pings?)\b", re.IGNORECASE)


def asks_nothing(raw: str, bare: str) -> bool:
    """True for a clause whose words order nothing (see the module's examples); ``raw``: the clause as written,
    ``bare``: as the clause reader rewrote it ("need no code change")."""
    if any(p.search(raw) or p.search(bare) for p in (_RULED_OUT, _WANTED_FOR, _NOUN_FIX, _USES_INPUT, _RUN_AGAINST, _MYSELF,
                                                      _THE_REST)):
        return True
    said = raw.strip()
    if any(p.match(said) or p.match(bare) for p in (_NOBODY_NEEDS, _APOLOGY, _TEAM_MADE)):  # anchored: match, not search
        return True
    return bool(_LATER_BY_OTHERS.search(raw)) or put_off(raw) or _done_thing(bare) or bool(_READY.match(said))


def put_off(raw: str) -> bool:
    """ "code can hunt the leak another time": work put off, asked of no one now, whoever is named for it."""
    return _PUT_OFF.match(raw.strip()) is not None


def _done_thing(bare: str) -> bool:
    """ "release notes 3.2 done + on blog": a thing and where it stands (not "fix the bug and make sure it's done",
    "need release notes published" or "release notes once live")."""
    thing = _THING_NAMED.match(bare)
    if thing is None or thing.group(0).split()[0].casefold() in _GOVERNS:
        return False
    return (all(can_be_noun(w) for w in thing.group(0).split()) and _THING_DONE.match(bare) is not None
            and CONDITION.search(bare) is None)


def apology(text: str) -> bool:
    """ "Sorry to bother you on Sunday": the founder's apology for the message, which leans to no team."""
    return _APOLOGY.match(text.strip(" \t.!")) is not None


def needs_input(raw: str) -> bool:
    """ "For the campaign analysis marketing needs numbers": what a team needs to work from, which is the work asked
    of someone else, not work for that team."""
    return _NEEDS_INPUT.match(raw.strip()) is not None


_NEEDS_INPUT = re.compile(r"^(?:for\s+[^,]{1,40}?,?\s+)?(?:the\s+|our\s+)?[\w'’-]+(?:\s+team)?\s+(?:needs?|wants?|is\s+asking\s+for|"
                          r"asked\s+for)\s+(?:the\s+|some\s+|more\s+|fresh\s+|updated\s+|better\s+|real\s+|hard\s+)?(?:numbers|data|"
                          r"figures|stats|metrics|access|input|context|details|answers)(?:\s+(?:for|from|on|about|by|to|in|of)\s+[^.;]{1,40})?[\s.!]*$",
                          re.IGNORECASE)


def reaches_team(raw: str, agents: Mapping[str, str] | None = None) -> bool:
    """ "Support gets complaints that orders arrive late": what reaches a team (``agents``: the names that mean a
    team; without them any one-word subject counts)."""
    match = _REACHES_TEAM.match(raw.strip())
    return match is not None and (agents is None or match.group("team").casefold() in agents)


_OWN_VERB = re.compile(r"^(?:(?!(?:that|which|who|to|for|about|on|how|why|what|when|where)\s)[\w'’-]+\s+){1,6}?"
                       r"(?:are|is|were|was|keep|keeps|(?:have|has)\s+been)\s+(?:still\s+|now\s+|all\s+|constantly\s+|always\s+)?"
                       r"(?!being\b|going\b)[a-z]+ing\b", re.IGNORECASE)


def says_of_itself(part: str) -> bool:
    """ "... and a lot of the new followers are asking what's behind the name": a part after "and" with a subject and
    a verb of its own, which shares no order with the part before it."""
    return _OWN_VERB.match(part.strip()) is not None


_OTHERS_SAY = re.compile(r"^(?:(?:a\s+lot\s+of|lots\s+of|many|some|most|several|a\s+few|\d+|our|the|their|his|her|new|existing)\s+){0,3}"
                         r"(?:(?i:(?:[\w'’-]+\s+)?(?:customers|users|clients|people|folks|merchants|subscribers|members|followers|buyers|readers|"
                         r"listeners|players|students|parents|tutors|owners|shops|stores|teams|schools|couriers|drivers|"
                         r"patients|guests|partners|customer|user|client))\b|[A-Z][\w'’.-]*(?:\s+[A-Z][\w'’.-]*)?(?<!I)\s(?=\S))\s*"
                         r"(?:(?:still|also|now|all|constantly|always|often|really)\s+)?(?:say|says|said|keeps?\s+(?:asking|saying|telling|"
                         r"complaining|reporting|writing|emailing|hitting)|(?:are|were|have\s+been|has\s+been)\s+(?:asking|complaining|"
                         r"saying|reporting|writing\s+in|emailing|telling)|complain(?:s|ed)?|report(?:s|ed)?|told|tell|mention(?:s|ed)?|"
                         r"(?:is|are)\s+(?:already\s+)?(?:on\s+(?:it|this|that|the)|handling|fixing|looking\s+into|working\s+on))\b")


def others_say(bare: str) -> bool:
    """ "Customers keep asking about tunneling", "velocity couriers says the app crawls", "Priya is already on the
    bug itself": what others say, or already do, told as the work's background."""
    return _OTHERS_SAY.match(bare.strip()) is not None


# "The spring campaign got us 40 schools signing up", "Lots of LatAm signups coming in from the Instagram campaign"
_RESULTS = re.compile(r"^(?:(?:the|our|that|this|last\s+\w+['’]?s?)\s+(?:[\w'’-]+\s+){0,3}?(?:campaign|ad|ads|post|reel|launch|video|"
                      r"email|newsletter|webinar|promo|thread|tweet)\s+(?:[\w'’-]+\s+){0,3}?(?:got|brought|drove|generated|gave|sent|"
                      r"pulled\s+in)\s+us\b|(?:lots\s+of|a\s+lot\s+of|many|tons\s+of|a\s+bunch\s+of|so\s+many|\d+[k+]?)\s+(?:new\s+)?"
                      r"(?:[\w'’-]+\s+)?(?:signups|sign-ups|users|customers|orders|downloads|installs|trials|leads|visitors|"
                      r"followers|schools|subscribers|members)\s+(?:are\s+|have\s+been\s+)?(?:coming\s+in|came\s+in|"
                      r"signed\s+up|joined|pouring\s+in)\b)", re.IGNORECASE)


def results_told(bare: str) -> bool:
    """ "The spring campaign got us 40 schools signing up": what earlier work brought, told as background."""
    return _RESULTS.match(bare.strip()) is not None


def event_told(bare: str) -> bool:
    """ "We're launching on Product Hunt Tuesday and ...", "Next Monday starts the big TikTok campaign": an event on a
    date, told as the reason for the work that follows."""
    return _EVENT.match(bare.strip()) is not None and _DATE.search(bare) is not None


_EVENT = re.compile(r"^(?:(?:so|and|also)\s+)?(?:(?:next|this|on)\s+\w+\s+)?(?:we['’]re|we\s+are|we['’]ll\s+be|we\s+will\s+be|we\s+go|"
                    r"we\s+launch|(?:the\s+|our\s+)?(?:[\w'’-]+\s+){0,3}(?:campaign|launch|sale|promo|push|webinar)\s+(?:starts|goes\s+live|"
                    r"kicks\s+off|is)|(?:starts|kicks\s+off)\s+(?:the|our)\b)(?:\s+(?:launching|going\s+live|live|running|hosting|"
                    r"starting|doing|on))?\b", re.IGNORECASE)
_DATE = re.compile(r"\b(?:" + DAYS + "|" + DAY_ABBREVIATIONS + r"|tomorrow|tonight|"
                   r"next\s+(?:week|wk|month|\w+day)|this\s+(?:week|weekend|\w+day)|on\s+the\s+\d{1,2}(?:st|nd|rd|th)?)\b", re.IGNORECASE)
