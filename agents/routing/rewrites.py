"""Requests said indirectly, rewritten as orders: passives ("need the page built"), wishes ("I'd like a
guide"), questions ("can this be corrected"), hand-offs ("get the devs to ...", "marketing writes ...")
and work the text waits for ("but only after marketing has settled the positioning")."""

from __future__ import annotations

import re
from collections.abc import Mapping

from agents.routing.days import DAY_NAMES
from agents.routing.grammar import (
    CAN_BE, HABIT, PAST_TIME, EXTRA_VERBS, HANDOFF, NP_DETERMINERS, NP_ENDS, PASS_ON,
    WISH, first_word, is_action, strip_lead,
)
from agents.routing.passives import participle_of, verb_first
from agents.routing.waits import BOTH_STATES, ONLY_AFTER, ONLY_AFTER_DO, ONLY_AFTER_LIVE, ONLY_AFTER_MADE, ONLY_AFTER_THING, ONLY_AFTER_WE
from agents.routing.verbs import gerund_base, is_base_verb, is_name, participle_base, past_base, present_base, starts_order

OUT_OF_DATE = re.compile(r"^(?:the|our|their)\s+(?P<thing>(?:[\w'’/-]+\s+){0,8}?[\w'’/-]+)\s+(?:is|are)\s+"
                         r"(?:(?:badly|totally|completely|very|so|way)\s+)?(?:out\s+of\s+date|outdated|stale)\b", re.IGNORECASE)
REPORTING = frozenset("want wants say says said think thinks feel like love hate know knows ask asked complain mention "
                       "report reported need hear see told tell have be do decide choose prefer own".split())

ROLE = re.compile(r"^(?:whoever\s+(?:does|runs|handles|manages|writes|looks\s+after|is\s+on)\s+(?:our|the)\s+)?"
                   r"([a-z]+)\s+(?:guy|girl|person|folks|people|lady|dude|crew|gal)\b|"
                   r"^whoever\s+(?:does|runs|handles|manages|writes|looks\s+after|is\s+on|is\s+in)\s+(?:our\s+|the\s+)?([a-z]+)\b",
                   re.IGNORECASE)

ANYONE = frozenset("someone somebody anyone anybody whoever team".split())


def _noun_after(tail: str, word: str = "") -> bool:
    """After "<team> <word>", a copula or a preposition says the word was a noun ("ops work is done"), unless the
    word is a verb that goes with that preposition ("ops look at the db server", "devs dig into the logs")."""
    nxt = tail.split()[0].casefold().strip(",.;:") if tail.split() else ""
    if (word.casefold() in _PREPOSITION_VERBS and nxt in ("at", "into", "on", "over", "through", "to", "with")
            and not _COPULA.search(re.split(r"[,;.]|\s(?:and|but|so|then)\s", tail, maxsplit=1)[0])):
        return False
    return nxt in _NOT_AN_OBJECT


_PREPOSITION_VERBS = frozenset("look dig reach follow check jump hop work start reply respond talk write speak apologise apologize "
                                "explain go".split())
_COPULA = re.compile(r"\b(?:is|are|was|were|has\s+been|have\s+been)\b", re.IGNORECASE)

_NOT_AN_OBJECT = frozenset("is are was were has have had for of in on at from with by to as stuff things".split())

_FOR_THEM = re.compile(r"^for\s+(?=(?:the\s+|our\s+)?[\w-]+\s+to\s+[a-z])", re.IGNORECASE)
_FOR_A_THING = re.compile(r"for\s+(?:a|an|some|\d+|two|three|a\s+few)\s+\w", re.IGNORECASE)


def _a_person(words: list[str]) -> bool:
    """ "Marco builds it", "Jen writes the docs page": a first name, then what they do."""
    return (len(words) >= 2 and len(words[0]) >= 3 and is_name(words[0]) and present_base(words[1]) is not None
            and words[0].casefold() not in _TIMES and words[0].casefold() not in _PLACES)
    # not "Monday starts the big campaign" (a day) or "Instagram posts for it" (where things are posted)


_PLACES = frozenset("linkedin instagram insta twitter tiktok facebook youtube reddit slack discord threads pinterest "
                    "mastodon bluesky snapchat whatsapp telegram medium substack google bing apple amazon shopify "
                    "stripe github gitlab".split())
_TIMES = DAY_NAMES | frozenset("tomorrow today tonight january february march april june july august september october "
                                "november december".split())


