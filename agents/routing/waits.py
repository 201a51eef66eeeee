"""Words that make one part of a task wait for another: "but only after marketing has settled it", "wait until the
devs have shipped it", "once both are done", "if they sign, ...".

Patterns only (compiled regular expressions); agents/routing/rewrites.py and clauses.py use them.
"""

from __future__ import annotations

import re

# "based on what people say, rework ...", "using the results, ...": the work before this one feeds it
FROM_FINDINGS = (r"(?:using|based\s+on|drawing\s+on|informed\s+by|going\s+off|guided\s+by)\s+(?:what\s+(?:[\w'’]+\s+){0,3}?"
                 r"(?:says?|said|finds?|found|learns?|learned|learnt|turns?\s+up|shows?|comes?\s+up\s+with|wants?|asks?\s+for)|"
                  r"(?:the|their|its|those|these)\s+(?:\w+\s+)?(?:results?|findings?|answers?|feedback|insights?|numbers|"
                  r"research|summary|report|analysis|themes?|list|data))\b")

# "and while that's happening, someone rewrite the page": side by side with the part before
WHILE_THAT = r"while\s+(?:that'?s|thats|this\s+is|it'?s|they'?re|that\s+is)\s+(?:happening|going\s+on|in\s+progress|underway|being\s+\w+)"

# "but only after marketing has settled the positioning": the team named does that part first
# "but only after", "wait until", "not until": what comes before the work asked for
_WAIT = r"^(?:but\s+)?(?:obviously\s+|of\s+course\s+)?(?:only\s+)?(?:after|once|when|(?:wait\s+)?(?:until|till)|not\s+until)\s+"
ONLY_AFTER = re.compile(_WAIT + r"(?P<who>[\w\s'-]{2,30}?)\s+(?:has|have|is|are)\s+(?:actually\s+|finally\s+|fully\s+)?"
                         r"(?P<pp>\w+)\b(?P<rest>.*)$", re.IGNORECASE)

# "but only after the sync is built and deployed to prod": two pieces of earlier work, each a step of its own
_ONLY_WAIT = r"(?:only\s+(?:after|once|when)|(?:wait\s+)?(?:until|till)|not\s+(?:until|before))\s+"
BOTH_STATES = re.compile(r"\b(?P<wait>" + _ONLY_WAIT + r")(?P<thing>(?:the|our|its|their)\s+[\w'-]+(?:\s+[\w'-]+){0,3}?)\s+"
                         r"(?P<be>is|are|has\s+been|have\s+been|gets|get)\s+(?:actually\s+|fully\s+|properly\s+)?"
                         r"(?P<pp>\w+)\s+and\s+(?:then\s+)?(?P<pp2>\w+)\b(?P<rest>[^,.;:!?]*)", re.IGNORECASE)

# "..., but only after the discount logic is built": earlier work on a thing, whoever does it
ONLY_AFTER_THING = re.compile(r"^(?:but\s+)?(?:obviously\s+|of\s+course\s+)?" + _ONLY_WAIT + r"(?P<thing>(?:the|our|its|their)\s+[\w'-]+(?:\s+[\w'-]+){0,3}?)\s+"
                              r"(?:is|are|has\s+been|have\s+been|gets|get)\s+(?:actually\s+|fully\s+|properly\s+)?"
                              r"(?P<pp>\w+)\b(?P<rest>.*)$", re.IGNORECASE)

ONLY_AFTER_WE = re.compile(r"^(?:but\s+)?(?:only\s+)?(?:after|once|when)\s+we\s+(?:actually\s+|finally\s+|really\s+)?"
                            r"(?:have|'ve\s+got|got|get)\s+(?P<thing>(?:a|an|the|our|\w+\s+\w+).+)$", re.IGNORECASE)

ONLY_AFTER_MADE = re.compile(r"^(?:but\s+)?only\s+(?:after|once|when)\s+(?:it|they|that)(?:'s|’s|\s+is|\s+are|'re|\s+has\s+been|"
                              r"\s+have\s+been)\s+(?:actually\s+|fully\s+)?(?P<pp>built|coded|implemented|developed|written|"
                              r"designed|deployed|shipped|finished|made|set\s+up|fixed)\b(?P<rest>.*)$", re.IGNORECASE)

ONLY_AFTER_DO = re.compile(_WAIT + r"(?P<work>(?:the\s+|our\s+)?[a-z]+\s+(?!has\b|have\b|is\b|are\b)[a-z]+\b.*)$",
                           re.IGNORECASE)
ONLY_AFTER_LIVE = re.compile(_WAIT + r"(?:the\s+|our\s+)?(?P<who>[a-z]+)\s+(?:has|have|gets?|got)\s+"
                              r"(?P<thing>(?:the|our|it|them|a|an|all|some|\d+)\b.*?)\s+(?P<state>live|up|ready|done|running|deployed|out|"
                              r"fixed|built|set\s+up|[a-z]+ed)\b(?P<rest>.*)$", re.IGNORECASE)

# a clause that is only "once both are done": the next request comes after the earlier ones
ONLY_WAIT = re.compile(r"^(?:and\s+)?(?:once|when|after)\s+[^,.;]{0,40}\b(?:is|are|'s|'re|s|has been|have been)\s+"
                        r"\w+\s*$", re.IGNORECASE)

CONDITION_FIRST = re.compile(r"^(?:once|after|when|as\s+soon\s+as)\b", re.IGNORECASE)

# "If they sign, have the devs build the feed": a leading condition on how earlier work turns out; what follows waits
ON_OUTCOME = re.compile(r"^(?:and\s+|but\s+|then\s+)?(?:if|once|when|after|as\s+soon\s+as)\s+(?:they|he|she|it|that|this|those|"
                        r"these)\s+(?:still\s+|actually\s+|finally\s+)?[a-z]+\b[^,.;]{0,40}$", re.IGNORECASE)

