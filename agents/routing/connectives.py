"""Connectives that join two pieces of work in other words than "and" or "then", said the way the splitter reads.

- ", along with a launch plan", "as well as the Google Ads copy", ", together with a one-pager", "and,
  separately, a cold email": another piece of work (", and ...").
- "Review the pull request before we write the release notes": work of ours after it (", then write ...").
- "lead list for TX. and a landing page for it": a thing wanted too (", and a landing page ..."); "calendar for
  sept / also reply to the reviews": a slash between two pieces of several words each ("; ").
- "The certificate expired this morning and has to be renewed": the work the thing needs ("..., and it has to be
  renewed").
- "fix the sync bug -> deploy -> email the beta testers": each arrow a "then"; "1) ... 2) ..." inside one line, or
  "First, ... Second, ...": one numbered line per item.
"""

from __future__ import annotations

import re

from agents.routing.grammar import QUOTED, first_word, is_action, strip_lead
from agents.routing.verbs import gerund_base, is_base_verb, participle_base

# the words a thing wanted starts with ("a ...", "the ...", "3 ...", "more ...")
THING_START = r"(?:a|an|the|our|some|their|its|more|\d+|two|three|four|five|one|short|new)\b"
_ALSO = re.compile(r",\s+(?:along|together)\s+with\s+(?=" + THING_START + r")|,?\s+as\s+well\s+as\s+(?=" + THING_START + r")"
                   r"|,?[ \t]+(?:and|plus),?[ \t]+separately,?[ \t]+", re.IGNORECASE)  # not a new line's "And separately, ..."
_BEFORE_WE = re.compile(r"\s+before\s+we\s+(?:can\s+|then\s+)?(?P<verb>[a-z]+)\s+(?=(?:the|a|an|our|any|this|these|those)\b)",
                        re.IGNORECASE)
_AND_NEEDS = re.compile(r"\s+and\s+(?P<need>(?:still\s+)?(?:has|have|needs?|must|should)\s+(?:to\s+)?be\s+)(?P<pp>[a-z]+)\b",
                        re.IGNORECASE)


# "lead list: 50 ops managers in TX. and a landing page for the tier", "Also a FAQ page.": a thing wanted too
_AND_A = re.compile(r"(?<=\w)[.!]\s+(?:and|also|plus|and\s+also)\s+(?=(?:a|an|some|\d+|two|three|four|five)\s+\w)",
                    re.IGNORECASE)
# "ig + tiktok calendar for sept / also reply to the reviews": a slash between two pieces of several words each
_SLASH = re.compile(r"(?<=[\w)])\s+/\s+(?=\w)")


# "an apology, which should go out after the booking bug is fixed": the condition the thing waits for
_WHICH_AFTER = re.compile(r",\s*which\s+(?:should|must|can|will|needs?\s+to|has\s+to)\s+(?:only\s+)?(?:go\s+(?:out|live)|be\s+"
                          r"(?:sent|published|posted|released|announced)|ship|launch|run)\s+(?:after|once|when)\s+", re.IGNORECASE)
# "Launching the scanner involves finishing the endpoint, deploying it, writing a guide and running the ads"
_INVOLVES = re.compile(r"\s+(?:involves|means|requires|will\s+(?:involve|mean|require|take))\s+(?=[a-z]+ing\b)", re.IGNORECASE)
_GERUND_ITEM = re.compile(r"(^|,\s+(?:and\s+|then\s+)?|\s+and\s+(?:then\s+)?)([a-z]+ing)\b")


def connectives_as_said(text: str) -> str:
    """``text`` with those connectives said as ", and ..." / ", then ..." (the rest of the words as written)."""
    text = _OTHER_THING.sub(_another_ask, _DONE_COLON.sub(r"\g<when>,", text))
    text = _involved_as_orders(_WHICH_AFTER.sub(", once ", _MADE_AND_LIVE.sub(_deployed_live, text)))
    text = _ALSO.sub(", and ", _AND_A.sub(", and ", text))
    text = _SLASH.sub(lambda m: "; " if _words_around(text, m) else m.group(0), text)

    def before_we(found: re.Match[str]) -> str:
        verb = found.group("verb")
        return f", then {verb} " if is_base_verb(verb) and verb.casefold() not in _NOT_WORK else found.group(0)

    text = _BEFORE_WE.sub(before_we, text)

    def needs(found: re.Match[str]) -> str:
        return f", and it {found.group('need')}{found.group('pp')}" if participle_base(found.group("pp")) else found.group(0)

    return _AND_NEEDS.sub(needs, text)


