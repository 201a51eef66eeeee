"""Teams spoken to by name, work asked of someone else after "but", a founder's own day list, and a bare verb after
a problem ("investigate and fix") read with the problem."""

from __future__ import annotations

from agents.routing.context import reports
from agents.routing.router import Router
from tests.support.planning import plan_of

AGENTS = {"devops": "devops", "devs": "code", "code": "code", "marketing": "marketing", "sales": "sales",
          "support": "support", "content": "content"}


def test_work_asked_of_someone_else_after_but_is_a_step(builtin_router: Router) -> None:
    plan = plan_of(builtin_router, "I'm writing the Q2 investor update myself, but could someone pull a SQL query for "
                                   "monthly active farms by state? and could marketing put together a competitor "
                                   "comparison of us vs. Farmbrite?")
    assert sorted(plan.teams) == ["code", "marketing"]
    # "but can you keep it short" says more of the same work
    assert builtin_router.route("write the onboarding email, but can you keep it short").segments == ()


def test_a_thing_in_place_is_waited_for_like_a_thing_live(builtin_router: Router) -> None:
    plan = plan_of(builtin_router, "we should have a proper public status page with our monitoring hooked into it. "
                                   "when that exists, a small help center article about where to see the status")
    assert sorted(plan.teams) == ["content", "devops"]
    assert plan.waits_for("devops", "content")


def test_a_team_spoken_to_by_name_is_handed_its_part(builtin_router: Router) -> None:
    plan = plan_of(builtin_router, "Content team, write the release notes for 3.0. Marketing, the launch posts go out "
                                   "only when the release notes are ready.")
    assert sorted(plan.teams) == ["content", "marketing"]
    plan = plan_of(builtin_router, "support, first pull the top 10 questions; content writes the FAQ from that.")
    assert sorted(plan.teams) == ["content", "support"]
    assert plan.waits_for("support", "content")


def test_a_list_for_today_is_the_founders_own_to_do_list(builtin_router: Router) -> None:
    plan = plan_of(builtin_router, "List for today: invoice PDF misses the VAT number of the shop, fix. Write the guide "
                                   "'set up your workshop hours'.")
    assert sorted(plan.teams) == ["code", "content"]


def test_a_bare_verb_after_a_problem_is_read_with_the_problem(builtin_router: Router) -> None:
    plan = plan_of(builtin_router, "AWS bill jumped 30% last month (NAT gateway data transfer?) — investigate and fix. "
                                   "totally unrelated, I need the June launch-week social calendar")
    assert sorted(plan.teams) == ["devops", "marketing"]


def test_news_from_a_team_or_a_person_and_a_thing_that_changed() -> None:
    assert reports("Support's summary of complaints this month says the #1 thing teachers want is a fee", AGENTS)
    assert reports("Brightwave's admin says they were billed for 40 seats", AGENTS)
    assert not reports("AWS bill jumped 30% last month", AGENTS)
