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

from agents.routing.grammar import (
    ABOUT_US, ADVERBIAL, BEFORE_ANYTHING, NOT_THIS_TASK, YOUR, PAST_TIME, SPEC,
    AFTER_END, AFTER_WHICH, BEFORE, BEFORE_PREVIOUS, BEFORE_THEM, COORDINATED, DETERMINER, DUE,
    EXTRA_VERBS, FEEDS, FIRST, FIRST_NEEDS, HARD, INSIDE, IN_ORDER, ITEM_STATEMENT, JUST_DONE, LATER,
    NAMED_TEAM, NOUN_LIST, HANDOFF, OBLIGED, ONCE_STATE, OWN_PART, PARALLEL, PASS_ON, PLACEHOLDER, PROMISE,
    QUOTED_LINES, REFERS, SOFT, SPEECH_VERBS, STATE_END, SUBORDINATE, THEN, TOPIC, TO_ME, USING,
    WE_NEED, WISH, NEED_MORE, WORD, first_word, is_action, is_empty, keep_material, named_team, protect, restore,
    ASKED_END, strip_lead, strip_material,
)
from agents.routing.list_words import APART, LISTED, PARTS_OF, PROBLEM_ITEM, PROJECT_VERBS, TITLED
from agents.routing.pasted import pasted_as_material
from agents.routing.clause_passes import after_split
from agents.routing.outline import outline_as_text
from agents.routing.letters import unwrapped
from agents.routing.people import from_team, handles_as_teams, people_as_teams, sides_as_teams
from agents.routing.asides import GOAL, GREETING, LABEL, LEFT_OUT, HOW_TO, HOW_TO_RUN, OPEN_QUESTION, OUR_STATE, PREAMBLE, SCHEDULED, PURPOSE, SUPPOSE, only_gives
from agents.routing.waits import AFTER_THE_ONE, AFTER_THE_THING, AFTER_THE_THING_SAID, BEFORE_DOING, BEFORE_THE_THING, BEFORE_US, BEFORE_WE_ACT, ONCE_LEAD, STAGED_FIRST, CONDITION_FIRST, ONLY_AFTER, ONLY_AFTER_DO, ONLY_AFTER_LIVE, ONLY_AFTER_MADE, ONLY_WAIT, ON_OUTCOME
from agents.routing.joins import (acts_on_it, asked_of_another, joins_a_name, one_movement, bare_noun_list, bare_thing, ends_wanted, noun_pair, reported_and, says_more, two_verbs)
from agents.routing.wishes import WHEN_WE, next_by_us, wished, wishes_as_said
from agents.routing.runons import run_ons_as_said
from agents.routing.connectives import arrows_as_then, connectives_as_said, features_as_builds, inline_numbers_as_lines
from agents.routing.openings import opening_like_dropped, opens, reads_as_report
from agents.routing.parts import checks_it, elaborates
from agents.routing.context import reports, team_news, team_routine
from agents.routing.unasked import asks_nothing, needs_input, put_off, reaches_team, says_of_itself
from agents.routing.lists import SENT_BY, bullets_as_text, colon_pieces
from agents.routing.text import expand_shorthand
from agents.routing.passives import is_done, needs_done, participle_of, wanted_done
from agents.routing.rewrites import (
    as_order, both_states, comma_after_conditions, comma_before_please, earlier_by, first_by_another, handed_to, np_passive, waits_inside,
)
from agents.routing.verbs import can_be_noun, gerund_base, is_base_verb

__all__ = ["Clause", "EXTRA_VERBS", "PLACEHOLDER", "SPEECH_VERBS", "handed_to", "is_action", "is_empty",
           "participle_of", "restore", "split", "strip_material"]


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
    listed: bool = False  # an item of a to-do list: a piece of work of its own
    sentence: int = 0
    before: str = ""  # "... before the ads go live": the thing (its last word) whose request waits for this one
    after: str = ""  # "... after the demo if it goes well": the thing whose request this one waits for


