"""A task's clauses: the requests it makes, in order, with the words that order them.

Quoted text, parentheses and lists that follow a request ("from this changelog: ...",
"features: ...") are material for that request, never requests of their own. A clause is a
request when it starts with an action ("fix ...", "deploy it", "tell our users ...") or is the
task's opening noun phrase ("Blog post pls: ..."); other clauses are context.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass, replace

from agents.routing.verbs import is_finite, participle_base, present_base, starts_order

# Extra imperative verbs beyond the lexicon's action verbs (the lexicon's list is for routing).
EXTRA_VERBS = frozenset(
    "provision spin switch warn mention share brief survey interview move renew rotate clean slim cut "
    "prep get have line inform install answer handle speed roll put finish give push ask attach "
    "resize reset seed change remove delete replace rename redesign rebuild rewrite set integrate "
    "connect sync port expose upgrade downgrade open close merge collect gather compile pull export "
    "import generate analyze analyse audit assess evaluate estimate price offer pitch present demo "
    "draft polish shorten proofread localize localise record film shoot film host onboard train "
    "invite thank congratulate apologise apologize reassure warn remind nudge chase close sign "
    "document describe outline summarise summarize explain announce publicize publicise advertise "
    "promote tweet blog launch release ship deploy publish upload instrument harden patch "
    "benchmark profile debug diagnose reproduce investigate figure work come pick make do use link hand pass "
    "forward".split()
)
_LEAD_FILLERS = re.compile(
    r"^(?:(?:and|then|also|plus|so|ok|okay|pls|plz|please|kindly|finally|next|afterwards|after that|"
    r"(?:once|when|after) (?:that'?s|that is|this is|it'?s|its|it is|they'?re|they are|those are|both are|all are|"
    r"both of them are|all of them are|everything is|all of that is|that has been|it has been|they have been) "
    r"(?:done|live|out|ready|finished|up|in|fixed|sorted|deployed|shipped|merged|published|built|approved|[a-z]+ed)"
    r"(?: back| up| out| down| over)?|"
    r"(?:using|based on|with|from) (?:that|this|those|these|it|them)(?: \w+)?(?: \w+)?,|"
    r"(?:once|when|after|as soon as) (?:that|this|it|they|those|these|both|everything) (?:has|have|is|are)(?: been)? \w+,?|"
    r"(?:once|when|after|as soon as) (?:it|that|this|they|the fix|the feature) (?:works|work|ships|ship|lands|goes live|is working|'s working|is live|'s live),?|"
    r"(?:once|when|after|as soon as) (?:the|our|their|its|your) [\w'-]+(?: [\w'-]+){0,2} (?:is|are|has been|have been|"
    r"gets|get) (?:\w+ed|done|out|up|live|in|back|ready|built|written|sent|fixed|finished)|"
    r"when (?:that'?s|it'?s) done|once done|when done|"
    r"can you|could you|can someone|could someone|would you|will you|we need to|we must|"
    r"(?:on|by|next|this|every|over the) (?:monday|tuesday|wednesday|thursday|friday|saturday|sunday|weekend|morning|"
    r"evening|week)|tomorrow|tonight|later|afterwards|"
    r"can we|could we|can u|could u|can somebody|could somebody|can anyone|could anyone|would you mind|"
    r"(?:i|we)(?:'?d| would) (?:also |really )?(?:like|love) (?:you|someone) to|(?:i|we) (?:also |really )?want (?:you|someone) to|"
    r"we should|need to|i need you to|i want you to|you need to|make sure to|let'?s|lets|go ahead and|"
    r"and also|as well|too|now|quickly|first|then also|at the same time|meanwhile|in parallel|but|after which|"
    r"separately|also separately|additionally|in addition|on top of that|beforehand|before then|in the meantime|"
    r"before (?:that|this|then)|first of all)\b[\s,:]*)+",
    re.IGNORECASE,
)
_QUOTED = re.compile(r"(?<![A-Za-z0-9])'(?:[^'\n]|(?<=[A-Za-z])'(?=[A-Za-z])){3,}?'(?=[\s,.;:!?)]|$)|\"[^\"\n]{3,}?\"|“[^”\n]{3,}?”|‘[^’\n]{3,}?’")
_QUOTED_LINES = re.compile(r"(?:^[ \t]*>.*(?:\n|$))+", re.MULTILINE)  # a forwarded email's quoted lines
_PARENS = re.compile(r"\([^()\n]{0,300}\)")
_BULLET = re.compile(r"^\s*(?:[-*•]|\d{1,2}[.)])\s+(.+?)\s*$")
_HARD = re.compile(r"(?:(?<=[.!?])(?<!\bDr\.)(?<!\bMr\.)(?<!\bMs\.)(?<!Mrs\.)(?<!\bSt\.)(?<!e\.g\.)(?<!i\.e\.)(?<!\betc\.)"
                   r"(?<!\bvs\.)\s+|\s*;\s*|\s*\n+\s*|\s+[-–—]\s+)")
_SOFT = re.compile(r",?\s+(?:and\s+then|and\s+also|and|then|but|so|once|as\s+soon\s+as)\s+|(?:,\s*|\s+)(?:plus|&|\+)\s+|,\s+|"
                   r"(?<=[a-z0-9])\s+(?=(?:so\s+)?(?:can|could)\s+(?:we|you|u|someone|somebody|anyone|(?:the\s+|our\s+)?"
                   r"(?:ops|devs?|eng|engineering|marketing|sales|support|team)\b)\s)",
                   re.IGNORECASE)
# A request put as a wish or a question: "I'd also like a short guide", "can this be corrected", "we want a ..."
_WISH = re.compile(r"^(?:(?:so|and|also)\s+)*(?:i|we)(?:'?d|\s+would)?\s+(?:also\s+|really\s+|still\s+)?(?:like|love|want|need)\s+"
                   r"(?P<thing>(?:a|an|the|some|our|new|more|\d+|two|three|four|five|proper|better)\s.+)$", re.IGNORECASE)
_CAN_BE = re.compile(r"^(?:can|could|would)\s+(?P<subj>this|that|it|these|those|(?:the|our|their)\s+[\w'-]+(?:\s+[\w'-]+){0,3})\s+"
                     r"be\s+(?P<pp>\w+)(?P<rest>.*)$", re.IGNORECASE)
# "crash-reporting should alert me", "the devs still need to finish ...", "the pricing page needs copy": a thing
# that has to happen, said about its subject
_OBLIGED = re.compile(r"^(?!(?:it|this|that|they|he|she|i|we|you|there)\b)"
                      r"(?![^,.;]*\b(?:doesn'?t|don'?t|do\s+not|does\s+not|not|never|no)\s+(?:need|have|must|should))"
                      r"(?:[\w'’/-]+\s+){1,8}?"
                      r"(?:still\s+|also\s+|really\s+|just\s+|then\s+)?(?:(?:(?:needs?|has|have)\s+to|must|should)\s+[a-z]|"
                      r"needs?\s+(?!to\b|their\b|his\b|her\b|its\b|our\b|my\b|your\b|them\b|it\b|us\b|me\b|him\b)[a-z])",
                      re.IGNORECASE)
_PROMISE = re.compile(r"\b(?:will|won'?t|'ll|going\s+to|would|'d|gonna)\b", re.IGNORECASE)
# "follow up with them once the sso feature is built": the thing to be built is work, and it comes first
_IS_DONE = re.compile(r"^(?P<subj>(?:the|our|a|an|this|that|its|their)\s+(?:[\w'’/-]+\s+){0,4}?)"
                      r"(?:is|are|has\s+been|have\s+been|gets|get)\s+(?P<pp>\w+)\b(?P<rest>.*)$", re.IGNORECASE)
# "..., after which our writer should ...": what follows comes later
_AFTER_WHICH = re.compile(r"^(?:after\s+which|whereupon|and\s+after\s+that)\b[\s,]*", re.IGNORECASE)
# "before that ...", "but first ...": what follows comes first
_BEFORE = re.compile(r"^(?:but\s+)?(?:before\s+(?:that|this|then|we\s+do\s+that|any\s+of\s+that)|first\s+of\s+all|"
                     r"beforehand|first)\b[\s,]*", re.IGNORECASE)
# "before that, X" / "X before we submit": X is an input to the request before it
_BEFORE_PREVIOUS = re.compile(r"^(?:but\s+|and\s+)?before\s+(?:that|this|then|we\s+do\s+that|any\s+of\s+that)\b|"
                              r"\bbefore\s+(?:we|i|you|they)\s+(?:\w+\s+){0,2}?(?:submit|send|publish|sign|ship|launch|go|"
                              r"post|announce|answer|reply|fill|file|finish|start|do)\b", re.IGNORECASE)
# "but only after marketing has settled the positioning": the team named does that part first
_ONLY_AFTER = re.compile(r"^(?:but\s+)?(?:only\s+)?(?:after|once|when)\s+(?P<who>[\w\s'-]{2,30}?)\s+(?:has|have|is|are)\s+"
                         r"(?P<pp>\w+)\b(?P<rest>.*)$", re.IGNORECASE)
_ONLY_AFTER_WE = re.compile(r"^(?:but\s+)?(?:only\s+)?(?:after|once|when)\s+we\s+(?:actually\s+|finally\s+|really\s+)?"
                            r"(?:have|'ve\s+got|got|get)\s+(?P<thing>(?:a|an|the|our|\w+\s+\w+).+)$", re.IGNORECASE)
_ONLY_AFTER_MADE = re.compile(r"^(?:but\s+)?only\s+(?:after|once|when)\s+(?:it|they|that)(?:'s|’s|\s+is|\s+are|'re|\s+has\s+been|"
                              r"\s+have\s+been)\s+(?:actually\s+|fully\s+)?(?P<pp>built|coded|implemented|developed|written|"
                              r"designed|deployed|shipped|finished|made|set\s+up|fixed)\b(?P<rest>.*)$", re.IGNORECASE)
_ONLY_AFTER_LIVE = re.compile(r"^(?:but\s+)?(?:only\s+)?(?:after|once|when)\s+(?:the\s+|our\s+)?(?P<who>[a-z]+)\s+(?:has|have|gets?|got)\s+"
                              r"(?P<thing>(?:the|our|it|them|a|an)\b.*?)\s+(?P<state>live|up|ready|done|running|deployed|out|"
                              r"fixed|built|set\s+up)\b(?P<rest>.*)$", re.IGNORECASE)
# an elliptic passive: "..., and the owner told once it's back" -> "tell the owner once it's back"
_NP_ENDS = frozenset("and or but is are was were has have had who which that because if when so he she they we i "
                     "you".split())
_NP_DETERMINERS = frozenset("the our a an this that those these their its his her each every all".split())
# "we're launching on Product Hunt on Wednesday": a sentence about us is context, not an order
_ABOUT_US = re.compile(r"^(?:we|i|they|he|she)(?:'re|'m|'ve|'ll|’re|’m| are| am| were| was| have| had| will)\s",
                       re.IGNORECASE)
_HANDOFF = re.compile(r"^(?:get|have|ask|tell|let|make)\s+", re.IGNORECASE)
# "then hand it to sales for the pitch deck": the team the result goes to does the next part
_PASS_ON = re.compile(r"^(?:hand|pass|give|send|forward)\s+(?:it|them|this|that|these|those|the\s+\w+(?:\s+\w+)?)\s+"
                      r"(?:over\s+|on\s+)?to\s+(?:the\s+|our\s+)?", re.IGNORECASE)
_WORD = re.compile(r"[A-Za-z][A-Za-z'’-]*")
# "and a short FAQ" starts a second thing for the same verb; "and their names", "and its logs" (a possessive)
# go on about the thing already named.
_DETERMINER = frozenset("a an the some our this that these those one two three".split())
# "..., she asked about SSO and the API limits": the "and" joins the things she said, not two requests.
_SUBJECT = re.compile(r"\s*(?:she|he|they|we|i|it|you|who|which)\s+[a-z]+", re.IGNORECASE)
# "a page where we can search users and reset their 2fa": an "and" inside a clause about what
# someone can do is part of that clause (a comma before the "and" ends it).
_SUBORDINATE = re.compile(r"\b(?:where|so that|so|such that|which|that|who|because|until|unless|while|if)\s+"
                          r"(?:we|they|you|i|people|users|customers|he|she|it|our \w+|the \w+)\s+"
                          r"(?:can|could|will|would|should|may|might|don'?t|do not|won'?t|cannot|can'?t)\b",
                          re.IGNORECASE)
_THEN = re.compile(r"^(?:(?:and\s+)?then|after\s+that|afterwards|next|finally|(?:once|when|after)\s+(?:that'?s|that\s+is|"
                   r"this\s+is|it'?s|its|it\s+is|they'?re|they\s+are|those\s+are|both\s+are|all\s+are|both\s+of\s+them\s+are|"
                   r"all\s+of\s+them\s+are|everything\s+is|that\s+has\s+been|it\s+has\s+been|they\s+have\s+been)\s+\w+|"
                   r"(?:using|based\s+on|from)\s+(?:that|this|those|these|it|them)\b[^,]{0,30},|"
                   r"(?:once|when|after|as\s+soon\s+as)\s+(?:it|that|this|they|the\s+fix|the\s+feature)\s+(?:works|work|ships|ship|"
                   r"lands|goes\s+live|is\s+working|'s\s+working|is\s+live|'s\s+live)\b|"
                   r"(?:once|when|after|as\s+soon\s+as)\s+(?:that|this|it|they|those|these|both|everything)\s+(?:has|have|is|are)"
                   r"(?:\s+been)?\s+\w+|"
                   r"(?:once|when|after|as\s+soon\s+as)\s+(?:the|our|their|its|your)\s+[\w'-]+(?:\s+[\w'-]+){0,2}\s+"
                   r"(?:is|are|has\s+been|have\s+been|gets|get)\s+(?:\w+ed|done|out|up|live|in|back|ready|built|written|"
                   r"sent|fixed|finished)\s+(?=\w)|"
                   r"when\s+(?:that'?s|it'?s)\s+done|once\s+done|when\s+done)", re.IGNORECASE)
# a clause that is only "once both are done": the next request comes after the earlier ones
_ONLY_WAIT = re.compile(r"^(?:and\s+)?(?:once|when|after)\s+[^,.;]{0,40}\b(?:is|are|'s|'re|s|has been|have been)\s+"
                        r"\w+\s*$", re.IGNORECASE)
_IN_ORDER = re.compile(r"\b(?:in\s+(?:this|that|the\s+following|this\s+exact)\s+order|in\s+order|step\s+by\s+step|"
                       r"one\s+after\s+(?:the\s+)?(?:another|other)|sequentially)\b", re.IGNORECASE)
_PARALLEL = re.compile(r"\b(?:meanwhile|in parallel|at the same time)\b", re.IGNORECASE)
_LATER = re.compile(r"\b(?:once|after|when)\b\s+(?:the|it|its|it'?s|they|they'?re|that|this|we|we'?ve|those|these)\b"
                    r"[^,.;]*\b(?:is|are|was|were|been|be|'s|'re|'ve|have|has)\b", re.IGNORECASE)
_FIRST = re.compile(r"\bfirst\b(?=\s*(?:$|[,.;!)]|then\b|and\b|obviously|please|pls|of all\b|though\b|tho\b|ofc\b|"
                    r"of course\b|thanks\b|thx\b))", re.IGNORECASE)
_FIRST_NEEDS = re.compile(r"\bfirst\s+(?:needs?\s+to|has\s+to|have\s+to|must|should)\b", re.IGNORECASE)
_AFTER_END = re.compile(r"\b(?:after(?:wards)?|after that|later|at the end)\s*[.!]*$", re.IGNORECASE)
_REFERS = re.compile(r"\b(?:it|them|it'?s|these|those)\b|\bth(?:is|at)\s+(?!is\b|was\b|it\b|we\b|they\b)"
                     r"[a-z]+|\bthe (?:new|same|fix|change|changes|feature|update|result|results|post|posts|guide|"
                     r"article|tutorial|page|release)\b", re.IGNORECASE)
# The pronoun does something to this clause's thing: this clause's work is an input to the earlier one.
_FEEDS = re.compile(r"\b(?:it|they)\s+(?:links?|points?|refers?|uses?|needs?|relies|depends|cites?|embeds?)\b|"
                    r"\bso\s+(?:we|i|they|you)\s+can\s+(?:include|attach|use|add|put|send|submit)\b|"
                    r"\bto\s+(?:include|use|attach|put|add|embed)\s+in\b|\bfor\s+use\s+in\b", re.IGNORECASE)
# An opening clause that reports ("user reported ...", "api latency spiked ...") is context, not a request.
_STATEMENT = re.compile(r"(?<![-\w])(?:is|are|was|were|has|have|had|does|did|keeps?|says?|said|wants?|asked|"
                        r"[a-z]+ed|(?:ca|could|did|does|do|wo|would|is|are|was|were|has|have|should)n[o'’]?t|"  # "couldnt", "doesn't", "cant": a report, not a request
                        # irregular past tenses and a subject's present ("our deploy broke", "the form lets ...")
                        r"broke|lost|got|came|went|ran|fell|took|left|gave|told|found|saw|began|grew|hit|sent|"
                        r"lets|gets|puts|goes|runs|breaks|crashes|fails|shows|takes|costs|sends|throws|returns|"
                        r"loads|hangs|times\s+out)(?![-\w])", re.IGNORECASE)
_TOPIC = re.compile(r"\b(?:about|on|explaining|describing|covering|of)\s+(?:how|why|what|when)\b|"
                    r"\b(?:how|why|what)\s+we\b", re.IGNORECASE)
_OWN_PART = re.compile(r"\s(?:that|which|so|we|they|you|people|users)\s", re.IGNORECASE)
_INSIDE = re.compile(r"\b(?:in|inside|within|into|throughout)\s+(?:it|them|there)\b", re.IGNORECASE)
# Elaboration: a clause that works on a part of the thing just asked for ("..., fix the typos",
# "and add a section on audit logs", "shorten the intro") or sets a condition on it ("make sure it
# covers ...") is more of the same work, not a request for another team.
_PARTS = frozenset("section sections chapter chapters paragraph paragraphs intro intros introduction outro conclusion "
                   "subhead subheads subheading headers transition transitions anecdote anecdotes quote quotes "
                   "heading headings title titles subtitle subheading subheadings typo typos spelling grammar wording "
                   "phrasing tone step steps example examples bullet bullets summary tldr screenshot screenshots "
                   "table tables caption captions footnote footnotes sources references link links cta "
                   "signature signoff sign-off ending opening".split())
_SKIP = frozenset("a an the some our their its his her this that these those each every all any few couple of "
                  "new short small quick brief proper better clear clearer little extra broken missing dead "
                  "numbered final first last more".split())
_CONTAINER = re.compile(r"\b(?:to|in|into|inside|within)\s+(?!(?:it|them|there|this|that)\b)[a-z]", re.IGNORECASE)
_MADE_SO = re.compile(r"^(?:make\s+sure|ensure)\s+(?:it|they|this|that|everything|all)(?:'s|’s|\s+is|\s+are|'re|\s+gets?)\s+"
                      r"(?:also\s+|fully\s+|properly\s+)?(?P<pp>\w+)", re.IGNORECASE)
_CONDITION = re.compile(r"^(?:make\s+sure|ensure|be\s+sure|remember)\s+(?:(?:it|they|this|that|everything|each|all)\b"
                        r"(?!\s+(?:is|are)\s+(?:up|running|live|deployed|fixed|working))|to\b|you\b)", re.IGNORECASE)
# Verbs that say more within the message or document being made ("reply ... and explain how",
# "..., offer them a month free", "and include pricing"): the same step unless they name a recipient.
SPEECH_VERBS = frozenset("explain mention say offer ask thank suggest remind promise note point include cover "
                         "highlight stress emphasise emphasize admit acknowledge clarify".split())
# Words that carry no subject of their own: "fix it", "answer what you can", "cut it", "build it".
_EMPTY = frozenset("it its them him her this that these those what whatever you we i can could the rest "
                   "everything all of up down out too asap now please pls plz properly quickly again right away "
                   "first as well possible much one ones same stuff thing things".split())
# "steps are: ...", "it goes like this: ...", "features include: ...": the head introduces a listing
_LISTING = re.compile(r"\b(?:are|is|were|was|goes|go|include|includes|including|like|as follows|below|e\.g\.|i\.e\.)\s*$",
                      re.IGNORECASE)
# How a piece should read ("end with a call to subscribe", "keep it short", "talk to the viewer"): the same
# piece of work, never a request for another team.
_STYLE = re.compile(r"^(?:end|start|open|close|finish|wrap|sign)\s+(?:it\s+|them\s+|each\s+\w+\s+)?(?:with|on|by)\b|"
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
_TO_ME = re.compile(r"^(?:tell|give|send|show|let|email|ping|message|get|bring|hand|alert|notify|warn|text|call|report\s+back\s+to|report\s+to)\s+"
                    r"(?:me|us)\b", re.IGNORECASE)
# "Answer from what we actually do", "write it using our notes": how to do the work just asked for
_MANNER = re.compile(r"^[a-z]+\s+(?:only\s+|it\s+|them\s+)?(?:from|using|based\s+on|according\s+to|in\s+line\s+with|"
                     r"off\s+of|off)\s+(?:what|how|the|our|my|your|their|it|this|that|these|those)\b", re.IGNORECASE)
# "Ask Priya (ops) to move the service": the person is the team in brackets
_NAMED_TEAM = re.compile(r"\b[A-Z][a-z]+\s+(?:\((?P<who>[A-Za-z][A-Za-z ]{1,24})\)|(?:in|from|on)\s+(?P<team>[a-z]+(?:\s+team)?)\b)")
_BEFORE_THEM = re.compile(r"^before\s+(?P<rest>(?:the\s+|our\s+)?[a-z]+\s+\w+s\b.*)$", re.IGNORECASE)
_STATE_END = re.compile(r"\b(?:is|are|be|been|gets?)\s+\w+\s*$", re.IGNORECASE)
_USING = re.compile(r"^(?:\d+[.)]\s*)?(?:and\s+)?(?:using|based\s+on|with|from|out\s+of)\s+(?:that|this|those|these|it|them)\b"
                    r"[\w\s'-]{0,30}$", re.IGNORECASE)
_NOUN_LIST = re.compile(r"^[\w'-]+\s+(?:and|or|&)\s+[\w'-]+", re.IGNORECASE)
_GENERIC_VERBS = frozenset("add pull grab pick include insert put use find drop throw".split())
_OBJECT_END = re.compile(r"\b(?:for|to|at|on|in|into|from|with|by|about|of|so|that|which|who|where|when)\b")
# "find and fix ...", "test and ship": a verb alone before "and" shares the thing after it
_COORDINATED = re.compile(r"^\s*(?:(?:please|pls|plz|can you|could you)\s+)?[a-z]+(?:\s+(?:up|out|down))?\s*$", re.IGNORECASE)
_MATERIAL_HEADS = frozenset("features feature changelog changes notes list items context background details "
                            "example examples ticket email message note fyi ps fields field errors params parameters "
                            "columns specs spec requirements inputs outputs payload schema endpoints".split())
# A to-do list's head ("things for this week:", "in this order:", "need:") and its items
_TODO = re.compile(r"\b(?:things|todos?|to-?dos?|to do|tasks|in this order|in order|need|needed|needs|asks|plan|"
                   r"this week|today|tomorrow|before|after|launch|checklist|ready\s+for|prep(?:ping)?\s+for|"
                   r"prepar(?:e|ing)\s+for)\b[^:]*:?\s*$|^\s*(?:need|todo|to-?do)\s*:",
                   re.IGNORECASE)
_NEED_LIST = re.compile(r"^\s*(?:(?:so|ok|okay|and)\s+)*(?:(?:we|i)\s+)?(?:need|needs|want|todo|to-?do|to do|asks?|"
                        r"deliverables|(?:the\s+)?(?:things|tasks)\s+(?:to\s+do|for\s+\w+(?:\s+\w+)?))\s*$",
                        re.IGNORECASE)
# "Prep for the trade show:", "get ready for launch:": what follows is the work for it
def _makes_one_thing(head: str) -> bool:
    """ "Write the GitHub Actions pipeline": a verb and its own object, not a project ("Launch the mobile app")."""
    words = _WORD.findall(head)
    return len(words) >= 3 and words[0].casefold() not in _PROJECT_VERBS and words[1].casefold() in _DETERMINER


_PROJECT_VERBS = frozenset("launch release ship roll prep prepare plan kick organise organize run do get handle "
                           "start finish wrap celebrate announce".split())
_TIDY_VERBS = frozenset("clean tidy sort go review audit overhaul refresh polish declutter".split())
_PREP_FOR = re.compile(r"^(?:prep|prepare|get\s+ready|plan|organi[sz]e|sort\s+out\s+things)\s+for\s+\w", re.IGNORECASE)
_LIST_ITEM = re.compile(r"\s*,\s*(?:and\s+|plus\s+)?|\s+\+\s+|\s*;\s*")
LISTED = "\ue000"
PARTS_OF = "\ue002"  # the parts of one piece of work named just before ("sort it out: a, b, c")
TITLED = "\ue001"
PLACEHOLDER = "\u27e6{}\u27e7"
_PLACEHOLDER_RE = re.compile("\u27e6(\\d+)\u27e7")


@dataclass(frozen=True)
class Clause:
    """One part of a task as written, with what the splitter learnt about it."""

    text: str  # as written, material restored
    bare: str  # without its material and leading fillers: what decides its team
    request: bool  # an action (or the task's opening noun phrase), not context
    then: bool = False  # "then", "after that", "once that's done" before it
    later: bool = False  # "once/after/when it's ... " inside it: after the earlier work
    first: bool = False  # "... first": the other work waits for it
    refers: bool = False  # "it", "them", "that export": about earlier work
    feeds: bool = False  # "the page it links to", "to include in the bid": input to earlier work
    parallel: bool = False  # "meanwhile", "in parallel"
    elliptic: bool = False  # "... and a short FAQ": shares the previous clause's verb
    inside: bool = False  # "fix the links in it": works on the earlier thing itself
    title: bool = False  # "Launch v2: ..." names the whole task; no step's own words
    elaborates: bool = False  # works on a part of the thing just asked for, or sets a condition on it
    speech: bool = False  # led by a verb that says more in the same message ("explain", "offer", "include")
    empty: bool = False  # nothing but a verb and pronouns: "fix it", "answer what you can"
    agent: str = ""  # the team the founder hands this part to ("get the devs to ...", "marketing can ...")
    sentence: int = 0


def _named_team(match: re.Match[str], agents: Mapping[str, str]) -> str:
    """ "Keiko (backend)" -> "backend", "Sam in support" -> "support": the person stands for their team."""
    who = match.group("who") or match.group("team")
    return who if who.casefold() in agents else match.group(0)


def _keep(material: str, store: list[str]) -> str:
    store.append(material)
    return PLACEHOLDER.format(len(store) - 1)


def _protect(text: str, store: list[str]) -> str:
    def keep(match: re.Match[str]) -> str:
        store.append(match.group(0))
        return PLACEHOLDER.format(len(store) - 1)

    return _PARENS.sub(keep, _QUOTED.sub(keep, text))


def restore(text: str, store: list[str]) -> str:
    return _PLACEHOLDER_RE.sub(lambda m: store[int(m.group(1))], text)


def strip_material(text: str) -> str:
    return " ".join(_PLACEHOLDER_RE.sub(" ", text).split())


def _lead(text: str) -> str:
    return _LEAD_FILLERS.sub("", text.strip(" \t,.;:!?")).strip(" \t,.;:!?")


def _first_word(text: str) -> str:
    match = _WORD.search(text)
    return match.group(0).casefold().replace("’", "'") if match else ""


def is_action(text: str, verbs: frozenset[str]) -> bool:
    lead = _lead(text)
    match = _WORD.search(lead)
    if match is None or (len(match.group(0)) >= 2 and match.group(0).isupper() and not lead.isupper()):
        return False  # "GET /invoices", "PUT requests": an acronym or identifier, not a verb
    word = _first_word(lead)
    if word in verbs or word in EXTRA_VERBS:
        return True
    words = _WORD.findall(lead[:80])
    return len(words) >= 2 and starts_order(word, words[1])  # "code up ...", "patch that", "mock up the login"


def _bullets_as_text(text: str, verbs: frozenset[str], store: list[str],
                     agents: Mapping[str, str] | None = None) -> str:
    """Bullet lines of a to-do list (any item an order, or a head like "things for this week:") are each a
    request; other bullets (a list of things) are material of the line before them."""
    lines = text.splitlines()
    out: list[str] = []
    block: list[str] = []

    def flush() -> None:
        if not block:
            return
        items = [_BULLET.match(line).group(1) for line in block]  # type: ignore[union-attr]
        head = out[-1] if out else ""
        todo = len(items) >= 2 and (_TODO.search(head) is not None or any(
            _is_order(item, verbs) or handed_to(_lead(item), verbs, agents or {}) is not None for item in items))
        if todo:
            if head.rstrip().endswith(":"):
                out[-1] = TITLED + head
            out.extend(LISTED + item for item in items)
        else:
            run: list[str] = []
            for line, item in zip(block, items):
                if _is_order(item, verbs):
                    _material(out, run, store)
                    out.append(item)
                else:
                    run.append(line)
            _material(out, run, store)
        block.clear()

    for line in lines:
        if _BULLET.match(line):
            block.append(line)
            continue
        flush()
        out.append(line)
    flush()
    return "\n".join(out)


def _orders_among(items: list[str], verbs: frozenset[str]) -> bool:
    """A colon list of work: two orders, or one order among things of several words each (not field names)."""
    orders = sum(_is_order(i, verbs) for i in items)
    return orders >= 2 or (orders == 1 and all(len(_WORD.findall(i)) >= 2 for i in items))


def _is_order(item: str, verbs: frozenset[str]) -> bool:
    """A list item that is an order: "fix login bug", "deploy the worker" (not "interview w/ our head chef")."""
    words = _WORD.findall(_lead(item)[:80])
    if not words:
        return False
    first = words[0].casefold()
    return first in verbs or (len(words) >= 2 and starts_order(first, words[1]))


def _material(out: list[str], run: list[str], store: list[str]) -> None:
    if run:
        store.append("\n".join(run))
        out[-1:] = [(out[-1] if out else "") + " " + PLACEHOLDER.format(len(store) - 1)]
        run.clear()


def _colon(sentence: str, verbs: frozenset[str], store: list[str],
           agents: Mapping[str, str] | None = None) -> list[str]:
    """'Launch v2: write ..., deploy ...' -> a title and the actions; 'write X from this: a, b' keeps a, b as material."""
    head, sep, tail = sentence.partition(":")
    if not sep or not tail.strip():
        return [sentence]
    if _LISTING.search(head):  # "steps are: go to settings, click ...": what the steps are, not orders
        store.append(sep + tail)
        return [head + PLACEHOLDER.format(len(store) - 1)]
    if is_action(tail, verbs):
        if is_action(head, verbs) and (is_empty(_lead(head)) or _first_word(_lead(head)) in _TIDY_VERBS
                                       or _makes_one_thing(_lead(head))):
            return [TITLED + head, PARTS_OF + tail]  # "clean it up: close out deals, fix the stages, ..."
        return [head, *_colon(tail, verbs, store, agents)]
    items = [i.strip() for i in _LIST_ITEM.split(tail) if i and i.strip(" ,.;")]
    todo = _first_word(head) not in _MATERIAL_HEADS and (
        _NEED_LIST.search(head) or (_TODO.search(head) and not is_action(head, verbs)) or _PREP_FOR.match(_lead(head))
        or (not is_action(head, verbs) and _orders_among(items, verbs))
        or sum(handed_to(_lead(i), verbs, agents or {}) is not None for i in items) >= 2)
    if len(items) >= 2 and todo:  # "need: copy + posts, the script, and an invite"; "quick one: a post, a release, and send ..."
        return [TITLED + head, *(LISTED + item for item in items)]
    if is_action(head, verbs) or _first_word(head) in _MATERIAL_HEADS or len(_WORD.findall(head)) <= 4:
        store.append(sep + tail)
        return [head + PLACEHOLDER.format(len(store) - 1)]
    return [sentence]


_IRREGULAR = {"built": "build", "written": "write", "rewritten": "rewrite", "sent": "send", "made": "make",
              "done": "do", "spun": "spin", "taken": "take", "shown": "show", "sped": "speed", "brought": "bring"}
_REPORTING = frozenset("want wants say says said think thinks feel like love hate know knows ask asked complain mention "
                       "report reported need hear see told".split())
_ROLE = re.compile(r"^(?:whoever\s+(?:does|runs|handles|manages|writes|looks\s+after|is\s+on)\s+(?:our|the)\s+)?"
                   r"([a-z]+)\s+(?:guy|girl|person|folks|people|lady|dude|crew|gal)\b|"
                   r"^whoever\s+(?:does|runs|handles|manages|writes|looks\s+after|is\s+on)\s+(?:our|the)\s+([a-z]+)\b",
                   re.IGNORECASE)
_ANYONE = frozenset("someone somebody anyone anybody whoever team".split())
# "our renewal quote for Initrode is due friday": a thing due is a thing to make
_DUE = re.compile(r"^(?:our|the|my|a|an)\s+(?:[\w'’/-]+\s+){0,6}?(?:is|are)\s+(?:due|needed|overdue)\b", re.IGNORECASE)
_JUST_DONE = re.compile(r"\b(?:done|finished|ready|complete|completed|over|sorted)\s*$", re.IGNORECASE)
_ONCE_STATE = re.compile(r"^(?:and\s+)?(?:once|after|when|as\s+soon\s+as)\s+(?P<state>(?:the|our|a|an|this|that)\s+[^,.;]+?)\s*$",
                         re.IGNORECASE)
_ADVERBIAL = frozenset("fwd fw forwarded after before since during following for with without from about regarding re since until by "
                       "in on at as since because".split())
_ITEM_STATEMENT = re.compile(r"(?<![-\w])(?:is|are|was|were|says|said|did|does|has\s+been|have\s+been)(?![-\w])",
                            re.IGNORECASE)
_WE_NEED = re.compile(r"^(?:we|i)\s+(?:really\s+|also\s+|still\s+)?(?:need|want|would\s+like|'d\s+like)\s+"
                      r"(?:a|an|the|some|our|new|\d+|two|three|four|five|more|proper)\s", re.IGNORECASE)
_NEED_OBJECT = frozenset("a an new some more fresh better proper updated another".split())
_WANT = frozenset("need needs want wanna get have".split())


def participle_of(word: str, verbs: frozenset[str]) -> str | None:
    """The verb a past participle comes from ("deployed" -> "deploy", "built" -> "build"), if it is one."""
    word = word.casefold()
    known = verbs | EXTRA_VERBS
    if word in _IRREGULAR:
        return _IRREGULAR[word]
    if not word.endswith("d") or len(word) < 5:
        return participle_base(word) if len(word) >= 4 else None
    for base in (word[:-3] + "y" if word.endswith("ied") else "", word[:-3] if word[-4:-3] == word[-3:-2] else "",
                 word[:-2], word[:-1]):
        if base and base in known:
            return base
    return participle_base(word)


def _wanted_done(lead: str, verbs: frozenset[str]) -> str | None:
    """ "need the pricing page built (...)" -> "build the pricing page (...)": a request in the passive."""
    words = lead.split()
    start = 1 if words and words[0].casefold() in ("i", "we", "ill", "we'll", "i'll") else 0
    if len(words) < start + 3 or words[start].casefold() not in _WANT:
        return None
    for i in range(start + 2, min(len(words), start + 10)):
        base = participle_of(words[i].strip(",.;:!?"), verbs)
        if base is not None:
            return " ".join([base, *words[start + 1:i], *words[i + 1:]])
    return None


def handed_to(lead: str, verbs: frozenset[str], agents: Mapping[str, str]) -> tuple[str, str] | None:
    """ "get the devs to finish X" / "have support tell Y" / "marketing can link to it" / "ops pls add Z" /
    "devs: build W" / "marketing writes three variants" / "someone send a note" -> (team, the work).

    ``agents`` maps a lower-case name for a team ("devs", "ops", "writer") to the team; "someone" and
    "somebody" hand the work to nobody in particular (team "": its own words decide)."""
    if not agents:
        return None
    text = lead.strip()
    passed = _PASS_ON.match(text)
    if passed is not None:
        words = text[passed.end():].split()
        for n in (3, 2, 1):
            team = agents.get(" ".join(words[:n]).casefold().strip(",.;"))
            if team is not None:
                return team, text
        return None
    handoff = _HANDOFF.match(text)
    body = text[handoff.end():] if handoff else re.sub(r"^(?:so\s+)?(?:can|could|would|will)\s+", "", text, flags=re.IGNORECASE)
    body = re.sub(r"^(?:the|our|a|an|one of the|one of our)\s+", "", body, flags=re.IGNORECASE)
    body = _ROLE.sub(lambda m: m.group(1) or m.group(2), body)  # "the backend guy", "whoever runs our socials" -> "backend", "socials"
    words = body.split()
    for n in (3, 2, 1):
        if len(words) <= n:
            continue
        name = " ".join(words[:n]).casefold().rstrip(",:")
        team = agents.get(name, "" if name in _ANYONE else None)
        if team is None or (handoff is None and n == 1 and starts_order(words[0], words[1])):
            continue  # "code up a pricing page", "support the new plan": a verb, not a team
        rest = " ".join(words[n:])
        if words[n - 1].endswith(":") or rest.startswith(":"):  # "devs: shop-finder map crashes, needs fixing"
            rest = rest.lstrip(": ")
            return (team, rest) if team and rest else None
        if words[n - 1].endswith(",") or rest.startswith(("(", "-", "–")):
            rest = rest.lstrip("(-–: ")  # "ops - spin up ...", "devs, build ..."
            return (team, rest) if is_action(rest, verbs) else None
        rest = re.sub(r"^(?:still\s+|also\s+|really\s+|just\s+|first\s+)?(?:pls|plz|please|can|could|should|must|shall|need\s+to|"
                      r"needs\s+to|has\s+to|have\s+to|then|also|to)\s+", "", rest, flags=re.IGNORECASE)
        rest = re.sub(r"^(?:pls|plz|please|also|then)\s+", "", rest, flags=re.IGNORECASE)
        first, _, tail = rest.partition(" ")
        base = present_base(first) if first else None  # "marketing writes three variants"
        if base in _REPORTING or first.casefold() in _REPORTING:
            return None  # "marketing wants to know ...", "support says ...": what a team said, not work for it
        if base is not None:
            rest = f"{base} {tail}".strip()
        return (team, rest) if is_action(rest, verbs) else None
    return None


_NEEDS = re.compile(r"^(?!(?:i|we|you|they)\b)(?P<subj>(?:[\w'’/-]+\s+){1,9}?)(?:really\s+)?(?:needs?|has\s+to|have\s+to|must|should)\s+"
                    r"(?:(?:to\s+)?be\s+(?P<pp>\w+)|(?P<ing>\w+ing)\b|(?P<obj>(?:[\w'’/-]+\s+){1,4}?)(?P<pp2>\w+))"
                    r"(?P<rest>.*)$", re.IGNORECASE)


def _needs_done(lead: str, verbs: frozenset[str]) -> str | None:
    """ "the dashboard needs to be deployed to prod" -> "deploy the dashboard to prod"; "the emails need
    rewriting" -> "rewrite the emails"; "the signup page needs a bug fixed" -> "fix a bug the signup page"."""
    match = _NEEDS.match(lead.strip())
    if match is None:
        return None
    subj, rest = match.group("subj").strip(), match.group("rest").strip()
    if match.group("pp"):
        base = participle_of(match.group("pp"), verbs)
        return f"{base} {subj} {rest}".strip() if base else None
    if match.group("ing"):
        stem = match.group("ing")[:-3].casefold()
        for base in (stem, stem + "e", stem[:-1] if len(stem) > 2 and stem[-1] == stem[-2] else ""):
            if base and (base in verbs or base in EXTRA_VERBS):
                return f"{base} {subj} {rest}".strip()
        return None
    words = f"{match.group('obj')}{match.group('pp2')}{match.group('rest')}".split()
    for i in range(1, min(len(words), 6)):  # "needs a bug fixed first": the first participle ends the thing
        base = participle_of(words[i], verbs)
        if base is not None:
            return " ".join([base, *words[:i], subj, *words[i + 1:]])
    if words and words[0].casefold() in _NEED_OBJECT and _first_word(subj) in _DETERMINER:
        return f"get {' '.join(words)} for {subj}"  # "the Google Ads need new variants": new variants are wanted
    return None


