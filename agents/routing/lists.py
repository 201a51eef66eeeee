"""Lists in a task: to-do lists (each item a request), lists after a colon (material, parts of one
piece of work, or a list of work) and bullet lists of things (material of the line before them).
"""

from __future__ import annotations

import itertools
import re
from collections.abc import Mapping

from agents.routing.grammar import (
    BULLET, COMMIT, DETERMINER, LISTING, NEED_MORE, PLACEHOLDER, PLACEHOLDER_RE, THEN, WORD, first_word, is_action, is_empty,
    strip_lead,
)
from agents.routing.list_words import (
    OUTCOMES_HEAD, LISTED, LIST_ITEM, MATERIAL_HEADS, NEED_LIST, OUTCOME_LINE, PARTS_OF, PREP_FOR, PROJECT_VERBS, TIDY_VERBS, TITLED, TODO_HEAD,
    makes_one_thing,
)
from agents.routing.rewrites import handed_to
from agents.routing.verbs import starts_order

# "but first actually do it: rightsize the instances, ...": "do it" names no work; what follows the colon is the work
_DO_IT = re.compile(r"\b(?:(?:do|handle|sort)\s+(?:it|that|this|these|those|both|the\s+following)(?:\s+(?:two|three|four|2|3|4|"
                    r"things|items|for\s+me))?|do\s+the\s+needful)\s*$", re.IGNORECASE)  # "Please handle these two: ..."


_CONTEXT_HEADS = frozenset("goal goals objective aim why context background situation status facts "
                           "flow sequence storyboard beats scenario walkthrough journey".split())  # "flow: install it -> ..."
_ORDER_IS = re.compile(r"\b(?:the|my)\s+(?:order|plan|sequence|idea|ask|priority|priorities)\s+(?:is|would\s+be|should\s+be|i\s+(?:want|"
                       r"see|have\s+in\s+mind))\s*$", re.IGNORECASE)
_STEP = re.compile(r"^(?:step|phase|stage|part|day|week)\s*\d{1,2}$", re.IGNORECASE)
FROM_MATERIAL = re.compile(r"\b(?:from|using|based\s+on|off|out\s+of)\s+(?:this|these|the|our|my)\s+(?:[\w-]+\s+)?"
                            r"(?:changelog|notes|list|points|outline|draft|features|changes|commits|tickets)\s*$",
                            re.IGNORECASE)


MATERIAL_HEAD = re.compile(r"\b(?:(?:meeting|call|standup|sync|interview)\s+notes?|notes?\s+from|minutes|changelog|"
                            r"change\s*log|recap|summary|history|timings?|logs?|results|numbers|stats|metrics|feedback|"
                            r"transcript|thread|context|background|fyi|(?:key|main|talking)\s+points|highlights|facts|specs|reviews|what\s+(?:shipped|changed|we\s+shipped)|"
                            r"what(?:'s|’s|\s+is|\s+are)\s+(?:in|new|done|included|coming))\b",
                            re.IGNORECASE)

# a list someone else wrote: "Launch checklist a friend sent me:", "Release notes content wrote for 2.4:", "Review
# comments from our contractor:", "Email from our logistics partner:", "a few rows of the CSV export:"
SENT_BY = re.compile(r"\b(?:sent|wrote|forwarded|shared|gave|posted|left)(?:\s+(?:me|us|over|in))?(?:\s+(?:for|on|about)\s+[\w.-]+"
                     r"(?:\s+[\w.-]+)?)?\s*:?\s*$|\b(?:e-?mail|message|comments?|dm|reply|ticket|review)\s+from\b|\brows\s+of\b|"
                     r"\b(?:the\s+)?diff\b|\berror\s+log\b", re.IGNORECASE)


_ASKS_US = re.compile(r"^\s*(?:can|could|would|will|shall|should|pls|please|may)\s+(?:you|u|we|someone|somebody|anyone|the\s+\w+|"
                      r"marketing|sales|support|content|devops|ops|code|devs?)\b|^\s*(?:who|when)\s+(?:can|will|is)\b", re.IGNORECASE)


