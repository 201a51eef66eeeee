"""Multi-team plans: clauses, the team of each clause, order from the text, plan edits, handoffs."""

from __future__ import annotations

import json

import pytest

from agents.ceo import Plan, PlanExample, triage, wait_reason
from agents.plan_graph import graph_steps, stage_lookup
from agents.routing.clauses import split
from agents.routing.router import PlanSegment, Router, TeamProfile, builtin_team_profiles
from agents.routing.lexicon import builtin_settings
from app.core.errors import InvalidInput, InvalidTransition
from app.core.settings import AutopilotPolicy
from app.tasks.plans import parse_plan
from app.tasks.service import NewTask
from teams import TEAMS
from teams.base import custom_team

SIX = tuple(TEAMS)
VERBS = builtin_settings().action_verbs


@pytest.fixture(scope="module")
def router() -> Router:
    return Router(builtin_team_profiles())


def plan_of(router: Router, text: str) -> Plan:
    return triage(router, text).plan


def deps(plan: Plan) -> dict[str, set[str]]:
    """team -> teams it waits for directly."""
    team = {s.key: s.team for s in plan.steps}
    return {s.team: {team[d] for d in s.depends_on} for s in plan.steps}


# -- clause splitting ------------------------------------------------------------------------


def test_clauses_split_at_actions_and_keep_material_together() -> None:
    clauses, _ = split("Fix the crash in the export, then reply to everyone who complained.", VERBS)
    assert [c.bare for c in clauses] == ["Fix the crash in the export", "reply to everyone who complained"]
    assert clauses[1].then and all(c.request for c in clauses)
    changelog, _ = split("Write the release notes for 4.1 from this changelog: dark mode, CSV import, faster search",
                         VERBS)
    assert len(changelog) == 1 and "dark mode, CSV import" in changelog[0].text
    quoted, _ = split("Reply to the ticket 'please fix the login and deploy it today' and apologise.", VERBS)
    assert [c.bare for c in quoted] == ["Reply to the ticket", "apologise"]


def test_a_title_before_a_colon_is_not_a_request_and_statements_are_context() -> None:
    clauses, _ = split("Launch v2: write the release notes, deploy it, announce it", VERBS)
    assert clauses[0].title and not clauses[0].request
    assert [c.request for c in clauses[1:]] == [True, True, True]
    report, _ = split("users reported that search is slow. speed up the query", VERBS)
    assert not report[0].request and report[1].request


def test_an_and_before_a_thing_shares_the_verb() -> None:
    clauses, _ = split("Write a guide to importing data and a saved reply that links to it", VERBS)
    assert clauses[1].elliptic and clauses[1].request and clauses[1].refers


# -- team per clause ---------------------------------------------------------------------------


@pytest.mark.parametrize(("clause", "team"), [
    ("deploy it", "devops"),
    ("reply to the customers who reported it", "support"),
    ("tell our enterprise leads it is ready", "sales"),
    ("document the failover steps for the handbook", "content"),
    ("share it in a LinkedIn campaign", "marketing"),
    ("build the pricing page", "code"),
])
def test_each_clause_gets_the_team_its_verb_and_addressee_ask_for(router: Router, clause: str, team: str) -> None:
    assert router._classify_clause(clause).team == team


@pytest.mark.parametrize(("text", "teams"), [
    ("Fix the timeout in the export and then tell the customers who reported it", {"code", "support"}),
    ("Write a guide to the new API and promote it on LinkedIn", {"content", "marketing"}),
    ("Research what competitors charge, then build our pricing page", {"marketing", "code"}),
    ("launch v2: release notes, deploy, announce", {"content", "devops", "marketing"}),
])
def test_every_team_the_text_asks_for(router: Router, text: str, teams: set[str]) -> None:
    assert set(plan_of(router, text).teams) == teams


@pytest.mark.parametrize("text", [
    "Write the release notes for 2.4 from this changelog: dark mode, CSV import, faster search",
    "Reply to this ticket: 'your deploy broke my invoices, fix it' and refund the customer",
    "Write a blog post about how we deploy, monitor and fix our servers",
    "Refund the customer and apologise for the outage.",
])
def test_one_team_tasks_get_no_plan(router: Router, text: str) -> None:
    assert len(plan_of(router, text).teams) == 1