def _is_done(text: str, verbs: frozenset[str]) -> str | None:
    """ "the sso feature is built" -> "build the sso feature" (a state the text waits for is work)."""
    match = _IS_DONE.match(text.strip())
    base = participle_of(match.group("pp"), verbs) if match else None
    return f"{base} {match.group('subj').strip()} {match.group('rest').strip()}".strip() if match and base else None


def _soft_split(sentence: str, verbs: frozenset[str],
                agents: Mapping[str, str] | None = None) -> list[tuple[str, bool, bool, str]]:
    """Split at ', and', 'then', 'and' only where an action (or 'a/the <thing>' after 'and') follows.

    Each part comes with (elliptic, joined by 'then', led by a wanted participle). "need X built and
    deployed to prod" splits before the second participle too: two things wanted done.
    """
    parts: list[tuple[str, bool, bool, bool]] = []
    start, elliptic, then, done = 0, False, False, ""
    for match in _SOFT.finditer(sentence):
        if match.start() < start:
            continue
        rest = sentence[match.end():]
        joiner = match.group(0).strip(" ,").casefold()
        if joiner in ("once", "as soon as"):
            if _is_done(rest, verbs) is not None and not _PROMISE.search(sentence[start:match.start()]):
                # "..., once the sso feature is built"; not "tell her it will work once the fix is deployed"
                parts.append((sentence[start:match.start()], elliptic, then, done))
                start, elliptic, then, done = match.end(), False, False, "once"
            continue
        topic = _TOPIC.search(sentence[start:match.start()])
        if (topic and "then" not in joiner and _needs_done(_lead(rest), verbs) is None
                and len(sentence[topic.end():match.start()].split()) <= 3):
            continue  # "a post about how we deploy, monitor and fix ...": the topic goes on
        if (joiner == "and" and _STATE_END.search(sentence[start:match.start()])
                and participle_of(_first_word(rest), verbs) is not None):
            continue  # "make sure the demo environment is up and reset to clean data"
        if joiner == "" and _USING.match(sentence[start:match.start()].strip()):
            continue  # "using that list, write three posts": the input of this request, not a request
        if joiner == "" and _NOUN_LIST.match(rest):
            continue  # "split it into auth, profile and billing bits": a list of things, not a request
        if joiner == "and" and "," not in match.group(0) and _COORDINATED.match(sentence[start:match.start()]):
            continue  # "find and fix the bug", "write and send": two verbs, one thing
        if joiner == "and" and "," not in match.group(0) and _SUBORDINATE.search(sentence[start:match.start()]):
            continue  # "a page where we can search users and reset their 2fa": one clause
        wanted = (joiner == "and" and participle_of(_first_word(rest), verbs) is not None
                  and _wanted_done(_lead(sentence[:match.start()].strip()), verbs) is not None)
        if joiner == "but" and not (_BEFORE.match(rest) or _THEN.match(rest) or _ONLY_AFTER.match(rest)
                                    or _ONLY_AFTER_MADE.match(rest) or _ONLY_AFTER_LIVE.match(rest)
                                    or (_FIRST.search(rest) and (is_action(rest, verbs) or _wanted_done(rest, verbs)
                                                                 or _needs_done(rest, verbs)))):
            continue  # "..., but keep it short": a condition, not another request
        wanted = (wanted or _needs_done(_lead(rest), verbs) is not None or _asked(_lead(rest), verbs) is not None
                  or _wanted_done(_lead(rest), verbs) is not None
                  or bool(_OBLIGED.match(_lead(rest))))
        if (is_action(rest, verbs) or _THEN.match(rest) or wanted or _AFTER_WHICH.match(rest) or _BEFORE.match(rest)
                or (joiner == "but" and (_ONLY_AFTER.match(rest) or _ONLY_AFTER_MADE.match(rest) or _FIRST.search(rest)))
                or handed_to(_lead(rest), verbs, agents or {}) is not None):
            parts.append((sentence[start:match.start()], elliptic, then, done))
            start, elliptic, then, done = match.end(), False, "then" in joiner, "participle" if wanted else ""
        elif (joiner in ("and", "plus", "&", "+", "then", "and then") and _first_word(rest) in _DETERMINER
              and not _SUBJECT.match(sentence[start:match.start()].rsplit(",", 1)[-1])):
            parts.append((sentence[start:match.start()], elliptic, then, done))
            start, elliptic, then, done = match.end(), True, "then" in joiner, ""
    parts.append((sentence[start:], elliptic, then, done))
    return [p for p in parts if p[0].strip(" \t,.;:!?")]