_ITS_PART = re.compile(r"(?:the|our|those|these|a|an|\d+)\s+[\w'’-]+(?:\s+[\w'’-]+){0,3}?\s+(?:go|goes|need|needs|should|must|"
                       r"can|will|have\s+to|has\s+to)\s+\w", re.IGNORECASE)


def handed_to(lead: str, verbs: frozenset[str], agents: Mapping[str, str], *,
              after_then: bool = False) -> tuple[str, str] | None:
    """ "get the devs to finish X" / "have support tell Y" / "marketing can link to it" / "ops pls add Z" /
    "devs: build W" / "marketing writes three variants" / "someone send a note" -> (team, the work).

    ``agents`` maps a lower-case name for a team ("devs", "ops", "writer") to the team; "someone" and
    "somebody" hand the work to nobody in particular (team "": its own words decide). ``after_then``: the part
    follows a "then", where "support tells the customers" is the next step, not what support said."""
    if not agents:
        return None
    text = _SPOKEN.sub("", lead.strip())  # "but like the dev has to finish it first": a spoken filler before the team
    text = _FOR_THEM.sub("have ", text)  # "(would it make sense for ops to confirm X,) and then for sales to fill it in"
    passed = PASS_ON.match(text)
    if passed is not None:
        words = text[passed.end():].split()
        for n in (3, 2, 1):
            team = agents.get(" ".join(words[:n]).casefold().strip(",.;"))
            if team is not None:
                return team, text
        return None
    handoff = HANDOFF.match(text)
    body = text[handoff.end():] if handoff else re.sub(r"^(?:so\s+)?(?:can|could|would|will)\s+", "", text, flags=re.IGNORECASE)
    asked_can = body != text  # "can growth do a newsletter blast": a question that hands the work over
    body = re.sub(r"^(?:the|our|a|an|one of the|one of our)\s+", "", body, flags=re.IGNORECASE)
    body = ROLE.sub(lambda m: m.group(1) or m.group(2), body)  # "the backend guy", "whoever runs our socials" -> "backend", "socials"
    words = body.split()
    for n in (3, 2, 1):
        if len(words) <= n:
            continue
        name = " ".join(words[:n]).casefold().rstrip(",:")
        told = handoff is not None and n == 1 and is_name(words[0]) and len(words) > 2 and words[1].casefold() == "to"
        team = agents.get(name, "" if name in ANYONE or (n == 1 and _a_person(words)) or told else None)
        if team is None or (handoff is None and n == 1 and starts_order(words[0], words[1])):
            continue  # "code up a pricing page", "support the new plan": a verb, not a team
        rest = " ".join(words[n:])
        if handoff is not None and team and re.match(r"(?:on|onto)\s+(?:it|this|that)\b", rest, re.IGNORECASE):
            return team, f"work {rest}"  # "get the devs on it asap"
        if handoff is not None and team and _FOR_A_THING.match(rest):
            return team, f"make {rest.split(None, 1)[1]}"  # "ask content for an FAQ page on shipping times"
        if words[n - 1].endswith(":") or rest.startswith(":"):  # "devs: shop-finder map crashes, needs fixing"
            rest = rest.lstrip(": ")
            return (team, rest) if team and rest else None
        if words[n - 1].endswith(",") or rest.startswith(("(", "-", "–")):
            rest = re.sub(r"^(?:please|pls|plz)\s+", "", rest.lstrip("(-–: "), flags=re.IGNORECASE)  # "ops, please spin up"
            if re.match(r"first\s+(?:of\s+all\s+)?", rest, re.IGNORECASE) and is_action(rest.split(None, 1)[-1], verbs):
                rest = re.sub(r"^first\s+(?:of\s+all\s+)?", "", rest, flags=re.IGNORECASE) + " first"  # "support, first pull ..."
            # "Marketing, the launch posts go out only when ...": the team addressed, then its part said of the thing
            return (team, rest) if is_action(rest, verbs) or (team and _ITS_PART.match(rest)) else None
        asked = rest
        rest = re.sub(r"^(?:still\s+|also\s+|really\s+|just\s+|first\s+|actually\s+)?(?:pls|plz|please|can|could|should|must|shall|need\s+to|"
                      r"needs\s+to|has\s+to|have\s+to|then|also|to" + (r"|(?:might|may)(?!\s+(?:get|see|have|receive|notice|need|want|hear|ask|complain|be|feel|find|start|stop|"
                                                 r"lose|churn|cancel|leave)\b)" if after_then else "") + r")\s+", "", rest,
                      flags=re.IGNORECASE)  # "..., after which marketing might rework the positioning": the next step
        adverb = re.match(r"(?:pls|plz|please|also|then|actually|first|just|now|quickly|personally)\s+", rest, re.IGNORECASE)
        if adverb is not None:  # "so SRE first confirm the backups": the order word stays with the work
            rest = rest[adverb.end():] + (" first" if adverb.group(0).strip().casefold() == "first" else "")
        started = participle_base(rest.split()[0]) if handoff is not None and rest.split() else None
        if started is not None and rest.split()[1:2] and rest.split()[1].casefold() in ("on", "with"):
            rest = f"{started} {' '.join(rest.split()[1:])}"  # "get the devs started on audit log export"
        # after "ask ops to", "ops pls", "devs should" any verb is the order ("ask ops to enforce SSH key login")
        ordered = (handoff is not None or rest != asked or asked_can) and bool(rest.split()) and is_base_verb(rest.split()[0])
        first, _, tail = rest.partition(" ")
        base = present_base(first) if first else None  # "marketing writes three variants"
        if handoff is None and rest == asked and not asked_can and (
                _news_time(_RELATIVE_TAIL.sub("", text) if after_then else text) or HABIT.search(text)):
            return None  # "Ops set up a replica last week", "support links to it a lot": news ("then CS sends it to ...)
        if handoff is None and rest == asked and _past_of_another(first.casefold()):
            return None  # "Devops found the SMTP problem and fixed it", "ops saw the spike": news, not "found" as an order
        if handoff is None and rest == asked and not team and first.casefold() in _DESCRIBES:
            return None  # "Tomasz runs a small IT consultancy in Krakow": who he is, not work for him
        does_work = (base or first.casefold()) == "do" and first_word(tail) in ("the", "a", "an", "our", "some")
        # "AE tell their IT lead ...", "CS ask her for the logs": the bare verb with someone to tell is an order
        does_work = does_work or ((base is None or after_then) and (base or first.casefold()) in ("tell", "ask")
                                  and bool(tail) and first_word(tail) not in _NOT_TOLD)
        # "..., then support confirms with them that everything's back": after "then", the next step, not news
        does_work = does_work or (after_then and first_word(tail) in _TO_SOMEONE)
        if handoff is None and rest == asked and (base in REPORTING or first.casefold() in REPORTING) and not does_work:
            # "marketing wants to know ...", "support says ...": what a team said, not work for it (but "marketing
            # does the launch" and "AE pls tell their IT lead ..." are orders)
            return None
        if handoff is None and rest != asked and first.casefold() in ("see", "know", "understand", "hear", "learn"):
            return None  # "support needs to see what the account looked like": what a team needs to know, not work
        if handoff is None and rest == asked and _COPULA.search(" ".join(rest.split()[:4])):
            return None  # "our devops setup doc is attached": a thing of the team's, not an order
        if base is not None and handoff is None and rest == asked and first_word(tail) in _VERB_AFTER_SUBJECT:
            return None  # "so marketing emails stop landing in spam": "marketing emails" is what the sentence is about
        if base is not None:
            rest = f"{base} {tail}".strip()
        elif handoff is None and rest == asked and not asked_can and team and name not in ANYONE and _noun_after(tail, first):
            return None  # "the infra work is done", "our ops setup for reference": a noun before a noun
        return (team, rest) if is_action(rest, verbs) or ordered or does_work else None
    return None


