"""What in a task reads like a request but is none: a team offering what the work starts from, what we run,
what the work is for, a how-to topic, what to take for granted, what a review says.

Patterns only; agents/routing/clauses.py and rewrites.py use them.
"""

from __future__ import annotations

import re

from agents.routing.days import DAY_FORMS, DAYS

# "Ops can give you the numbers": a team offering what the work starts from
GIVES_YOU = re.compile(r"^(?:give|send|get|pass|share|hand|forward)\s+(?:you|u|us|me)\b|^help\s+(?:you|u)\b|"
                       # "Marta from the dev team can explain details if you need": what a team can tell, not its work
                       r"^(?:explain|confirm|clarify|answer|fill\s+in|walk\s+(?:you|u|us)\s+through)\s+(?:the\s+|any\s+|your\s+|all\s+the\s+)?"
                       r"(?:technical\s+)?(?:details?|specifics|questions?|gaps|bits|numbers)\b", re.IGNORECASE)

_ADDRESSED = re.compile(r"^[\w'’-]+(?:\s+team)?\s*,\s")  # "Devops, give me the real answers": said to the team


def only_gives(work: str, lead: str) -> bool:
    """ "Ops can give you the numbers": what a team offers (not "Devops, give me the real answers on the infra
    part", an order said to the team)."""
    return GIVES_YOU.match(work) is not None and _ADDRESSED.match(lead.strip()) is None


# "We have SOC 2, SSO, and run on AWS EKS": what we run, use or offer, said of us
OUR_STATE = re.compile(r"^(?:run|use|host|offer|support|sell|serve|own|operate)\s+(?:on|in|with|a|an|the|our|\w+)\b",
                       re.IGNORECASE)
# "..., so support can handle it faster": what the work is for ("so ops look into it" is an order)
PURPOSE = re.compile(r"^(?:the\s+|our\s+)?[\w-]+(?:\s+(?:team|people|folks|guys|person))?\s+(?:can|could|will|would|won'?t|can'?t|has|have|is|are|knows?|gets?)\b",
                     re.IGNORECASE)
HOW_TO = re.compile(r"\bhow\s+to\s+[a-z]+\b[^,.;]*$", re.IGNORECASE)
# "so assume it ships on time": what to take for granted, not work
SUPPOSE = frozenset("assume suppose imagine pretend".split())
SAYS = re.compile(r"\b(?:that|which|who)\s+(?:says?|said|complains?|complained|mentions?|mentioned|claims?|claimed)\b|"
                  r"\b(?:saying|complaining|claiming)\b", re.IGNORECASE)

# "Two separate things, do them in parallel": how to run the other parts, not a part of its own
HOW_TO_RUN = re.compile(r"^(?:do|run|handle|tackle|work\s+on|start)\s+(?:(?:both|the\s+two|the\s+three)(?:\s+(?:of\s+them|things|tasks))?"
                        r"(?:\s+(?:in\s+parallel|at\s+the\s+same\s+time|separately|side\s+by\s+side|together|in\s+(?:that|this|any)\s+order|"
                        r"in\s+order|one\s+after\s+the\s+other|simultaneously))?|(?:them|these|those|each|all\s+(?:of\s+)?(?:them|these|three|four))"
                        r"(?:\s+(?:of\s+them|things|tasks))?\s*(?:in\s+parallel|at\s+the\s+same\s+time|separately|side\s+by\s+side|together|"
                        r"in\s+(?:that|this|any)\s+order|in\s+order|one\s+after\s+the\s+other|simultaneously))[\s.!]*$", re.IGNORECASE)

# "check the proration logic and whether refunds and plan downgrades are handled": the "and" joins the question's
# things, not two requests
OPEN_QUESTION = re.compile(r"\b(?:whether|if)\s+(?:the\s+|our\s+|their\s+)?[\w'-]+(?:\s+[\w'-]+){0,3}$", re.IGNORECASE)

# "The devs ship multiplayer mode on the 14th.": a sentence of its own saying when a team's work is due is news
SCHEDULED = re.compile(r"^(?:the|our)\s[^,;:]*\b(?:on\s+the\s+\d{1,2}(?:st|nd|rd|th)|on\s+(?:mon|tues|wednes|thurs|fri|satur|sun)day|"
                       r"next\s+(?:week|month|sprint)|tomorrow|this\s+(?:week|month|sprint))[\s.!]*$", re.IGNORECASE)

# "oh and two separate things", "ok bit of a list", "Conference next month": what introduces the work, not work
PREAMBLE = re.compile(r"^(?:(?:ok|okay|so|oh|and|also|right)\s+)*(?:(?:a\s+)?(?:bit\s+of\s+a|quick|couple(?:\s+of)?|few|two|three|"
                      r"four|several|some|a\s+few|a\s+couple(?:\s+of)?)\s+)?(?:separate\s+|different\s+|unrelated\s+|small\s+|"
                      r"random\s+|quick\s+|more\s+|other\s+)?(?:things?|stuff|items?|list|questions?|updates?|asks?|requests?|"
                      r"tasks?)\b[\s.!:]*$|"
                      r"^(?:[\w'’&-]+\s+){1,3}(?:push|initiative|project|effort|drive|prep|kickoff)[\s.!:]*$|"  # "Corporate wellness push."
                      r"^(?:[\w'’&-]+\s+){0,3}(?:launch|release|demo|conference|crunch|busy|big)\s+(?:week|day|weekend)[\s.!:]*$|"
                      r"^(?:[\w'’.&-]+\s+){0,3}(?:launch|release|go-live|rollout)\s*[,:—–-]?\s*(?:target(?:ing)?|due|eta|"
                      r"planned\s+for)\s+[\w ,/.]{1,25}[\s.!]*$|"  # "v5 launch, target Tue Mar 4."
                      r"^[\w'’-]+(?:\s+[\w'’-]+){0,3}\s+(?:next|this|last)\s+(?:week|wk|month|mo|year|quarter|" + DAYS + r")[\s.!]*$|"
                      # "Board meeting on the 20th", "Launch day Tuesday, we're going to get hammered", "Outage last night"
                      r"^(?:[\w'’-]+\s+){0,3}?(?:meeting|day|show|conference|summit|webinar|offsite|fair|expo|deadline|outage|"
                      r"launch|release|announcement|go-live|kickoff|incident|event|review)(?:\s*\u27e6\d+\u27e7)?\s+(?:(?:on|at)\s+)?(?:the\s+)?"
                      r"(?:\d{1,2}(?:st|nd|rd|th)?(?:\s+(?:of\s+)?(?:jan|feb|mar|apr|may|jun|jul|aug|sep|oct|nov|dec)[a-z]*)?|" + DAYS + "|" + DAY_FORMS + r"|tomorrow|tonight|today|"
                      r"yesterday|last\s+night|this\s+morning)\b\.?"
                      r"(?:[\s.!]*$|\s*[,;]\s*(?:we|we're|we'll|it|it's|they|i|i'm|there|could|might|may|should|expect(?:ing)?|"
                      r"probably|hoping)\b.*$)", re.IGNORECASE)