def bullets_as_text(text: str, verbs: frozenset[str], store: list[str],
                     agents: Mapping[str, str] | None = None) -> str:
    """Bullet lines of a to-do list (any item an order, or a head like "things for this week:") are each a
    request; other bullets (a list of things) are material of the line before them. A ticket's outcomes on one
    line ("AC: feature + tests; to prod behind a flag") are its bullets."""
    lines = _bare_items(text.splitlines())
    lines = [row for line in lines for row in _outcome_bullets(line)]
    out: list[str] = []
    block: list[str] = []
    # "HeavyHire spring push:" and nothing but its bullets, or nothing but bullets: the bullets are the work
    prose = [line for line in lines if line.strip() and not BULLET.match(line)]
    only_list = not prose or (len(prose) == 1 and prose[0].rstrip().endswith(":") and not is_action(prose[0], verbs))

    def flush() -> None:
        if not block:
            return
        items = [BULLET.match(line).group(1) for line in block]  # type: ignore[union-attr]
        at = next((k for k in range(len(out) - 1, -1, -1) if out[k].strip()), -1)  # "Changelog for 4.1:", a blank line, bullets
        head = _LAST_SENTENCE.split(out[at])[-1] if at >= 0 else ""  # "Note from Lena below. Plan:": the head is "Plan:"
        orders = sum(is_order(item, verbs) for item in items)
        asked = len(items) >= 2 and all("?" in item and not _ASKS_US.match(item) for item in items)
        if asked or (len(items) >= 2 and all(_CONTENTS.match(item) for item in items) and not _todo_head(head)):
            # (a questionnaire's "1. Do you encrypt data at rest?" lines are what the answers read, not asks)
            add_material(out, list(block), store)  # "runbook for when the sync fails: 1. who gets paged 2. how to ...":
            block.clear()                          # what the piece covers, not asks
            return
        said = _LABEL_LINE.match(head) is not None and orders > 0  # "Context: sync is down since 14:20." and then orders
        wanted = NEED_LIST.search(head.strip(" \t:")) is not None  # "I'd like:", "rn i need": the items are what is wanted
        # "- [ ] build the flow", "- [ ] landing page copy": open boxes are to-dos (not under "Acceptance criteria:")
        wanted = wanted or (all(_OPEN_BOX.match(line) for line in block) and OUTCOMES_HEAD.match(head) is None)
        if not said and not wanted and ((SENT_BY.search(head) or _made_from_them(head, verbs) or (MATERIAL_HEAD.search(head) and not (_todo_head(head) and _TODO_WORD.search(head))
                                      and not is_action(head, verbs))) and (head.rstrip().endswith(":") or orders < 1)):  # "this chat transcript. 1) answer her, 2) ...": orders
            add_material(out, list(block), store)  # "Notes from the pricing meeting:", "Changelog for 2.8:": what
            block.clear()                           # the work reads from, whatever the notes say others will do
            return
        if len(items) == 1 and only_list and not prose and not _leads_order(items[0], verbs):
            out.append(items[0])  # "- the Lakeside Vet lady reported the export times out. make it stream": one note, read as said
            block.clear()
            return
        todo = (len(items) >= 2 or only_list) and (_todo_head(head) or only_list or wanted or bool(_COUNTED.search(head)) or any(
            is_order(item, verbs) or handed_to(strip_lead(item), verbs, agents or {}) is not None for item in items)
            or sum(_MADE.match(item) is not None for item in items) >= 2)  # "- article explaining it\n- email blast ..."
        if todo:
            if head.rstrip().endswith(":"):
                out[at] = out[at][:len(out[at]) - len(head)] + TITLED + head
            out.extend(LISTED + item for item in items)
        else:
            run: list[str] = []
            for line, item in zip(block, items):
                if is_order(item, verbs):
                    add_material(out, run, store)
                    out.append(item)
                else:
                    run.append(line)
            add_material(out, run, store)
        block.clear()

    for line in lines:
        if BULLET.match(line):
            block.append(line)
            continue
        flush()
        out.append(line)
    flush()
    return "\n".join(out)


_ITEM_WORDS = 16
_OPEN_BOX = re.compile(r"^\s*(?:(?:[-*•]|\d{1,2}[.)])\s+)?\[ ?\]")
_LABEL_LINE = re.compile(r"^\s*(?:context|background|fyi|notes?)\s*:\s*\S.*[^:\s]\s*$", re.IGNORECASE)
_CONTENTS = re.compile(r"^\s*(?:who|how(?![- ]?to\s+(?:guide|article|video|post|doc))|what|when|where|why|which|whether)\b(?![-])", re.IGNORECASE)


def _bare_items(lines: list[str]) -> list[str]:
    """ "todo dump:" (a to-do head on a line of its own) and the short lines under it, up to a blank line, without
    bullet marks: each line an item ("Greenleaf quote 3 stores", "ticket #4412 refund")."""
    out = list(lines)
    for k, line in enumerate(lines):
        head = line.strip()
        if not head.endswith(":") or not _todo_head(head) or len(WORD.findall(head)) > 5:
            continue
        run = list(itertools.takewhile(lambda row: row.strip() and not BULLET.match(row), lines[k + 1:]))
        if len(run) >= 2 and all(len(WORD.findall(row)) <= _ITEM_WORDS and not row.rstrip().endswith(":") for row in run):
            out[k + 1:k + 1 + len(run)] = [f"- {row.strip()}" for row in run]
    return out


