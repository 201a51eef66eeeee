"""Tasks written as issues (a title, "### Problem", "### Tasks" with checkboxes), as Notion-style to-do pastes and as
clipped fragments (slashes, arrows, "TODO:"), and a few order words they carry.

Each test pins one reading with a text written for this file (agents/routing/issue_form.py, text.py, lists.py,
connectives.py, rewrites.py, waits.py, spots.py and coverage.py).
"""

from __future__ import annotations

import pytest

from agents.ceo import Plan, triage
from agents.routing.issue_form import issue_sections
from agents.routing.router import Router
from agents.routing.text import expand_shorthand


@pytest.fixture
def router(builtin_router: Router) -> Router:
    return builtin_router  # the session's router (tests/unit/conftest.py)


def plan_of(router: Router, text: str) -> Plan:
    return triage(router, text).plan


ISSUE = ("[bug] CSV export drops rows past 10k\n\n"
         "### Problem\nAgencies on the EU cluster get exports cut at 10,000 rows. Support has 9 tickets about it and "
         "the sales team is worried about the Halden renewal.\n\n"
         "### Tasks\n- [ ] fix the pagination in the export job + a regression test\n"
         "- [ ] after the fix is merged, roll it out to the EU cluster, the affected tenants' clusters first\n\n"
         "/cc @ines @tomas")


# -- issues --------------------------------------------------------------------------------------------------


def test_an_issue_reads_its_title_and_problem_as_background_and_its_tasks_as_the_work() -> None:
    out = issue_sections(ISSUE)
    lines = out.split("\n")
    assert lines[0] == "Background:"
    assert "- [bug] CSV export drops rows past 10k" in lines
    assert any(line.startswith("- Agencies on the EU cluster") for line in lines)
    assert lines.index("Tasks:") > lines.index("Background:")
    assert "- [ ] fix the pagination in the export job + a regression test" in lines[lines.index("Tasks:"):]
    assert "@ines" not in out  # a /cc line asks nothing
    # no section of asks: the text comes back as written
    plain = "### Problem\nthe export drops rows\n\nfix it pls"
    assert issue_sections(plain) == plain
    # a proposal is the ask when no section of tasks is there
    proposal = "[perf] slow search\n\n## Context\nsearch takes 4s on big accounts\n\n## Proposal\nadd an index on (account, name)"
    assert issue_sections(proposal).split("\n")[-2:] == ["Tasks:", "add an index on (account, name)"]


def test_an_issue_plans_its_tasks_in_order_without_the_teams_its_problem_mentions(router: Router) -> None:
    plan = plan_of(router, ISSUE)
    assert set(plan.teams) == {"code", "devops"}  # not support or sales, named in the problem
    assert plan.waits_for("code", "devops")  # "the affected tenants' clusters first" is a stage of the rollout


def test_checkboxes_and_todo_marks_are_items(router: Router) -> None:
    plan = plan_of(router, "## Spanish launch\n☐ translate the app's strings file into spanish\n"
                           "☐ after that's done, wire up the language switcher in settings")
    assert set(plan.teams) == {"content", "code"}
    assert plan.waits_for("content", "code")
    assert expand_shorthand("- TODO: fix the upload, then ship it") == "- fix the upload, then ship it"
    assert expand_shorthand("TODO:\n- a\n- b") == "TODO:\n- a\n- b"  # a head on its own line stays


def test_a_now_head_makes_its_noun_items_work(router: Router) -> None:
    plan = plan_of(router, "[incident] follow-up for tuesday's outage\n\nthe API is back. now:\n"
                           "- [ ] postmortem: timeline, root cause, why the disk alert never fired\n"
                           "- [ ] apology note to the 30 affected customers with the credit details")
    assert set(plan.teams) == {"devops", "support"}


# -- fragments -----------------------------------------------------------------------------------------------


def test_a_slash_between_asks_of_a_few_words_parts_them() -> None:
    assert expand_shorthand("keyword research for the reviews app + who ranks / cloudwatch log retention down to 30d") == \
        "keyword research for the reviews app + who ranks; cloudwatch log retention down to 30d"
    for kept in ("triage the inbox: bug / how-to / billing", "checks on the widget CDN / api / mail sender", "and/or 1/2"):
        assert expand_shorthand(kept) == kept
    assert expand_shorthand("q3 stuff /\nthe pricing teardown") == "q3 stuff\nthe pricing teardown"


def test_lines_under_a_todo_head_are_items_without_bullets(router: Router) -> None:
    plan = plan_of(router, "todo dump:\nquote for Greenleaf, 3 stores on the annual plan\n"
                           "ticket 4412 wants a refund, charged after uninstalling\nreview dates shown in UTC → fix")
    assert set(plan.teams) == {"sales", "support", "code"}
    fix = next(step for step in plan.steps if step.team == "code")
    assert "review dates" in fix.text  # "X → fix" is the fix of X, not a bare "fix" step


def test_an_item_that_opens_with_and_once_keeps_its_wait(router: Router) -> None:
    plan = plan_of(router, "the Orbis deal needs us to look grown up on security:\n- turn on audit logging for admin actions\n"
                           "- then answer their security questionnaire\n"
                           "- and once the infra work is done, a public security page in the docs")
    assert plan.waits_for("sales", "content") or plan.waits_for("devops", "content")
    assert not any(step.team == "devops" and "content" in {s.team for s in plan.steps if s.key in step.depends_on}
                   for step in plan.steps)


