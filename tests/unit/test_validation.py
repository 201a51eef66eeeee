import pytest

from app.core.errors import InvalidInput, NotFound
from app.tasks.service import NewTask
from app.core.validation import MAX_TASK_CHARS


@pytest.mark.parametrize("text", ["", "   ", "\n\t "])
def test_empty_text_is_refused(company, text):
    with pytest.raises(InvalidInput, match="empty"):
        company.tasks.submit(NewTask(text=text))


def test_oversized_text_is_refused_and_names_the_limit(company):
    with pytest.raises(InvalidInput, match=f"{MAX_TASK_CHARS:,}"):
        company.tasks.submit(NewTask(text="a" * (MAX_TASK_CHARS + 1)))


def test_control_characters_are_refused(company):
    with pytest.raises(InvalidInput, match="control character .*0x07"):
        company.tasks.submit(NewTask(text="ring the bell \x07 now"))


def test_unknown_team_priority_and_date(company):
    with pytest.raises(InvalidInput, match="Unknown team 'legal'.*content, code"):
        company.tasks.submit(NewTask(text="Draft a contract", team="legal"))
    with pytest.raises(InvalidInput, match="Unknown priority"):
        company.tasks.submit(NewTask(text="Draft a contract", priority="asap"))
    with pytest.raises(InvalidInput, match="YYYY-MM-DD"):
        company.tasks.submit(NewTask(text="Draft a contract", due="next friday"))


def test_bad_input_loses_nothing(company):
    kept = company.tasks.submit(NewTask(text="Write a newsletter article", priority="high", due="2026-12-01"))
    for bad in ["", "x\x00y", "z" * (MAX_TASK_CHARS + 5)]:
        with pytest.raises(InvalidInput):
            company.tasks.submit(NewTask(text=bad))
    tasks = company.tasks.list_tasks()
    assert [(t.id, t.priority, str(t.due)) for t in tasks] == [(kept.id, "high", "2026-12-01")]


def test_unknown_task_id(company):
    with pytest.raises(NotFound, match="no task 42.*bureau tasks"):
        company.tasks.detail(42)
    with pytest.raises(NotFound):
        company.tasks.approve(42)


def test_import_is_all_or_nothing_and_names_the_line(company, tmp_path):
    good = tmp_path / "backlog.jsonl"
    good.write_text('{"text": "Write a blog post on pricing"}\n\n{"text": "Fix the CSV export", "priority": "high"}\n')
    assert len(company.tasks.import_file(good)) == 2
    bad = tmp_path / "bad.jsonl"
    bad.write_text('{"text": "fine"}\n{"text": ""}\n')
    with pytest.raises(InvalidInput, match="bad.jsonl line 2: The task text is empty"):
        company.tasks.import_file(bad)
    csv_file = tmp_path / "backlog.csv"
    csv_file.write_text("text,team,due\nReply to Ana about her refund,support,2026-12-24\n")
    [task] = company.tasks.import_file(csv_file)
    assert (task.requested_team, str(task.due)) == ("support", "2026-12-24")
    assert len(company.tasks.list_tasks()) == 3