def _outcome_bullets(line: str) -> list[str]:
    """ "AC: a; b; c" as the head "AC:" and a bullet per outcome; any other line as it is."""
    head = OUTCOME_LINE.match(line)
    if head is None:
        return [line]
    return [line[:head.end()].rstrip(), *(f"- {item.strip()}" for item in line[head.end():].split(";") if item.strip(" .;"))]


def _made_from_them(head: str, verbs: frozenset[str]) -> bool:
    """ "Turn Lena's rough notes into an internal doc on refunds:", "Here's what got merged:": the bullets are what
    the order reads (not one order each), unless the head plans a project ("Launch plan for ...:", "do these in order:")."""
    head = head.strip()
    if not head.endswith(":") or _todo_head(head) or _COUNTED.search(head):
        return False
    if _HERE_IS.match(head) or _FROM_THESE.search(head):
        return True
    word = first_word(strip_lead(head))
    return is_action(head, verbs) and word not in PROJECT_VERBS and word not in TIDY_VERBS and word not in _NOT_ONE_ORDER


# "Here's what got merged:", "Here is what the devs shipped:"; not "Here's what needs to happen:" or "Here's the order I want:"
_HERE_IS = re.compile(r"^(?:here(?:'s|’s|\s+is|\s+are)|these\s+are|this\s+is)\s+what\s+(?![^:]*\b(?:needs?|should|has\s+to|must|wants?|"
                      r"to\s+do|i\s+think)\b)", re.IGNORECASE)
# "release notes v5.2 from these merged PRs:", "a summary based on the following tickets:": what the work reads
_FROM_THESE = re.compile(r"\b(?:from|based\s+on|using|out\s+of)\s+(?:these|this|the\s+following)\b[^:]{0,40}:\s*$", re.IGNORECASE)
_NOT_ONE_ORDER = frozenset("need get open do handle".split())
_LAST_SENTENCE = re.compile(r"(?<=[.!?])\s+")
# "Changelog for the app this week:" is material; "things for this week:" or "Plan:" a to-do list
_TODO_WORD = re.compile(r"\b(?:unrelated|separate|things|todos?|to-?dos?|to\s+do|tasks|action\s+items|next\s+steps|deliverables?|steps(?!\s+to\s+repro)|workstreams?|milestones|plan|asks|needs?|needed|"
                        r"checklist|in\s+(?:this\s+)?order)\b", re.IGNORECASE)

# "make three things for Monday:", "do these 3 things:": the items are the work
_COUNTED = re.compile(r"\b(?:\d|two|three|four|five|a\s+few|several|a\s+couple\s+of|couple|these|the\s+following)\s+"
                      r"(?:(?:separate|different|unrelated|quick|small|little|urgent|other|more)\s+)?(?:things|tasks|items|jobs|bits)\b",
                      re.IGNORECASE)

# "also:", "Unrelated:", "Separately:", "In parallel:", "Also on my wishlist:": a turn to another ask, not a label of material
_ALSO = re.compile(r"^\s*(?:and\s+|oh\s+and\s+)?(?:also\s+(?=\w+))?(?:also|plus|ps|p\.s\.|btw|one\s+more\s+thing|another\s+thing|"
                   r"(?:totally\s+|completely\s+)?unrelated|separately|separate|independently|independent\s+of\s+(?:that|this)|"
                   r"in\s+parallel|meanwhile|in\s+the\s+meantime|(?:on\s+a\s+)?(?:different|separate|other)\s+(?:note|topic|thing)|"
                   r"(?:also\s+)?on\s+my\s+(?:wish\s*list|list|plate|radar))\s*$", re.IGNORECASE)


def _todo_head(head: str) -> bool:
    """ "things for this week:", "launch day:"; not a long sentence that happens to say "after" or "launch"."""
    return TODO_HEAD.search(head) is not None and len(WORD.findall(head)) <= 8


def orders_among(items: list[str], verbs: frozenset[str]) -> bool:
    """A colon list of work: two orders, or one order among things of several words each (not field names)."""
    orders = sum(is_order(i, verbs) for i in items)
    return orders >= 2 or (orders == 1 and all(len(WORD.findall(i)) >= 2 for i in items))