def _soft_split(sentence: str, verbs: frozenset[str],
                agents: Mapping[str, str] | None = None) -> list[tuple[str, bool, bool, str]]:
    """Split at ', and', 'then', 'and' only where an action (or 'a/the <thing>' after 'and') follows.

    Each part comes with (elliptic, joined by 'then', led by a wanted participle). "need X built and
    deployed to prod" splits before the second participle too: two things wanted done.
    """
    parts: list[tuple[str, bool, bool, bool]] = []
    start, elliptic, then, done = 0, False, False, ""
    for match in SOFT.finditer(sentence):
        if match.start() < start:
            continue
        rest = sentence[match.end():]
        joiner = match.group(0).strip(" ,").casefold()
        if joiner in ("+", "&", "plus") and "," not in match.group(0) and joins_a_name(joiner, sentence[start:match.start()], rest, verbs):
            continue  # "our cancellation + refund policy", "Maple & Myrrh will sign": one thing's name
        if one_movement(joiner, sentence[start:match.start()], rest):
            continue  # "when they log out and back in": one movement, not a second part
        if joiner in ("once", "as soon as"):
            if is_done(rest, verbs) is not None and not PROMISE.search(sentence[start:match.start()]):
                # "..., once the sso feature is built"; not "tell her it will work once the fix is deployed"
                parts.append((sentence[start:match.start()], elliptic, then, done))
                start, elliptic, then, done = match.end(), False, False, "once"
            elif _done_by_a_team(rest, verbs, agents or {}):  # "rewrite the docs once the devs have renamed the endpoints"
                parts.append((sentence[start:match.start()], elliptic, then, done))
                start, elliptic, then, done = match.start() + match.group(0).casefold().index(joiner), False, False, ""
            continue
        topic = TOPIC.search(sentence[start:match.start()])
        if (topic and "then" not in joiner and needs_done(strip_lead(rest), verbs) is None
                and len(sentence[topic.end():match.start()].split()) <= 3 and not acts_on_it(rest, verbs)
                and (match.group(0).strip() == "and" or handed_to(strip_lead(rest), verbs, agents or {}) is None)
                and not ("," in match.group(0) and first_word(rest) in ("a", "an"))):  # "..., and a facebook ad for it"
            continue  # "a post about how we deploy, monitor and fix ...": the topic goes on
        if (joiner == "and" and STATE_END.search(sentence[start:match.start()])
                and participle_of(first_word(rest), verbs) is not None):
            continue  # "make sure the demo environment is up and reset to clean data"
        if joiner in ("and", "") and OUR_STATE.match(strip_lead(rest)) and ABOUT_US.match(sentence.strip()):
            continue  # "We have SOC 2, SSO, and run on AWS EKS": more about us, not an order
        if joiner == "and" and "," not in match.group(0) and HOW_TO.search(sentence[start:match.start()]):
            continue  # "a tutorial showing how to assemble the pot and pair it with the app": one topic
        if joiner in ("", "then") and _only_a_team(sentence[start:match.start()], verbs, agents or {}):
            continue  # "Support, send the apology": the team addressed, then its work
        condition = ONCE_LEAD.match(sentence[start:]) if joiner == "" else None
        state = re.sub(r"^\W*(?:and\s+|but\s+|then\s+)?(?:once|as\s+soon\s+as)\s+", "", sentence[start:match.start()],
                       flags=re.IGNORECASE) if condition is not None else ""
        if (condition is not None and start + condition.end() >= match.end()
                and not _done_by_a_team(state, verbs, agents or {})
                and (start > 0 or is_done(state, verbs) is None or JUST_DONE.search(state) or PROMISE.search(state))):
            continue  # "once builds go through again, fix the crash": the condition stays with its order; "once the
            # portal is built, ...": building it is work of its own, first
        if joiner == "" and USING.match(sentence[start:match.start()].strip()):
            continue  # "using that list, write three posts": the input of this request, not a request
        if joiner == "" and NOUN_LIST.match(rest) and not two_verbs(rest, verbs):
            continue  # "split it into auth, profile and billing bits": a list of things, not a request
        if joiner == "and" and "," not in match.group(0) and COORDINATED.match(strip_material(sentence[start:match.start()])):
            continue  # "find and fix the bug", "write and send": two verbs, one thing
        if joiner == "and" and "," not in match.group(0) and OPEN_QUESTION.search(sentence[start:match.start()]):
            continue  # "check whether refunds and plan downgrades are handled": one question
        if joiner == "and" and "," not in match.group(0) and SUBORDINATE.search(sentence[start:match.start()]):
            continue  # "a page where we can search users and reset their 2fa": one clause
        wanted = (joiner in ("and", "then", "and then") and participle_of(first_word(rest), verbs) is not None
                  and wanted_done(strip_lead(sentence[:match.start()].strip()), verbs) is not None)
        if joiner == "but" and not (BEFORE.match(rest) or _before_them(rest) or THEN.match(rest) or ONLY_AFTER.match(rest)
                                    or ONLY_AFTER_MADE.match(rest) or ONLY_AFTER_LIVE.match(rest) or ONLY_AFTER_DO.match(rest)
                                    or (_says_first(rest) and (is_action(rest, verbs) or wanted_done(rest, verbs)
                                                               or needs_done(rest, verbs) or OBLIGED.match(rest)))
                                    or asked_of_another(rest, verbs, agents or {}) or first_by_another(rest, verbs, agents or {})):  # ", but could someone pull ...", "but the devs must first ..."
            continue  # "..., but keep it short": a condition, not another request
        wanted = (wanted or needs_done(strip_lead(rest), verbs) is not None or as_order(strip_lead(rest), verbs, agents) is not None
                  or wanted_done(strip_lead(rest), verbs) is not None
                  or bool(OBLIGED.match(strip_lead(rest))))
        after_thing = next((m for m in (AFTER_THE_THING.match(rest), AFTER_THE_ONE.match(rest)) if m is not None
                            and (is_action(rest[m.end():], verbs) or handed_to(strip_lead(rest[m.end():]), verbs, agents or {}))),
                           None) if joiner in ("and", "") and earlier_by(rest, verbs, agents or {}) is None else None
        if after_thing is not None:
            # "..., and after the migration have the developer upgrade the library": a later request
            parts.append((sentence[start:match.start()], elliptic, then, done))
            start, elliptic, then, done = match.end() + after_thing.end(), False, True, ""
            continue
        bare_and = joiner == "and" and "," not in match.group(0)
        once = ONCE_LEAD.match(rest)
        if ((is_action(rest, verbs) and not (bare_and and noun_pair(rest, verbs))) or THEN.match(rest) or wanted
                or (once is not None and is_action(rest[once.end():], verbs))
                or AFTER_WHICH.match(rest) or BEFORE.match(rest) or (joiner == "but" and _before_them(rest))
                or (joiner in ("and", "and also", "plus", "&", "+") and NEED_MORE.match(strip_lead(rest)))
                or (joiner in ("then", "and then") and (_verb_only(first_word(strip_lead(rest)))
                                                        or next_by_us(strip_lead(rest), verbs) is not None))
                or (joiner == "but" and (ONLY_AFTER.match(rest) or ONLY_AFTER_MADE.match(rest) or ONLY_AFTER_DO.match(rest)
                                         or _says_first(rest)))
                or (joiner == "" and bool((earlier_by(rest, verbs, agents or {}) or ("",))[0]))  # ", after the devs finish it"
                or ((joiner != "so" or not PURPOSE.match(strip_lead(rest)))
                    and handed_to(strip_lead(rest), verbs, agents or {}, after_then="then" in joiner) is not None)):
            # "..., so support can handle export requests faster": what the work is for, not work for support
            parts.append((sentence[start:match.start()], elliptic, then, done))
            start, elliptic, then, done = match.end(), False, "then" in joiner, "participle" if wanted else ""
        elif (joiner == "" and "," in match.group(0) and first_word(rest) in DETERMINER
              and (np_passive(rest.split(",")[0].strip(), verbs) is not None
                   or NEED_MORE.match(strip_lead(sentence[start:match.start()]))
                   # "add bulk pricing to the store, a help article on it, and a facebook ad": a list of things
                   or (first_word(rest) in ("a", "an") and _AND_A_THING.search(rest) is not None
                       and is_action(sentence[start:match.start()], verbs)))):
            # "Need the button built, the customers told once it's out, and ...": a list of things wanted done;
            # "i need release notes for the changelog, a twitter thread, and ...": a list of things needed
            parts.append((sentence[start:match.start()], elliptic, then, done))
            start, elliptic, then, done = match.end(), True, False, ""
        elif (joiner in ("and", "and also", "plus", "&", "+", "then", "and then") and bare_thing(strip_lead(rest), verbs)
              and ("then" in joiner or (joiner in ("+", "plus") and start == 0 and not is_action(sentence[:match.start()], verbs)
                                        and len(WORD.findall(strip_lead(sentence[:match.start()]))) >= 2  # "new onboarding flow + app store copy"
                                        and not reported_and(sentence[:match.start()]))  # not "we're moving api + db to ..."
                   or ((NEED_MORE.match(strip_lead(sentence[start:match.start()])) or WISH.match(sentence[start:match.start()].strip()))
                       and ("," in match.group(0) or ends_wanted(sentence[start:match.start()], verbs)))
                   or (elliptic and "," in match.group(0)))):  # "..., a picker added to the page, and DNS for it"
            # "need the pricing page built and copy for it", "..., then promo posts for x and ig": a thing of its own
            parts.append((sentence[start:match.start()], elliptic, then, done))
            start, elliptic, then, done = match.end(), True, "then" in joiner, ""
        elif (joiner in ("and", "and also", "plus", "&", "+", "then", "and then")
              and (first_word(strip_lead(rest)) in DETERMINER or strip_lead(rest)[:1].isdigit())  # "+ 5 linkedin posts"
              and not reported_and(sentence[start:match.start()].rsplit(",", 1)[-1])
              and not says_more(sentence[start:match.start()], rest)
              and not bare_noun_list(sentence[start:match.start()], rest, verbs)
              and not ITEM_STATEMENT.search(" ".join(rest.split()[:4 if "then" in joiner else 6]))):  # "the key and the password are ..."
            parts.append((sentence[start:match.start()], elliptic, then, done))
            start, elliptic, then, done = match.end(), True, "then" in joiner, ""
    parts.append((sentence[start:], elliptic, then, done))
    return [p for p in parts if p[0].strip(" \t,.;:!?")]


