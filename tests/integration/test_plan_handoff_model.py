"""A two-team plan on the real embedded model: the second step is handed the first step's output."""

import pytest

pytestmark = pytest.mark.model


def test_second_step_prompt_contains_first_steps_output(home):
    from app.company import Company
    from app.core.settings import AutopilotPolicy
    from app.tasks.service import NewTask

    company = Company.open(home)
    try:
        company.update_settings(autopilot=AutopilotPolicy(threshold=0.0))  # this test is about the handoff
        company.update_settings(model={"step_max_tokens": 120})
        prompts: list[tuple[str, str]] = []
        real = company.models.backend_for

        class Recording:
            """Forwards to the real model; keeps each work prompt with the role that sent it."""

            def __init__(self, inner, role):
                self.inner, self.role = inner, role

            def __getattr__(self, name):
                return getattr(self.inner, name)

            def chat(self, messages, options, **kwargs):
                if options.json_schema is None:
                    prompts.append((self.role, messages[-1].content))
                return self.inner.chat(messages, options, **kwargs)

        company.models.backend_for = lambda role: Recording(real(role), role)  # type: ignore[method-assign]
        task = company.tasks.submit(NewTask(
            text="Fix the crash in the CSV export, then reply to the customers who reported it",
            budget={"rounds": 0}))
        company.engine().run_until_idle(max_wait=300)
        detail = company.tasks.detail(task.id)
        work = {s.team: s for s in detail.steps if s.kind == "work" and s.status == "done"}
        assert set(work) == {"code", "support"}, [(s.key, s.team, s.status, s.error) for s in detail.steps]
        code_output = work["code"].output.strip()
        support_prompt = next(p for role, p in prompts if role == "support")
        assert code_output[:200] in support_prompt
        assert "Work already done by the code team" in support_prompt
        assert '"received"' in work["support"].input and '"team": "code"' in work["support"].input
    finally:
        company.close()
