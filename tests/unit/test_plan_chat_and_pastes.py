"""Chat markup, a quote's own counting, a reaction after a pasted email, a condition before an arrow, a team
named alone before "first", and what the founder says nobody needs to do or is already done."""

from __future__ import annotations

from agents.routing.connectives import inline_numbers_as_lines
from agents.routing.letters import chat_markup_plain
from agents.routing.router import Router
from tests.support.planning import plan_of


def test_a_reaction_after_a_pasted_email_does_not_swallow_the_asks_after_it(builtin_router: Router) -> None:
    text = ('Pasting this from the inbox:\n\n"Hi team, since Monday the SMS receipts show KSh 1,500 when my customers '
            'paid KSh 150. Please help."\n\nPoor her. Fix the decimal thing in the receipt template first, then reply '
            "to her telling her it's sorted.")
    plan = plan_of(builtin_router, text)
    assert sorted(plan.teams) == ["code", "support"]
    assert plan.waits_for("code", "support")
    # the first paragraph under "pasted below" stays material even when one of its sentences asks
    plan = plan_of(builtin_router, 'Pasted below, from a customer:\n\nHello. Please fix the export, it has been broken '
                                   'for a week.\n\nReply to her with the workaround.')
    assert len(plan.steps) == 1 and plan.steps[0].team == "support"


def test_a_condition_before_an_arrow_makes_the_work_after_it_wait(builtin_router: Router) -> None:
    plan = plan_of(builtin_router, "reseller deal w/ cloudtek: draft partner terms + pricing. once signed -> "
                                   "co-branded landing page copy + launch email for their audience")
    assert sorted(plan.teams) == ["marketing", "sales"]
    assert plan.waits_for("sales", "marketing")


def test_a_team_named_alone_before_first_goes_first(builtin_router: Router) -> None:
    plan = plan_of(builtin_router, "pricing change jan 1: starter $19 -> $29. update stripe price ids + grandfather "
                                   "existing subs; reply templates for the angry tickets we'll get. code first, then "
                                   "the rest.")
    assert sorted(plan.teams) == ["code", "support"]
    assert plan.waits_for("code", "support") and not plan.waits_for("support", "code")


def test_a_quotes_own_first_and_second_are_no_items() -> None:
    quoted = 'proofread this:\n"Three things. First, send the invoice before you leave. Second, take card."'
    assert inline_numbers_as_lines(quoted) == quoted
    assert inline_numbers_as_lines("First, send the invoice. Second, take card.").count("\n") == 2


def test_what_nobody_needs_to_do_and_a_fix_that_shipped_are_no_steps(builtin_router: Router) -> None:
    for text in ("tutorial for our users on monitoring their ingress with uptick. nobody needs to touch our clusters, "
                 "just write the guide.",
                 "fix for the double-charge bug shipped yesterday (PR 97). now reply to the 4 customers who got charged "
                 "twice and refund the duplicates",
                 "For the newsletter, an article on citing preprints. Marketing handles the sending and the subject "
                 "line; I need only the article itself."):
        assert len(plan_of(builtin_router, text).steps) == 1, text


def test_chat_links_keep_their_address_and_a_reply_header_asks_nothing(builtin_router: Router) -> None:
    assert chat_markup_plain("see <https://github.com/x/pull/88|PR 88> :eyes:") == \
        "see PR 88 (https://github.com/x/pull/88) :eyes:"
    assert chat_markup_plain("replying to @maya: it's merged") == "it's merged"
    assert chat_markup_plain("reply to the customer at 12:30") == "reply to the customer at 12:30"
    plan = plan_of(builtin_router, "replying to @support-team thread — they say ppl keep asking how late fees work. "
                                   "can we get a proper user guide article on late fees?")
    assert [s.team for s in plan.steps] == ["content"]
    # an emoji code ends a sentence as an emoji does
    plan = plan_of(builtin_router, "Initech says all their data from Tue is gone :scream: restore their tenant from "
                                   "last night's snapshot. when it's back, reply on the ticket w/ what happened")
    assert plan.waits_for("devops", "support")