# "when thats done: Dockerfile, k8s deployment, wire it into CI": the wait, then the work (no head of a list)
_DONE_COLON = re.compile(r"(?P<when>\b(?:when|once|after)\s+(?:that|this|it)(?:'?s|’s|\s+is|\s+has\s+been|\s+was)?\s+"
                         r"(?:done|merged|live|ready|shipped|finished|fixed|built|in|out|up|deployed|written|published))\s*:(?=\s)",
                         re.IGNORECASE)


# "also separate thing: a 1-pager on calendar sync", "diff thing: notes for my pitch": a label before another ask
_OTHER_THING = re.compile(r"(?:(?<=^)|(?<=[.!?\n]))(?P<lead>[ \t]*(?:(?:and|also|oh|plus|ok|okay)[ \t,]+)*)(?:(?:a|one|the)[ \t]+)?"
                          r"(?:separate|diff|different|other|another|unrelated|second|2nd|last|one[ \t]+more|new)[ \t]+"
                          r"(?:thing|one|topic|ask|request|item)[ \t]*(?::|[-–—](?=\s))[ \t]*(?P<next>[A-Za-z]+)", re.IGNORECASE)


def _another_ask(found: re.Match[str]) -> str:
    """The ask after the label: an order as said, a thing as a thing needed ("need a 1-pager on ...")."""
    word = found.group("next")
    said = "also " if is_base_verb(word) and word.casefold() not in _NOT_WORK else "also need "
    return f"{found.group('lead')}{said}{word}"


# "get the gift card feature built and live on the site": made, then put live (a deploy)
_MADE_AND_LIVE = re.compile(r"(?P<made>\b(?:built|finished|done|coded|fixed|implemented|tested|merged)\s+(?:and|\+|&)\s+)live\b",
                            re.IGNORECASE)
def _deployed_live(found: re.Match[str]) -> str:
    """ "get X built and live" wants a deploy; "the code's all done and live" says it happened."""
    said = found.string[max(0, found.start() - 30):found.start()].casefold().split()[-3:]
    if any(w in ("is", "are", "was", "were", "all", "been") or w.endswith(("'s", "’s")) for w in said):
        return found.group(0)
    return f"{found.group('made')}deployed live"


_NOT_WORK = frozenset("have get go are be do see know lose run hit need".split())  # "before we get the numbers back"


def _words_around(text: str, found: re.Match[str]) -> bool:
    before = re.split(r"[.,;:!?\n]", text[:found.start()])[-1].split()
    after = re.split(r"[.,;:!?\n]", text[found.end():])[0].split()
    return len(before) >= 3 and len(after) >= 3


# "fix the sync bug -> deploy -> changelog entry -> email the beta testers": each arrow is a "then"
_LINE_ARROW = re.compile(r"^(?P<indent>[ \t]*)(?:-+>|—>|–>|=+>|→|⟶|⇒|➡️?|➔)[ \t]*", re.MULTILINE)
_APART_HEAD = re.compile(r"\b(?:independent|unrelated|separate|parallel|not\s+related|no\s+order|any\s+order|"
                         r"(?:none|neither)\s+of\s+(?:this|these|them)\s+blocks?)\b", re.IGNORECASE)