def is_order(item: str, verbs: frozenset[str]) -> bool:
    """A list item that is an order: "fix login bug", "deploy the worker" (not "interview w/ our head chef"), or says
    what happened and then orders ("Tandem wants to cancel at the end of the month. process it, confirm in writing")."""
    led = _LED_IN.match(item)  # "With those numbers, draft the renewal email": what it starts from, then the order
    return (_leads_order(item, verbs) or (led is not None and _leads_order(item[led.end():], verbs))
            or any(_leads_order(later, verbs) for later in _LAST_SENTENCE.split(item)[1:] if len(WORD.findall(later)) >= 2)
            or _ends_order(item, verbs) or _OBLIGED_ITEM.search(item) is not None)


# "The SMIC revaluation must be implemented in the payroll engine": what has to be done, said of the thing
_OBLIGED_ITEM = re.compile(r"\b(?:must|needs?\s+to|has\s+to|have\s+to|should)\s+be\s+(?:\w+\s+)?(?:[a-z]+ed|built|done|made|"
                           r"written|rewritten|sent|set\s+up|shown|redone|taken\s+down)\b", re.IGNORECASE)


# "streak counter resets at midnight UTC, fix", "the FAQ is full of typos, rewrite/proofread it": how things are, then
# a short order at the end
_LAST_PART = re.compile(r"(?:,|\s[-–—]|\s(?:so|pls|please))\s+(?P<order>[^,;:]{2,40}?)[\s.!]*$", re.IGNORECASE)


def _ends_order(item: str, verbs: frozenset[str]) -> bool:
    last = _LAST_PART.search(item)
    if last is None or len(WORD.findall(last.group("order"))) > 5:
        return False
    word = first_word(strip_lead(last.group("order")))
    return word in verbs and word not in _NOT_ONE_ORDER and is_action(last.group("order"), verbs)


_LED_IN = re.compile(r"^\s*(?:with|using|from|given|once|after|when|if)\s+[^,;:.]{1,50},\s+", re.IGNORECASE)


def _leads_order(item: str, verbs: frozenset[str]) -> bool:
    words = WORD.findall(strip_lead(item)[:80])
    if not words or COMMIT.match(item):
        return False  # "fix(api): null check on tz": a commit message, not an order
    first = words[0].casefold()
    return first in verbs or (len(words) >= 2 and starts_order(first, words[1]))


def is_named(item: str) -> bool:
    """A quoted title alone ("'How to send Typeform responses to Pipewell'"): the name of the one thing asked for."""
    return PLACEHOLDER_RE.fullmatch(item.strip(" ,.;")) is not None


def add_material(out: list[str], run: list[str], store: list[str]) -> None:
    if run:
        store.append("\n".join(run))
        out[-1:] = [(out[-1] if out else "") + " " + PLACEHOLDER.format(len(store) - 1)]
        run.clear()


_MADE = re.compile(r"^\s*(?:(?:a|an|new|short|proper|quick|full|long|\d+|two|three|four|five)\s+)*(?:[\w'’-]+\s+){0,2}?"
                   r"(?:article|blog\s+post|guide|newsletter|one-?pager|case\s+study|white\s?paper|tutorial|explainer|video|"
                   r"script|faq|landing\s+page|press\s+release|posts|thread|carousel|ad\s+set|campaign|keyword\s+(?:plan|list|research)|"
                   r"content\s+calendar|social\s+calendar|persona\s+doc|battle\s?card|lead\s+list|proposal|runbook)\b"
                   r"(?!\s+(?:is|are|was|were|has|have|got|went)\b)", re.IGNORECASE)


def _labels_the_thing(head: str, verbs: frozenset[str]) -> bool:
    """ "for may newsletter", "Energy Efficiency Day (Oct 2)": what the thing after the colon is for or when it is
    due, not a label of material or of context ("Goal:", "Changelog:") and no order of its own."""
    word = first_word(strip_lead(head))
    return (len(WORD.findall(head)) <= 7 and not is_action(head, verbs) and word not in _CONTEXT_HEADS
            and word not in MATERIAL_HEADS and not MATERIAL_HEAD.search(head) and not SENT_BY.search(head)
            and not _todo_head(head))


# "List for today:", "list for this week": the founder's own to-do list, not a list of material
_LIST_FOR_A_DAY = re.compile(r"^\W*(?:my\s+|the\s+|a\s+|quick\s+)?list\s+(?:for\s+|of\s+)?(?:today|tomorrow|tmrw|tonight|this\s+week|"
                             r"the\s+week|next\s+week|(?:this\s+)?(?:mon|tues|wednes|thurs|fri|satur|sun)day)\W*$", re.IGNORECASE)


