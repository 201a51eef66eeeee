"""Structured notes (agents/routing/outline.py): headings, bold, checkboxes, Owner/Who lines, Depends-on lines and
sub-bullets become plain to-do lines the planner reads."""

from __future__ import annotations

import pytest

from agents.ceo import triage
from agents.routing.outline import outline_as_text
from agents.routing.router import Router, builtin_team_profiles

AGENTS = {"ops": "devops", "devs": "code", "dev team": "code", "support": "support", "content": "content",
          "marketing": "marketing", "sales": "sales", "code": "code"}


@pytest.fixture(scope="module")
def router() -> Router:
    return Router(builtin_team_profiles())


def test_plain_text_is_unchanged() -> None:
    text = "fix the login bug\n- and tell the customers\nthanks"
    assert outline_as_text(text, AGENTS) == text


def test_who_lines_label_their_item_and_depends_on_makes_it_wait() -> None:
    text = ("## Referral program\n- **Build the tracking** — Who: devs\n  - referral links, credit on first invoice\n"
            "- **Help article**\n  - Who: content\n  - Depends on: it being built")
    assert outline_as_text(text, AGENTS).splitlines() == [
        "Referral program:", "- devs: Build the tracking (referral links, credit on first invoice)",
        "- then content: Help article"]


def test_an_owner_line_labels_the_items_under_it() -> None:
    # an open checkbox stays one: it marks a to-do for the list reader (agents/routing/lists.py)
    text = "Owner: support\n- [ ] pull the top 3 bugs from the inbox\n\nOwner: devs\n- fix the worst one"
    assert outline_as_text(text, AGENTS).splitlines() == [
        "- [ ] support: pull the top 3 bugs from the inbox", "", "- devs: fix the worst one"]


def test_a_team_alone_as_an_item_owns_its_sub_items() -> None:
    text = "- Ops\n  - purge the workspace from the backups\n- Support — now\n  - confirm receipt today"
    assert outline_as_text(text, AGENTS).splitlines() == [
        "- ops: purge the workspace from the backups", "- support: confirm receipt today"]


def test_a_structured_plan_keeps_its_teams_and_order(router: Router) -> None:
    plan = triage(router, "## Public API v2\n1. **Endpoints** — code\n   - /invoices and /clients with cursor "
                          "pagination\n2. **Rate limiting at the gateway + deploy** — ops\n   - Depends on: 1\n"
                          "3. **API reference docs** — content\n   - Depends on: 1").plan
    assert set(plan.teams) == {"code", "devops", "content"} and plan.waits_for("code", "devops")


def test_a_team_in_brackets_after_an_item_labels_it() -> None:
    assert outline_as_text("we need:\n1) the app in a gov-cloud region (ops)\n2) the importer fixed (v2)", AGENTS) == \
        "we need:\n1) ops: the app in a gov-cloud region\n2) the importer fixed (v2)"


def test_after_said_for_afterwards_is_then() -> None:
    from agents.routing.text import expand_shorthand

    assert expand_shorthand("fix it and after write to the clients") == "fix it and then write to the clients"
    assert expand_shorthand("after the deploy, write the notes") == "after the deploy, write the notes"


def test_meeting_notes_with_action_items_plan_the_action_items_only(builtin_router: Router) -> None:
    text = ("standup thurs\n- trials up 12% wk over wk\n- churn flat\n- decided: ship the CSV importer this sprint\n"
            "AI devs: build the CSV importer\nAI: once it's live, email the 25 trial users who asked for it")
    plan = triage(builtin_router, text).plan
    assert set(plan.teams) == {"code", "support"} and plan.waits_for("code", "support")


def test_at_a_team_is_an_action_item(builtin_router: Router) -> None:
    text = ("infra sync\n- disk on db-1 at 88%\n- backups fine\n@ops move the uploads to object storage\n"
            "@devs switch the upload code over once the bucket exists")
    plan = triage(builtin_router, text).plan
    assert set(plan.teams) == {"devops", "code"}


def test_notes_without_action_items_are_left_alone() -> None:
    from agents.routing.outline import action_items
    text = "standup\n- churn up 2%\n- fix the login bug"
    assert action_items(text, {"devs": "code"}) == text
    assert action_items("@here quick one: a blog post and a press release", {}) == "@here quick one: a blog post and a press release"