_ARROW = re.compile(r"\s*(?:-+>|—>|–>|=+>|→|⟶|⇒|➡️?|➔)\s*")
# "draft the terms. once signed -> ...", "when live ->": the arrow follows a condition, the work after it waits
_CONDITION_TAIL = re.compile(r"(?:^|[.;:,(]\s*|\s-\s)(?:once|when|after|if)\s+(?:(?:it|they|that|this|the\s+\w+)\s+(?:is|are|'s)\s+)?"
                             r"(?:\w+ed|done|live|out|ready|approved|signed|shipped|merged|fixed|in)\s*$", re.IGNORECASE)
_NUMBER_ARROW = re.compile(r"(?P<from>[$€£¥]?\d[\d.,]*(?:\s?(?:%|[kKmM]\b|/mo\b|/month\b))?)\s*(?:-+>|→|⟶|⇒)\s*(?P<to>[$€£¥]?\d)")
_ONCE_DONE = re.compile(r"^\s*(?:once|when|after)\s+[a-z]+ed(?=\s+[a-z])", re.IGNORECASE)


# "bulk invoice api (for brightwork) → then api docs for it", "quote builder in admin — tiered pricing": a piece of the
# product named first, with work or its spec after an arrow or a dash, is a piece to build ("Features: SSO, audit log"
# is a list of what exists)
_FEATURE_FIRST = re.compile(
    r"(?P<lead>(?:^|(?<=[.!?])[ \t]+)[ \t]*(?:(?:also|plus|now)\b,?[ \t]+)?)"
    r"(?P<thing>(?:[\w/.'-]+[ \t]+){1,4}?(?:api|endpoint|integration|feature|button|toggle|widget|export|import|sync|webhook|"
    r"sso|filter|mode|builder|calculator|plugin|extension|sdk|screen|checkout|tool|dashboard|editor|portal|command)"
    r"(?:[ \t]+(?:for|in|on|to|with)[ \t]+[\w/.'&-]+(?:[ \t]+[\w/.'&-]+){0,2}?)?)"
    r"(?=[ \t]*(?:\([^)\n]*\)[ \t]*)?(?:-+>|=+>|→|⇒|[—–][ \t]|,[ \t]*then\b))", re.IGNORECASE | re.MULTILINE)
_NOT_FEATURE = re.compile(r"^(?:the|our|their|my|this|that|a|an|customer|support|sales|marketing)\b", re.IGNORECASE)


def features_as_builds(text: str, verbs: frozenset[str]) -> str:
    """ "zapier integration -> once live: tutorial ..." -> "build zapier integration -> ...": see ``_FEATURE_FIRST``."""
    def build(found: re.Match[str]) -> str:
        thing = found.group("thing")
        if _NOT_FEATURE.match(thing) or is_action(thing, verbs) or any(w.casefold() in _FINITE for w in thing.split()):
            return found.group(0)
        return f"{found.group('lead')}build {thing}"
    return _FEATURE_FIRST.sub(build, text)


_FINITE = frozenset("is are was were has have had needs wants keeps got gets broke broken".split())