def test_a_state_with_a_participle_like_its_verb_keeps_its_comma(router: Router) -> None:
    plan = plan_of(router, "- finish the last blockers and cut the 5.0 release\n"
                           "- once the release is cut, release notes from the changelog")
    assert {"code", "content"} <= set(plan.teams) <= {"code", "devops", "content"}  # the cut: code or devops
    assert plan.waits_for("code", "content")
    assert not any("is, cut" in step.text for step in plan.steps)


# -- labels that hold no team, heads that say the order ------------------------------------------------------


def test_facts_given_for_an_answer_are_no_work(router: Router) -> None:
    text = ("Brightline procurement sent a security questionnaire, answer it. facts: we're on AWS, postgres encrypted at "
            "rest, nightly backups, no SOC2 yet.\n\n1. Do you encrypt customer data at rest and in transit?\n"
            "2. Do you have a documented incident response process?\n3. Where is data hosted?")
    assert len(plan_of(router, text).teams) == 1
    assert router.route(text).team == "sales"


def test_a_described_flow_inside_a_script_is_no_order(router: Router) -> None:
    text = ("[launch] demo video script\n\nwe're recording a 3 min demo for the launch. need the script: voiceover + "
            "what's on screen. flow: install with one docker command -> load sample data -> run a query -> open grafana")
    assert plan_of(router, text).teams == ("content",)


def test_a_head_that_says_the_order_keeps_it(router: Router) -> None:
    plan = plan_of(router, "So I think the order is: get the Kessler story written up as a case study first, and then "
                           "a follow-up email to Ane at Nordhavn with it attached.")
    assert set(plan.teams) == {"content", "sales"}
    assert plan.waits_for("content", "sales")
    for text in ("Write a whitepaper on CBAM for aluminium importers and plan a gated LinkedIn campaign around it. "
                 "Whitepaper has to come first for obvious reasons.",
                 "Plan a gated LinkedIn campaign for aluminium importers and write the whitepaper it offers. "
                 "The whitepaper has to come first."):
        plan = plan_of(router, text)
        assert set(plan.teams) == {"content", "marketing"}
        assert plan.waits_for("content", "marketing"), text


def test_two_noun_items_the_reader_is_sure_of_stay_two_teams(router: Router) -> None:
    plan = plan_of(router, '# April\n- newsletter article: "breathing drills for nervous students" ~900 words, practical, '
                           "3 drills\n- IG calendar for april, 3 posts a week, mix of pose breakdowns + teacher stories")
    assert set(plan.teams) == {"content", "marketing"}


def test_arrows_between_names_move_translate_or_upgrade() -> None:
    from agents.routing.connectives import arrows_as_then

    verbs = frozenset({"fix", "deploy", "write", "translate", "move", "upgrade"})
    assert arrows_as_then("docs site netlify → cloudflare pages, keep old urls", verbs) == \
        "move docs site netlify to cloudflare pages, keep old urls"
    assert arrows_as_then("rails 7.0 → 7.1 + clear the deprecation spam", verbs) == \
        "upgrade rails 7.0 to 7.1 + clear the deprecation spam"
    assert arrows_as_then("now the install guide → de + fr pls, keep the labels", verbs) == \
        "now translate the install guide into de + fr pls, keep the labels"
    assert arrows_as_then("persona + positioning → lead list of 40 cafés", verbs) == \
        "persona + positioning, then lead list of 40 cafés"
    assert arrows_as_then("zapier → our app → slack", verbs) == "zapier → our app → slack"
    assert arrows_as_then("price change (Grow 15→19, Pro 49→59).", verbs) == "price change (Grow 15 to 19, Pro 49 to 59)."
    assert arrows_as_then("starter $19 -> $29. update the stripe price ids, then announce it", verbs) == \
        "starter $19 to $29. update the stripe price ids, then announce it"


def test_clipped_marks_of_fragments(router: Router) -> None:
    assert expand_shorthand("resume anytime. + help doc on pausing") == "resume anytime. Also, help doc on pausing"
    assert expand_shorthand("the export hangs on big files — fix, then tell them").startswith("the export hangs on big files — fix it")
    assert expand_shorthand("referral idea. not building yet → program design first") == "referral idea. program design first"
    plan = plan_of(router, "Lumen Candles x2:\n1) double charged on the june invoice, refund the dup + confirm to Sara\n"
                           "2) separate: annual renews aug → upsell email to Priya, Pro plan, 10% off if she signs by jul 31")
    assert set(plan.teams) == {"support", "sales"}


def test_a_tickets_depends_on_field_makes_it_wait(router: Router) -> None:
    plan = plan_of(router, "Title: Announce the tenant portal\nDescription: Email blast + social posts announcing the new "
                           "tenant portal.\nDepends on: the portal being deployed to production (ops)\nDue: Friday")
    assert set(plan.teams) == {"marketing", "devops"}
    assert plan.waits_for("devops", "marketing")
    for nothing in ("none", "#214", "n/a"):
        plan = plan_of(router, f"Title: Late fee bug\nDescription: late fees are charged twice. Fix it.\nDepends on: {nothing}")
        assert plan.teams == ("code",), nothing
