"""Careful sequences, meeting notes, formal passives and planning notes: "Firstly ...", "find and fix ...", "KR:" lines,
"Then: <thing>", "would someone mind doing ...", action items tagged "(AI)" beside others' items, "is to be corrected",
what the founder says is done, broken or ruled out, and two teams given the same words in order.

Each test pins one reading with a text written for this file (agents/routing/grammar.py, clause_cues.py, asides.py,
text.py, openings.py, clause_passes.py, spots.py, passives.py, pieces.py, coverage.py, lists.py and
agents/plan_graph.py).
"""

from __future__ import annotations

import pytest

from agents.ceo import Plan, triage
from agents.routing.router import Router
from agents.routing.text import expand_shorthand


@pytest.fixture
def router(builtin_router: Router) -> Router:
    return builtin_router  # the session's router (tests/unit/conftest.py)


def plan_of(router: Router, text: str) -> Plan:
    return triage(router, text).plan


def test_firstly_leads_the_first_step(router: Router) -> None:
    text = ("Our webinar with the bakers' guild is on Thursday. Firstly make sure the servers survive it: more web "
            "workers and an alert when they get slow. After that, prepare the promotion: a teaser post and a "
            "reminder email to the list.")
    plan = plan_of(router, text)
    assert set(plan.teams) == {"devops", "marketing"}
    assert plan.waits_for("devops", "marketing")


def test_find_and_fix_weighs_as_the_fix(router: Router) -> None:
    text = ("Firstly find and fix why some members cannot pause their box two days before shipping. After it's "
            "fixed, write to the members who complained this week and tell them pausing works again.")
    plan = plan_of(router, text)
    assert set(plan.teams) == {"code", "support"}
    assert plan.waits_for("code", "support")


def test_a_key_result_line_is_background(router: Router) -> None:
    text = ("KR: sign 4 gym chains by the end of the quarter. For that I want a 2-page case study on Northside "
            "Fitness (members up 12%). When it's done, use it in follow-ups to the 9 chains we met at the expo.")
    plan = plan_of(router, text)
    assert set(plan.teams) == {"content", "sales"}
    assert plan.waits_for("content", "sales")
    assert len(plan.steps) == 2  # the key result is what the two steps serve, no step of its own


def test_then_colon_names_the_next_part_and_an_effort_line_opens(router: Router) -> None:
    text = ("Hospital market push. Write a whitepaper first: 'Scheduling nurses without spreadsheets', with data "
            "from our 3 pilot wards. Then: LinkedIn ad campaign driving downloads, plus personal outreach to the 25 "
            "ward managers on our list with it attached.")
    assert "Then, LinkedIn ad campaign" in expand_shorthand(text)
    plan = plan_of(router, text)
    assert set(plan.teams) == {"content", "marketing", "sales"}
    assert plan.waits_for("content", "marketing") and plan.waits_for("content", "sales")


def test_would_someone_mind_doing_asks_it(router: Router) -> None:
    assert expand_shorthand("would someone mind handling the refund") == "would someone handle the refund"
    text = ("is it possible to set up nightly backups for the recipes database? I only have the provider's default. "
            "And would someone mind handling the account deletion request from the Novak family? they wrote Monday")
    assert set(plan_of(router, text).teams) == {"devops", "support"}


def test_a_separate_ask_after_a_changelog_and_no_team_from_the_changelog(router: Router) -> None:
    text = ("Could someone write the release notes for 3.1? Here's what's in it:\n- meal plans for vegans\n"
            "- fixed the bug where the timer froze on Android\nAnd separately, could we get a few options for the "
            "Play Store promo text? something that makes busy parents stop scrolling")
    plan = plan_of(router, text)
    assert set(plan.teams) == {"content", "marketing"}  # "fixed the bug" is what the notes are about, not code's work


def test_a_day_range_leads_its_line(router: Router) -> None:
    text = ("Tablet app: Tue-Thu build the offline order screen (queue, retry, sync badge). Then release notes + a "
            "how-to guide for it. Once the guide is up, launch posts that link to it.")
    plan = plan_of(router, text)
    assert set(plan.teams) == {"code", "content", "marketing"}
    assert plan.waits_for("code", "content") and plan.waits_for("content", "marketing")


def test_pieces_stay_whole_inside_parentheses(router: Router) -> None:
    text = ("German clinics keep asking about hosting.\n1. stand up an eu-central-1 stack (terraform, copy of "
            "us-east-1)\n2. once live, update the data hosting page in the docs\n3. announce EU hosting on LinkedIn")
    plan = plan_of(router, text)
    assert set(plan.teams) == {"devops", "content", "marketing"}
    assert plan.waits_for("devops", "content")


def test_a_quoted_name_inside_an_opening_ask_is_its_subject(router: Router) -> None:
    text = ('keyword research for the "meal planner app" cluster, volume and difficulty. Then write two blog posts '
            'targeting whichever keywords look winnable.')
    plan = plan_of(router, text)
    assert set(plan.teams) == {"marketing", "content"}
    assert plan.waits_for("marketing", "content")