def arrows_as_then(text: str, verbs: frozenset[str]) -> str:
    """Steps joined by arrows become "..., then ..." when some step after an arrow is an order; "zapier → our app →
    slack" (a flow of data, no order in it) stays as it is."""
    if not _ARROW.search(text):
        return text
    if len(_LINE_ARROW.findall(text)) >= 2 and _APART_HEAD.search(text):  # "3 independent workstreams:\n→ dark mode ..."
        text = _LINE_ARROW.sub(lambda m: m.group("indent") + "- ", text)  # arrows that start the lines are bullets
    lines = []
    for line in text.split("\n"):
        parts = _ARROW.split(line)
        into = _LANGUAGES.match(parts[1]) if len(parts) == 2 else None
        said, _, thing = parts[0].rpartition(". ") if ". " in parts[0] else ("", "", parts[0])
        if into is not None and len(thing.split()) >= 2:  # "now the Dawn guide → de + fr pls, keep ...": translate it
            lead = re.match(r"\s*(?:[-*•]\s+|(?:now|then|also|plus)\b,?\s+)*", thing, re.IGNORECASE).group(0)  # type: ignore[union-attr]
            lines.append(f"{said}{'. ' if said else ''}{lead}translate {thing[len(lead):].strip()} into "
                         f"{into.group(0).strip()}{parts[1][into.end():]}")
            continue
        moved = _moved(line, verbs) if len(parts) == 2 and not (_asks(parts[1], verbs) or _made_next(parts[1])) else None
        if moved is not None:  # "docs site netlify → cloudflare pages, keep old urls": a move; "rails 7.0 → 7.1": an upgrade
            lines.append(moved)
            continue
        if _NUMBER_ARROW.search(line):  # "starter $19 -> $29", "Pro 49→59": a change of a number, no order
            line = _NUMBER_ARROW.sub(r"\g<from> to \g<to>", line)
            parts = _ARROW.split(line)
        if len(parts) == 2 and _CONDITION_TAIL.search(parts[0]) and parts[1].strip():  # "once signed -> landing page copy"
            lines.append(f"{parts[0].rstrip()}, {parts[1].strip()}")
            continue
        bare = _BARE_ORDER.match(parts[-1]) if len(parts) > 1 else None
        if bare is not None and parts[-2].strip(" -*•"):  # "review dates in UTC not store tz → fix": fix the report
            lead = re.match(r"\s*(?:[-*•]\s+)?", parts[-2]).group(0)  # type: ignore[union-attr]
            parts[-2:] = [f"{lead}{bare.group(1)} {parts[-2][len(lead):].strip()}"]
        ordered = (any(_asks(p, verbs) for p in parts[1:]) or _made_in_turn(parts, verbs)
                   or (_work_before(parts[0], verbs) and any(_made_next(p) and not _NUMBER_NEXT.match(p) for p in parts[1:])))
        if len(parts) > 1 and not _DESCRIBED.search(parts[0]) and ordered:
            parts = [_ONCE_DONE.sub(r"\g<0>,", p, count=1) for p in parts]  # "-> once recorded, run ads for it"
            line = ", then ".join(p.strip() for p in parts if p.strip()) if parts[0].strip() else \
                "then " + ", then ".join(p.strip() for p in parts[1:] if p.strip())
        lines.append(line)
    return "\n".join(lines)


# "flow: install with one command -> write some data -> query it": a sequence described, not orders
_DESCRIBED = re.compile(r"\b(?:flow|sequence|journey|path|pipeline|storyboard|beats|walkthrough|user\s+story|scenario)\s*:",
                        re.IGNORECASE)
# "the install guide → de + fr pls", "widget strings → es / pt-BR / it": into these languages
_LANGUAGE = (r"(?:de|fr|es|it|nl|pt(?:-br)?|ja|ko|zh|pl|sv|da|no|fi|tr|ru|ar|german|french|spanish|italian|dutch|portuguese|"
             r"brazilian(?:\s+portuguese)?|japanese|korean|chinese|polish|swedish|danish|norwegian|finnish|turkish|russian|arabic)")
_LANGUAGES = re.compile(rf"^\s*{_LANGUAGE}(?:\s*(?:\+|/|,|&|and)\s*{_LANGUAGE})*\b(?=\s*(?:pls|please|plz|asap|too|both)?\s*(?:$|[,.;!]))",
                        re.IGNORECASE)
_BARE_ORDER = re.compile(r"^\s*(fix|debug|investigate|patch)(?:\s+(?:it|this|that|pls|please|asap|plz|now))*\s*[.!]*\s*$",
                         re.IGNORECASE)


# what fragments name as the next piece of work: "persona + positioning → lead list of 40 cafés", "tickets summary →
# homepage messaging rework"; not "heroku → fly.io", "node 16 → node 20" or "zapier → our app → slack"
_WORK_NOUN = re.compile(r"\b(?:list|emails?|article|posts?|page|copy|docs?|guide|faq|replies|reply|messaging|campaign|ads|notes|"
                        r"quote|proposal|outreach|demos?|thread|newsletter|video|script|announcement|summary|report|deck|"
                        r"case\s+study|tweets?|calendar|fix|deploy|migration|tests|query|dashboard|alerts?|runbook|rework|"
                        r"rewrite|translation|follow-?ups?|walkthrough|tutorial|one-?pager|landing|positioning|research|export|persona)\b",
                        re.IGNORECASE)