# -- order ------------------------------------------------------------------------------------


def test_then_sets_the_order_not_a_team_table(router: Router) -> None:
    plan = plan_of(router, "Research what competitors charge, then build our pricing page")
    assert deps(plan) == {"marketing": set(), "code": {"marketing"}}


def test_independent_parts_run_in_parallel(router: Router) -> None:
    plan = plan_of(router, "Write an outreach sequence for accountants and the landing page copy for the plan")
    assert all(not s.depends_on for s in plan.steps) and len(plan.steps) == 2


def test_a_thing_the_earlier_work_uses_comes_first(router: Router) -> None:
    plan = plan_of(router, "Answer the security questionnaire from Initech and write a help article on our "
                   "encryption to include in the answers")
    assert deps(plan).get("support", deps(plan).get("sales")) == {"content"}


def test_an_announcement_waits_for_the_thing(router: Router) -> None:
    plan = plan_of(router, "Launch v2: write the release notes, deploy it to production and announce it on social")
    assert deps(plan) == {"content": set(), "devops": set(), "marketing": {"content", "devops"}}


def test_first_puts_a_part_before_the_others(router: Router) -> None:
    plan = plan_of(router, "Announce the EU region on LinkedIn. Set up the EU servers in AWS first.")
    assert deps(plan) == {"marketing": {"devops"}, "devops": set()}


def test_a_founders_team_takes_its_stage_from_its_charter(router: Router) -> None:
    legal = TeamProfile("legal", "Terms of service, privacy policy and contract text for customers.")
    with_legal = Router(builtin_team_profiles() + (legal,))
    catalogue = dict(TEAMS) | {"legal": custom_team("legal", legal.description)}
    stage = stage_lookup(with_legal, catalogue)
    decision = with_legal.route(legal.description)
    closest = next(t for t in (decision.team, *(a.team for a in decision.alternatives)) if t != "legal")
    assert stage("legal") == TEAMS[closest].stage
    research = stage_lookup(with_legal, dict(TEAMS) | {"legal": custom_team("legal", "x", stage=15)})
    assert research("legal") == 15  # a stage the founder's team states wins
    segments = (PlanSegment("legal", "update the terms"), PlanSegment("code", "change the limits"),
                PlanSegment("marketing", "announce the new plans"))
    steps = graph_steps(segments, lambda team: {"legal": 30, "code": 10, "marketing": 40}[team])
    assert steps[1].depends_on == () and set(steps[2].depends_on) == {"s1", "s2"}



def test_two_teams_given_the_same_words_wait_only_as_the_planner_says() -> None:
    # the whole task given to two teams: with no wait from the planner, the stages order them ("could we build the
    # SMS waitlist and get it out to production": code before devops, whichever comes first in the plan) ...
    words = "Would be great if we could build the SMS waitlist and get it out to production"
    stage = {"code": 10, "devops": 20, "marketing": 40, "content": 30, "support": 50}.__getitem__
    shared = (PlanSegment("devops", words), PlanSegment("code", words))
    steps = graph_steps(shared, stage)
    assert steps[0].depends_on == ("s2",) and steps[1].depends_on == ()
    # ... and a wait the planner set (it found each team's words in a different part of the text: "keyword research
    # ..., then a blog post targeting it") stands against the stages
    words = "keyword research for the courier cluster, then a blog post targeting whichever keyword wins"
    told = (PlanSegment("marketing", words), PlanSegment("content", words, follows=(0,)))
    steps = graph_steps(told, stage)
    assert steps[0].depends_on == () and steps[1].depends_on == ("s1",)
    # a step of other words keeps the wait the text gave it, even against the stages
    told = (PlanSegment("support", "tell the beta users"), PlanSegment("code", "then fix what they report", follows=(0,)))
    assert graph_steps(told, stage)[1].depends_on == ("s1",)

# -- confidence and the wait reason ---------------------------------------------------------------