def split(text: str, verbs: frozenset[str], *,
          agents: Mapping[str, str] | None = None) -> tuple[list[Clause], list[str]]:
    """The clauses of a task in order, and the material they refer to (``restore`` puts it back)."""
    store: list[str] = []
    text = opening_like_dropped(unwrapped(text))  # "Hey all, ... Thanks! — Maya", a ticket's "Type: Story"
    text = outline_as_text(LABEL.sub("", GREETING.sub("", text, count=1)), agents or {})  # "Hola! ...", "Update: ..."
    text = arrows_as_then(features_as_builds(inline_numbers_as_lines(connectives_as_said(wishes_as_said(expand_shorthand(text))), verbs), verbs), verbs)
    text = run_ons_as_said(text, verbs)  # "the cert expires friday renew that"
    text = both_states(waits_inside(handles_as_teams(text, agents or {}), verbs, agents or {}), verbs)  # "@ops" is a team
    text = comma_before_please(comma_after_conditions(text, verbs, agents), agents or {})
    if agents:
        text = people_as_teams(NAMED_TEAM.sub(lambda m: named_team(m, agents), sides_as_teams(text, agents)), agents)
    text = pasted_as_material(QUOTED_LINES.sub(lambda m: keep_material(m.group(0), store), text), store, agents=agents,
                              asks=lambda line: is_action(line, verbs) or handed_to(line, verbs, agents or {}) is not None)
    text = _GROUPED_NUMBER.sub(lambda m: keep_material(m.group(0), store), text)  # "1,200 words": one number, no list
    protected = bullets_as_text(protect(text, store), verbs, store, agents)
    clauses: list[Clause] = []
    in_order = waiting = first_next = listed_next = apart = False
    lead_in = named_next = ""
    carried: Clause | None = None
    sentences = [s for s in HARD.split(protected) if s and s.strip()]
    for number, sentence in enumerate(sentences):
        # "app review rejection from apple:" and the pasted lines under it: the head names the material, asks nothing
        heads_material = sentence.rstrip().endswith(":") and number + 1 < len(sentences) and not strip_material(
            sentences[number + 1]).strip(" \t,.;:!?")
        listed, titled = sentence.startswith(LISTED) or listed_next, sentence.startswith(TITLED)
        sentence = sentence.lstrip(LISTED + TITLED)
        side_by_side = listed_next and bool(PARALLEL.search(lead_in))  # "3. separately - ...": runs on its own
        named, named_next = named_next, _only_a_team(sentence, verbs, agents or {})
        listed_next = listed and (not strip_lead(sentence) or bool(named_next))  # "3. separately - a landing page"
        lead_in = sentence
        if named_next:
            continue  # "2. our writer — document the limits": the team the next part is handed to
        if titled:
            head = sentence.strip(" \t:")
            in_order, apart = bool(IN_ORDER.search(head)), bool(APART.search(head))  # "FYI two unrelated:"
            clauses.append(Clause(text=restore(head, store), bare=strip_material(head), request=False,
                                  sentence=number, title=True))
            continue
        spec = bool(SPEC.match(sentence))  # "It should show the menu, let customers pick a slot and submit it"
        aside = bool(NOT_THIS_TASK.search(sentence))  # "Release notes come later from content, not part of this task"
        aside = aside or bool(SCHEDULED.match(strip_lead(sentence)))  # "The devs ship multiplayer mode on the 14th."
        aside = aside or bool(GOAL.match(sentence.strip()) or LEFT_OUT.search(sentence))  # "Customers should be able to ..."
        if clauses and is_action(sentence, verbs) and YOUR.search(sentence.split(",")[0]):
            spec = True  # "Write a tutorial. Connect your RSS feed, pick metrics, ...": the tutorial's steps
        handed = handed_to(strip_lead(sentence), verbs, agents or {}) is not None
        pieces = [sentence] if handed else colon_pieces(sentence, verbs, store, agents)
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
            # "sales: go through the attendee list and send personal follow-ups": the line is that team's
            label = _only_a_team(piece.split(":", 1)[0], verbs, agents or {}) if ":" in piece[:30] else ""
            at = 0
            for part, elliptic, then, done in _soft_split(piece, verbs, agents):
                at = max(piece.find(part, at), at)
                clause = _clause(part, verbs, store, elliptic=elliptic, then=then, sentence=number,
                                 opening=not clauses or (item and len(clauses) == before)
                                 or (n == 0 and len(clauses) == before and bool(_MADE_THING.match(part))),
                                 done=done, agents=agents or {}, item=item and len(clauses) == before)
                if (clause.request and not clause.agent and len(clauses) > before and clauses[-1].agent
                        and clauses[-1].request and _BARE_AND.search(piece[:at])
                        and first_word(clause.bare) not in _TO_SOMEONE):
                    # "have ops turn on encryption at rest and enable audit logging": one hand-off, two verbs
                    clause = replace(clause, agent=clauses[-1].agent)
                if (clause.request and not clause.agent and len(clauses) > before and not clauses[-1].request
                        and PAST_TIME.search(clauses[-1].bare) and _BARE_AND.search(piece[:at])
                        and can_be_noun(first_word(clause.bare))):
                    clause = replace(clause, request=False)  # "The writers already did the docs and release notes"
                if (elliptic and clauses and not clauses[-1].request and clause.request
                        and (reads_as_report(clauses[-1].bare) or first_word(clauses[-1].bare) in ADVERBIAL
                             or reads_as_report(clause.bare))):
                    # "she asked about SSO and the API limits": shares a verb that asks for nothing
                    clause = replace(clause, request=False)
                elif (elliptic and clause.request and len(clauses) == before + 1 and not clauses[-1].request
                      and not clauses[-1].title and opens(clauses[-1].bare, item=True)):
                    # "Launch on the 3rd. merchant install guide + the app store listing copy": the head of a list of
                    # things wanted is one of them
                    clauses[-1] = replace(clauses[-1], request=True)
                if (clause.elliptic and clause.first and clauses and clauses[-1].request
                        and clauses[-1].sentence == clause.sentence):
                    clauses[-1] = replace(clauses[-1], first=True)  # "complete the OAuth flow and the triggers first"
                if item and clause.request:
                    clause = replace(clause, listed=True, parallel=clause.parallel or side_by_side or apart)
                if named and clause.request and not clause.agent and len(clauses) == before:
                    clause = replace(clause, agent=named)
                if label and clause.request and not clause.agent:
                    clause = replace(clause, agent=label)
                if spec and not clause.agent:
                    clause = replace(clause, elaborates=True)
                if (clause.elaborates and clause.request and not clause.elliptic and clauses and not clauses[-1].request
                        and clauses[-1].sentence == number and not any(c.request for c in clauses if c.sentence == number)):
                    # "our privacy policy doesn't list the new sub-processors, so rewrite that section of the policy":
                    # the part is of the thing just named, not of an earlier request's piece
                    clause = replace(clause, elaborates=False)
                sent_by = SENT_BY.search(clause.bare) and (len(clause.text) - len(clause.bare) > 20 or "\u27e6" in clause.text)
                # "Release notes content wrote for 2.4: <list>": the head of someone else's list asks nothing
                if aside or sent_by or (heads_material and not clause.agent and not is_action(clause.bare, verbs)) or (
                        _FROM_BELOW.match(clause.bare) and not clause.agent):  # "Email from our partner below
                    clause = replace(clause, request=False, agent="")
                if parts_of and not clause.agent:
                    clause = replace(clause, elaborates=True)
                if carried is not None and clause.sentence != carried.sentence:
                    carried = None
                if carried is not None and clause.bare and clause.request:
                    # "After that, marketing should ...": the order word's request ("Then, since we keep getting
                    # these, get marketing to ..." skips the aside)
                    clause = replace(clause, then=clause.then or carried.then, first=clause.first or carried.first,
                                     feeds=clause.feeds or carried.feeds, later=clause.later or carried.later,
                                     parallel=clause.parallel or carried.parallel)
                    carried = None
                if clause.request and (waiting or (in_order and item and len(clauses) == before)):
                    clause = replace(clause, then=True)  # "once both are done, write ...", "in this order: 1. ..."
                    waiting = False
                if not clause.request and (ONLY_WAIT.match(clause.bare or clause.text) or ON_OUTCOME.match(clause.text)):
                    waiting = True
                if clause.agent and clause.feeds and CONDITION_FIRST.match(clause.text):
                    waiting = True  # "Once marketing has settled the wording, have the devs build ...": the rest waits
                before_them = BEFORE_THEM.match(clause.text)
                handed = handed_to(before_them.group("rest"), verbs, agents or {}) if before_them else None
                ours = BEFORE_US.match(clause.text) if not clause.request else None
                doing = _done_later(clause.text, verbs) if not clause.request and ours is None else None
                if handed is not None and handed[0]:  # "Before ops runs the upgrade, reply to ...": ours comes first
                    clause = replace(clause, request=True, agent=handed[0], bare=strip_material(handed[1]))
                    first_next = True
                elif (ours is not None and is_action(ours.group("work"), verbs) and ours.group("who").casefold() != "i"
                      and (ours.group("who").casefold() in ("you", "u") or len(ours.group("work").split()) >= 3)):
                    # "Before you email the buyer our proposal, get the order form fixed": the form comes first
                    clause = replace(clause, request=True, bare=strip_material(ours.group("work")))
                    first_next = True
                elif doing is not None:  # "Before doing the newsletter, collect the top questions": the questions first
                    clause = replace(clause, request=True, bare=strip_material(doing))
                    first_next = True
                elif first_next and clause.request:
                    clause = replace(clause, first=True)
                    first_next = False
                if (not clause.bare or _HAND_OFF.match(clause.bare)) and (clause.then or clause.first or clause.feeds or clause.parallel):
                    carried = clause  # nothing but "After that," / "Before that, have": it orders the next part
                    continue
                if not clause.request and (clause.then or clause.first or clause.feeds or clause.later):
                    carried = clause  # "Then, since we keep getting these, get marketing to ...": it orders the request
                clauses.append(clause)
            if n == 0 and len(pieces) > 1 and len(clauses) == before + 1 and _names_the_task(clauses[-1], verbs):
                title = clauses[-1]  # 'Launch v2: write ..., deploy ...': the head names the whole task
                clauses[-1] = Clause(text=title.text, bare=title.bare, request=False, sentence=number, title=True)
    clauses = after_split(clauses, verbs)
    if any(not c.request and HOW_TO_RUN.match(c.bare) and PARALLEL.search(c.bare) for c in clauses):
        # "Two separate things, do them in parallel": every part runs side by side
        clauses = [replace(c, parallel=True) if c.request else c for c in clauses]
    return clauses, store