def first_by_another(rest: str, verbs: frozenset[str], agents: Mapping[str, str]) -> bool:
    """ "(..., but) the dev team must first make the app read env vars": a team handed work that goes first."""
    handed = handed_to(strip_lead(rest), verbs, agents)
    return handed is not None and bool(handed[0]) and handed[1].endswith(" first")


def as_order(lead: str, verbs: frozenset[str], agents: Mapping[str, str] | None = None) -> str | None:
    """A wish or a question that asks for work, as an order: "I'd also like a short guide" -> "get a short guide",
    "can this be corrected before I file" -> "correct this before I file", "just need deploying to prod" ->
    "deploy to prod". ``agents`` are the names of the teams: a team that wants a thing passes no work on."""
    working = _GET_WORKING.match(lead)
    if working is not None:  # "get the seating-chart export working": a fix; "get the demo server running": a setup
        return f"{'fix' if 'work' in working.group('how') else 'set up'} {working.group('thing')}{working.group('rest')}"
    stale = OUT_OF_DATE.match(lead)
    if stale is not None:  # "the runbook for restoring Postgres is out of date": it needs updating
        return f"update the {stale.group('thing')}"
    doing = _NEED_DOING.match(lead)
    base = gerund_base(doing.group("ing")) if doing else None
    if doing and base and is_base_verb(base):  # "that needs looking at" -> "look at that"
        said = doing.group("subj")
        return verb_first(base, {"they": "them"}.get(said.casefold(), said), doing.group("rest").strip()) if said \
            else f"{base}{doing.group('rest')}"
    worth = _WORTH.match(lead)
    if worth is not None:  # "it might be worth upgrading the PDF library", "... worth a social post thanking everyone"
        base = gerund_base(worth.group("ing")) if worth.group("ing") else None
        if base and is_base_verb(base):
            return f"{base}{worth.group('rest')}"
        if worth.group("thing"):
            return f"get {worth.group('thing')}"
    wish = WISH.match(lead)
    if wish is not None:
        thing = wish.group("thing")
        return thing if is_action(thing, verbs) else f"get {thing}"
    relayed = _RELAYED.match(lead) if not is_action(lead, verbs) else None
    if (relayed is not None and not re.search(r"\b(?:who|that|which)\b", lead[:relayed.start("thing")], re.IGNORECASE)
            and not _a_team(lead[:relayed.start("thing")], agents or {})):
        # "Client Hartwell wants a proposal and a prototype": passed on to be done (not "Answer the customer who wants")
        return f"get {relayed.group('thing')}"
    could_have = _COULD_HAVE.match(lead)
    if could_have is not None:  # "this month's newsletter could have an article on ...": the thing is wanted
        return f"get {could_have.group('thing')} for {could_have.group('subj')}"
    undone = _NOBODY.match(lead)
    base = participle_of(undone.group("pp"), verbs) if undone else None
    if undone and base:  # "nobody has replied to the 14 play store reviews": a request said as a problem
        return f"{base} {undone.group('rest')}"
    can_be = CAN_BE.match(lead)
    base = participle_of(can_be.group("pp"), verbs) if can_be else None
    if not (can_be and base):
        return None
    subject, rest = can_be.group("subj") or can_be.group("subj2"), can_be.group("rest")
    particle = re.match(r"\s+(at|into|over|up|through|after|out)\b", rest, re.IGNORECASE) if base in _PHRASAL else None
    if particle:  # "could that bug be looked at" -> "look at that bug" (not "translated into Spanish")
        return f"{base} {particle.group(1)} {subject}{rest[particle.end():]}"
    return f"{base} {subject}{rest}"