def split(text: str, verbs: frozenset[str], *,
          agents: Mapping[str, str] | None = None) -> tuple[list[Clause], list[str]]:
    """The clauses of a task in order, and the material they refer to (``restore`` puts it back)."""
    store: list[str] = []
    if agents:
        text = _NAMED_TEAM.sub(lambda m: _named_team(m, agents), text)
    protected = _bullets_as_text(_protect(_QUOTED_LINES.sub(lambda m: _keep(m.group(0), store), text), store),
                                 verbs, store, agents)
    clauses: list[Clause] = []
    in_order = waiting = first_next = False
    carried: Clause | None = None
    for number, sentence in enumerate(s for s in _HARD.split(protected) if s and s.strip()):
        listed, titled = sentence.startswith(LISTED), sentence.startswith(TITLED)
        sentence = sentence.lstrip(LISTED + TITLED)
        if titled:
            head = sentence.strip(" \t:")
            in_order = bool(_IN_ORDER.search(head))
            clauses.append(Clause(text=restore(head, store), bare=strip_material(head), request=False,
                                  sentence=number, title=True))
            continue
        handed = handed_to(_lead(sentence), verbs, agents or {}) is not None
        pieces = [sentence] if handed else _colon(sentence, verbs, store, agents)
        for n, piece in enumerate(pieces):
            if piece.startswith(TITLED):
                head = piece[1:].strip(" \t:")
                clauses.append(Clause(text=restore(head, store), bare=strip_material(head), request=False,
                                      sentence=number, title=True))
                continue
            item = piece.startswith(LISTED) or (listed and n == 0)  # a to-do item: a request even without a verb
            parts_of = piece.startswith(PARTS_OF)
            piece = piece.lstrip(LISTED + PARTS_OF)
            before = len(clauses)
            for part, elliptic, then, done in _soft_split(piece, verbs, agents):
                clause = _clause(part, verbs, store, elliptic=elliptic, then=then, sentence=number,
                                 opening=not clauses or (item and len(clauses) == before),
                                 done=done, agents=agents or {}, item=item and len(clauses) == before)
                if elliptic and clauses and not clauses[-1].request and clause.request:
                    # "she asked about SSO and the API limits": shares a verb that asks for nothing
                    clause = replace(clause, request=False)
                if parts_of and not clause.agent:
                    clause = replace(clause, elaborates=True)
                if carried is not None and clause.bare:  # "After that, marketing should ...": the order word's clause
                    clause = replace(clause, then=clause.then or carried.then, first=clause.first or carried.first,
                                     feeds=clause.feeds or carried.feeds)
                    carried = None
                if clause.request and (waiting or (in_order and item and len(clauses) == before)):
                    clause = replace(clause, then=True)  # "once both are done, write ...", "in this order: 1. ..."
                    waiting = False
                if not clause.request and _ONLY_WAIT.match(clause.bare or clause.text):
                    waiting = True
                before_them = _BEFORE_THEM.match(clause.text)
                handed = handed_to(before_them.group("rest"), verbs, agents or {}) if before_them else None
                if handed is not None and handed[0]:  # "Before ops runs the upgrade, reply to ...": ours comes first
                    clause = replace(clause, request=True, agent=handed[0], bare=strip_material(handed[1]))
                    first_next = True
                elif first_next and clause.request:
                    clause = replace(clause, first=True)
                    first_next = False
                if not clause.bare and (clause.then or clause.first or clause.feeds):
                    carried = clause  # nothing but "After that," / "Before that,": it orders the next part
                    continue
                clauses.append(clause)
            if n == 0 and len(pieces) > 1 and len(clauses) == before + 1:
                title = clauses[-1]  # 'Launch v2: write ..., deploy ...': the head names the whole task
                clauses[-1] = Clause(text=title.text, bare=title.bare, request=False, sentence=number, title=True)
    return clauses, store