def _clause(part: str, verbs: frozenset[str], store: list[str], *, elliptic: bool, then: bool, sentence: int,
            opening: bool, done: str = "", agents: Mapping[str, str] = {}, item: bool = False) -> Clause:  # noqa: B006
    raw = part.strip(" \t,.;:!?")
    state = ONCE_STATE.match(raw)
    if (state is not None and is_done(state.group("state"), verbs) is not None
            and not JUST_DONE.search(state.group("state"))):
        done = "once"
        lead = state.group("state")
    else:
        lead = strip_lead(raw)
    earlier = earlier_by(raw, verbs, agents)  # "but only after marketing has settled the positioning"
    handed = earlier or handed_to(lead, verbs, agents, after_then=bool(then or THEN.match(raw) or AFTER_WHICH.match(raw)))
    if handed is not None and earlier is None and ((only_gives(handed[1], lead) and not HANDOFF.match(lead.strip()))
                                                   or team_routine(lead, agents) or reaches_team(raw, agents)
                                                   or needs_input(raw)):
        # "Ops can give you the numbers": what the work starts from, not a step of its own; "our support folks
        # answer it five times a day": what a team does as a rule
        return Clause(text=restore(raw, store).strip(), bare=strip_material(lead), request=False, sentence=sentence)
    passive = None
    if handed is not None:
        agent, lead = handed
    else:
        agent = ""
        first = participle_of(first_word(lead), verbs) if done == "participle" else None
        lead = (as_order(lead, verbs, agents) or (wished(raw, lead) if not is_action(lead, verbs) else None)
                or (next_by_us(lead, verbs) if then or THEN.match(raw) or WHEN_WE.match(raw) else None) or lead)
        passive = ((is_done(lead, verbs) if done == "once" else None) or wanted_done(lead, verbs)
                   or needs_done(lead, verbs) or (np_passive(lead, verbs) if elliptic or then else None))
        lead = passive or (f"{first} {lead.split(None, 1)[1] if ' ' in lead else ''}".strip() if first else lead)
    elliptic = elliptic and passive is None and not agent and (bool(then) or not says_of_itself(lead))
    bare = strip_material(lead)
    # "..., and after that a short blog post", "and once it's live, Google ads announcing the discount"
    then_thing = (bool(THEN.match(raw) or _BEFORE_THAT.match(raw) or ONCE_LEAD.match(raw)) and (
        first_word(bare) in DETERMINER or bare_thing(bare, verbs))) or bool(_ALSO_THING.match(raw) and bare_thing(bare, verbs))
    request = bool(bare) and first_word(bare) not in SUPPOSE and not HOW_TO_RUN.match(bare) and (handed is not None or is_action(lead, verbs) or elliptic
                              or then_thing or bool(DUE.match(bare) and not PREAMBLE.match(bare))
                              or (bool(then) and _verb_only(first_word(bare)))  # "..., then redeploy staging"
                              or bool(WE_NEED.match(bare)) or bool(NEED_MORE.match(bare))
                              or bool(OBLIGED.match(bare)) or (opening and opens(bare, item=item))
                              or (bool(ASKED_END.search(raw)) and len(WORD.findall(ASKED_END.sub("", bare))) >= 2
                                  and opens(ASKED_END.sub("", bare), item=True)))  # "code review on PR #482 pls"
    if item and not request and bare and PROBLEM_ITEM.search(bare) and not PAST_TIME.search(bare):
        request = True  # "2 urgent points: 1. the TLS cert expires friday and the renewal did not happen": fix it
    if request and not agent and not is_action(lead, verbs):
        agent = from_team(lead, agents)  # "need the page built and copy for it from mktg": a thing, and whose it is
    if request and ((handed is None and _TO_KNOW.match(bare)) or needs_input(raw)):
        request = False  # "support needs to see what the account looked like": what a team needs to know, not work
    if request and ((not agent and (_CHECK_CLAIM.fullmatch(bare.strip(" .!?")) or asks_nothing(raw, bare))) or put_off(raw)):
        request = False  # "Check that's right and draft the reply": checking what was just quoted is part of the reply
    if request and handed is None and ((PAST_TIME.search(bare) and reports(bare, agents)) or team_news(bare, agents)):
        request = False  # "Support already replied to her", "the devs finished the queue changes": news
    before_previous = bool(BEFORE_PREVIOUS.search(raw)) or earlier is not None
    if TO_ME.match(bare) and not (agent and handed is not None and not earlier):  # "tell me which one to run first": a report on the same work, whatever its words
        return Clause(text=restore(raw, store).strip(), bare=bare, request=request, sentence=sentence,
                      elaborates=True, refers=bool(REFERS.search(bare)), empty=is_empty(bare))
    return Clause(
        text=restore(raw, store).strip(), bare=bare, request=request,
        then=then or bool(THEN.match(raw)) or bool(AFTER_WHICH.match(raw)) or (bool(PASS_ON.match(lead)) and bool(agent))
              or bool(ONCE_LEAD.match(raw)),
        later=(bool(LATER.search(bare)) and not checks_it(bare)) or bool(AFTER_END.search(bare)),
        first=((bool(FIRST.search(bare)) and not STAGED_FIRST.search(bare)) or (bool(BEFORE.match(raw)) and not before_previous)
               or done == "once" or bool(BEFORE_ANYTHING.search(raw)) or bool(BEFORE_WE_ACT.search(raw))
               or bool(FIRST_NEEDS.search(raw))),
        agent=agent, refers=bool(REFERS.search(bare)), feeds=bool(FEEDS.search(bare)) or before_previous,
        before=(BEFORE_THE_THING.search(raw) or _NO_THING).group("thing").casefold(),
        after=((AFTER_THE_THING_SAID.search(raw) if not before_previous else None) or _NO_THING).group("thing").casefold(),
        parallel=bool(PARALLEL.search(raw)),
        elliptic=elliptic, sentence=sentence, inside=bool(INSIDE.search(OWN_PART.split(bare, maxsplit=1)[0])),
        elaborates=elaborates(bare, elliptic=elliptic) and not (agent and handed is not None), speech=first_word(bare) in SPEECH_VERBS, empty=is_empty(bare),
    )