# "this month's newsletter could have an article on X", "the Play Store description could do with a rewrite"
_COULD_HAVE = re.compile(r"^(?P<subj>(?:the|this|our|their|that|[\w-]+['’]s)\s+[^,;:.!?]{0,60}?)\s+(?:could|should|might)\s+"
                         r"(?:really\s+|also\s+|probably\s+|maybe\s+)*(?:have|include|feature|do\s+with|use)\s+"
                         r"(?P<thing>(?:a|an|some|more|another|new)\s.*)$", re.IGNORECASE)
_PHRASAL = frozenset("look follow check sort figure dig sign clean".split())
_NARRATED = frozenset("just already recently devs dev ops we they she he i you".split())  # "the integrations the devs just shipped"
_NOBODY = re.compile(r"^(?:nobody|no\s+one|no-one)\s+(?:has|have|'s)\s+(?:yet\s+|even\s+|actually\s+)?(?P<pp>[a-z]+)\s+(?P<rest>.+)$",
                     re.IGNORECASE)
# someone outside the company wants a thing made: "Client Hartwell wants a proposal ...", "our investor wants a memo"
_RELAYED = re.compile(r"(?:(?:the|our|a|one)\s+)?(?:[\w'’.-]+\s+){0,5}?(?:client|customer|lead|prospect|investor|buyer|partner|"
                      r"reseller|agency|board|cto|ceo|director|manager|[A-Z][a-z]+)(?:\s+[\w'’.&-]+){0,4}?\s+(?:also\s+)?"
                      r"(?:wants?|needs?|asked\s+for|(?:is|are)\s+asking\s+for|asks?\s+for|requested|would\s+like)\s+"
                      r"(?P<thing>(?:a|an|some|\d+|two|three|four|five|new|[A-Z][a-z]+)\s+.+)$")


