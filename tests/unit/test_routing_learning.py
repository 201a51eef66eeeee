"""The router learns from the founder: corrections, examples, keywords and teams of their own."""

import json

import pytest

from app.core.errors import InvalidInput, NotFound
from app.tasks.service import NewTask

LETTER = "Write the quarterly investor update letter"


def route(company, text):
    return company.router().route(text)


def test_a_reassignment_changes_how_similar_tasks_are_routed(scripted_company):
    before = route(scripted_company, LETTER + " for March")
    assert before.team != "sales"
    task = scripted_company.tasks.submit(NewTask(text=LETTER))
    scripted_company.engine().run_until_idle(max_wait=30)
    scripted_company.tasks.reassign(task.id, "sales", note="Investor letters are part of the fundraising deal")
    [correction] = scripted_company.routing.examples()
    assert (correction.team, correction.source, correction.task_id) == ("sales", "correction", task.id)
    after = route(scripted_company, LETTER + " for March")
    assert after.team == "sales"
    # A new task with that phrasing is now routed to sales by the engine, too.
    again = scripted_company.tasks.submit(NewTask(text=LETTER + " for June"))
    scripted_company.engine().run_until_idle(max_wait=30)
    assert scripted_company.tasks.detail(again.id).task.team == "sales"
    # Unrelated routing is unchanged.
    assert route(scripted_company, "Fix the crash in the CSV export").team == "code"


def test_removing_a_correction_undoes_it(company):
    example = company.routing.add_example(LETTER, "sales")
    assert route(company, LETTER + " for March").team == "sales"
    company.routing.remove_example(example.id)
    assert route(company, LETTER + " for March").team != "sales"
    with pytest.raises(NotFound):
        company.routing.remove_example(example.id)


def test_founder_team_is_routable_and_does_work(scripted_company, scripted):
    scripted_company.routing.add_team("legal", description="contracts, terms of service, privacy policy, "
                                      "GDPR compliance, trademarks", keywords=("NDA",))
    decision = route(scripted_company, "Review the NDA our supplier sent")
    assert decision.team == "legal"
    task = scripted_company.tasks.submit(NewTask(text="Review the NDA our supplier sent"))
    scripted_company.update_settings(autopilot={"threshold": 0.5})
    scripted_company.engine().run_until_idle(max_wait=30)
    detail = scripted_company.tasks.detail(task.id)
    assert detail.task.team == "legal" and detail.task.status == "delivered"
    system_prompt = scripted.work_calls[0][0][0].content
    assert "legal team" in system_prompt and "GDPR" in system_prompt
    # Tasks can also be assigned to it directly, and it cannot be removed while it has open work.
    assert scripted_company.tasks.submit(NewTask(text="Check our trademark", team="legal")).requested_team == "legal"
    with pytest.raises(InvalidInput, match="open task"):
        scripted_company.routing.remove_team("legal")


def test_keywords_for_a_builtin_team(company):
    assert route(company, "Order new chairs for the office").team != "support"
    company.routing.add_keywords("support", ("office chairs", "chairs"))
    assert route(company, "Order new chairs for the office").team == "support"
    assert [i.keywords for i in company.routing.team_infos() if i.name == "support"] == [("office chairs", "chairs")]


@pytest.mark.parametrize("name, message", [("content", "built-in"), ("X!", "not a usable team name")])
def test_bad_team_names(company, name, message):
    with pytest.raises(InvalidInput, match=message):
        company.routing.add_team(name, description="whatever it is")


def test_export_is_json_lines(company, tmp_path):
    company.routing.add_example("Renew the Acme contract", "sales")
    target = tmp_path / "examples.jsonl"
    assert company.routing.export(target) == 1
    assert [json.loads(line)["team"] for line in target.read_text().splitlines()] == ["sales"]