def colon_pieces(sentence: str, verbs: frozenset[str], store: list[str],
           agents: Mapping[str, str] | None = None) -> list[str]:
    """'Launch v2: write ..., deploy ...' -> a title and the actions; 'write X from this: a, b' keeps a, b as material."""
    head, sep, tail = sentence.partition(":")
    if not sep or not tail.strip():
        return [sentence]
    if _ALSO.match(head):
        return [TITLED + head, LISTED + tail.strip()]  # "also: a help article on it": what follows is asked
    if _ORDER_IS.search(head):  # "So I think the order is: get it written up first, and then ...": the asks, in order
        return [TITLED + head, tail.strip()]
    if LISTING.search(head) or FROM_MATERIAL.search(head):
        # "steps are: go to settings, click ...", "need release notes from this changelog: dark mode, ...": what the
        # steps are or what the work is made from, not orders
        store.append(sep + tail)
        return [head + PLACEHOLDER.format(len(store) - 1)]
    if _MADE.match(tail) and _labels_the_thing(head, verbs):
        return [TITLED + head, LISTED + tail.strip()]  # "for may newsletter: article about ...", "Energy Day (Oct 2): a post"
    if first_word(strip_lead(head)) in ("once", "after", "when") and is_action(tail, verbs) or (
            first_word(strip_lead(head)) in ("once", "after", "when")
            and handed_to(strip_lead(tail), verbs, agents or {}) is not None):
        return [f"{head},{tail}"]  # "Once ops has the API live in prod: content writes ...": a condition, then the work
    if first_word(head) in _CONTEXT_HEADS and len(WORD.findall(head)) <= 2:
        store.append(sep + tail)  # "Goal: get the sync out this week", "Context: ...": what the asks serve
        return [head + PLACEHOLDER.format(len(store) - 1)]
    if _STEP.match(head.strip()):  # "Step 3: once the sequence is drafted, ...": the step's work, in its place
        return [TITLED + head, LISTED + tail.strip()]
    if handed_to(strip_lead(tail), verbs, agents or {}) is not None and not is_action(head, verbs):
        return [TITLED + head, tail.strip()]  # "About yesterday's outage: ops, please write the postmortem"
    if THEN.match(head.strip()) and is_action(head, verbs) and "," not in head:
        return [f"{head},{tail}"]  # "then announce fri: email to the list, ig": the order, and what it is made of
    if _DO_IT.search(head):
        return [_DO_IT.sub("", head), *colon_pieces(tail, verbs, store, agents)]
    if is_action(tail, verbs):
        if is_action(head, verbs) and (is_empty(strip_lead(head)) or first_word(strip_lead(head)) in TIDY_VERBS
                                       or makes_one_thing(strip_lead(head))):
            return [head, PARTS_OF + tail]  # "clean it up: close out deals, fix the stages, ...": the head is the work
        return [head, *colon_pieces(tail, verbs, store, agents)]
    items = [i.strip() for i in LIST_ITEM.split(tail) if i and i.strip(" ,.;")]
    todo = (first_word(head) not in MATERIAL_HEADS or _LIST_FOR_A_DAY.match(head) is not None) and (
        NEED_LIST.search(head) or (_todo_head(head) and not is_action(head, verbs)) or PREP_FOR.match(strip_lead(head))
        or _COUNTED.search(head)  # "Pls make three things for Monday: a blog article, ..."
        or (not is_action(head, verbs) and orders_among(items, verbs))
        or sum(handed_to(strip_lead(i), verbs, agents or {}) is not None for i in items) >= 2
        # "Need a referral program: the feature built into the app, the messaging for it, and a pitch to ...": the
        # parts of what is needed, each a thing of its own (not "release notes for 2.4: dark mode, csv import")
        or (NEED_MORE.match(strip_lead(head)) is not None
            and sum(first_word(strip_lead(i)) in DETERMINER for i in items) >= 2))
    todo = todo and not (is_named(items[0]) if items else False)  # "we need a real tutorial: 'How to ...', step by step"
    if len(items) >= 2 and todo:  # "need: copy + posts, the script, and an invite"; "quick one: a post, a release, and send ..."
        return [TITLED + head, *(LISTED + item for item in items)]
    if (len(WORD.findall(head)) <= 3 and not is_action(head, verbs)
            and any(handed_to(strip_lead(i), verbs, agents or {}) is not None for i in items[1:])):
        return [TITLED + head, tail.strip()]  # "known issue: /export ignores the tz param, devs should fix that": a label
    if is_action(head, verbs) or first_word(head) in MATERIAL_HEADS or len(WORD.findall(head)) <= 4:
        store.append(sep + tail)
        return [head + PLACEHOLDER.format(len(store) - 1)]
    return [sentence]