# "Customers should be able to pay by ACH.", "i want ppl to be able to book online", "The goal is ...", "Right now
# we lose leads ...": the outcome the founder wants or where things stand, not work by itself (the asks follow)
_PEOPLE = (r"(?:ppl|people|customers|users|students|tutors|teachers|clients|patients|members|visitors|buyers|"
           r"subscribers|donors|parents|guests|shoppers|readers|listeners|viewers|fans|folks|everyone|anyone|"
           r"new\s+(?:users|customers|hires|members)|our\s+\w+|them)")
GOAL = re.compile(r"^(?:(?:so|ok|okay|basically|honestly)[\s,]+)*(?:(?:i|we)\s+(?:just\s+|really\s+)?(?:want|need|would\s+like|'d\s+like)\s+"
                  + _PEOPLE + r"\s+(?:to\s+)?(?:be\s+able\s+to|actually|finally|stop|start|find|get|understand|feel|know|see)\b|"
                  + _PEOPLE + r"\s+(?:should|need\s+to|must|have\s+to|ought\s+to)\s+be\s+able\s+to\b|"
                  r"(?:the|my|our)\s+(?:main\s+|end\s+)?goal(?:\s+(?:here|is|for))?\b|(?:goals?|kr\s*\d{0,2}|okr|objective|key\s+result)\s*:|"
                  r"right\s+now\b(?!,?\s+(?:please|pls|i\s+need|we\s+need)))", re.IGNORECASE)

# "sales can wait.", "marketing: nothing, relax": a part the founder leaves out of this task
LEFT_OUT = re.compile(r"^[^,;:]{1,40}\bcan\s+wait\b[\s.!]*$|^\s*[\w ]{1,25}:\s*(?:nothing|n/a|none)\b|"
                      r"\b(?:handles?|is\s+handling|will\s+handle|takes?\s+care\s+of)\b[^.;]*,\s*this\s+is\s+(?:just|only)\s+(?:the|for)\b|"
                      r"\b(?:that'?s|that\s+is|it'?s|this\s+is)\s+not\s+(?:your|our)\s+(?:problem|concern|job|part)\b",
                      re.IGNORECASE)  # "Marketing handles the send, this is just the article"
# "Hola!", "Guten Morgen.", "Olá,": a greeting in the founder's own language opens the message, asks nothing
GREETING = re.compile(r"^\s*(?:hola|ol[aá]|hallo|guten\s+(?:morgen|tag)|bonjour|salut|ciao|buongiorno|namaste|"
                      r"buenos\s+d[ií]as|buenas|bom\s+dia|oi|cze[sś][cć]|dzie[nń]\s+dobry|konnichiwa|moin|servus|hej|hei)"
                      r"\b[\s,.!]*", re.IGNORECASE)
# "Update: the devs shipped offline mode. Next: ...", "FYI - ...": a label before what the founder reports, not an order
LABEL = re.compile(r"^[ \t]*(?:(?:quick|small|big|status|weekly|daily)\s+)?(?:update|status|fyi|recap|news|heads[- ]up)\s*"
                   r"(?:[:\u2013\u2014]|-(?=\s))[ \t]*", re.IGNORECASE | re.MULTILINE)
# "Using the persona document that marketing did (...)", "use the personas from last month's messaging doc to pick the
# titles": work that reads something already made; the team that made it is asked for nothing
USES_MADE = re.compile(r"^(?:and\s+|then\s+)?(?:using|use|based\s+on|building\s+on|with|take|taking|start\s+from|starting\s+from)\s+"
                       r"(?:the|our|their|that|those|these|this)\s+[^,;]{0,60}?(?:\b(?:that|which)\s+(?:\w+\s+){0,2}?"
                       r"(?:did|made|wrote|created|built|prepared|shared|sent|put\s+together|drafted)\b|"
                       r"\bfrom\s+last\s+(?:week|month|quarter|year|sprint)|\b(?:we|you|they)\s+(?:already\s+)?(?:have|did|made|wrote)\b|"
                       r"\balready\s+(?:made|written|done|there)\b|"
                       # "use the 'chain' persona marketing made last month": a team's finished work
                       r"\b(?:marketing|sales|support|content|devops|ops|code|the\s+devs?|design|growth)\s+(?:team\s+)?(?:already\s+)?"
                       r"(?:made|did|wrote|created|built|prepared|shared|sent|drafted|put\s+together)\b)", re.IGNORECASE)