def _a_team(subject: str, agents: Mapping[str, str]) -> bool:
    """ "Growth wants ...", "the devs need ...": the subject is one of the company's teams."""
    words = re.sub(r"^(?:the|our)\s+", "", subject.strip(), flags=re.IGNORECASE).casefold().split()
    return any(" ".join(words[:n]) in agents for n in (1, 2))


_GET_WORKING = re.compile(r"^(?:get|make)\s+(?P<thing>(?:the|our|their|its|it|this|that|those|these)\b[^,;]{0,60}?)\s+"
                          r"(?P<how>working|to\s+work|work|running|up\s+and\s+running|online)(?:\s+(?:again|properly|correctly))?"
                          r"(?P<rest>(?:[\s,;].*)?)$", re.IGNORECASE)
_WORTH = re.compile(r"^(?:(?:it|this|that)\s+)?(?:(?:might|may|could|would|will)\s+(?:also\s+|really\s+)?be|'?s|is)\s+(?:also\s+|probably\s+)?"
                    r"worth\s+(?:(?P<ing>[a-z]+ing)\b(?P<rest>.*)|(?P<thing>(?:a|an|some|the|our)\s.*))$", re.IGNORECASE)
_NEED_DOING = re.compile(r"^(?:(?P<subj>it|they|this|that)\s+)?(?:still\s+|also\s+)?needs?\s+(?P<ing>[a-z]+ing)\b(?P<rest>.*)$",
                         re.IGNORECASE)


def earlier_by(raw: str, verbs: frozenset[str], agents: Mapping[str, str]) -> tuple[str, str] | None:
    """ "but only after marketing has settled the positioning" -> ("marketing", "settle the positioning");
    "only after we actually have an EU region running" -> ("", "get an EU region running")."""
    have = ONLY_AFTER_WE.match(raw.strip())
    if have is not None:
        return "", "get " + have.group("thing").split(",")[0].strip()
    made = ONLY_AFTER_MADE.match(raw.strip())
    if made is not None:
        base = participle_of(made.group("pp"), verbs)
        return ("", f"{base} it {made.group('rest').split(',')[0].strip()}".strip()) if base else None
    done_by = ONLY_AFTER_DO.match(raw.strip())
    if done_by is not None:
        handed = handed_to(done_by.group("work"), verbs, agents)
        if handed is not None and handed[0]:
            return handed
    live = ONLY_AFTER_LIVE.match(raw.strip())
    if live is not None and agents.get(live.group("who").casefold()) is not None:
        return agents[live.group("who").casefold()], f"get {live.group('thing')} {live.group('state')}{live.group('rest')}"
    match = ONLY_AFTER.match(raw.strip())
    if match is not None:
        who = re.sub(r"^(?:the|our)\s+", "", match.group("who").strip(), flags=re.IGNORECASE).casefold()
        base = participle_of(match.group("pp"), verbs)
        team = agents.get(who)
        if team is not None and base:
            return team, f"{base} {match.group('rest').strip()}".strip()
    thing = ONLY_AFTER_THING.match(raw.strip())  # "but only after the discount logic is built": whoever builds it
    base = participle_of(thing.group("pp"), verbs) if thing is not None else None
    return ("", f"{base} {thing.group('thing')} {thing.group('rest').strip()}".strip()) if thing and base else None


def both_states(text: str, verbs: frozenset[str]) -> str:
    """ "but only after the sync is built and deployed to prod" -> "... is deployed, but only after the sync is
    built": two pieces of earlier work, each a step of its own (what follows stays with the piece it was said of)."""
    def split(match: re.Match[str]) -> str:
        if participle_of(match.group("pp"), verbs) is None or participle_of(match.group("pp2"), verbs) is None:
            return match.group(0)
        head = f"{match.group('thing')} {match.group('be')}"
        # the later piece first: each "only after" piece is waited for by the piece before it
        return (f"{match.group('wait')}{head} {match.group('pp2')}{match.group('rest')}, "
                f"but {match.group('wait').strip()} {head} {match.group('pp')}")
    return BOTH_STATES.sub(split, text)