def _clause(part: str, verbs: frozenset[str], store: list[str], *, elliptic: bool, then: bool, sentence: int,
            opening: bool, done: str = "", agents: Mapping[str, str] = {}, item: bool = False) -> Clause:  # noqa: B006
    raw = part.strip(" \t,.;:!?")
    state = _ONCE_STATE.match(raw)
    if (state is not None and _is_done(state.group("state"), verbs) is not None
            and not _JUST_DONE.search(state.group("state"))):
        done = "once"
        lead = state.group("state")
    else:
        lead = _lead(raw)
    earlier = _earlier_by(raw, verbs, agents)  # "but only after marketing has settled the positioning"
    handed = earlier or handed_to(lead, verbs, agents)
    passive = None
    if handed is not None:
        agent, lead = handed
    else:
        agent = ""
        first = participle_of(_first_word(lead), verbs) if done == "participle" else None
        lead = _asked(lead, verbs) or lead
        passive = ((_is_done(lead, verbs) if done == "once" else None) or _wanted_done(lead, verbs)
                   or _needs_done(lead, verbs) or (_np_passive(lead, verbs) if elliptic or then else None))
        lead = passive or (f"{first} {lead.split(None, 1)[1] if ' ' in lead else ''}".strip() if first else lead)
    elliptic = elliptic and passive is None and not agent
    bare = strip_material(lead)
    then_thing = bool(_THEN.match(raw)) and _first_word(bare) in _DETERMINER  # "..., and after that a short blog post"
    request = bool(bare) and (is_action(lead, verbs) or elliptic or then_thing or bool(_DUE.match(bare))
                              or bool(_WE_NEED.match(bare))
                              or bool(_OBLIGED.match(bare)) or (opening and _opens(bare, item=item)))
    before_previous = bool(_BEFORE_PREVIOUS.search(raw)) or earlier is not None
    if _TO_ME.match(bare):  # "tell me which one to run first": a report on the same work, whatever its words
        return Clause(text=restore(raw, store).strip(), bare=bare, request=request, sentence=sentence,
                      elaborates=True, refers=bool(_REFERS.search(bare)), empty=is_empty(bare))
    return Clause(
        text=restore(raw, store).strip(), bare=bare, request=request,
        then=then or bool(_THEN.match(raw)) or bool(_AFTER_WHICH.match(raw)) or bool(_PASS_ON.match(lead)),
        later=bool(_LATER.search(bare)) or bool(_AFTER_END.search(bare)),
        first=(bool(_FIRST.search(bare)) or (bool(_BEFORE.match(raw)) and not before_previous) or done == "once"
               or bool(_FIRST_NEEDS.search(raw))),
        agent=agent, refers=bool(_REFERS.search(bare)), feeds=bool(_FEEDS.search(bare)) or before_previous,
        parallel=bool(_PARALLEL.search(raw)),
        elliptic=elliptic, sentence=sentence, inside=bool(_INSIDE.search(_OWN_PART.split(bare, maxsplit=1)[0])),
        elaborates=_elaborates(bare), speech=_first_word(bare) in SPEECH_VERBS, empty=is_empty(bare),
    )


