"""Text normalisation for the router: cleaning, tokenising and light stemming (stdlib only)."""

from __future__ import annotations

import re
import unicodedata
from functools import lru_cache

from agents.routing.days import DAY_ABBREVIATIONS
from agents.routing.verbs import gerund_base, is_base_verb, participle_base

_TOKEN_RE = re.compile(r"[a-z0-9]+")
_CONTROL_RE = re.compile(r"[\x00-\x08\x0b-\x1f\x7f-\x9f]")

# Words dropped before phrase matching, so "fix the bug" also matches "fix this bug".
FILLER_WORDS: frozenset[str] = frozenset("a an the our my your his her its this that these those some any".split())

# Words ignored by the example index (in addition to the filler words).
STOP_WORDS: frozenset[str] = FILLER_WORDS | frozenset(
    "their we us i you they it me them "
    "and or but of to in on for with at by from into onto about as is are was were be been "
    "being do does did so if then than too very can could should would will shall may might "
    "must have has had not no yes all each every one two three new next last up out over "
    "after before when where why how what which who whom whose there here just also still "
    "get make let please need needs want wants".split()
)

_NO_UNDOUBLE = frozenset("lsz")

# British spellings read as the American ones the lexicon is written in ("referral programme", "optimise")
_AMERICAN: dict[str, str] = {
    "programme": "program", "programmes": "programs", "organisation": "organization", "organisations": "organizations",
    "optimise": "optimize", "optimised": "optimized", "optimising": "optimizing", "optimisation": "optimization",
    "analyse": "analyze", "analysed": "analyzed", "analysing": "analyzing", "catalogue": "catalog",
    "centre": "center", "centres": "centers", "licence": "license", "behaviour": "behavior", "colour": "color",
    "favourite": "favorite", "personalised": "personalized", "personalise": "personalize", "customise": "customize",
    "prioritise": "prioritize", "summarise": "summarize", "summarised": "summarized", "cancelled": "canceled",
    "enquiry": "inquiry", "enquiries": "inquiries", "artefact": "artifact", "defence": "defense",
}

# -ing/-s words whose stem would collide with an unrelated word ("billing" is not "bill").
_KEEP_STEMS: dict[str, str] = {
    w: w.removesuffix("s") if w.endswith("ings") else w
    for w in (
        "accounting billing marketing sales hosting training funding spring string strings thing things "
        "setting settings meeting meetings listing listings booking bookings building buildings "
        "wedding weddings morning evening during nothing something anything everything"
    ).split()
}


def clean(text: str, *, max_chars: int) -> str:
    """Truncate, NFKC-normalise, casefold and replace control characters with spaces."""
    text = text[:max_chars]
    text = unicodedata.normalize("NFKC", text)
    text = _CONTROL_RE.sub(" ", text)
    return text.casefold()


def tokens(text: str) -> list[str]:
    """Split already-cleaned text into alphanumeric tokens."""
    return _TOKEN_RE.findall(text)


def _undouble(word: str) -> str:
    if len(word) > 3 and word[-1] == word[-2] and word[-1] not in _NO_UNDOUBLE and word[-1] not in "aeiou":
        return word[:-1]
    return word


@lru_cache(maxsize=20000)
def stem(word: str) -> str:
    """A light suffix stripper: plurals, -ing, -ed and a final -e, applied the same way everywhere."""
    if len(word) <= 3 or word.isdigit():
        return word
    word = _AMERICAN.get(word, word)
    if word in _KEEP_STEMS:
        return _KEEP_STEMS[word]
    if word.endswith(("ies", "ied")) and len(word) > 4:
        word = word[:-3] + "y"
    elif word.endswith("sses"):
        word = word[:-2]
    elif word.endswith("s") and not word.endswith(("ss", "us", "is")):
        word = word[:-1]
    if word.endswith("ing") and len(word) > 5:
        word = _undouble(word[:-3])
    elif word.endswith("ed") and len(word) > 4:
        word = _undouble(word[:-2])
    if word.endswith("e") and len(word) > 3:
        word = word[:-1]
    return word


def phrase_tokens(text: str, *, max_chars: int = 100_000) -> tuple[str, ...]:
    """Stemmed tokens without filler words: the form used for phrase matching."""
    return tuple(stem(t) for t in tokens(clean(text, max_chars=max_chars)) if t not in FILLER_WORDS)