def np_passive(lead: str, verbs: frozenset[str]) -> str | None:
    """ "the owner told once it's back" -> "tell the owner once it's back" (a thing wanted done, sharing a verb)."""
    words = lead.split()
    if not words or words[0].casefold() not in NP_DETERMINERS:
        return None
    for i in range(1, min(len(words), 8)):
        word = words[i].strip(",.;:")
        if word.casefold() in ("who", "that") and i >= 2 and i + 3 <= len(words) <= 14:
            last = words[-1].strip(",.;:!?")
            base = participle_of(last, verbs) if last.casefold().endswith(("ed", "en")) else None
            # "..., and the customers who emailed about the warning answered": the wanted thing with its own clause
            return " ".join([base, *words[:-1]]) if base is not None else None
        if word.casefold() in NP_ENDS or "'" in word or "’" in word:
            return None  # "the thermostat and he's getting annoyed": the noun phrase ended before any participle
        base = participle_of(word, verbs) if i >= 2 else None
        if base is not None:
            if (i + 1 < len(words) and words[i + 1].casefold() in _ACTIVE_OBJECT) or _news_time(" ".join(words[i:])) \
                    or (i >= 2 and (words[i - 1][:1].isupper() or words[i - 1].casefold() in _NARRATED)):
                return None  # "the devs shipped it Monday", "the feature Omar finished yesterday": news, not a wish
            return " ".join([base, *words[:i], *words[i + 1:]])
    return None


def _news_time(text: str) -> bool:
    """ "Ops set up a read replica last week": news; "the leads from last week" only dates a thing."""
    return any(not _DATES_A_THING.search(text[:found.start()]) for found in PAST_TIME.finditer(text))


_RELATIVE_TAIL = re.compile(r"\b(?:who|that|which|whose)\b.*$", re.IGNORECASE | re.DOTALL)
_DATES_A_THING = re.compile(r"\b(?:from|since|of|during|until|till|over|before|after)\s+$", re.IGNORECASE)
_DESCRIBES = frozenset("runs owns has manages leads works lives uses operates heads founded".split())
_VERB_AFTER_SUBJECT = frozenset("stop stops start starts keep keeps go goes land lands arrive work works break breaks "
                                "fail fails load loads bounce bounces never still always don't dont can't cant won't wont "
                                "aren't arent are were get sound sounds look looks read reads feel feels seem seems "
                                "show shows say says suggest suggests indicate indicates reveal reveals mention".split())
_SPOKEN = re.compile(r"^(?:(?:like|basically|so\s+like|and\s+like)\s+(?=(?:the|our|whoever)\s)|"
                     r"(?:is\s+there\s+)?any\s+chance\s+)", re.IGNORECASE)
_NOT_TOLD = frozenset("me us you that if about whether for what how why".split())
_ACTIVE_OBJECT = frozenset("it them the a an our this that these those his her their my your".split())


_CONDITION = re.compile(r"\b(?:once|as\s+soon\s+as|when|after|before|if)\s+", re.IGNORECASE)
_TO_SOMEONE = frozenset("with to back them her him each every".split())
_HAVE = frozenset("have has had got get gets".split())
_JOINS = frozenset("before after until so and but or because while then".split())  # not one short "if" condition
_CONDITION_WORDS = re.compile(r"[^\s,.;:!?]+")
_STATE_WORDS = frozenset("is are was were be been 's 're it's its it’s they're they’re that's thats everything's "
                         "up live done ready final finished merged working green out in again fast faster stable fine solid safe".split())
_PARTICLES = frozenset("back up out down off over in on through away".split())
_AUX = frozenset("is are was were be been".split())
_SAME_PARTICIPLE = frozenset("cut set put shut hit reset split spread upset run read cast broadcast".split())
_SUBJECT_PRONOUNS = frozenset("he she they we i".split())
_MODALS = frozenset("should could would can will must shall may might need needs to please".split())
_PLEASE = re.compile(r"(?<=[a-z0-9])[ \t]+(?=please\s+[a-z])", re.IGNORECASE)  # not across a line: a new line is a new sentence


def _past_of_another(word: str) -> bool:
    """ "found", "saw", "fell": a base form that is also another verb's past, read as the past after a team's name."""
    return is_base_verb(word) and past_base(word) not in (None, word)


