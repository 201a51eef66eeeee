"""The words of lists: a to-do list's head, a material list's head, and the marks the splitter leaves on listed items.

Moved out of ``grammar`` (which holds the sentence-level patterns) so that each stays a readable size.
"""

from __future__ import annotations

import re

from agents.routing.grammar import DETERMINER, WORD

MATERIAL_HEADS = frozenset("features feature changelog changes notes list items context background details goal goals "
                            "meeting minutes recap transcript standup "
                            "example examples ticket email message note fyi ps fields field errors params parameters "
                            "columns specs spec requirements inputs outputs payload schema endpoints".split())

# A ticket's outcomes ("AC:", "Done when:", "Definition of done:"): each one is work asked for
_OUTCOMES = r"^[ \t]*(?:ac|a/c|acceptance\s+criteria|done\s+when|definition\s+of\s+done|dod|success\s+criteria)"
# A to-do list's head ("things for this week:", "in this order:", "need:") and its items
TODO_HEAD = re.compile(r"\b(?:things|todos?|action\s+items|next\s+steps|deliverables?|steps(?!\s+to\s+repro)|workstreams?|milestones|to-?dos?|to do|tasks|in this order|in order|follow(?:ing)?\s+(?:this|that|the)\s+(?:order|sequence|steps)|in\s+(?:this|that)\s+sequence|need|needed|needs|asks|plan|"
                   r"this week|today|tomorrow|before|after|launch|checklist|ready\s+for|prep(?:ping)?\s+for|"
                   r"prepar(?:e|ing)\s+for)\b[^:]*:?\s*$|^\s*(?:need|todo|to-?do)\s*:"
                   r"|^\s*(?:(?:and|so|ok|okay)\s+)?(?:now|right\s+now|next|up\s+next)\s*:\s*$"  # "writes are back. now:"
                   r"|\b(?:two|three|four|2|3|4|a\s+few|a\s+couple\s+of)\s+(?:unrelated|separate|different|quick|small)\b[^:]*:?\s*$"
                   r"|\b(?:not\s+related|unrelated|separate)\s*:\s*$|\bx\s?[2-5]\b[^:]*:\s*$"  # "asap x2, not related:"
                   r"|" + _OUTCOMES + r"\s*:?\s*$", re.IGNORECASE)
# a ticket's outcomes on one line: "AC: feature + tests; to prod behind a flag; changelog entry once it's on"
OUTCOME_LINE = re.compile(_OUTCOMES + r"\s*:\s*(?=[^\n]*;)", re.IGNORECASE)
OUTCOMES_HEAD = re.compile(_OUTCOMES, re.IGNORECASE)  # a head of outcomes: its checkboxes are the ticket's, not to-dos

NEED_LIST = re.compile(r"^\s*(?:(?:so|ok|okay|and|rn|now|also|today|tomorrow|this\s+week)\s+)*(?:(?:we|i)(?:\s+would|['’]d)\s+(?:like|love)|(?:(?:we|i)\s+)?(?:need|needs|want|todo|to-?do|to do|asks?|"
                        r"deliverables|(?:the\s+)?(?:things|tasks)\s+(?:to\s+do|for\s+\w+(?:\s+\w+)?)))\s*$",
                        re.IGNORECASE)

# "Prep for the trade show:", "get ready for launch:": what follows is the work for it
def makes_one_thing(head: str) -> bool:
    """ "Write the GitHub Actions pipeline": a verb and its own object, not a project ("Launch the mobile app")."""
    words = WORD.findall(head)
    if len(words) >= 4 and words[1].casefold() in ("up", "out"):  # "Set up GitHub Actions for the repo"
        words = [words[0], *words[2:]]
        if words[1][:1].isupper():
            return words[0].casefold() not in PROJECT_VERBS
    if len(words) < 3 or words[0].casefold() in PROJECT_VERBS:
        return False
    second, third = words[1].casefold(), words[2].casefold()
    return second in DETERMINER or (second in ("to", "for", "on", "about") and third in DETERMINER)  # "Reply to this ticket"

PROJECT_VERBS = frozenset("launch release ship roll prep prepare plan kick organise organize run do get handle "
                           "start finish wrap celebrate announce".split())

TIDY_VERBS = frozenset("clean tidy sort go review audit overhaul refresh polish declutter".split())

PREP_FOR = re.compile(r"^(?:prep|prepare|get\s+ready|plan|organi[sz]e|sort\s+out\s+things)\s+for\s+\w", re.IGNORECASE)

LIST_ITEM = re.compile(r"\s*,\s*(?:and\s+|plus\s+)?|\s+\+\s+|\s*;\s*")

LISTED = "\ue000"

PARTS_OF = "\ue002"  # the parts of one piece of work named just before ("sort it out: a, b, c")

TITLED = "\ue001"

# a to-do item that says what is wrong ("the TLS cert expires friday and the renewal did not happen"): the work is to
# put it right
PROBLEM_ITEM = re.compile(r"\b(?:broken|not\s+working|fail(?:s|ing|ed)?|crash(?:es|ing)?|expire[sd]?|expiring|wrong|down|missing|misses|"
                          r"did\s+not|didn['’]?t|doesn['’]?t|does\s+not|won['’]?t|can['’]?t|cannot|bug|errors?|slow|stuck|"
                          r"leak(?:s|ing)?|times?\s+out|timing\s+out|off\s+by|a\s+day\s+out|an\s+hour\s+out)\b", re.IGNORECASE)

# "FYI two unrelated:", "misc list, no order:", "none of this blocks each other": the items of a head run apart
APART = re.compile(r"\b(?:unrelated|not\s+related|separate|independent|in\s+parallel|no\s+order|any\s+order|"
                   r"(?:none|neither)\s+of\s+(?:this|these|them)\s+blocks?)\b", re.IGNORECASE)
