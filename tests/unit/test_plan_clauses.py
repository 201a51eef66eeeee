"""Requests vs. elaboration in multi-part tasks: the grammar rules that keep one-team tasks one step.

Each test pins one rule of agents/routing/clauses.py, segments.py or the router's clause reading,
with a case that fails without the rule and a near case that must still plan several teams.
"""

from __future__ import annotations

import pytest

from agents.ceo import Plan, triage
from agents.routing.clauses import is_action, is_empty, participle_of, split
from agents.routing.lexicon import builtin_settings
from agents.routing.router import Router, builtin_team_profiles
from agents.routing.segments import ClauseVerdict

VERBS = builtin_settings().action_verbs


@pytest.fixture(scope="module")
def router() -> Router:
    return Router(builtin_team_profiles())


def plan_of(router: Router, text: str) -> Plan:
    return triage(router, text).plan


def waits(plan: Plan, first: str, then: str) -> bool:
    keys = {s.key: s.team for s in plan.steps}
    return any(s.team == then and first in {keys[d] for d in s.depends_on} for s in plan.steps)


# -- a part of the thing, or a condition on it, is more of the same work ----------------------------


def test_working_on_a_part_of_the_thing_is_elaboration() -> None:
    clauses, _ = split("proofread the help article, fix the typos and make the steps numbered", VERBS)
    assert [c.elaborates for c in clauses] == [False, True, True]
    section, _ = split("write a user guide chapter on roles, and add a section on audit logs", VERBS)
    assert section[1].elaborates
    # a part of something else, named ("to the help article"), is its own request
    other, _ = split("fix the export bug and add a troubleshooting section to the help article", VERBS)
    assert not other[1].elaborates


def test_a_condition_on_the_thing_is_elaboration_but_a_condition_on_a_system_is_not() -> None:
    covers, _ = split("write a blog post on our api and make sure it covers rate limits", VERBS)
    assert covers[1].elaborates
    server, _ = split("prep the call notes and make sure the demo server is up and running", VERBS)
    assert not server[1].elaborates


@pytest.mark.parametrize("text", [
    "can you proofread the help article on exports, fix the typos and make the steps numbered",
    "write a user guide chapter about permissions and roles, and add a section on audit logs",
    "write a blog post about our new dashboard and make sure it covers the export options",
])
def test_elaboration_never_plans_a_second_team(router: Router, text: str) -> None:
    assert plan_of(router, text).shape == "single"


def test_more_to_say_in_the_same_message_is_the_same_step(router: Router) -> None:
    clauses, _ = split("reply to the customer who lost a draft, apologise and explain how to recover drafts", VERBS)
    assert clauses[-1].speech
    assert plan_of(router, "write replies to the three customers who hit the outage and offer them a month "
                           "free").shape == "single"
    # with a recipient of its own, the speech verb asks another team: "mention ... in the newsletter"
    both = plan_of(router, "Move the file storage to S3 and then mention the faster uploads in next month's newsletter")
    assert set(both.teams) == {"devops", "marketing"}


# -- things that look like a second request but are not ------------------------------------------


def test_an_acronym_is_not_a_verb() -> None:
    assert not is_action("GET /invoices", VERBS) and not is_action("POST requests", VERBS)
    assert is_action("get marketing to push it", VERBS)
    clauses, _ = split("Write documentation for the new API endpoints: GET /invoices, POST /invoices", VERBS)
    assert sum(c.request for c in clauses) == 1


def test_and_inside_a_clause_about_what_someone_can_do_does_not_split() -> None:
    clauses, _ = split("build an admin page where we can search users by email and reset their 2fa", VERBS)
    assert len(clauses) == 1
    # a comma ends the subordinate clause
    two, _ = split("make a docker compose setup so customers can self host, and write the install guide", VERBS)
    assert len(two) == 2


def test_a_possessive_or_a_statement_before_and_is_not_a_second_thing() -> None:
    names, _ = split("build a lead list of 30 agencies in berlin and their founders' names", VERBS)
    assert len(names) == 1
    said, _ = split("write a follow up email to Dana, she asked about SSO and the API rate limits", VERBS)
    assert sum(c.request for c in said) == 1
    faq, _ = split("Put together a quote for Umbrella Corp and a short FAQ for their IT team", VERBS)
    assert faq[1].elliptic and faq[1].request


def test_a_thing_sharing_the_verb_needs_clear_words_of_its_own(router: Router) -> None:
    assert plan_of(router, "add uptime monitoring for the api and the marketing site, alert me when "
                           "either is down").shape == "single"
    assert set(plan_of(router, "create a lead list of 50 dental clinics in texas and a linkedin ad campaign "
                               "targeting clinic owners").teams) == {"sales", "marketing"}


# -- reading a clause ---------------------------------------------------------------------------------


def test_a_pronoun_only_clause_is_read_with_what_came_before(router: Router) -> None:
    assert is_empty("fix it") and is_empty("answer what you can") and not is_empty("fix the login")
    plan = plan_of(router, "Kubernetes cluster keeps OOM-killing the worker pods. figure out the limits, fix it, "
                           "and write an apology email to the customers whose jobs failed")
    assert set(plan.teams) == {"devops", "support"}
    assert plan_of(router, "fill out the security questionnaire from Initech's procurement team, answer what "
                           "you can").shape == "single"
    # a deciding verb is read on its own: "deploy it" stays devops after a code request
    built = plan_of(router, "Build the invoice reminders feature, deploy it, and write a changelog entry about it.")
    assert set(built.teams) == {"code", "devops", "content"}