def test_an_unsure_plan_waits_with_a_reason_about_the_plan(scripted_company) -> None:
    scripted_company.update_settings(autopilot=AutopilotPolicy(threshold=0.9999))
    task = scripted_company.tasks.submit(NewTask(text="Speed up the report generation and then reply to the "
                                                 "tickets about slow reports"))
    scripted_company.engine().tick()
    detail = scripted_company.tasks.detail(task.id)
    assert detail.task.status == "needs_decision"
    reason = detail.task.waiting_reason or ""
    assert "sure of this plan" in reason and "2 steps for code, support" in reason and "?" not in reason


def test_wait_reason_for_one_team_still_names_the_runner_up(router: Router) -> None:
    result = triage(router, "Write something about our product")
    assert " or " in wait_reason(result.route, result.plan, manual=False)


# -- the founder edits the plan ---------------------------------------------------------------------


@pytest.mark.parametrize(("data", "words"), [
    ({"steps": [{"team": "legal", "text": "x"}]}, "unknown team"),
    ({"steps": [{"key": "a", "team": "code", "text": " "}]}, "no text"),
    ({"steps": [{"key": "a", "team": "code", "text": "x", "depends_on": ["b"]}]}, "not a step"),
    ({"steps": [{"key": "a", "team": "code", "text": "x", "depends_on": ["b"]},
                {"key": "b", "team": "code", "text": "y", "depends_on": ["a"]}]}, "circle"),
    ({"steps": []}, "no steps"),
    ({"steps": [{"key": "a", "team": "code", "text": "x", "tema": "y"}]}, "unknown field"),
    ({"steps": [{"key": "a", "team": "code", "text": "x"}, {"key": "a", "team": "code", "text": "y"}]}, "key"),
])
def test_plan_edits_are_validated(data: dict, words: str) -> None:
    with pytest.raises(InvalidInput, match=words):
        parse_plan(data, teams=SIX)


def test_the_founders_plan_runs_and_teaches_the_planner(scripted_company, scripted) -> None:
    scripted.replies[:] = ["```sql\nSELECT 1;\n```\n" + "Explained well enough. " * 20]
    text = "Sort out the Q3 numbers thing"
    task = scripted_company.tasks.submit(NewTask(text=text))
    plan = {"steps": [{"key": "a", "team": "code", "text": "Write the SQL for Q3 revenue"},
                      {"key": "b", "team": "content", "text": "Write the Q3 report", "depends_on": ["a"]}]}
    shown = scripted_company.plans.set_plan(task.id, plan)
    assert shown.status == "queued" and shown.by_founder and shown.plan.teams == ("code", "content")
    scripted_company.engine().run_until_idle()
    detail = scripted_company.tasks.detail(task.id)
    assert [s.team for s in detail.steps if s.kind == "work"][:2] == ["code", "content"]
    scripted_company.tasks.cancel(task.id)
    with pytest.raises(InvalidTransition, match="before it runs"):
        scripted_company.plans.set_plan(task.id, plan)
    examples = scripted_company.plans.examples()
    assert examples and examples[-1].text == text
    again = triage(scripted_company.router(), text, teams=scripted_company.routing.teams(), examples=examples)
    assert again.plan.teams == ("code", "content") and again.plan.confidence >= 0.9
    assert scripted_company.router().route("Write the SQL for Q3 revenue").team == "code"


def test_recall_ignores_unrelated_texts() -> None:
    example = PlanExample("Write the SQL for Q3 revenue and the Q3 report",
                          parse_plan([{"team": "code", "text": "a"}, {"team": "content", "text": "b"}], teams=SIX))
    result = triage(Router(builtin_team_profiles()), "Write a blog post about desks", examples=(example,))
    assert result.plan.teams == ("content",)


# -- handoffs ---------------------------------------------------------------------------------------