# "..., and after the migration have the developer upgrade the library": what follows comes after that work
AFTER_THE_THING = re.compile(r"^(?:after|following)\s+(?:the|this|that|our)\s+[\w-]+(?:\s+[\w-]+)?\s*,?\s+(?=[a-z])",
                             re.IGNORECASE)
AFTER_THE_ONE = re.compile(r"^(?:after|following)\s+(?:the|this|that|our)\s+[\w-]+\s*,?\s+(?=[a-z])", re.IGNORECASE)  # "after the launch follow up"

# "Before you email the buyer our proposal, get the order form fixed": the later work, named first
BEFORE_US = re.compile(r"^before\s+(?P<who>you|we|i|u)\s+(?:can\s+|do\s+|actually\s+)?(?P<work>[a-z]+\b.*)$", re.IGNORECASE)
# "Before doing the newsletter, collect the top questions": the same, with the later work as a gerund
BEFORE_DOING = re.compile(r"^before\s+(?P<ing>[a-z]+ing)\s+(?P<rest>\S.*)$", re.IGNORECASE)

# "roll it out to staging first", "deploy it behind a flag, 10% of users first", "affected tenants' clusters first",
# "canary in eu-west-1 first": a stage of the same work, not
# this work before the rest of the task
STAGED_FIRST = re.compile(r"\b(?:staging|canary|beta(?:\s+(?:users|testers|group))?|\d+\s*%(?:\s+of\s+(?:the\s+|our\s+)?\w+)?|"
                          r"a\s+(?:few|handful\s+of)\s+\w+|(?:one|two|a|a\s+single)\s+(?:region|server|box|node|store|"
                          r"customer|user|device|clinic|team)s?|internal(?:\s+\w+)?|ourselves|me|us|"
                          r"(?:the\s+)?affected\s+[\w'’-]+(?:\s+[\w'’-]+)?|[\w-]+['’]s?\s+(?:clusters?|servers?|instances?|"
                          r"accounts?|stores?|tenants?|nodes?|sites?)|[a-z]{2}-[a-z]+-\d)\s+first\b", re.IGNORECASE)

# "rewrite the auth section before we send anything": this part comes before what is sent, published or pitched
BEFORE_WE_ACT = re.compile(r"\bbefore\s+(?:we|i|you|they)\s+(?:can\s+)?(?:send|submit|share|publish|launch|announce|ship|"
                           r"reply|respond|email|post|go\s+live|release|pitch|present|demo|switch|migrate|move|cut\s+over|"
                           r"deploy|upgrade|roll\s+out)\b", re.IGNORECASE)

# "..., and once builds go through again, fix the crash": whatever the condition says, the order after it waits
# (not "once a week, send the report": a frequency)
ONCE_LEAD = re.compile(r"^\s*(?:and\s+|but\s+|then\s+)?(?:once|as\s+soon\s+as)\s+(?!a\s+(?:day|week|month|year|quarter)\b|per\b)"
                       r"[^,.;:!?]{3,60},\s*(?=[a-z])", re.IGNORECASE)

# "..., and build the sample repo it walks through. repo first obviously": the part named first, by its thing
THING_FIRST = re.compile(r"^(?:(?:the|our|that|this)\s+)?(?P<thing>[a-z][\w-]*(?:\s+[a-z][\w-]*){0,2}?)\s+"
                         r"(?:(?:needs?|has)\s+to\s+(?:be\s+)?(?:done|ready|built|written|finished|live)\s+|(?:(?:needs?|has|have)\s+to\s+"
                         r"|should\s+|must\s+)?(?:come|comes|go|goes|happen|happens)\s+)?first\b", re.IGNORECASE)  # "whitepaper has to come first"

# "..., and ask ops to raise the limit before the ads go live", "... a prototype before the demo": this work comes
# before the request about that thing (the last word of the thing names it)
BEFORE_THE_THING = re.compile(r"\bbefore\s+(?:the|our|their|any\s+of\s+the|those|these)\s+(?:[\w-]+\s+){0,2}?(?P<thing>[a-z][\w-]{2,})"
                              r"(?=\s+(?:go|goes|went|is|are|gets?|launch(?:es)?|ships?|starts?|happens?|lands?)\b|\s*[.!?]*$|\s*,)",
                              re.IGNORECASE)

# "Marketing can write a landing page after the demo if it goes well": this work follows the request about that thing
AFTER_THE_THING_SAID = re.compile(r"\bafter\s+(?:the|our|their)\s+(?:[\w-]+\s+){0,2}?(?P<thing>[a-z][\w-]{2,})"
                                  r"(?=\s+(?:is|are|goes|go|gets?|ships?|lands?|launch(?:es)?|if|when|has|have|went|was)\b|"
                                  r"\s*[.!?]*$|\s*,)", re.IGNORECASE)

# "And when it's fixed", "and if it's live before mid-November": a condition on work done, no work of its own (the
# order it waits for comes in the next clause)
ONLY_CONDITION = re.compile(r"^(?:(?:and|but|so|then)\s+)?(?:when|once|if|after|as\s+soon\s+as)\s+(?:it|that|this|they|those|"
                            r"the\s+[\w-]+(?:\s+[\w-]+)?)(?:'s|’s|\s+is|\s+are|'re|’re|\s+has\s+been|\s+have\s+been|\s+was|"
                            r"\s+were|\s+gets?)\s+(?:all\s+|fully\s+|finally\s+)?[\w-]+(?:\s+(?:before|by|on|in|for)\s+[\w -]{1,30})?"
                            r"[\s.,!]*$", re.IGNORECASE)