# "Check that's right and draft the reply": the claim just quoted is checked as part of that work
_CHECK_CLAIM = re.compile(r"^(?:check|verify|confirm|double[- ]check)\s+(?:that'?s|that\s+is|it'?s|it\s+is|this\s+is|she'?s|"
                          r"he'?s|they'?re|what\s+(?:she|he|they)\s+(?:says?|said))\b(?:\s+(?:right|true|correct|accurate|the\s+case|legit))?",
                          re.IGNORECASE)
# "before that a blog post with the maintenance notice": a thing wanted first (not "before this year's sale")
# "proper how-to article on the csv format, then ...": a sentence that opens with a thing to make asks for it
_MADE_THING = re.compile(r"^\s*(?:(?:a|an|new|proper|short|quick|full|detailed|\d+|two|three|four|five)\s+)*(?:[\w-]+\s+){0,2}?"
                         r"(?:article|blog\s+post|how-?to|faq|guide|docs?\s+page|landing\s+page|newsletter|one-?pager|case\s+study|"
                         r"whitepaper|tutorial|runbook|walkthrough|explainer|video)s?\b(?!\s+(?:is|are|was|were|has|have)\b)", re.IGNORECASE)
def _done_later(text: str, verbs: frozenset[str]) -> str | None:
    """ "before doing the newsletter" -> "do the newsletter": the later work a "before" clause names as a gerund."""
    found = BEFORE_DOING.match(text)
    base = gerund_base(found.group("ing")) if found else None
    work = f"{base} {found.group('rest')}" if found and base else ""
    return work if work and len(work.split()) >= 3 and is_action(work, verbs) else None