def comma_after_conditions(text: str, verbs: frozenset[str], agents: Mapping[str, str] | None = None) -> str:
    """A condition said without its comma: "once they're final get marketing to write the tweets" ->
    "once they're final, get marketing ..."; "once the tests pass roll it out" -> "... pass, roll it out".

    The condition must end in its state or verb right before the order ("once the devs fix the bug" is one
    condition); the order is a verb and what it acts on ("roll it", "email the customers"), or after a plain
    state any known verb ("once its back up reply to ..."), or a team the order is handed to ("once we have those
    the dev wires up the test", "before the writer starts on it our ops person should pull the numbers")."""
    out: list[str] = []
    last = 0
    for found in _CONDITION.finditer(text):
        if found.start() < last:
            continue
        words = list(_CONDITION_WORDS.finditer(text, found.end(), min(len(text), found.end() + 120)))
        for i in range(2, min(len(words) - 1, 10)):
            between = text[found.end():words[i].start()]
            if any(p in between for p in ",.;:!?\n"):
                break
            said = [w.group(0).casefold() for w in words[1:i]]
            if any(w in _SUBJECT_PRONOUNS for w in said[1:]):
                break  # "after switching laptops he used sign in with google": a clause of its own ends the condition
            acted = any(w in _STATE_WORDS or w in _HAVE or present_base(w) or participle_of(w, verbs) for w in said)
            iffy = found.group(0).strip().casefold() == "if" and (any(w in _JOINS for w in said) or len(said) > 5)
            handed = handed_to(text[words[i].start():].split(",")[0], verbs, agents) if agents and acted and not iffy else None
            if handed is not None and handed[0]:
                out.append(text[last:words[i - 1].end()] + ",")
                last = words[i - 1].end()
                break
            if found.group(0).strip().casefold() in ("before", "if"):
                continue  # "before", "if": only a hand-off after it starts the order
            if not any(w in _STATE_WORDS or present_base(w) or participle_of(w, verbs) or w == "pass" for w in said):
                continue  # the condition has said no state or verb yet
            if not _ends_state(said[-1], verbs):
                continue  # "once that's built marketing should write", "once it's back devs figure out": a subject's
            first, second = words[i].group(0), words[i + 1].group(0)
            if said[-1] in _AUX and first.casefold() in _SAME_PARTICIPLE:
                continue  # "once the release is cut, ...": "cut" ends the state
            if first.casefold() in _PARTICLES or (said[-1] in _AUX and first.casefold() in _STATE_WORDS):
                continue  # "once it's rolled back ...", "when the page is live, ...": the state goes on
            known = first.casefold() in verbs or first.casefold() in EXTRA_VERBS
            if starts_order(first, second) or (known and _ends_state(said[-1], verbs, strict=True)):
                out.append(text[last:words[i - 1].end()] + ",")
                last = words[i - 1].end()
                break
    return _BASIS.sub(lambda m: _basis_comma(m, verbs), _THEN_BASIS.sub(",", "".join(out) + text[last:]))


# "Then based on that, rework the hero": "then" leads the work, not a clause of its own before the comma
_THEN_BASIS = re.compile(r"(?<=\bthen)(?=\s+(?:based\s+on|using|going\s+off|drawing\s+on|building\s+on|from)\s+"
                         r"(?:that|this|those|these|it|them)\s*,)", re.IGNORECASE)


# "and based on that write a comparison article": what the work starts from, said without its comma
_BASIS = re.compile(r"\b(?:based\s+on|using|going\s+off|drawing\s+on|building\s+on|with)\s+(?:that|this|those|these|it|them|"
                    r"(?:the|their|those|these)\s+(?:\w+\s+)?(?:results?|findings?|research|numbers|data|feedback|answers?|"
                    r"insights?|themes?))(?=\s+([a-z]+)\s)", re.IGNORECASE)


def _basis_comma(found: re.Match[str], verbs: frozenset[str]) -> str:
    word = found.group(1).casefold()
    return found.group(0) + "," if word in verbs or word in EXTRA_VERBS else found.group(0)


def _ends_state(word: str, verbs: frozenset[str], *, strict: bool = False) -> bool:
    """A condition's last word before the order: a state ("up", "final", "live"), a participle ("merged"), a verb
    ("the tests pass") or a gerund ("confirmed working"). ``strict``: not a word that may be a plural noun
    ("once the checks pass merge it": "checks" is the subject)."""
    if word in _MODALS:
        return False
    return (word in _STATE_WORDS or word == "pass" or word.endswith(("ing", "ly")) or participle_of(word, verbs) is not None
            or (not strict and present_base(word) is not None))