def index_terms(text: str, *, max_chars: int = 100_000) -> list[str]:
    """Stemmed content words plus adjacent-word bigrams: the terms of the example index."""
    words = [stem(t) for t in tokens(clean(text, max_chars=max_chars)) if t not in STOP_WORDS]
    return words + [f"{a} {b}" for a, b in zip(words, words[1:], strict=False)]


# chat shorthand founders type ("teachers r getting paid late bc ...", "can u ...")
_SHORT_WORDS = {"b4": "before", "cn": "can", "nd": "and", "r": "are", "u": "you", "ur": "your", "bc": "because", "b/c": "because", "w/": "with", "w/o": "without",
                "thru": "through", "shd": "should", "cld": "could", "wd": "would", "pls": "please", "plz": "please",
                "msg": "message", "cx": "customers", "reqs": "requests", "abt": "about", "convo": "conversation", "abeg": "please"}
_SHORTHAND = re.compile(r"(?<![\w/&])(?:b4|cn|nd|r|u|ur|bc|b/c|thru|shd|cld|wd|pls|plz|msg|cx|reqs|abt|convo|abeg|w/o|w/|W/)(?![\w'’&])")  # lower case only: "R&D", "U.S."


_SAID_PERIOD = re.compile(r"[ \t]+(?:period|full\s+stop)\b[ \t]*(?!\s*(?:of|for|ends?|is|was|starts?|in)\b)", re.IGNORECASE)
_SAID_LINE = re.compile(r"[ \t]*\b(?:new\s+line|newline|next\s+line|new\s+paragraph)\b[ \t]*", re.IGNORECASE)
_SAID_COMMA = re.compile(r"[ \t]+comma\b[ \t]*", re.IGNORECASE)


def _dictated(text: str) -> str:
    """Punctuation a dictation app wrote out as words ("... june 1 period code update ...", "new line support the
    customer ..."), when it says so at least twice: as the marks themselves."""
    if len(_SAID_PERIOD.findall(text)) + len(_SAID_LINE.findall(text)) < 2:
        return text
    return _SAID_COMMA.sub(", ", _SAID_PERIOD.sub(". ", _SAID_LINE.sub("\n", text)))


# "when that exists, a help center article about it": a thing in place is a thing done, what follows waits for it
_EXISTS = re.compile(r"\b(?P<lead>(?:when|once|after|as\s+soon\s+as)\s+(?P<thing>that|it|this|they|those|these|(?:the|our)\s+[\w-]+(?:\s+[\w-]+)?))"
                     r"\s+(?:exists?|is\s+in\s+place|are\s+in\s+place|is\s+there|are\s+there)\b", re.IGNORECASE)
_ONLY_THEN = re.compile(r"\s*(?:[—–]|\s-+|,)\s*(?:and\s+|but\s+)?only\s+then\s*(?:[—–]|-+\s|,)\s*", re.IGNORECASE)