def _opens(bare: str, *, item: bool) -> bool:
    """The task's opening noun phrase ("Blog post pls: ...") or a to-do item ("Five social posts aimed at ...")."""
    words = _WORD.findall(bare)
    if len(words) < 2 or _ABOUT_US.match(bare) or _first_word(bare) in _ADVERBIAL:
        return False  # "After yesterday's outage": when, not what
    if not item and any(is_finite(w) for w in words[1:5]):
        return False  # "Greenleaf Market renews in 30 days", "Ops wrote a postmortem": a report
    return not (_ITEM_STATEMENT if item else _STATEMENT).search(bare)


def _asked(lead: str, verbs: frozenset[str]) -> str | None:
    """A wish or a question that asks for work, as an order: "I'd also like a short guide" -> "get a short guide",
    "can this be corrected before I file" -> "correct this before I file"."""
    wish = _WISH.match(lead)
    if wish is not None:
        thing = wish.group("thing")
        return thing if is_action(thing, verbs) else f"get {thing}"
    can_be = _CAN_BE.match(lead)
    base = participle_of(can_be.group("pp"), verbs) if can_be else None
    return f"{base} {can_be.group('subj')}{can_be.group('rest')}" if can_be and base else None


def _earlier_by(raw: str, verbs: frozenset[str], agents: Mapping[str, str]) -> tuple[str, str] | None:
    """ "but only after marketing has settled the positioning" -> ("marketing", "settle the positioning");
    "only after we actually have an EU region running" -> ("", "get an EU region running")."""
    have = _ONLY_AFTER_WE.match(raw.strip())
    if have is not None:
        return "", "get " + have.group("thing").split(",")[0].strip()
    made = _ONLY_AFTER_MADE.match(raw.strip())
    if made is not None:
        base = participle_of(made.group("pp"), verbs)
        return ("", f"{base} it {made.group('rest').split(',')[0].strip()}".strip()) if base else None
    live = _ONLY_AFTER_LIVE.match(raw.strip())
    if live is not None and agents.get(live.group("who").casefold()) is not None:
        return agents[live.group("who").casefold()], f"get {live.group('thing')} {live.group('state')}{live.group('rest')}"
    match = _ONLY_AFTER.match(raw.strip())
    if match is None:
        return None
    who = re.sub(r"^(?:the|our)\s+", "", match.group("who").strip(), flags=re.IGNORECASE).casefold()
    base = participle_of(match.group("pp"), verbs)
    team = agents.get(who)
    return (team, f"{base} {match.group('rest').strip()}".strip()) if team is not None and base else None