_ALSO_THING = re.compile(r"^(?:and\s+)?(?:also|plus)\b[,:]?\s+(?=\S)", re.IGNORECASE)  # "Also, a help doc on pausing"
_BEFORE_THAT = re.compile(r"^(?:but\s+)?before\s+(?:that|this|then)(?:\s*,|(?=\s+(?:a|an|the|some|our|\d)\b))", re.IGNORECASE)
_GROUPED_NUMBER = re.compile(r"(?<![\w.,])\d{1,3}(?:,\d{3})+(?:\.\d+)?(?![\w,]\d)")
_NO_THING = re.match(r"(?P<thing>)", "")
_HAND_OFF = re.compile(r"^(?:have|get|ask|let|make|tell)$", re.IGNORECASE)  # "before that have [the devs fix it]"
_BARE_AND = re.compile(r"[^,;:\s]\s+and\s*$")
_TO_SOMEONE = frozenset("tell let reply respond email message notify announce post tweet call ping answer send".split())


def _only_a_team(sentence: str, verbs: frozenset[str], agents: Mapping[str, str]) -> str:
    """ "backend guy", "our writer" alone before a dash: the team the next part goes to ("" if not that)."""
    name = strip_lead(sentence)
    if not name or len(name.split()) > 4:
        return ""
    handed = handed_to(f"{name}: it", verbs, agents)
    return handed[0] if handed is not None and handed[1] == "it" else ""