_MOVE = re.compile(r"(?P<lead>^|[.:;]\s+|^\s*[-*•]\s+)(?P<from>[A-Za-z][\w.' -]{0,40}?)\s+(?:-+>|=+>|→|⇒)\s+"
                   r"(?P<to>[\w][\w.-]*(?:\s+[\w][\w.-]*){0,2}?)(?=\s*(?:$|[,;.!?(]\s|[,;]|[+&/]\s|(?:pls|please|asap|this\s+week)\b))")
_VERSION = re.compile(r"\b\d+(?:\.\d+)*\b")


def _moved(line: str, verbs: frozenset[str]) -> str | None:
    """ "docs site netlify → cloudflare pages" -> "move docs site netlify to cloudflare pages"; "rails 7.0 → 7.1" ->
    "upgrade rails 7.0 to 7.1": two names of a few words each, no work after the arrow."""
    found = _MOVE.search(line)
    if found is None or len(found.group("from").split()) > 5:
        return None
    thing = found.group("from")
    verb = "upgrade" if _VERSION.search(found.group("to")) else "move"
    if first_word(thing) in ("a", "an", "the") or is_action(thing, verbs) or (verb == "upgrade" and _WORK_NOUN.search(thing)):
        return None  # "a migration guide v1 -> v2", "Upgrade clap 3 → 4": no move said by the arrow
    return (f"{line[:found.start()]}{found.group('lead')}{verb} {found.group('from')} to {found.group('to')}"
            f"{line[found.end():]}")


_NUMBER_NEXT = re.compile(r"\s*v?\d")  # "Upgrade clap 3 → 4 and fix whatever breaks": a version, no step


def _work_before(part: str, verbs: frozenset[str]) -> bool:
    """Work named before an arrow, in its last sentence: "wholesale persona + positioning for cafés", "fix the export"."""
    last = re.split(r"[.:;!?]\s", part)[-1]
    return _WORK_NOUN.search(last) is not None or is_action(strip_lead(last), verbs)


def _made_next(part: str) -> bool:
    """A piece of work named beside an arrow, in a few words or more: "lead list of 40 pnw cafés"."""
    head = re.split(r"[,.;:(]", part, maxsplit=1)[0]
    return len(head.split()) >= 2 and _WORK_NOUN.search(head) is not None


def _asks(part: str, verbs: frozenset[str]) -> bool:
    """An order after an arrow, or after its condition: "deploy", "once recorded run spotify ads for it",
    "then mktg update the pricing page"."""
    done = _ONCE_DONE.match(part)
    return is_action(strip_lead((part[done.end():] if done else part).split(",")[0]), verbs)


def _made_in_turn(parts: list[str], verbs: frozenset[str]) -> bool:
    """ "build -> docs -> product hunt launch": an order, then the things made after it, each a few words."""
    last = parts[0].split(":")[-1].split(",")[-1]  # not "write a tutorial, stripe -> our app -> slack": a flow
    return is_action(last, verbs) and all(0 < len(p.split()) <= 4 and "," not in p for p in parts[1:])


def _involved_as_orders(text: str) -> str:
    """ "X involves finishing A, deploying B and writing C." -> "X: Finish A, deploy B and write C." (each -ing form
    that leads an item, up to the sentence's end)."""
    found = _INVOLVES.search(text)
    if found is None:
        return text
    end = re.search(r"[.!?;\n]", text[found.end():])
    items = text[found.end():found.end() + end.start()] if end else text[found.end():]

    def order(item: re.Match[str]) -> str:
        base = gerund_base(item.group(2))
        return item.group(1) + base if base else item.group(0)

    said = _GERUND_ITEM.sub(order, items)
    return f"{text[:found.start()]}: {said[:1].upper()}{said[1:]}{text[found.end() + len(items):]}"