def _np_passive(lead: str, verbs: frozenset[str]) -> str | None:
    """ "the owner told once it's back" -> "tell the owner once it's back" (a thing wanted done, sharing a verb)."""
    words = lead.split()
    if not words or words[0].casefold() not in _NP_DETERMINERS:
        return None
    for i in range(2, min(len(words), 8)):
        word = words[i].strip(",.;:")
        if word.casefold() in _NP_ENDS or "'" in word or "’" in word:
            return None  # "the thermostat and he's getting annoyed": the noun phrase ended before any participle
        base = participle_of(word, verbs)
        if base is not None:
            return " ".join([base, *words[:i], *words[i + 1:]])
    return None


def _objects(bare: str) -> list[str]:
    """The words after the leading verb (and a particle), casefolded."""
    words = [w.casefold().replace("’", "'") for w in _WORD.findall(bare)]
    rest = words[1:]
    if rest and rest[0] in ("up", "out", "down", "in", "over", "through"):
        rest = rest[1:]
    return rest


def _elaborates(bare: str) -> bool:
    done = _MADE_SO.match(bare)
    if done is not None and participle_of(done.group("pp"), frozenset()) is not None:
        return False  # "make sure it's purged from the backups": work to do, not a condition on the piece
    if _CONDITION.match(bare) or _STYLE.match(bare) or _TO_ME.match(bare) or _MANNER.match(bare):
        return True
    rest = [w for w in _objects(bare)[:6] if w not in _SKIP]
    if not rest or _CONTAINER.search(bare):
        return False
    head = _WORD.findall(_OBJECT_END.split(" ".join(rest), maxsplit=1)[0])
    generic = _first_word(bare) in _GENERIC_VERBS and bool(head) and head[-1] in _PARTS  # "pull 1-2 good quotes"
    return rest[0] in _PARTS or generic


def is_empty(bare: str) -> bool:
    """A verb with nothing but pronouns and fillers after it: its subject is the earlier thing."""
    rest = _objects(bare)
    return bool(_WORD.search(bare)) and all(w in _EMPTY for w in rest)