def _before_them(rest: str) -> bool:
    """ "..., but before the writer starts on it, our ops person should pull the numbers": what comes first"""
    return bool(BEFORE_THEM.match(rest)) and "," in rest


def _says_first(rest: str) -> bool:
    """ "..., but the tutorials have to be written first / before anything goes out / before that": work that
    comes first, not a condition on the work before it."""
    return bool(FIRST.search(rest) or BEFORE_ANYTHING.search(rest) or BEFORE_PREVIOUS.search(rest))


def _verb_only(word: str) -> bool:
    """A verb that is no noun ("redeploy"): after "then" it starts an order ("then prod" is a place)."""
    return is_base_verb(word) and not can_be_noun(word)


def _names_the_task(head: Clause, verbs: frozenset[str]) -> bool:
    """ "Launch v2: ..." names a project; "Please edit and restructure docs/setup.md: fix the headings, ..." asks for
    one piece of work whose parts follow."""
    return not head.request or first_word(head.bare) in PROJECT_VERBS or not is_action(head.bare, verbs)


def _done_by_a_team(rest: str, verbs: frozenset[str], agents: Mapping[str, str]) -> bool:
    earlier = earlier_by(f"once {rest}", verbs, agents)
    return earlier is not None and bool(earlier[0])


_TO_KNOW = re.compile(r"^(?:the\s+|our\s+)?[\w'’-]+(?:\s+[\w'’-]+)?\s+(?:still\s+)?(?:needs?|has|have)\s+to\s+"
                      r"(?:see|know|understand|hear|learn)\b", re.IGNORECASE)
_FROM_BELOW = re.compile(r"^(?:[\w'’-]+\s+){1,3}?from\b.*\b(?:below|attached|above|pasted)\s*(?:$|,\s*but\b)", re.IGNORECASE)
_AND_A_THING = re.compile(r",\s+and\s+(?:a|an)\s+\w", re.IGNORECASE)
