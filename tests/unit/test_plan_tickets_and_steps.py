"""Tasks written as tracker tickets with fields ("Summary:", "Type:", "Description:", "Steps:", "Follow-up:",
"Priority:") and numbered steps inside running text ("Step 1 ... Step 2 ...").

Each test pins one reading with a text written for this file (agents/routing/tickets.py, letters.py and text.py).
"""

from __future__ import annotations

import pytest

from agents.ceo import Plan, triage
from agents.routing.router import Router
from agents.routing.text import expand_shorthand
from agents.routing.tickets import ticket_fields


@pytest.fixture
def router(builtin_router: Router) -> Router:
    return builtin_router  # the session's router (tests/unit/conftest.py)


def plan_of(router: Router, text: str) -> Plan:
    return triage(router, text).plan


TICKET = ("Summary: Saved filters on the invoices list\n"
          "Type: Story\n"
          "Description: let accountants save a filter (client, status, date range) and pick it from a dropdown next "
          "time.\n"
          "Acceptance criteria:\n"
          "- up to 10 saved filters per user\n"
          "- a filter can be renamed and deleted\n"
          "Follow-up: a help article on saving filters, with screenshots of the finished dropdown\n"
          "Priority: Medium\n"
          "Labels: invoices, ux")


def test_a_tickets_filing_fields_go_and_its_description_and_follow_up_stay_as_plain_lines() -> None:
    out = ticket_fields(TICKET)
    assert "Type:" not in out and "Priority:" not in out and "Labels:" not in out
    assert "Summary:" not in out and "Saved filters on the invoices list" not in out  # the description says it
    assert out.startswith("let accountants save a filter")
    assert "Then, a help article on saving filters" in out
    assert "- up to 10 saved filters per user" in out  # the criteria stay for the work to read


def test_a_ticket_plans_the_build_and_then_its_follow_up(router: Router) -> None:
    plan = plan_of(router, TICKET)
    assert set(plan.teams) == {"code", "content"}
    assert plan.waits_for("code", "content")


def test_a_ticket_without_filing_fields_or_a_letter_subject_is_left_alone() -> None:
    letter = "Subject: renewal\nPriority: high, they sign Friday. Draft the renewal email to Halden."
    assert ticket_fields(letter) == letter  # no title, description or type field beside the one filing field
    note = "Priority: ship the export fix first.\nThen tell the three customers who reported it."
    assert ticket_fields(note) == note


def test_a_tickets_steps_field_is_its_to_do_list(router: Router) -> None:
    ticket = ("Title: export times out for big workspaces\nType: Bug\nSteps:\n"
              "1. fix the export query so it pages through the rows\n"
              "2. once the fix is live, reply to the five tickets about it")
    assert "To do:" in ticket_fields(ticket)
    plan = plan_of(router, ticket)
    assert set(plan.teams) == {"code", "support"}
    assert plan.waits_for("code", "support")


def test_numbered_steps_in_running_text_are_read_in_order(router: Router) -> None:
    text = ("We need to rethink onboarding. Step 1 go through last month's support tickets and summarise where new "
            "users get stuck. Step 2 from that, rewrite the welcome email sequence")
    assert "Then from that" in expand_shorthand(text)
    plan = plan_of(router, text)
    assert plan.waits_for("support", "marketing") or plan.waits_for("support", "content")
    one = "Step 2 of the wizard crashes on Safari, fix it"
    assert expand_shorthand(one) == one  # a second step without a first is no order