def test_a_step_receives_all_upstream_work_and_the_panel_shows_it(scripted_company, scripted) -> None:
    from app.gui.detail.data import detail_data

    scripted.replies[:] = [lambda msgs: "```python\nprint('fixed')\n```\n" + "Done and explained. " * 20]
    task = scripted_company.tasks.submit(NewTask(text="x"))
    scripted_company.plans.set_plan(task.id, {"steps": [
        {"key": "fix", "team": "code", "text": "Fix the export"},
        {"key": "ship", "team": "devops", "text": "Deploy the fix", "depends_on": ["fix"]},
        {"key": "tell", "team": "support", "text": "Tell the customers", "depends_on": ["ship"]}]})
    scripted_company.engine().run_until_idle()
    last_prompt = scripted.work_calls[2][0][-1].content
    assert "Work already done by the code team (asked: Fix the export)" in last_prompt
    assert "Work already done by the devops team" in last_prompt and ".py" in last_prompt
    view = detail_data(scripted_company.tasks.detail(task.id), scripted_company.home)
    tell = next(s for s in view.steps if s.key.startswith("tell"))
    assert [r.split(":")[0] for r in tell.received] == ["fix code", "ship devops"]
    assert "files:" in tell.received[0]


# -- shapes the README promises -----------------------------------------------------------------------


@pytest.mark.parametrize(("text", "shape", "steps"), [
    ("For each of parser.py and lexer.py: write the code, then document it", "pipeline", 4),
    ("Write a blog post about our release and have it reviewed", "verify", 1),
    ("Write tweets for: product launch, holiday sale, new hire", "fanout", 3),
    ("Write three social media posts about our spring sale", "fanout", 3),
])
def test_shapes(router: Router, text: str, shape: str, steps: int) -> None:
    plan = plan_of(router, text)
    assert (plan.shape, len(plan.steps)) == (shape, steps)


def test_a_counted_stage_is_done_per_piece_and_the_stages_around_it_once(router: Router) -> None:
    plan = plan_of(router, "Write 3 versions of the homepage hero for the spring sale, then wire them into the A/B test")
    assert [s.key for s in plan.steps] == ["i1", "i2", "i3", "s2"]
    assert plan.steps[-1].depends_on == ("i1", "i2", "i3") and not plan.steps[0].depends_on
    assert [s.review for s in plan.steps] == [False, False, False, True]
    # (the coverage reader hears content's writing and marketing's scheduling here, a plan that is also right;
    # the rules alone read one team's pipeline, which is what this test is about)
    plan = plan_of(Router(builtin_team_profiles(), coverage=False),
                   "Research what readers liked this year, then write three newsletters about it, then schedule them")
    assert [s.key for s in plan.steps] == ["s1", "i1", "i2", "i3", "s3"]
    assert all(s.depends_on == ("s1",) for s in plan.steps[1:4])
    assert "newsletter 2 of 3" in plan.steps[2].text and plan.steps[4].text == "schedule them"


def test_route_json_has_shape_and_steps(company, capsys) -> None:
    from app.cli.main import main

    assert main(["--home", str(company.home), "route", "--json", "launch v2: release notes, deploy, announce"]) == 0
    row = json.loads(capsys.readouterr().out)
    assert row["shape"] == "graph" and row["plan_confidence"] >= 0.8
    assert [s["team"] for s in row["plan"]] == ["content", "devops", "marketing"]
    assert row["plan"][2]["depends_on"] == ["s1", "s2"] and all(s["key"] and s["text"] for s in row["plan"])


def test_plan_cli_show_and_set(company, tmp_path, capsys) -> None:
    from app.cli.main import main

    home = str(company.home)
    assert main(["--home", home, "submit", "Write a guide and promote it"]) == 0
    capsys.readouterr()
    path = tmp_path / "plan.json"
    path.write_text(json.dumps({"steps": [{"key": "g", "team": "content", "text": "Write the guide"},
                                          {"key": "p", "team": "marketing", "text": "Promote it",
                                           "depends_on": ["g"]}]}))
    assert main(["--home", home, "plan", "set", "1", str(path)]) == 0
    assert "p marketing: Promote it (after g)" in capsys.readouterr().out
    assert main(["--home", home, "plan", "show", "1", "--json"]) == 0
    shown = json.loads(capsys.readouterr().out)
    assert shown["by_founder"] and shown["plan"]["steps"][1]["depends_on"] == ["g"]
    path.write_text("{not json")
    assert main(["--home", home, "plan", "set", "1", str(path)]) == 2
    assert "is not JSON" in capsys.readouterr().err