_INLINE_NUMBER = re.compile(r"(?:^|[,;:.]?\s+)\(?(\d{1,2})\)\s+")
_INLINE_LETTER = re.compile(r"(?:^|[,;:.]?\s+)\(?([a-f])\)\s+")  # "two asks: (a) summarise ..., (b) a win-back campaign"


# "1 set up daily backups 2 write unit tests": a bare number before a verb, counting from 1
_BARE_NUMBER = re.compile(r"(?:^|\s+)(\d)\s+(?=([a-z]+)\b)")


def _bare_numbers_as_lines(line: str, verbs: frozenset[str]) -> str:
    found = [m for m in _BARE_NUMBER.finditer(line) if m.group(2) in verbs]
    numbers = [int(m.group(1)) for m in found]
    if len(found) < 2 or numbers != list(range(1, len(found) + 1)) or found[0].start() != 0:
        return line
    at = {m.start() for m in found}
    return _BARE_NUMBER.sub(lambda m: f"\n{m.group(1)}. " if m.start() in at else m.group(0), line).lstrip("\n")


# "First, a blog post on ... Second, a competitor comparison ... Third, ...": items counted in words
_ORDINAL = re.compile(r"(?:^|(?<=[.!?])\s+)(first|second|third|fourth|fifth)(?:ly)?\s*[,:]\s+", re.IGNORECASE)
_ORDINALS = ("first", "second", "third", "fourth", "fifth")


def inline_numbers_as_lines(text: str, verbs: frozenset[str] = frozenset()) -> str:
    """Items numbered 1), 2), ... (or lettered (a), (b), ...) inside one line go on lines of their own ("1. ..."), as do items counted
    "First, ... Second, ..." (only when both are said: a lone "First, ..." orders the work) and, with ``verbs``,
    bare numbers each before an order ("1 set up daily backups 2 write unit tests 3 draft ad copy", as dictated;
    not "write 3 posts"); a quote's own "First, ... Second, ..." stays as the quote says it."""
    if not any(mark in text for mark in "\"'“‘«„"):
        return _numbers_as_lines(text, verbs)
    quotes: list[str] = []
    text = QUOTED.sub(lambda m: quotes.append(m.group(0)) or f"\uE000{len(quotes) - 1}\uE001", text)
    return _QUOTE_MARK.sub(lambda m: quotes[int(m.group(1))], _numbers_as_lines(text, verbs))


_LINE_PAREN_ITEM = re.compile(r"^(?P<indent>[ \t]*)\((?:[a-hA-H]|\d{1,2}|i{1,3}|iv|v|vi)\)[ \t]+(?=\S)", re.MULTILINE)
_QUOTE_MARK = re.compile("\uE000(\\d+)\uE001")


def _numbers_as_lines(text: str, verbs: frozenset[str]) -> str:
    if "(" in text:  # "(a) restore the mail" on a line of its own: a list item
        text = _LINE_PAREN_ITEM.sub(r"\g<indent>- ", text)
    if verbs:
        text = "\n".join(_bare_numbers_as_lines(line, verbs) for line in text.split("\n"))
    counted = [m.group(1).casefold() for m in _ORDINAL.finditer(text)]
    if counted[:2] == ["first", "second"]:
        text = _ORDINAL.sub(lambda m: f"\n{_ORDINALS.index(m.group(1).casefold()) + 1}. ", text)
    lines = []
    for line in text.split("\n"):
        numbers = [int(m.group(1)) for m in _INLINE_NUMBER.finditer(line)]
        if len(numbers) >= 2 and numbers == list(range(numbers[0], numbers[0] + len(numbers))) and numbers[0] in (1, 2):
            line = _INLINE_NUMBER.sub(lambda m: f"\n{m.group(1)}. ", line).lstrip("\n")
        letters = "".join(m.group(1) for m in _INLINE_LETTER.finditer(line))
        if len(letters) >= 2 and "abcdef".startswith(letters):
            line = _INLINE_LETTER.sub(lambda m: f"\n{'abcdef'.index(m.group(1)) + 1}. ", line).lstrip("\n")
        lines.append(line)
    return "\n".join(lines)