def expand_shorthand(text: str) -> str:
    """ "teachers r getting paid late bc ..." -> "teachers are getting paid late because ..."; a dictated
    "um" or "uh" is a pause (a comma)."""
    text = _dictated(text)  # "prices go up june 1 period code update the prices new line ...": speech to text
    text = _EMOJI.sub(lambda m: ". " if m.group(1) and m.start() else " ", text)  # "broken since this morning 😩 pls fix asap": a full stop
    text = _slashes_as_breaks(text)  # "rails 7.0 → 7.1 / TLS cert expires in 9 days, renew it": two asks
    text = _NOT_YET.sub("", text)  # "not building yet → program design first": no work for the builders
    if not _DIFF.search(text):  # "... resume anytime. + help center doc on pausing"; not "+ def upload(path):" in a diff
        text = _PLUS_ITEM.sub(lambda m: f"{m.group(1)}Also, ", text)
    text = _TODO_MARK.sub(r"\g<lead>", _ITEM_AND.sub(r"\g<lead>", text))  # "- TODO: fix it", "- and once it's done, ...": the item
    text = _MIND_DOING.sub(_would_do, text)  # "would someone mind handling the refund": would someone handle it
    text = _AFTER_YOU.sub(_done_first, text)  # "after you fix the rate limiter bug, write to ...": the fix, then the rest
    text = _THEN_COLON.sub(lambda m: f"{m.group(1)}, ", text)  # "Then: LinkedIn ads driving downloads": the next part
    text = _days_in_order(text)  # "Mon: last fixes ...\nTue: ship it ...\nWed: announce": a week's order
    text = _steps_in_order(text)  # "Step 1 pull the complaints ... Step 2 from that, new positioning"
    text = _AFTER_ORDER.sub(lambda m: f"{m.group(1)} then ", text)  # "fix it and after write to the clients"
    text = _AFTER_THIS.sub(lambda m: f"{m.group(1) or ''} then ", text)  # "and after this one answer him"
    text = _FOR_THEM_TO.sub(lambda m: f"have {m.group('who')} ", text)  # "would it make sense for ops to ..."
    text = _WOULD_THEN.sub(lambda m: f"then {m.group('who')} {m.group('modal')} ", text)  # "someone would then write ..."
    text = _LEAD_WHEN.sub(lambda m: f"{m.group('who')}, {m.group('rest')}, {m.group('when')}", text)
    text = _IT_IS_NEEDED.sub(lambda m: "make sure that " if m.group(1).casefold() == "that" else "", text)
    text = _GRATEFUL_IF.sub(lambda m: f"need {_OBJECT_FORM.get(m.group('thing').casefold(), m.group('thing'))} ", text)
    text = _GRATEFUL_FOR.sub("need ", text)  # "I would be grateful for some call prep": need some call prep
    text = _SOMEONE_ELSE.sub(r"\1", text)  # "and could someone else figure out why ...": another ask, to anyone
    text = _ONLY_THEN.sub(", then ", text)  # "After that is settled — and only then — propose the plan"
    text = _EXISTS.sub(lambda m: f"{m.group('lead')} {'are' if m.group('thing').casefold() in ('they', 'those', 'these') else 'is'} live", text)
    text = _CLOCK.sub(lambda m: f"{m.group(1)}m", text)  # "a 7 a.m. class": no sentence ends there
    text = _PAUSE.sub(",", _SHORTHAND.sub(lambda m: _SHORT_WORDS[m.group(0).casefold()], text))
    text = _ONCE_COMMA.sub(r"\1,", text)  # "once they're live it'd be great to send ...": the condition, then the ask
    text = _OH_AND.sub(". Also, ", text)  # "... clean it up, oh and rotate the Stripe keys": another ask
    text = _ALSO_BROKEN.sub(lambda m: f"{m.group('lead')}fix {m.group('thing')}", text)  # "also the footer links are broken"
    text = _GO_AFTER.sub(lambda m: _PURSUE[m.group(1).casefold()], text)  # "before we go after that market": no wait
    return _BARE_FIX.sub(lambda m: f"{m.group('lead')}{m.group('verb')} it{m.group('tail')}", text)  # "please fix, it's ..."


# "Step 1 pull the tickets. Step 2: from that, new positioning": numbered steps inside the running text, in order
_INLINE_STEP = re.compile(r"(?:(?<=[.!?;,\n])|(?<=\A))[ \t]*\b(?:step|phase|stage)[ \t]+(?P<n>[1-9]|one|two|three|four|five)\b"
                          r"[ \t]*(?:[:.)—–>→-]+|,)?[ \t]*(?=[A-Za-z])", re.IGNORECASE)  # "Step 1 -> proper help article"
_FIRST_STEP = {"1", "one"}


def _steps_in_order(text: str) -> str:
    """Numbered steps in running text as "then" (see ``_INLINE_STEP``), when a first step and a later one are there."""
    steps = [m.group("n").casefold() for m in _INLINE_STEP.finditer(text)]
    if len(steps) < 2 or steps[0] not in _FIRST_STEP:
        return text
    return _INLINE_STEP.sub(lambda m: " " if m.group("n").casefold() in _FIRST_STEP else " Then ", text)


_DAYS = tuple(DAY_ABBREVIATIONS.split("|"))
_DAY_LINE = re.compile(r"^(?P<lead>[ \t]*(?:[-*•][ \t]+)?)(?P<day>" + DAY_ABBREVIATIONS + r")[a-z]*\.?[ \t]*[:—–-][ \t]*(?=\S)",
                       re.IGNORECASE | re.MULTILINE)


