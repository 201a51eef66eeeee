"""People a founder names with their role stand for their team: "Priya on the backend", "Tom who does our
socials", "Owen, our designer,", "our ops guy Marek"; the name alone later in the task ("Tom posts about it")
means the same team.

``grammar.NAMED_TEAM`` already reads "Keiko (backend)" and "Sam in support"; this module reads the other ways
of saying it and remembers the name for the rest of the task.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Mapping, Sequence

_NAME = r"(?P<name>[A-Z][a-z]{1,15})"
_ROLE = r"(?P<role>[a-z][a-z-]*(?:\s+[a-z][a-z-]*){0,2})"
_INTRODUCED = (
    re.compile(_NAME + r",?\s+(?:on|in|from)\s+(?:the\s+|our\s+)?" + _ROLE + r"(?=\s|[,.;:!?]|$)"),
    re.compile(_NAME + r",?\s+who\s+(?:does|handles|runs|looks\s+after|manages|owns|writes)\s+(?:all\s+)?(?:of\s+)?"
               r"(?:our\s+|the\s+)?" + _ROLE + r"(?=\s|[,.;:!?]|$)"),
    re.compile(_NAME + r",\s+(?:our|the)\s+" + _ROLE + r"\s*(?=[,;:—–-])"),
    re.compile(r"\b(?:our|the|my)\s+" + _ROLE + r",?\s+" + _NAME + r"\b"),
)
_NOT_NAMES = frozenset("I The Our My We Then Also Once After Before Please Pls Can Could Would Need Get Have Make "
                       "Monday Tuesday Wednesday Thursday Friday Saturday Sunday January February March April May June "
                       "July August September October November December".split())


def handles_as_teams(text: str, agents: Mapping[str, str]) -> str:
    """ "@code build the bulk upload", "and @devops can u turn on backups": a chat handle is the team it names."""
    def named(found: re.Match[str]) -> str:
        who = found.group("who")
        spaced = who.replace("-", " ").replace("_", " ")  # "@support-team", "@dev_team"
        return next((name for name in (who, spaced) if name.casefold() in agents), found.group(0))

    return _HANDLE.sub(named, text)


_HANDLE = re.compile(r"(?<![\w.@])@(?P<who>[A-Za-z][\w-]*)(?=[ \t,:]+\w)")


def sides_as_teams(text: str, agents: Mapping[str, str]) -> str:
    """ "Sales side, follow up with Mr Okafor. Marketing side, please plan ...": a team addressed as a side, at the
    start of a sentence or line, is handed what follows ("Sales: follow up ...")."""
    def named(found: re.Match[str]) -> str:
        return f"{found.group('lead')}{found.group('who')}: " if found.group("who").casefold() in agents else found.group(0)

    text = _SIDE.sub(named, text)
    return _DASHED.sub(named, text) if "\u2014" in text or "\u2013" in text else text


_SIDE = re.compile(r"(?P<lead>(?:^|(?<=[.!?;\n])[ \t]*)(?:[-*\u2022][ \t]*)?)(?:(?:on|for)\s+(?:the\s+)?)?"
                   r"(?P<who>[A-Za-z][\w-]*)\s+side\s*[,:\u2014\u2013-]\s*(?=[A-Za-z])", re.MULTILINE | re.IGNORECASE)


# "Referral program: code — referral links and credit in billing": a team named before a dash is handed what follows
_DASHED = re.compile(r"(?P<lead>(?:^|(?<=[.!?;:\n])[ \t]*)(?:[-*\u2022][ \t]*)?)(?P<who>[A-Za-z][\w-]*(?:\s+team)?)[ \t]+[\u2014\u2013][ \t]*"
                     r"(?=[A-Za-z])", re.MULTILINE)


def people_as_teams(text: str, agents: Mapping[str, str]) -> str:
    """``text`` with each person named with a role, and each later mention of that name, said as their role."""
    if not agents:
        return text
    known: dict[str, str] = {}
    for pattern in _INTRODUCED:
        for found in list(pattern.finditer(text))[::-1]:  # from the end: earlier spans stay where they are
            name = found.group("name")
            role = found.group("role").casefold()
            alias = alias_in(role.split(), agents.__contains__)
            first = found.start("name") < found.start("role")
            if (not alias or name in _NOT_NAMES or name.casefold() in agents
                    or (first and not role.startswith(alias)) or (not first and role != alias)):
                continue  # "the devs finish the Google Calendar sync": no role said of a name
            known.setdefault(name, alias)
            if first:  # "Priya on the backend needs ...": keep what follows
                at = found.start("role") + found.group("role").casefold().index(alias) + len(alias)
                text = text[:found.start()] + alias + text[at:]
            else:  # "our ops guy Marek"
                text = text[:found.start()] + alias + text[found.end():]
    for name, alias in known.items():
        text = re.sub(rf"\b{name}\b(?!['’]s)|\b{name.casefold()}\b(?=\s+[a-z]+s\b)", alias, text)
    return text


def alias_in(words: Sequence[str], known: Callable[[str], bool]) -> str:
    """The longest run of ``words`` that ``known`` accepts as a team or alias ("our socials" -> "socials"), or ""."""
    for n in range(len(words), 0, -1):
        for start in range(len(words) - n + 1):
            phrase = " ".join(words[start:start + n])
            if known(phrase):
                return phrase
    return ""


_FROM_TEAM = re.compile(r"\bfrom\s+(?:the\s+|our\s+)?(?P<who>[\w-]+(?:\s+(?:team|folks|people|guys))?)\s*[.!?]*$", re.IGNORECASE)


def from_team(bare: str, agents: Mapping[str, str]) -> str:
    """ "... and copy for it from mktg": the team named last as the one it comes from ("" when none)."""
    found = _FROM_TEAM.search(bare)
    return agents.get(found.group("who").casefold(), "") if found else ""
