"""The words and patterns the clause splitter reads a task with, and its smallest helpers.

Lead fillers ("can you", "once that's done"), order words ("then", "before that", "... first"),
the shapes of context (reports, conditions, style notes) and of material (quotes, brackets,
forwarded lines). Kept apart from the splitter so that each rule is one named pattern.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from functools import lru_cache

from agents.routing.days import DAY_ABBREVIATIONS, DAYS
from agents.routing.verbs import NOUN_SUBJECT, is_base_verb, respelled, starts_order
from agents.routing.waits import FROM_FINDINGS, WHILE_THAT

# Extra imperative verbs beyond the lexicon's action verbs (the lexicon's list is for routing).
EXTRA_VERBS = frozenset(
    "provision spin switch warn mention share brief survey interview move renew rotate clean slim cut look scope "
    "prep get have line inform install answer handle speed roll put finish give push ask attach "
    "resize reset seed change remove delete replace rename redesign rebuild rewrite set integrate "
    "connect sync port expose upgrade downgrade open close merge collect gather compile pull export "
    "import generate analyze analyse audit assess evaluate estimate price offer pitch present demo "
    "draft polish shorten proofread localize localise record film shoot film host onboard train "
    "invite thank congratulate apologise apologize reassure warn remind nudge chase close sign "
    "document describe outline summarise summarize explain announce publicize publicise advertise "
    "promote tweet blog launch release ship deploy publish upload instrument harden patch "
    "benchmark profile debug diagnose reproduce investigate figure work come pick make do use link hand pass look go "
    "walk fill hop jump hotfix start begin "
    "forward bump upsize downsize right-size rightsize dig redeploy rebuild".split()
)

# "fix this and after answer the customers": "after" as "afterwards", right before the next order
AFTER_ORDER = (r"after,?(?=\s+(?:answer|reply|write|send|tell|email|call|deploy|update|post|publish|notify|inform|let|ask|"
               r"contact|make|create|prepare|announce|fix|launch|run|share|put|add|do)\b)")
LEAD_FILLERS = re.compile(
    r"^(?:[+&][\s,:]*|(?:(?:once|as soon as) (?!a (?:day|week|month|year|quarter)\b|per\b)[^,.;:!?]{2,59}\w(?=,)|and|then|also|plus|so|ok|okay|yeah|listen(?=,)|look(?=,)|yep|yo|hey|oh|alright|ugh|argh|oof|welp|hmm|pls|plz|please|kindly|finally|next|afterwards|thereafter|after that(?!['’]s)|"
    r"though|tho|however|" + AFTER_ORDER + "|"
    r"(?:once|when|after) (?:that'?s|that is|this is|it'?s|its|it is|they'?re|they are|those are|both are|all are|"
    r"both of them are|all of them are|everything is|all of that is|that has been|it has been|they have been) "
    r"(?:done|live|out|ready|finished|up|in|back|online|working|stable|healthy|green|fixed|sorted|deployed|shipped|merged|"
    r"published|built|"
    r"approved|[a-z]+ed)"
    r"(?: back| up| out| down| over)?(?: (?:and|&|\+) (?:stable|live|tested|working|green|verified|approved|deployed|out|ready))?|"
    r"(?:using|with) (?:that|this|those|these|it|them)(?: \w+)?(?: \w+)?(?=,)|" + FROM_FINDINGS + ",?|"
    r"(?:using|based on|from) (?:that|this|those|these|it|them)(?= (?:a|an|some|\d+)\b)|"
    r"(?:once|when|after|as soon as) (?:that|this|it|they|those|these|both|everything) (?:has|have|is|are)(?: been)? \w+,?|"
    r"(?:once|when|after|as soon as) (?:it'?s|its|it is|that'?s|they'?re|they are) (?:fast|faster|better|quicker|stable|fine|solid|safe|"
    r"working again|(?:on |up |in )?there|in place|running(?: there)?|set up|"
    r"ready),?|(?:once|when|after|as soon as) (?:they|he|she|the client|the customer) [a-z]+(?: off| back| in| up| out)?"
    r"(?: it| them| that)?,?|"
    r"(?:once|when|after|as soon as) (?:it|that|this|they|the fix|the feature) (?:works|work|ships|ship|lands|goes live|is working|'s working|is live|'s live),?|"
    r"(?:once|when|after|as soon as) (?:(?:the|our|their|its|your) )?[\w'-]+(?: [\w'-]+){0,2} (?:is|are|has been|have been|"
    r"gets|get) (?:\w+ed|done|out|up|live|in|back|ready|built|written|sent|fixed|finished|\w+ing(?: again)?)|"
    r"when (?:that'?s|it'?s) done|(?:once|when) (?:done|live|ready|[a-z]{3,}ed)\b,?(?= [a-z])|"
    r"can you|could you|can someone|could someone|would someone|would somebody|would you|will you|we need to|we must|"
    r"(?:on|by|next|this|every|over the) (?:" + DAYS + "|weekend|morning|"
    r"evening|week)|tomorrow|tonight|later|afterwards|(?:mon|tue|tues|wed|thu|thur|thurs|fri|sat|sun)(?:[-–/](?:mon|tue|tues|wed|thu|thur|thurs|fri|sat|sun)|:)(?= [a-z])|"
    r"can we|could we|can u|could u|can somebody|could somebody|can anyone|could anyone|would you mind|"
    r"(?:is there )?any chance (?:we|you|u|someone|somebody)(?: (?:could|can))?(?= [a-z])|"
    r"(?:would|will|is) it be possible (?:for (?:you|someone|us) )?to|is it possible (?:for (?:you|someone|us) )?to|what would it take to|"
    r"(?:i|we)(?:'?d| would) be (?:very |so |most |really )?(?:grateful|glad|thankful|delighted|happy) if (?:we|you|someone|somebody|"
    r"anyone|one of you|the team) (?:could|would|can|might) (?:also |then )?|"
    r"how (?:hard|easy|difficult|tricky|long|much work) (?:would|will|is) it (?:be|take)(?: (?:for (?:you|someone|us|the \w+)))? to|do (?:we|you) have a way to|"
    r"(?:(?:(?:so|and|but) )?(?:do|d|did) (?:you|u|ya) think|(?:i was |i'?m |i am |just )?(?:also |just )?(?:wondering|hoping) (?:if|whether)|whether|"
    r"i wonder (?:if|whether)|(?:it'?d|it would) be (?:great|good|nice|ideal|helpful|brilliant|lovely|amazing) if)"
    r"(?: (?:we|you|u|someone|somebody|anyone) (?:could|can|might|would)(?: maybe| perhaps| possibly| also)?)?"
    r"(?= (?:we|you|u|someone|somebody|anyone|(?:the |our )?[\w-]+(?: [\w-]+)?) (?:could|can|might|would|should)\b| [a-z])|"
    r"(?:someone|somebody|anyone) (?:could|can|would)(?: maybe| perhaps| possibly| also)?(?= [a-z])|"
    r"(?:would|does|will) it (?:make sense|be (?:ok|okay|sensible|wise|smart|a good idea|worth it)) (?:for (?:you|us|someone) )?to|"
    r"(?:i think |i guess |so )?(?:it|that) (?:might |would |could |may |probably |also |really |definitely )*(?:makes?|'?d make) (?:more |a lot of |most )?sense (?:for (?:you|us|someone) )?to|"
    r"(?:it|that) (?:might|would|could|will|may)? ?(?:also |really |probably )?(?:be|'?d be|'?s) (?:nice|good|great|helpful|smart|wise|ideal|useful|lovely) to(?= (?!have\b)[a-z])|"
    r"if it'?s not too much (?:trouble|bother)|if (?:at all )?possible|when you (?:get a chance|have a (?:sec|minute|moment))|"
    r"maybe|perhaps|possibly|(?:i (?:guess|think|suppose|reckon)|probably)(?= (?:the |our )?[\w-]+(?: [\w-]+)? (?:should|could|"
    r"can|must|needs? to|has to|have to)\b)|need (?:someone|somebody|you) to|"
    r"(?:i|we)(?:'?d| would) (?:also |really )?(?:like|love) (?:you|someone) to|(?:i|we) (?:also |really )?want (?:you|someone) to|"
    r"(?:i|we) (?:also |really )?(?:want|wanna) (?:to )?(?=(?:a/b|ab|split)[ -]?test |test |run |set up |redo |rework |rewrite |build |add |write |make |fix )|"
    r"(?:i think |i guess |i feel like |honestly )?we (?:should|ought to)(?: probably| also| really)?|need to|i need you to|i want you to|you need to|make sure to|let'?s|lets|go ahead and|"
    r"and also|as well|too|now|quickly|first|then also|at the same time|meanwhile|in parallel|but|after which|"
    r"personally|obviously|just|actually|really|definitely|immediately|urgently|properly|carefully|simply|ideally|"
    r"like(?=\s+(?:\d|one|two|three|four|five|a\s+few|maybe|once|twice))|"
    r"firstly|(?:second(?:ly)?|third(?:ly)?|fourth(?:ly)?|lastly|last but not least)(?=\s*[,:])|"
    r"(?:(?:totally|completely|entirely|a) )?separate(?: (?:thing|note|topic|point|issue|ask|request))?(?=\s*[,:.-])|separately|also separately|additionally|in addition|on top of that|beforehand|before then|in the meantime|" + WHILE_THAT + "|"
    r"unrelated,? but|unrelated|on another note|side note|btw|oh and|p\.?s\.?|"
    r"regardless(?:\s+of\s+[^,.;]{1,40})?(?=,)|either way|in any case|no matter what|"
    r"before (?:that|this|then|any of (?:that|this|it)|all (?:that|this))|first of all)\b(?:[\s,:]|\s[-\u2013\u2014](?=\s))*)+",
    re.IGNORECASE,
)

QUOTED = re.compile(r"(?<![A-Za-z0-9])'(?:[^'\n]|(?<=[A-Za-z])'(?=[A-Za-z])){3,}?'(?=[\s,.;:!?)]|$)|\"[^\"\n]{3,}?\"|“[^”\n]{3,}?”|‘[^’\n]{3,}?’|"
                    r"«[^»\n]{3,}?»|„[^“”\n]{3,}?[“”]")

QUOTED_LINES = re.compile(r"(?:^[ \t]*>.*(?:\n|$))+", re.MULTILINE)  # a forwarded email's quoted lines

PARENS = re.compile(r"\([^()\n]{0,300}\)")

# "- [ ] a to-do", "   a. needs unit tests" (a lettered sub-item under a numbered one)
BULLET = re.compile(r"^(?:\s*(?:(?:[-*•]|\d{1,2}[.)]|[a-hA-H]\))\s+(?:\[[ xX]?\]\s*)?|\[[ xX]?\]\s*)|[ \t]{2,}[a-h][.)]\s+)(.+?)\s*$")

HARD = re.compile(r"(?:(?<=[.!?])(?<!\bDr\.)(?<!\bMr\.)(?<!\bMs\.)(?<!Mrs\.)(?<!\bSt\.)(?<!e\.g\.)(?<!i\.e\.)(?<!\betc\.)"
                   r"(?<!\bvs\.)(?<!\bCo\.)(?<!\bInc\.)(?<!\bLtd\.)(?<!\bCorp\.)\s+|\s*;\s*|\s*\n+\s*|\s+(?:--+|[-–—])\s+)")

SOFT = re.compile(r",?\s+(?:and\s+then|and\s+also|and|then|but|so|once|as\s+soon\s+as)\s+|(?:,\s*|(?<!\ba)(?<!\bthe)\s+)(?:plus|&|\+)\s+|,\s+|"
                   r"(?<=[a-z0-9])\s+(?=(?:somebody|someone|some1)\s+(?:also\s+)?(?:needs?|has|have|should|must|gotta)\s+to\b)|"
                   r"(?<=[a-z0-9])(?<!only)(?<!just)(?<!right)\s+(?=after\s+(?:the\s+)?(?:code|devs?|devops|ops|engineering|eng|backend|frontend)(?:\s+team)?\s+(?:finish(?:es)?|ships?|builds?|fix(?:es)?|has|have|is|are|merges?|deploys?|completes?)\b)|"  # "docs after code finishes the endpoint"
                   r"(?<=[a-z0-9])\s+(?=(?:so\s+)?(?:can|could)\s+(?:we|you|u|someone|somebody|anyone|(?:the\s+|our\s+)?"
                   r"(?:ops|devs?|eng|engineering|marketing|sales|support|team)\b)\s)",
                   re.IGNORECASE)

# A request put as a wish or a question: "I'd also like a short guide", "can this be corrected", "we want a ..."
WISH = re.compile(r"^(?:(?:so|and|also|then)\s+)*(?:i|we)(?:'?d|\s+would|'ll|\s+will)?\s+(?:also\s+|really\s+|still\s+)?(?:like|love|want|need)\s+"
                   r"(?P<thing>(?:(?:a|an|the|some|our|new|more|\d+|two|three|four|five|proper|better)\s|"
                   r"[a-z][a-z-]+s\s+(?:to|for|on|about|with)\s|(?!to\b|it\b|them\b|this\b|that\b|you\b|him\b|her\b)"
                   r"[a-z][\w-]*\s+[a-z][\w-]*\s).+)$", re.IGNORECASE)

CAN_BE = re.compile(r"^(?:(?:can|could|would)\s+(?P<subj>(?:this|that|these|those)(?:\s+(?!be\b)[\w'-]+){0,2}|it|(?:the|our|their)\s+[\w'-]+(?:\s+[\w'-]+){0,3})|"
                    r"(?:whether\s+)?(?P<subj2>(?:the|our|their)\s+[\w'-]+(?:\s+[\w'-]+){0,3})\s+(?:could|can|might))\s+"
                     r"be\s+(?P<pp>\w+)(?P<rest>.*)$", re.IGNORECASE)

# "crash-reporting should alert me", "the devs still need to finish ...", "the pricing page needs copy": a thing
# that has to happen, said about its subject
OBLIGED = re.compile(r"^(?!(?:it|this|that|they|he|she|i|we|you|there|what|how|why|where|which|who)\b)"
                     r"(?!(?:(?:the|our|all|existing|affected)\s+)?(?:customers|users|clients|members|people|folks)\s+(?:should|must)\s+(?!be\b|get\b))"
                      r"(?![^,.;]*(?:\b(?:do\s+not|does\s+not|not|never|no)|n'?t)\s+(?:need|have|must|should))"
                      r"(?:(?!if\b|when\b|because\b|unless\b|so\b)[\w'’/-]+\s+){1,8}?"
                      r"(?:still\s+|also\s+|really\s+|just\s+|then\s+)?(?:(?:(?:needs?|has|have)\s+to|must|should)\s+[a-z]|"
                      r"needs?\s+(?!to\b|their\b|his\b|her\b|its\b|our\b|my\b|your\b|them\b|it\b|us\b|me\b|him\b)[a-z])",
                      re.IGNORECASE)

PROMISE = re.compile(r"\b(?:will|won'?t|'ll|going\s+to|would|'d|gonna)\b", re.IGNORECASE)

# "follow up with them once the sso feature is built": the thing to be built is work, and it comes first
IS_DONE = re.compile(r"^(?P<subj>(?:the|our|a|an|this|that|its|their)\s+(?:[\w'’/-]+\s+){0,7}?)"
                      r"(?:is|are|has\s+been|have\s+been|gets|get)\s+(?P<pp>\w+)\b(?P<rest>.*)$", re.IGNORECASE)

# "..., after which our writer should ...": what follows comes later
AFTER_WHICH = re.compile(r"^(?:after\s+which|whereupon|and\s+after\s+that)\b[\s,]*", re.IGNORECASE)

# "before that ...", "but first ...": what follows comes first
BEFORE = re.compile(r"^(?:but\s+)?(?:before\s+(?:that|this|then|we\s+do\s+that|any\s+of\s+that)|first\s+of\s+all|"
                     r"beforehand|first(?!\s+(?:comment|impression|time|few|week|day|month|round|version|chapter|episode|"
                     r"cohort|paragraph|slide|line|half|quarter|year|page|screen|image|shot|tweet|reply)s?\b))\b[\s,]*",
                     re.IGNORECASE)

# "before that, X" / "X before we submit": X is an input to the request before it
BEFORE_PREVIOUS = re.compile(r"^(?:but\s+|and\s+)?before\s+(?:that|this|then|we\s+do\s+that|any\s+of\s+that)\b|"
                              r"^(?:but\s+|and\s+)?before\s+(?:the|this|that)\s+[a-z-]+(?:\s+[a-z-]+)?\s*(?:,|\s+though\b|\s+tho\b|$)|"
                              # "..., but the rounding bug needs fixing before that", "fix that before the article goes out"
                              r"\bbefore\s+(?:that|this|then)\s*(?:[.!]*$|,|(?:or|otherwise|because|since|else)\b)|"
                              r"\bbefore\s+(?:the|it|they|our)\s+(?:[\w-]+\s+){0,2}?(?:(?:goes|go|is|are|gets|get)\s+"
                              r"(?:out|live|up|sent|published|launched)|happens|starts|begins|ships|launches|lands)\b|"
                              r"\bbefore\s+(?:we|i|you)\s+(?:\w+\s+){0,2}?(?:submit|send|publish|sign|ship|launch|go|"
                              r"post|announce|answer|reply|fill|file|finish|start|do|talk|meet|call|pitch|present|"
                              r"demo|renew|sign|go\s+live)\b", re.IGNORECASE)

# an elliptic passive: "..., and the owner told once it's back" -> "tell the owner once it's back"
NP_ENDS = frozenset("and or but is are was were has have had who which that because if when so he she they we i "
                     "you".split())

NP_DETERMINERS = frozenset("the our a an this that those these their its his her each every all".split())

# "we're launching on Product Hunt on Wednesday": a sentence about us is context, not an order
ABOUT_US = re.compile(r"^(?:(?:we|i|they|he|she)(?:'re|'m|'ve|'ll|’re|’m| are| am| were| was| have| had| will)|"
                      r"(?:we|they)\s+(?:sell|make|run|offer|build|own|operate|provide|do|use|serve|host)|"
                      r"here'?s|here\s+(?:is|are)|attached\s+(?:is|are)|below\s+(?:is|are))\s",
                       re.IGNORECASE)

HANDOFF = re.compile(r"^(?:get|have|ask|tell|let|make)\s+", re.IGNORECASE)

# "then hand it to sales for the pitch deck": the team the result goes to does the next part
PASS_ON = re.compile(r"^(?:hand|pass|give|send|forward)\s+(?:it|them|(?:this|that|these|those|the)(?:\s+\w+){0,3}?)\s+"
                      r"(?:over\s+|on\s+)?to\s+(?:the\s+|our\s+)?", re.IGNORECASE)

WORD = re.compile(r"[A-Za-z][A-Za-z'’-]*")

# "and a short FAQ" starts a second thing for the same verb; "and their names", "and its logs" (a possessive)
# go on about the thing already named.
DETERMINER = frozenset("a an the some our this that these those one two three four five six seven eight nine ten".split())

# "..., she asked about SSO and the API limits": the "and" joins the things she said, not two requests.
SUBJECT = re.compile(r"\s*(?:she|he|they|we|i|it|you|who|which)(?:'re|’re|'m|’m)?\s+[a-z]+", re.IGNORECASE)

# "a page where we can search users and reset their 2fa": an "and" inside a clause about what
# someone can do is part of that clause (a comma before the "and" ends it).
SUBORDINATE = re.compile(r"\b(?:where|so that|so|such that|which|that|who|because|until|unless|while|if)\s+"
                          r"(?:we|they|you|i|people|users|customers|he|she|it|our \w+|the \w+)\s+"
                          r"(?:can|could|will|would|should|may|might|don'?t|do not|won'?t|cannot|can'?t)\b|"
                          # "a page where the packers type an order number and see the notes": what the thing does
                          r"\b(?:page|screen|view|form|tool|dashboard|app|widget|place|portal)\s+where\s+(?:the\s+|our\s+)?\w+\s+\w+",
                          re.IGNORECASE)

THEN = re.compile(r"^(?:(?:and\s+)?then|after\s+that(?!['’]s)|" + AFTER_ORDER + "|"
                  r"after\s+(?:step\s+|item\s+|#)?\d{1,2}\b|afterwards|thereafter|next(?!\s+(?:week|wk|month|year|quarter|time|" + DAYS + "|" + DAY_ABBREVIATIONS + r")\b)|finally|(?:once|when|after)\s+(?:that'?s|that\s+is|"
                   r"this\s+is|it'?s|its|it\s+is|they'?re|they\s+are|those\s+are|both\s+are|all\s+are|both\s+of\s+them\s+are|"
                   r"all\s+of\s+them\s+are|everything\s+is|that\s+has\s+been|it\s+has\s+been|they\s+have\s+been)\s+\w+|"
                   r"(?:using|based\s+on|from)\s+(?:that|this|those|these|it|them)\b[^,]{0,30},|" + FROM_FINDINGS + "|"
                   r"(?:once|when|after|as\s+soon\s+as)\s+(?:it|that|this|they|the\s+fix|the\s+feature)\s+(?:works|work|ships|ship|"
                   r"lands|goes\s+live|is\s+working|'s\s+working|is\s+live|'s\s+live)\b|"
                   r"(?:once|when|after|as\s+soon\s+as)\s+(?:it'?s|it\s+is|that'?s|they'?re|they\s+are)\s+(?:there|in\s+place|"
                   r"running|set\s+up|ready)\b|"
                   r"(?:once|when|after|as\s+soon\s+as)\s+(?:they|he|she|the\s+client|the\s+customer)\s+[a-z]+"
                   r"(?:\s+off|\s+back|\s+in|\s+up|\s+out)?,|"
                   r"(?:once|when|after|as\s+soon\s+as)\s+(?:that|this|it|they|those|these|both|everything)\s+(?:has|have|is|are)"
                   r"(?:\s+been)?\s+\w+|"
                   r"(?:once|when|after|as\s+soon\s+as)\s+(?:(?:the|our|their|its|your)\s+)?[\w'-]+(?:\s+[\w'-]+){0,2}\s+"
                   r"(?:is|are|has\s+been|have\s+been|gets|get)\s+(?:\w+ed|done|out|up|live|in|back|ready|built|written|"
                   r"sent|fixed|finished)\s+(?=\w)|"
                   r"when\s+(?:that'?s|it'?s)\s+done|once\s+done|when\s+done)", re.IGNORECASE)

IN_ORDER = re.compile(r"\b(?:in\s+(?:this|that|the\s+following|this\s+exact)\s+order|in\s+order|step\s+by\s+step|"
                       r"one\s+after\s+(?:the\s+)?(?:another|other)|sequentially|^step\s*\d{1,2}$)\b", re.IGNORECASE)

PARALLEL = re.compile(r"\b(?:meanwhile|in the meantime|in parallel|at the same time|" + WHILE_THAT + r")\b|"
                      r"(?:^|[,;:(]\s*|\b(?:and|but|also)\s+)(?:separately|independently|unrelated(?:ly)?)\b", re.IGNORECASE)

LATER = re.compile(r"\b(?:once|after|when)\b\s+(?:the|it|its|it'?s|they|they'?re|that|this|we|we'?ve|those|these|she|he|"
                   r"she'?s|he'?s|all|both|everything)\b"
                    r"[^,.;]*\b(?:is|are|was|were|been|be|'s|'re|'ve|have|has|runs|works|passes|ships|lands|loads)\b",
                    re.IGNORECASE)

FIRST = re.compile(r"\bbeforehand\s*[.!]*$|\bfirst\b(?=\s+[-\u2013\u2014]|\s*(?:$|[,.;:!)\u27e6]|then\b|and\b|so\b|obviously|obv\b|obvs\b|please|pls|of all\b|"
                   r"though\b|tho\b|ofc\b|of course\b|lol\b|haha\b|thanks\b|thx\b|ty\b|asap\b|since\b|because\b|bc\b|cause\b|as\s+(?:the|it|they|we|our)\b|for\s+(?:obvious|good)\s+reasons?\b))",
                   re.IGNORECASE)

FIRST_NEEDS = re.compile(r"\bfirst\s+(?:needs?\s+to|has\s+to|have\s+to|must|should)\b", re.IGNORECASE)

BEFORE_ANYTHING = re.compile(r"\bbefore\s+(?:anything|everything|the\s+rest|any\s+of\s+(?:it|this|that|them))(?:\s+else)?\b", re.IGNORECASE)
AFTER_END = re.compile(r"\b(?:after(?:wards)?|after that|later)\s*[.!]*$|^[a-z]+\s+(?:both|all\s+(?:three|3|of\s+(?:it|them|that)))"  # "Send both to ..."
                       r"(?=\s+(?:to|over|together|in|as|by|on|at|with|out)\b|\s*[.!]*$)", re.IGNORECASE)

REFERS = re.compile(r"\b(?:it|them|it'?s|these|those)\b|\bth(?:is|at)\s+(?!is\b|was\b|it\b|we\b|they\b)"
                     r"[a-z]+|\bthe (?:new|same|fix|change|changes|feature|update|result|results|post|posts|guide|"
                     r"article|tutorial|page|release)\b|"
                     # what earlier work turns up: "turn the most common ones into an FAQ", "build whichever one wins"
                     r"\bwhichever\b|\bthe\s+(?:top|most\s+(?:common|requested|asked)|winning)\s+(?:(?:\d|two|three|four|five|ten)\s+)?(?:ones?|[a-z]+s)\b|"
                     r"\b(?:use|using)\s+(?:the\s+)?top\s+(?:\d{1,2}|two|three|four|five|ten|themes?|ones?|requests?|issues?)\b|"
                     # "fix the worst one", "fix the top 3", "build the top one": a pick from what the step before found
                     r"\bthe\s+(?:worst|biggest|best|top)\s+(?:one|two|three|\d{1,2})\b",
                     re.IGNORECASE)

# The pronoun does something to this clause's thing: the work is an input to the earlier one ("so it uses": its own)
FEEDS = re.compile(r"(?<!\bif\s)(?<!\bwhether\s)(?<!\bwhat\s)(?<!\bso\s)(?<!\bso\sthat\s)\b(?:it|they)\s+(?:links?|points?|refers?|uses?|needs?(?!\s+to\b)|relies|depends|"
                    r"cites?|embeds?)\b|"
                    r"\bso\s+(?:we|i|they|you)\s+can\s+(?:include|attach|use|add|put|send|submit)\b|"
                    r"\bto\s+(?:include|use|attach|put|add|embed)\s+(?:in|to\s+(?:it|them|the|our))\b|\bfor\s+use\s+in\b|"
                    r"\b(?:that|which)\s+(?:we|i)\s+can\s+(?:attach|link|include|send|use)\b", re.IGNORECASE)

# An opening clause that reports ("user reported ...", "api latency spiked ...") is context, not a request.
STATEMENT = re.compile(r"(?<![-\w])(?:is|are|was|were|has|have|had|does|did|keeps?|says?|said|wants?|asked|"
                        r"(?!(?:seed|feed|speed|bleed|breed|weed|deed|embed|hundred|bed|red|shed|sled)(?![-\w]))[a-z]+ed|(?:ca|could|did|does|do|wo|would|is|are|was|were|has|have|should)n[o'’]?t|"  # "couldnt", "doesn't", "cant": a report, not a request
                        # irregular past tenses and a subject's present ("our deploy broke", "the form lets ...")
                        r"broke|lost|got|came|went|ran|fell|took|left|gave|told|found|saw|began|grew|hit|sent|"
                        r"lets|gets|puts|goes|runs|breaks|crashes|fails|shows|takes|costs|sends|throws|returns|"
                        r"loads|hangs|times\s+out)(?![-\w])", re.IGNORECASE)

TOPIC = re.compile(r"\b(?:about|on|explaining|explains?|describing|describes?|covering|covers?|showing|shows?|of)\s+(?:how|why|what|when)\b|"
                    r"\b(?:how|why|what)\s+we\b", re.IGNORECASE)

OWN_PART = re.compile(r"\s(?:that|which|so|we|they|you|people|users|and)\s", re.IGNORECASE)

INSIDE = re.compile(r"\b(?:in|inside|within|into|throughout)\s+(?:it|them|there)\b", re.IGNORECASE)

# Elaboration: a clause that works on a part of the thing just asked for ("..., fix the typos",
# "and add a section on audit logs", "shorten the intro") or sets a condition on it ("make sure it
# covers ...") is more of the same work, not a request for another team.
PARTS = frozenset("section sections chapter chapters paragraph paragraphs intro intros introduction outro conclusion "
                   "part parts bit bits sentence sentences formatting format layout cross-links crosslinks "
                   "subhead subheads subheading headers transition transitions anecdote anecdotes quote quotes flow "
                   "heading headings title titles subtitle subheading subheadings typo typos spelling grammar wording "
                   "phrasing tone step steps example examples bullet bullets summary tldr screenshot screenshots "
                   "table tables caption captions footnote footnotes sources references link links cta "
                   "signature signoff sign-off ending opening".split())

SKIP = frozenset("a an the some our their its his her this that these those each every all any few couple of "
                  "new short small quick brief proper better clear clearer little extra broken missing dead "
                  "numbered final first last more".split())

CONTAINER = re.compile(r"\b(?:to|in|into|inside|within)\s+(?!(?:it|them|there|this|that)\b)[a-z]", re.IGNORECASE)

MADE_SO = re.compile(r"^(?:make\s+sure|ensure)\s+(?:it|they|this|that|everything|all)(?:'s|’s|\s+is|\s+are|'re|\s+gets?)\s+"
                      r"(?:also\s+|fully\s+|properly\s+)?(?P<pp>\w+)", re.IGNORECASE)

HABIT = re.compile(r"\b(?:a\s+lot|all\s+the\s+time|usually|always|(?<!how\s)often|sometimes|every\s+time|regularly|"
                   r"constantly|normally)\b", re.IGNORECASE)
PAST_TIME = re.compile(r"\b(?:(?:last|(?:in|during)\s+the\s+(?:last|previous|past))\s+(?:week|night|month|year|sprint|release|" + DAYS + ")|"
                       r"yesterday(?!['’]s)|already|earlier\s+today|this\s+morning|ago)\b", re.IGNORECASE)
COMMIT = re.compile(r"^\s*(?:fix|feat|chore|docs|refactor|perf|test|tests|build|ci|style|revert)"
                    r"(?:\([^)]*\)|\u27e6\d+\u27e7)?!?:\s", re.IGNORECASE)
YOUR = re.compile(r"\byour\b", re.IGNORECASE)  # "Connect your RSS feed, pick metrics": steps for the reader
SPEC = re.compile(r"^\s*(?:it|this|they|these)\s+(?:should|must|needs?\s+to|has\s+to|have\s+to|will|would|can)\s", re.IGNORECASE)
CONDITION = re.compile(r"^(?:make\s+sure|ensure|be\s+sure|remember)\s+(?:(?:it|they|this|that|everything|each|every|all)\b"
                        r"(?!\s+(?:is|are)\s+(?:up|running|live|deployed|fixed|working))|to\b|you\b)", re.IGNORECASE)

# Verbs that say more within the message or document being made ("reply ... and explain how",
# "..., offer them a month free", "and include pricing"): the same step unless they name a recipient.
SPEECH_VERBS = frozenset("explain mention say offer ask thank suggest remind promise note point include cover link attach "
                         "highlight stress emphasise emphasize admit acknowledge clarify apologise apologize".split())

# Words that carry no subject of their own: "fix it", "answer what you can", "investigate and fix", "make it smaller".
EMPTY = frozenset("it its them him her this that these those what whatever you we i can could the rest for "
                   "everything all of up down out too asap now please pls plz properly quickly again right away "
                   "first as well possible much one ones same stuff thing things whatever's what's wrong broken "
                   "with a an new another into over through and why how fix cut reduce sort solve resolve check investigate "
                   "figure find repair see look smaller faster cheaper lighter shorter leaner quicker lower less".split())

# "steps are: ...", "it goes like this: ...", "features include: ...": the head introduces a listing
LISTING = re.compile(r"\b(?:are|is|were|was|goes|go|include|includes|including|like|as follows|below|e\.g\.|i\.e\.)\s*$",
                      re.IGNORECASE)

# How a piece should read ("end with a call to subscribe", "keep it short", "talk to the viewer"): the same
# piece of work, never a request for another team.
EACH = re.compile(r"\b(?:for\s+each|for\s+every|per|each)\b", re.IGNORECASE)
NOT_THIS_TASK = re.compile(r"\b(?:not\s+part\s+of\s+this|out\s+of\s+scope|not\s+in\s+scope|on\s+their\s+own\s+schedule|"
                           r"(?:come|comes|coming)\s+later\s+from|will\s+(?:do|handle)\s+(?:that|it|those)\s+(?:later|separately)|"
                           r"separate\s+task|another\s+task|(?:that|this)\s+(?:part\s+)?(?:isn'?t|is\s+not)\s+(?:yours|your\s+job)|"
                           r"just\s+the\s+[\w\s-]{1,30}[,;]\s+(?:the\s+)?\w+\s+(?:handles?|owns?|does|"
                           r"takes?\s+care\s+of)\s+the|"
                           # "Support is already handling the replies, so don't worry about that part", "the campaign
                           # around it is theirs", "Marketing sends it out, you only need to make the text"
                           r"don'?t\s+worry\s+about\s+(?:that|this|those|the)|(?:is|are)\s+already\s+(?:handling|on\s+it|taking\s+care)|"
                           r"(?:is|are)\s+theirs|(?:that'?s|this\s+is)\s+not\s+what\s+(?:we|i)\s+need|"
                           r"you\s+only\s+need\s+to|from\s+you\s+i\s+(?:only\s+)?need|what\s+i\s+need\s+from\s+you|"
                           r"instead\s+of\s+going\s+to\s+(?:the\s+)?(?:engineering|ops|devs?|support|sales|marketing))\b", re.IGNORECASE)
STILL = re.compile(r"\b(?:still|already|never|currently|no\s+longer)\s+[a-z]+", re.IGNORECASE)  # "our docs still describe v1"
STYLE = re.compile(r"^(?:end|start|open|close|finish|wrap|sign)\s+(?:it\s+|them\s+|each\s+\w+\s+)?(?:with|on|by)\b|"
                   r"^(?:cite|source|credit)\s|^no\s+(?:pitch|sales\s+pitch|hard\s+sell|selling|plug|jargon|fluff)\b|"
                   r"^(?:personali[sz]e|tailor|customi[sz]e|adapt|localise|localize)\s+(?:it|them|each|every|the\s+\w+)\b|"
                   r"^make\s+(?:the\s+|it\s+|them\s+)?(?:\w+\s+){0,2}?(?:consistent|clearer|shorter|tighter|simpler|friendlier|"
                   r"punchier|warmer|more\s+\w+|less\s+\w+)\b|"
                    r"^(?:keep|make)\s+(?:it|them|each|every|the\s+tone|the\s+whole\s+thing)\b|"
                    r"^keep\s+(?:the|all|any|our|its|their|that|those)\b|"
                    r"^(?:i|we)\s+(?:just|only)\s+(?:need|want)\b|^all\s+(?:i|we)\s+need\b|"
                    r"^(?:get|cut|trim|bring)\s+(?:it|them)\s+(?:down\s+)?(?:under|below|to|within)\b|"
                    r"^(?:talk|speak)\s+(?:to|directly\s+to)\s+the\s+(?:viewer|reader|listener|audience)s?\b|"
                    r"^(?:avoid|no)\s+(?:jargon|buzzwords|emojis?|hype|fluff)\b|"
                    r"^(?:use|write\s+in)\s+(?:a|an|our|the)\s+(?:\w+\s+){0,2}(?:tone|voice|style)\b|"
                    r"^(?:aim|go)\s+for\s+(?:about|around|roughly|~)?\s*\d|^(?:sound|feel)\s+(?:like|more|less)\b",
                    re.IGNORECASE)

# "tell me which one to run first", "give me a forecast", "send me the list": the founder gets the result of
# the same work, never a step of its own
TO_ME = re.compile(r"^(?:tell|give|send|show|let|email|ping|message|get|bring|hand|alert|notify|warn|text|call|report\s+back\s+to|report\s+to)\s+"
                    r"(?:me|us)\b", re.IGNORECASE)

# "Answer from what we actually do", "write it using our notes": how to do the work just asked for
MANNER = re.compile(r"^[a-z]+\s+(?:only\s+|it\s+|them\s+)?(?:from|using|based\s+on|according\s+to|in\s+line\s+with|"
                     r"off\s+of|off)\s+(?:what|how|the|our|my|your|their|it|this|that|these|those)\b", re.IGNORECASE)

# "Ask Priya (ops) to move the service": the person is the team in brackets
NAMED_TEAM = re.compile(r"\b[A-Z][a-z]+\s+(?:\((?P<who>[A-Za-z][A-Za-z ]{1,24})\)|(?:in|from|on)\s+(?P<team>[a-z]+(?:\s+team)?)\b)")

BEFORE_THEM = re.compile(r"^before\s+(?P<rest>(?:the\s+|our\s+)?[a-z]+\s+[a-z]+\b.*)$", re.IGNORECASE)

STATE_END = re.compile(r"\b(?:is|are|be|been|gets?)\s+\w+\s*$", re.IGNORECASE)

USING = re.compile(r"^(?:\d+[.)]\s*)?(?:and\s+)?(?:using|based\s+on|with|from|out\s+of)\s+(?:that|this|those|these|it|them)\b"
                    r"[\w\s'-]{0,30}$", re.IGNORECASE)

NOUN_LIST = re.compile(r"^[\w'-]+\s+(?:and|or|&)\s+[\w'-]+", re.IGNORECASE)

GENERIC_VERBS = frozenset("add pull grab pick include insert put use find drop throw mix weave sprinkle".split())

OBJECT_END = re.compile(r"\b(?:for|to|at|on|in|into|from|with|by|about|of|so|that|which|who|where|when)\b")

# "find and fix ...", "test and ship": a verb alone before "and" shares the thing after it
COORDINATED = re.compile(r"^\s*(?:(?:please|pls|plz|kindly|now|just|ok|okay|can you|could you|first|firstly|finally|next|then|also|so)\s+)*"
                         r"(?:(?:have|get|ask|let|tell)\s+(?:the\s+|our\s+)?[a-z]+\s+(?:to\s+)?)?"  # "have ops build and publish it"
                         r"[a-z]+(?:\s+(?:up|out|down))?\s*$", re.IGNORECASE)

PLACEHOLDER = "\u27e6{}\u27e7"

PLACEHOLDER_RE = re.compile("\u27e6(\\d+)\u27e7")

def named_team(match: re.Match[str], agents: Mapping[str, str]) -> str:
    """ "Keiko (backend)" -> "backend", "Sam in support" -> "support": the person stands for their team."""
    who = (match.group("who") or match.group("team")).casefold()
    words = who.split()
    for n in range(len(words)):  # "(our contract dev)" -> "dev"
        if " ".join(words[n:]) in agents:
            return " ".join(words[n:])
    for word in words:  # "(our ops contractor)" -> "ops"
        if word in agents:
            return word
    return match.group(0)

def keep_material(material: str, store: list[str]) -> str:
    store.append(material)
    return PLACEHOLDER.format(len(store) - 1)

def protect(text: str, store: list[str]) -> str:
    def keep(match: re.Match[str]) -> str:
        store.append(match.group(0))
        return PLACEHOLDER.format(len(store) - 1)

    return PARENS.sub(keep, QUOTED.sub(keep, text))

def restore(text: str, store: list[str]) -> str:
    return PLACEHOLDER_RE.sub(lambda m: store[int(m.group(1))], text)

def strip_material(text: str) -> str:
    return " ".join(PLACEHOLDER_RE.sub(" ", text).split())

def strip_lead(text: str) -> str:
    lead = LEAD_FILLERS.sub("", text.strip(" \t,.;:!?")).strip(" \t,.;:!?")
    said = _SAID_LIKE.match(lead)  # "like write the onboarding guide": a spoken filler before an order
    if said is not None and is_base_verb(said.group(1)) and said.group(1).casefold() not in NOT_AFTER_LIKE:
        return LEAD_FILLERS.sub("", lead[said.start(1):]).strip(" \t,.;:!?")
    return lead


ASKED_END = re.compile(r"\s*\b(?:pls|plz|please|asap)\W*$", re.IGNORECASE)  # "code review on PR #482 pls": asked for


_SAID_LIKE = re.compile(r"^(?:um+|uh+|erm|er|basically|anyway|anyways)[\s,]+([a-z]+)\s+(?=\S)", re.IGNORECASE)
NOT_AFTER_LIKE = frozenset("i we you they he she it the a an this that these those to be is are was were".split())

def first_word(text: str) -> str:
    match = WORD.search(text)
    return match.group(0).casefold().replace("’", "'") if match else ""

_VERSION_LEAD = re.compile(r"^(?:v?\d+(?:\.\d+)+|v\d+)\s+(?=[a-z])", re.IGNORECASE)  # "4.2 release notes are done"

def is_action(text: str, verbs: frozenset[str]) -> bool:
    lead = strip_lead(strip_material(text))  # "⟦0⟧ Correct their invoice": the quote before it is no word
    match = WORD.search(lead)
    if match is None or (len(match.group(0)) >= 2 and match.group(0).isupper() and not lead.isupper()) or _HOST.match(lead):
        return False  # "GET /invoices", "PUT requests", "demo.billwise.in is down": an acronym, identifier or host
    word = first_word(lead)
    if (word in _SENT_THINGS and re.match(r"^\S+\s+from\b", lead, re.IGNORECASE) or NOUN_SUBJECT.match(lead)
            or _NOUN_PAIR.match(_VERSION_LEAD.sub("", lead)) and STATEMENT.search(lead[:80]) and not _WANTED.search(lead[:80])):
        return False  # "Email from Ruth Adeyemi:", "Release notes for 3.0 are done", "deploy last night broke ...": a thing
    if word in verbs or word in EXTRA_VERBS or _AB_TEST.match(lead):  # "A/B test the headline"
        return True
    words = _TOKEN.findall(lead[:80])  # numbers count: "React 18 to 19" is no order
    if len(words) >= 2 and starts_order(word, words[1]):  # "code up ...", "patch that", "mock up the login"
        return True
    if len(words) >= 2 and is_base_verb(word) and _ADDRESS.match(lead):  # "point getpawly.com at the new page"
        return True
    return respelled(word, _known_verbs(verbs)) is not None  # "also wrtie a blog post"


@lru_cache(maxsize=4)
def _known_verbs(verbs: frozenset[str]) -> frozenset[str]:
    return verbs | EXTRA_VERBS

_HOST = re.compile(r"[a-z0-9-]+\.[a-z0-9-]+\.?[a-z]{0,6}\b(?!\s+(?:the|a|an|our|it|them|this|that)\b)", re.IGNORECASE)
_SENT_THINGS = frozenset("email e-mail message note text reply call update request quote review comment comments feedback "
                         "post tweet ping dm voicemail memo report".split())
_NOUN_PAIR = re.compile(r"^(?:release\s+notes?|call\s+notes|test\s+results|review\s+comments|design\s+docs?|launch\s+(?:plan|checklist)|"
                        r"build\s+logs?|test\s+suite|support\s+(?:tickets|emails|inbox|queue))\b", re.IGNORECASE)
_WANTED = re.compile(r"\b(?:is|are)\s+(?:still\s+)?(?:needed|due|required|overdue|wanted)\b", re.IGNORECASE)
_TOKEN = re.compile(r"[A-Za-z0-9][\w'’-]*")
_AB_TEST = re.compile(r"^(?:a/b|ab|split)[\s-]?test\s+(?!(?:is|was|results?|showed|shows|says)\b)", re.IGNORECASE)
_ADDRESS = re.compile(r"^[A-Za-z]+\s+(?:https?://)?(?:[\w-]+\.)+(?:com|io|co|net|org|app|dev|ai|uk|de|shop|store|me)\b", re.IGNORECASE)


IRREGULAR = {"built": "build", "written": "write", "rewritten": "rewrite", "sent": "send", "made": "make",
              "done": "do", "spun": "spin", "taken": "take", "shown": "show", "sped": "speed", "brought": "bring"}

# "our renewal quote for Initrode is due friday": a thing due is a thing to make
DUE = re.compile(r"^(?:our|the|my|a|an)\s+(?:[\w'’/-]+\s+){0,10}?(?:is|are)\s+(?:due|needed|overdue)\b", re.IGNORECASE)

JUST_DONE = re.compile(r"\b(?:done|finished|ready|complete|completed|over|sorted)(?:\s+(?:and|&)\s+[a-z]+)?\s*$", re.IGNORECASE)

ONCE_STATE = re.compile(r"^(?:and\s+)?(?:once|after|when|as\s+soon\s+as)\s+(?P<state>(?:the|our|a|an|this|that)\s+[^,.;]+?)\s*$", re.I)

# a plural or named subject's present ("PDFs from Taxling show ...", "customers keep asking ...")
REPORT_BASES = frozenset("show shows keep seem look fail crash break hang stop take cost return throw load miss display "
                         "appear say think want need love hate complain ask report".split())
ADVERBIAL = frozenset("hey hi hello dear yo morning fwd fw forwarded after before since during following for with without from about regarding re since until by "
                       "in on at as since because using based given per like".split())

ITEM_STATEMENT = re.compile(r"(?<![-\w])(?:is|are|was|were|says|said|did|does|has\s+been|have\s+been|still\s+(?:works?|loads?|runs?|"
                            r"pass(?:es)?|syncs?|renews?|goes))(?![-\w])", re.IGNORECASE)

# "..., and need landing page copy for it", "also need a tweet": a thing wanted, said after another request
NEED_MORE = re.compile(r"^(?:(?:we|i)\s+)?(?:also\s+|still\s+)?(?:need|want)\s+(?!to\b|you\b|u\b|me\b|him\b|her\b|us\b|"
                       r"them\b|it\b|this\b|that\b|your\b|more\s+time\b)[a-z0-9]", re.IGNORECASE)

WE_NEED = re.compile(r"^(?:we|i)\s+(?:(?:really|also|still|clearly|definitely|actually|badly|urgently)\s+){0,2}"
                     r"(?:need|want|would\s+like|'d\s+like)\s+"
                      r"(?:a|an|the|some|our|new|\d+|two|three|four|five|more|proper)\s", re.IGNORECASE)

NEED_OBJECT = frozenset("a an new some more fresh better proper updated another".split())

WANT = frozenset("need needs want wanna get have".split())

def objects_of(bare: str) -> list[str]:
    """The words after the leading verb (and a particle), casefolded."""
    words = [w.casefold().replace("’", "'") for w in WORD.findall(bare)]
    rest = words[1:]
    if rest and rest[0] in ("up", "out", "down", "in", "over", "through"):
        rest = rest[1:]
    return rest

def is_empty(bare: str) -> bool:
    """A verb with nothing but pronouns and fillers after it: its subject is the earlier thing."""
    rest = objects_of(bare)
    return bool(WORD.search(bare)) and all(w in EMPTY for w in rest)