def _days_in_order(text: str) -> str:
    """Lines led by weekdays in the week's order ("Mon: ...", "Tue: ...") as the items of a list in that order: the first
    day's item as it is without its day, a later day's "Then, ...", the same day's "Also, ..."."""
    found = list(_DAY_LINE.finditer(text))
    days = [_DAYS.index(m.group("day").casefold()[:3]) for m in found]
    if len(found) < 2 or days != sorted(days):
        return text
    out, at = [], 0
    for k, m in enumerate(found):
        word = "" if k == 0 else ("Then, " if days[k] > days[k - 1] else "Also, ")
        out.append(text[at:m.start()] + (m.group("lead") or "- ") + word)  # an item of the week's list
        at = m.end()
    return "".join(out) + text[at:]


_ONCE_COMMA = re.compile(r"\b((?:once|when|after|as\s+soon\s+as)\s+(?:it'?s|they'?re|it\s+is|they\s+are|that'?s|this\s+is|those\s+are)"
                         r"\s+(?:live|done|out|up|ready|shipped|merged|fixed|deployed|published|in|finished))(?=\s+(?:it'?d|it\s+would|"
                         r"we\s+should|can\s+you|could\s+you|pls|please|then|send|write|post|email|tell|let|announce|do)\b)",
                         re.IGNORECASE)
_MIND_DOING = re.compile(r"\b(?:would|do|will)[ \t]+(?P<who>you|u|someone|somebody|anyone|one\s+of\s+you)[ \t]+"
                         r"(?P<also>(?:also|maybe|possibly)[ \t]+)?mind[ \t]+(?P<doing>[a-z]+ing)\b", re.IGNORECASE)


def _would_do(found: re.Match[str]) -> str:
    base = gerund_base(found.group("doing").casefold())
    return f"would {found.group('who')} {found.group('also') or ''}{base}" if base else found.group(0)


_AFTER_YOU = re.compile(r"(?:(?<=\A)|(?<=[.!?][ \t])|(?<=\n))(?P<lead>[ \t]*)(?:after|once|when)[ \t]+(?:you|u|we)"
                        r"(?:['’]ve|[ \t]+have)?[ \t]+(?P<verb>[a-z]+)[ \t]+(?P<rest>[^,.;:!?\n]{3,120}?)[ \t]*,[ \t]*(?=[a-z])",
                        re.IGNORECASE)


def _done_first(found: re.Match[str]) -> str:
    verb = found.group("verb").casefold()
    base = verb if is_base_verb(verb) and not verb.endswith("ed") else participle_base(verb)
    if base is None or base in ("be", "have", "get", "know", "see", "hear", "think", "want", "need", "say"):
        return found.group(0)
    return f"{found.group('lead')}{base} {found.group('rest')}, then "


_THEN_COLON = re.compile(r"(?:(?<=[.!?][ \t])|(?<=\A)|(?<=\n))[ \t]*(then|after\s+that|afterwards|finally|next|later)[ \t]*:[ \t]+"
                         r"(?=[^\s-])", re.IGNORECASE)
_OH_AND = re.compile(r"(?<=\w)[ \t]*[,;]?[ \t]+(?:,[ \t]*)?oh,?[ \t]+and(?:[ \t]+also)?,?[ \t]+(?=[A-Za-z])", re.IGNORECASE)
# "Also, the sign in with Google button is broken": a thing named broken beside other asks is one to fix
_ALSO_BROKEN = re.compile(r"(?P<lead>\b(?:also|plus)\b,?[ \t]+)(?P<thing>(?:the|our|their|my)[ \t]+[^.,;:!?\n]{1,80}?)[ \t]+(?:is|are)"
                          r"[ \t]+(?:(?:all|still|completely|totally|kinda|kind\s+of|just)[ \t]+)?(?:broken|not\s+working|failing|"
                          r"dead|busted)\b", re.IGNORECASE)
_PLUS_ITEM = re.compile(r"((?:^|(?<=[.!?])[ \t]+)[ \t]*)\+ (?=[A-Za-z][^\n(){}\[\];=<>`]*$)", re.MULTILINE)
_DIFF = re.compile(r"^(?:@@|diff --git|\+\+\+ |--- |\+[ \t]{2,}\S|\+\s*(?:def|return|import|class|const|let|var|if|for|#)\b)", re.MULTILINE)

