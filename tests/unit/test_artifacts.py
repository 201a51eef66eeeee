from datetime import timedelta

from app.tasks.artifacts import FileToWrite, files_for
from app.engine.store import EngineStore
from app.tasks.service import NewTask
from teams import TEAMS


def test_a_retried_step_does_not_write_its_artifacts_twice(company):
    task = company.tasks.submit(NewTask(text="Write a function", team="code"))
    store = EngineStore(company.db, engine_id="e1", lease=timedelta(seconds=5))
    assert store.claim() == task.id
    output = "Here:\n```python\nprint('hi')\n```\n"
    files = files_for(TEAMS["code"], "s1.r0", output)
    assert [f.name for f in files] == ["s1.r0-code.md", "s1.r0-code.py"]
    for _ in range(2):  # the step is retried (its first result was not seen as finished), same artifacts
        attempt = store.start_step(task.id, "s1.r0", team="code", role="engineer", kind="work", model="m",
                                   payload={})
        with company.db.raw_write() as conn:  # as if the first finish had been lost with a crash
            conn.execute("UPDATE step SET status = 'running' WHERE key = 's1.r0'")
        store.finish_step(task.id, "s1.r0", output=output, model="m", tokens_in=1, tokens_out=2, files=files,
                          attempt=attempt)
    artifacts = company.tasks.detail(task.id).artifacts
    assert [a.name for a in artifacts] == ["s1.r0-code.md", "s1.r0-code.py"]
    assert (company.home / artifacts[1].path).read_text() == "print('hi')\n"
    assert not list((company.home / "artifacts").rglob("*.tmp"))


def test_artifact_names_stay_inside_the_data_folder(company):
    task = company.tasks.submit(NewTask(text="x y z"))
    store = EngineStore(company.db, engine_id="e1", lease=timedelta(seconds=5))
    assert store.claim() == task.id
    store.start_step(task.id, "s1.r0", team="content", role="writer", kind="work", model="m", payload={})
    store.finish_step(task.id, "s1.r0", output="x", model="m", tokens_in=1, tokens_out=1,
                      files=[FileToWrite("s1.r0-content.md", "x", "text/markdown")])
    [artifact] = company.tasks.detail(task.id).artifacts
    assert artifact.path == f"artifacts/task-{task.id}/s1.r0-content.md"


def test_files_are_named_after_the_task():
    output = "Fix:\n```python\nx = 1\n```\nand\n```python\ny = 2\n```\n"
    names = [f.name for f in files_for(TEAMS["code"], "s1.r0", output, title="Fix the invoice currency")]
    assert names == ["fix-invoice-currency.md", "fix-invoice-currency.py", "fix-invoice-currency-2.py"]
    assert files_for(TEAMS["content"], "s1.r1", "x", title="Write a blog post")[0].name == "write-blog-post-v2.md"
    assert files_for(TEAMS["devops"], "s2.r0", "x", title="Launch v2")[0].name == "launch-v2-s2-devops.md"