def test_others_action_items_beside_the_assistants(router: Router) -> None:
    text = ("Action items from the product sync:\n- (AI) add a CSV export of pantry items to the settings page\n"
            "- (RB) deploy it\n- (Lena) let the beta group know")
    assert plan_of(router, text).teams == ("code",)
    mine = "Action items:\n- rewrite the pricing FAQ (AI)\n- call the accountant about VAT (me)"
    assert len(set(plan_of(router, mine).teams)) == 1


def test_formal_passives_ask(router: Router) -> None:
    text = ("The Harbour Library has made a bulk import of member cards a condition of renewal; such an import "
            "should therefore be developed, and, once it exists, their head librarian is to be informed so that the "
            "renewal may proceed.")
    plan = plan_of(router, text)
    assert set(plan.teams) == {"code", "sales"}
    assert plan.waits_for("code", "sales")


def test_our_own_state_is_no_news_from_others(router: Router) -> None:
    text = ("Two things:\n1. competitor research: Mealime, Paprika and Whisk, pricing and positioning\n"
            "2. our AWS bill jumped 35% last month and nobody knows why. find it and cut it")
    assert set(plan_of(router, text).teams) == {"marketing", "devops"}


@pytest.mark.parametrize("text", [
    "deploy last night broke the share links for an hour; write the apology to the affected teams. already fixed",
    "support inbox full of 'connection not private' warnings, cert on the api expired?? renew + fix auto renew. "
    "ill handle the replies",
    "changelog for 2.0 is below (long) -> turn into 4 tweets & a linkedin post. NOT release notes\n- dark mode\n- sso",
    "pantry tutorial's live & at 9k views. plan paid promo on reddit + a newsletter sponsorship around it",
])
def test_what_is_done_broken_or_ruled_out_asks_nothing(router: Router, text: str) -> None:
    assert len(set(plan_of(router, text).teams)) == 1


def test_then_with_a_colon_orders_its_parts(router: Router) -> None:
    text = ("big launch week\n1. finish the meal swap feature (swap any dinner + keep macros)\n2. deploy it wednesday "
            "night\n3. then announce thu: email to the list, instagram, product hunt maybe")
    plan = plan_of(router, text)
    assert set(plan.teams) == {"code", "devops", "marketing"}
    assert plan.waits_for("code", "devops") and plan.waits_for("devops", "marketing")


def test_separate_asks_under_a_not_related_head_run_apart(router: Router) -> None:
    text = "asap x2, not related:\ncheckout button broken on firefox, fix\nlanding copy for /for-coaches, hero + 3 benefits"
    plan = plan_of(router, text)
    assert set(plan.teams) == {"code", "marketing"}
    assert not plan.waits_for("code", "marketing") and not plan.waits_for("marketing", "code")


def test_weekday_lines_are_a_week_in_order(router: Router) -> None:
    text = ("3.0 launch, target Thu Jun 5.\nMon: last fixes in the recipe importer (duplicate ingredients still).\n"
            "Tue: ship it to prod, run migrations, flag on.\nThu: announce - email to the whole list + socials.")
    assert "\n- Then, ship it to prod" in expand_shorthand(text)
    plan = plan_of(router, text)
    assert set(plan.teams) == {"code", "devops", "marketing"}
    assert plan.waits_for("code", "devops") and plan.waits_for("devops", "marketing")
    assert expand_shorthand("Fri: demo prep\nMon: proposal") == "Fri: demo prep\nMon: proposal"  # not the week's order


def test_what_we_are_doing_plus_more_of_it_is_one_statement(router: Router) -> None:
    text = ("we're moving the api + db to eu-central-1 for the German clinics. set up the migration: terraform for "
            "the eu stack, a db replica, DNS cutover. after it's live, write a docs page on where EU data is stored")
    plan = plan_of(router, text)
    assert set(plan.teams) == {"devops", "content"}
    assert plan.waits_for("devops", "content")


def test_after_you_do_it_puts_that_work_first(router: Router) -> None:
    text = ("after you fix the coupon bug (codes rejected for annual plans), write to the customers who got "
            "charged full price & refund the difference")
    assert expand_shorthand(text).startswith("fix the coupon bug (codes rejected for annual plans), then write")
    plan = plan_of(router, text)
    assert set(plan.teams) == {"code", "support"}
    assert plan.waits_for("code", "support")
    assert expand_shorthand("when you get a chance, write the post") == "when you get a chance, write the post"


def test_once_patched_is_the_condition_and_reqs_are_requests(router: Router) -> None:
    plan = plan_of(router, "bug: `brewctl sync` drops the last row of every csv. fix; once patched reply to #88 #91 "
                           "that it's fixed in 1.4.2")
    assert set(plan.teams) == {"code", "support"}
    assert plan.waits_for("code", "support")
    assert "feature requests from" in expand_shorthand("summarize the feature reqs from the tickets")