# "not building yet →", "don't build it yet,": work the founder holds back is no step
_NOT_YET = re.compile(r"\b(?:(?:we'?re\s+|i'?m\s+)?not|no|(?:don'?t|do\s+not))\s+(?:building|coding|developing|implementing|build|code|develop|"
                      r"implement)\s+(?:it\s+|this\s+|that\s+|anything\s+|the\s+\w+\s+)?(?:yet|for\s+now|just\s+yet)\b[ \t]*"
                      r"(?:-+>|=+>|→|[,;:.—–-])?[ \t]*", re.IGNORECASE)
_TODO_MARK = re.compile(r"^(?P<lead>[ \t]*(?:[-*•][ \t]+|\d{1,2}[.)][ \t]+)?)(?:todo|to-do|tbd)[ \t]*[:—–-][ \t]*(?=\S)",
                        re.IGNORECASE | re.MULTILINE)

_ITEM_AND = re.compile(r"^(?P<lead>[ \t]*(?:[-*•☐]|\d{1,2}[.)])[ \t]+)(?:and|but|plus)[ \t]+(?=\w)", re.IGNORECASE | re.MULTILINE)

# a slash between items of a few words each ("seo keyword research + who ranks / cloudwatch logs retention → 30d");
# one closing a line ("q3 stuff /") ends it; "bug / how-to / billing" or "widget CDN / api" are one list
_SLASH = re.compile(r"[ \t]+/[ \t]+")
_QUOTED_SLASH = re.compile(r"[\"'”’][ \t]+/[ \t]+[\"'“‘]")  # '"dental scheduling" / "online booking"': one list of names
_LINE_SLASH = re.compile(r"[ \t]+/[ \t]*$", re.MULTILINE)
_WORD = re.compile(r"[A-Za-z][\w'’.-]*")
_SLASH_ITEM_WORDS = 3


def _slashes_as_breaks(text: str) -> str:
    if "/" not in text:
        return text
    text = _LINE_SLASH.sub("", text)
    lines = text.split("\n")
    for n, line in enumerate(lines):
        items = _SLASH.split(line)
        if len(items) > 1 and not _QUOTED_SLASH.search(line) and all(len(_WORD.findall(item)) >= _SLASH_ITEM_WORDS for item in items):
            lines[n] = "; ".join(item.strip() for item in items)
    return "\n".join(lines)


# "go after corporate wellness", "going after bigger clinics": to pursue, not a time
_GO_AFTER = re.compile(r"\b(go|goes|going|went|gone)\s+after\b(?=\s+(?!(?:that|this|it|then|we|they|lunch|launch|the\s+"
                       r"(?:launch|release|deploy|migration|fix|update|meeting|call))\b)[\w'’-])", re.IGNORECASE)
_PURSUE = {"go": "pursue", "goes": "pursues", "going": "pursuing", "went": "pursued", "gone": "pursued"}

# "the sync double counts runs. please fix, members ...", "... chokes on a BOM. fix": a bare order on the report before it
_BARE_FIX = re.compile(r"(?P<lead>(?:^|[.!?;:,]|\bplease|[ \t][—–][ \t])[ \t]*)(?P<verb>fix|debug|patch|investigate|look\s+into|sort\s+out|handle)"
                       r"(?P<tail>(?:\s+(?:asap|please|urgently|today|now|quickly|for\s+real))?)(?=[ \t]*(?:[,.!;?\n]|$))",
                       re.IGNORECASE | re.MULTILINE)


_CLOCK = re.compile(r"(?<=\d)\s*([ap])\.m\.(?=\s+[a-z])", re.IGNORECASE)


# "please fix it and after write to the clients": "after" said for "afterwards" before an order
_AFTER_ORDER = re.compile(r"(\band|,)\s+after\s+(?=(?:write|send|do|tell|make|email|reply|post|update|announce|publish|"
                          r"deploy|fix|call|contact|notify|inform|let|share|put|give|offer)\b)", re.IGNORECASE)

# emoji between two sentences ("... since this morning 😩 pls fix asap") end the first one
# (a chat's emoji code such as ":eyes:" or ":+1:" too, not "12:30" or "https://")
_EMOJI = re.compile("[ \t]*(?:[\U0001F300-\U0001FAFF\u2600-\u27BF\u2B50\u2B55][\U0001F300-\U0001FAFF\u2600-\u27BF\u2B50\u2B55\uFE0F\u200D]*"
                    "|(?<![\\w:/]):[a-z+][a-z0-9_+-]{0,30}:(?![\\w/]))(?:[ \t]+(?=([A-Za-z@])))?")

