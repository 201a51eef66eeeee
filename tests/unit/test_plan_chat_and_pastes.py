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


def test_a_suggestion_hands_each_part_to_the_team_it_names(builtin_router: Router) -> None:
    plan = plan_of(builtin_router, "The questionnaire asks whether backups are encrypted and whether we keep an audit "
                                   "log. I would suggest that devops enable encryption on the backups, that code add an "
                                   "audit log of library access, and that, once both are done, sales complete the "
                                   "questionnaire truthfully.")
    assert {"code", "devops", "sales"} <= set(plan.teams)
    assert plan.waits_for("devops", "sales") and plan.waits_for("code", "sales")
    plan = plan_of(builtin_router, "The library admin wants to cancel at renewal. Before support processes the "
                                   "cancellation, I would suggest that sales ask for a call; if not, support should "
                                   "process it gracefully.")
    assert plan.waits_for("sales", "support")


def test_work_drawn_from_an_earlier_step_waits_for_it(builtin_router: Router) -> None:
    plan = plan_of(builtin_router, "Three things this week:\n1. support: go through all feature requests in the inbox "
                                   "and summarise top 10\n2. marketing: base on that summary, update our messaging on "
                                   "the homepage\n3. sales: call prep for Friday demo")
    assert plan.waits_for("support", "marketing")
    plan = plan_of(builtin_router, "Restore their lost appointments from last night's backup, then fix the sync bug, "
                                   "and apologize to their staff. Once all that's done, send Dr. Beasley a renewal "
                                   "offer.")
    assert plan.waits_for("support", "sales") and plan.waits_for("code", "sales")


def test_lettered_lines_are_items_and_a_statement_about_us_opens_nothing(builtin_router: Router) -> None:
    plan = plan_of(builtin_router, "yesterday's disaster:\n(a) restore the deleted mail for the 6 firms from the "
                                   "backups\n(b) fix the rule engine bug that did it\n(c) apology to those 6 firms, after "
                                   "the restore is done, not before")
    assert [s.text[:7] for s in plan.steps][:2] == ["restore", "fix the"]
    assert plan.waits_for("devops", "support")
    plan = plan_of(builtin_router, "We go to Vinitaly in April!! Prepare the messaging and the flyer copy for our "
                                   "stand, then from the exhibitor list make a list of 30 wineries we should meet there.")
    assert plan.waits_for("marketing", "sales")


def test_chat_handles_and_dashes_hand_work_to_teams(builtin_router: Router) -> None:
    plan = plan_of(builtin_router, "can someone review PR 91 (multi-currency payouts)? if it passes review @devops "
                                   "ship it to prod tonight")
    assert plan.waits_for("code", "devops")
    plan = plan_of(builtin_router, "JPY invoices show the wrong amount in the PDF :face_palm: @backend fix the "
                                   "currency rounding, then @devops push it to prod, and after that @support-team let "
                                   "the 3 customers who reported it know it's sorted")
    assert sorted(plan.teams) == ["code", "devops", "support"]
    assert plan.waits_for("code", "devops") and plan.waits_for("devops", "support")
    plan = plan_of(builtin_router, "Referral program: code — referral links and one month credit in billing. Then "
                                   "marketing launches it to existing customers.")
    assert plan.waits_for("code", "marketing")


def test_a_teams_finished_work_and_an_apology_ask_nothing(builtin_router: Router) -> None:
    plan = plan_of(builtin_router, 'lead list: 40 restaurant chains with 3+ branches, name of owner, use the "chain" '
                                   "persona marketing made last month")
    assert [s.team for s in plan.steps] == ["sales"]
    plan = plan_of(builtin_router, "Sorry to bother you on Sunday. Two things, no order:\n(1) draft 10 tweet variants "
                                   "for our spring challenge\n(2) build a lead list of 30 HR managers in Osaka")
    assert sorted(plan.teams) == ["marketing", "sales"]


def test_a_wish_around_a_subjunctive_passive_asks_for_the_work(builtin_router: Router) -> None:
    plan = plan_of(builtin_router, "Premium price will change from ¥600 to ¥800 a month, sorry users. It would be "
                                   "helpful if the paywall code be updated with the new price, then the release be "
                                   "deployed, and after that an announcement campaign be prepared.")
    assert sorted(plan.teams) == ["code", "devops", "marketing"]
    assert plan.waits_for("code", "devops") and plan.waits_for("devops", "marketing")
    plan = plan_of(builtin_router, "Many users ask how to pause habits during vacation. It would be helpful if a help "
                                   "article be written about it, and then the 20 open tickets about this be replied "
                                   "with a link to the article.")
    assert plan.waits_for("content", "support") and not plan.waits_for("support", "content")
    # not a subjunctive: what will not happen, what the work is for, what the founder would rather
    for text in ("dev says export bug wont be fixed til next wk, write back to the 5 ppl waiting on it",
                 "We launch on Thursday. If possible autoscaling and alerts be prepared on our servers for that day. "
                 "Launch posts are ready already."):
        assert len(plan_of(builtin_router, text).steps) == 1, text


def test_a_team_that_confirms_after_then_takes_the_next_step(builtin_router: Router) -> None:
    plan = plan_of(builtin_router, "Oakridge Clinic says their whole schedule from tuesday is gone. devops restore it "
                                   "from the backups, then support confirms with them that everything's back")
    assert sorted(plan.teams) == ["devops", "support"]
    assert plan.waits_for("devops", "support")
    plan = plan_of(builtin_router, "Sales: draft answers to the Uppsala tender (due 30 May). Content: after sales has "
                                   "a first draft, proofread and edit the whole response.")
    assert plan.waits_for("sales", "content")


def test_a_list_of_questions_and_what_a_team_made_are_material(builtin_router: Router) -> None:
    plan = plan_of(builtin_router, "Orbitpay procurement's security questionnaire, need it filled by Friday. Qs:\n\n"
                                   "1. Do you encrypt customer data at rest? Describe.\n2. Date of last third-party "
                                   "penetration test?\n3. Patch SLA for critical vulnerabilities?\n4. Do you support SSO?")
    assert [s.team for s in plan.steps] == ["sales"]
    plan = plan_of(builtin_router, "release notes content team wrote:\n'v2.4 - Dark mode is here. Checkout is 2 taps "
                                   "faster.'\nfrom this pls make 4 linkedin posts + 2 IG captions")
    assert set(plan.teams) == {"marketing"}  # the posts may fan out; the notes are what they read
    # a list of questions that ask someone for work is still a to-do list
    plan = plan_of(builtin_router, "two things:\n- can the devs fix the export timeout?\n- could marketing draft the "
                                   "launch email?")
    assert sorted(plan.teams) == ["code", "marketing"]