def comma_before_please(text: str, agents: Mapping[str, str]) -> str:
    """ "and also theres a flaky test in payments_spec please fix that too": a new order starts at "please"
    (not after a team's name: "devs please find the leak" is one hand-off)."""
    def cut(found: re.Match[str]) -> str:
        before = text[:found.start()].rsplit(None, 1)
        return found.group(0) if before and before[-1].casefold().strip(",:") in agents else ", "
    return _PLEASE.sub(cut, text)


# "1) answer this person, 2) devs fix the sync dupes, 3) then update the doc": items numbered inside a line
# "... until ops has deployed it", "but not before the devs have fixed it", "only after the codes are fixed":
# work the order waits for, said inside the order's own clause
_MID_WAIT = re.compile(r"(?<=[\w)'\"’])(?:,?\s+(?:but\s+)?)(?P<wait>only\s+(?:after|once)|not\s+(?:before|until|till)|until|till|"
                       r"til)\s+(?P<who>(?:the\s+|our\s+)?[\w'-]+(?:\s+[\w'-]+){0,2}?)\s+(?P<be>has\s+been|have\s+been|has|have|is|are)\s+"
                       r"(?:actually\s+|finally\s+|fully\s+|properly\s+)?(?P<pp>[a-z]+)\b", re.IGNORECASE)
_HAVE_IT_DONE = re.compile(r"(?:[\w'-]+\s+){1,5}?(?:done|ready|live|finished|fixed|shipped|built|deployed|working|up)\b", re.IGNORECASE)
_DONT_START = re.compile(r",?\s+(?:but\s+)?(?:don'?t|dont|do\s+not)\s+(?:start|begin)(?:\s+(?:on\s+it|it|yet))?\s*$", re.IGNORECASE)
_NEGATED = re.compile(r"^(?P<lead>\s*(?:(?:and|but|so|also|pls|please)\s+)?)(?:don'?t|dont|do\s+not|never)\s+(?=[a-z])", re.IGNORECASE)
_NEGATED_BEFORE = re.compile(r"(?<=[\w)'\"’])(?:,?\s+)before\s+(?=(?:the\s+|our\s+)?[\w'-]+(?:\s+[\w'-]+){0,2}?\s+(?:has|have|is|are)\s)",
                             re.IGNORECASE)
_SENTENCE = re.compile(r"[^.!?\n]+[.!?\n]*")


def waits_inside(text: str, verbs: frozenset[str], agents: Mapping[str, str]) -> str:
    """ "Don't post anything about it until ops has deployed it to prod" -> "post anything about it, but only after
    ops has deployed it to prod": the order, and the work of the team it waits for. The wait is read only when it
    names a team ("ops", "the devs") or a thing made by a known verb ("the discount codes are fixed")."""
    def sentence(found: re.Match[str]) -> str:
        part = found.group(0)
        negated = _NEGATED.match(part)
        if negated is not None:  # "don't write the post before the devs have shipped it": the same wait
            part = _NEGATED_BEFORE.sub(" until ", part, count=1)
        waited = _MID_WAIT.search(part)
        if waited is None or not _waits_on_work(waited, verbs, agents):
            return found.group(0)
        head = _DONT_START.sub("", part[:waited.start()])  # "..., but don't start until ...": the wait says it all
        part = f"{head}, but only after {part[waited.start('who'):]}"
        if negated is not None and negated.end() <= waited.start():
            part = negated.group("lead") + part[negated.end():]
        return part
    return _SENTENCE.sub(sentence, text)


def _waits_on_work(waited: re.Match[str], verbs: frozenset[str], agents: Mapping[str, str]) -> bool:
    who = re.sub(r"^(?:the|our)\s+", "", waited.group("who"), flags=re.IGNORECASE).casefold()
    if who in agents:  # "until ops has deployed it", "til the devs have the v3 endpoints done"
        return participle_of(waited.group("pp"), verbs) is not None or (
            waited.group("be").casefold() in ("has", "have") and _HAVE_IT_DONE.match(waited.string, waited.start("pp")) is not None)
    base = participle_of(waited.group("pp"), verbs)
    return (waited.group("who").casefold().startswith(("the ", "our ")) and waited.group("be").casefold() in ("is", "are")
            and base is not None and (base in verbs or is_base_verb(base)))