# "and after this one answer him", "after this, a follow-up call": "then" as non-native founders say it
_AFTER_THIS = re.compile(r"(\band|,)?\s+after\s+(?:this\s+one|this|that\s+one)\b(?:\s*,)?(?!\s*(?:is|are|was|were|has|have|'s|’s|"
                         r"week|month|year|quarter|sprint|release|call|meeting|launch|update|one\s+is|one's)\b)\s+(?=[a-z])", re.IGNORECASE)

# "is needed that the app gets reminder SMS", "Is necessary to make cheaper our AWS bill": an order, said the
# way a German or Spanish speaker might
# "I would be grateful if the article could be translated": the thing wanted done ("need the article translated")
_GRATEFUL_IF = re.compile(r"\b(?:i|we)(?:['’]?d|\s+would)\s+be\s+(?:very\s+|so\s+|most\s+|really\s+)?(?:grateful|glad|thankful|"
                          r"delighted|happy)\s+if\s+(?P<thing>[^,.;:!?\n]{2,60}?)\s+(?:could|would|might|can)\s+be\s+"
                          r"(?=[a-z]+(?:ed|en|t)\b)", re.IGNORECASE)
_GRATEFUL_FOR = re.compile(r"\b(?:i|we)(?:['’]?d|\s+would)\s+(?:be\s+(?:very\s+|so\s+|most\s+|really\s+)?(?:grateful|thankful)\s+"
                           r"for|(?:really\s+|very\s+much\s+|greatly\s+)?appreciate)\s+(?=(?:some|a|an|the|any)\s+(?!help\b))",
                           re.IGNORECASE)
_SOMEONE_ELSE = re.compile(r"\b((?:could|can|would|will)\s+(?:someone|somebody|anyone))\s+else\b", re.IGNORECASE)
_OBJECT_FORM = {"they": "them", "we": "us", "i": "me", "he": "him", "she": "her"}
_IT_IS_NEEDED = re.compile(r"(?:(?<=^)|(?<=[.!?:\n])\s*)(?:it\s+)?is\s+(?:needed|necessary|required)\s+(that|to)\s+(?=[a-z])",
                           re.IGNORECASE | re.MULTILINE)

# "Ideally someone would then write a help article": the order said after its "then"
_WOULD_THEN = re.compile(r"\b(?P<who>someone|somebody|anyone|we|you)\s+(?P<modal>would|could|should|can|might)\s+then\s+(?=[a-z])",
                         re.IGNORECASE)

# "Would it make sense for ops to first confirm ...", "would it be a good idea for the devs to ...": a hand-off
_FOR_THEM_TO = re.compile(r"\b(?:would|does|will|do\s+you\s+think)\s+it\s+(?:would\s+)?(?:make\s+sense|be\s+(?:ok|okay|possible|"
                          r"sensible|wise|smart|a\s+good\s+idea|worth\s+it))\s+for\s+(?P<who>(?:the\s+|our\s+)?(?!you\b|us\b|me\b|"
                          r"someone\b|somebody\b)[\w-]+)\s+to\s+(?=[a-z])", re.IGNORECASE)

# "Devs, before the demo, add the switcher": the order, then when ("Devs, add the switcher, before the demo")
_LEAD_WHEN = re.compile(r"(?:(?<=^)|(?<=[.!?\n]\s)|(?<=[.!?\n]))(?P<who>(?!(?:also|and|so|then|ok|okay|but|plus|oh|now|next|first|finally|please|pls|and\s+also)\b)[A-Za-z][\w-]*(?:\s+[\w-]+)?),\s+(?P<when>(?:before|after)\s+"
                        r"(?:the|our|their)\s+[\w -]{2,30}?),\s+(?P<rest>[a-z][^.!?\n]*)", re.MULTILINE)


_PAUSE = re.compile(r"(?<!\blet)(?<!\blets)(?<!\btell)(?<!\bletting),?\s+(?:um+|uh+|erm|uhm|you\s+know|i\s+mean|"
                    r"no\s+wait(?:\s+actually)?|scratch\s+that)\b,?(?=\s)", re.IGNORECASE)