def test_a_thing_an_earlier_step_made_is_not_evidence_for_the_next_step(router: Router) -> None:
    plan = plan_of(router, "deploy the new csv export to production and write a short tutorial on using it, "
                           "then share the tutorial in the newsletter")
    assert set(plan.teams) == {"devops", "content", "marketing"} and waits(plan, "content", "marketing")


def test_wanted_done_participles_are_requests(router: Router) -> None:
    assert participle_of("deployed", VERBS) == "deploy" and participle_of("built", VERBS) == "build"
    assert participle_of("shipped", VERBS) == "ship" and participle_of("page", VERBS) is None
    plan = plan_of(router, "need the new pricing page built and deployed to prod before friday. then update the "
                           "sales deck w/ the new prices")
    assert set(plan.teams) == {"code", "devops", "sales"} and waits(plan, "code", "devops")
    # a participle in a statement is not a request
    clauses, _ = split("users reported the export is broken. fixed it yesterday, reply to them", VERBS)
    assert [c.request for c in clauses] == [False, False, True]


# -- plan confidence -----------------------------------------------------------------------------


def test_a_recipient_or_a_deciding_verb_makes_a_request_sure() -> None:
    weak = ClauseVerdict("support", 7.0, 0.7)
    assert weak.sureness == 0.7
    assert ClauseVerdict("support", 7.0, 0.7, addressed=True).sureness >= 0.9
    assert ClauseVerdict("devops", 7.0, 0.6, cued=True, strong=True).sureness >= 0.9


def test_a_plan_with_a_recipient_step_is_sure_enough_for_autopilot(router: Router) -> None:
    plan = plan_of(router, "Switch our DNS provider and warn customers about the possible downtime by email.")
    assert len(plan.teams) == 2 and plan.confidence is not None and plan.confidence >= 0.8


# -- handing work to a team, and orders stated backwards --------------------------------------------


def test_work_handed_to_a_named_team_goes_to_that_team(router: Router) -> None:
    plan = plan_of(router, "get the dev team to add csv export to reports and have support tell the customers "
                           "who asked")
    assert set(plan.teams) == {"code", "support"} and waits(plan, "code", "support")
    later = plan_of(router, "get ops to set up a status page, then marketing can link to it from the website "
                            "footer copy")
    assert set(later.teams) == {"devops", "marketing"} and waits(later, "devops", "marketing")
    # a name that is no team ("get someone to ...") decides nothing
    clauses, _ = split("get someone to fix the login", VERBS, agents={"devs": "code"})
    assert clauses[0].agent == ""


def test_before_that_and_first_put_the_following_work_first(router: Router) -> None:
    clauses, _ = split("tweet about the new dashboard. before that the new dashboard needs to be deployed", VERBS)
    # "before that": an input to the request before it (not to everything in the task)
    assert clauses[1].feeds and not clauses[1].first and clauses[1].request and clauses[1].bare.startswith("deploy")
    plan = plan_of(router, "tweet about the new dashboard. before that the new dashboard needs to be deployed to "
                           "production")
    assert set(plan.teams) == {"marketing", "devops"} and waits(plan, "devops", "marketing")
    # "but" before a condition is not a second request
    keep, _ = split("write the launch email, but keep it under 150 words", VERBS)
    assert len(keep) == 1


def test_a_state_the_text_waits_for_is_work_that_comes_first(router: Router) -> None:
    plan = plan_of(router, "ask sales to follow up with the trial accounts once the sso feature is built")
    assert set(plan.teams) == {"sales", "code"} and waits(plan, "code", "sales")
    # a promise inside a message is not work: "tell her it will work once the fix is deployed"
    clauses, _ = split("reply to her that it will work once the fix is deployed", VERBS)
    assert len(clauses) == 1


def test_needs_doing_is_a_request() -> None:
    emails, _ = split("the onboarding emails need rewriting for the whole list", VERBS)
    assert emails[0].request and emails[0].bare.startswith("rewrite the onboarding emails")
    page, _ = split("and the signup page needs a bug fixed first", VERBS)
    assert page[0].request and page[0].first and page[0].bare.startswith("fix a bug the signup page")


def test_handing_the_result_to_a_team_is_that_teams_step(router: Router) -> None:
    plan = plan_of(router, "interview three of our power users for a case study, then hand it to sales for the "
                           "enterprise pitch deck")
    assert set(plan.teams) == {"content", "sales"} and waits(plan, "content", "sales")


def test_a_pronoun_clause_reads_its_own_sentence_first(router: Router) -> None:
    from agents.routing.referents import antecedents_of as _antecedents

    clauses, _ = split("write the renewal quote for Initrode. also the admin panel they use keeps timing out, "
                       "fix that", VERBS)
    about = _antecedents(clauses)[id(clauses[-1])]
    assert "admin panel" in about and "Initrode" not in about
    assert router._classify_clause(clauses[-1], about).team == "code"
    # with nothing named in its own sentence, it reads what came before
    k8s, _ = split("the cluster keeps OOM-killing the worker pods. figure out why, fix it", VERBS)
    assert "OOM-killing" in _antecedents(k8s)[id(k8s[-1])]


def test_a_relative_clause_describes_the_thing_it_does_not_decide_its_team(router: Router) -> None:
    plan = plan_of(router, "implement magic link login and write a help article that walks users through it")
    assert set(plan.teams) == {"code", "content"} and waits(plan, "code", "content")
