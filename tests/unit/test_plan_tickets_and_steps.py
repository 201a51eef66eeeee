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
    assert "Summary:" not in out
    assert out.startswith("Background:\n- Saved filters on the invoices list\n")  # the description says the work
    assert "\nlet accountants save a filter" in out
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


def test_an_issue_titled_with_a_hash_and_an_ask_section_plans_its_checkboxes_in_order(router: Router) -> None:
    issue = ("# search workers OOMing\n\n## Context\nthe search workers get OOMKilled every few hours since 2.3, "
             "the query cache never evicts.\n\n## Ask\n- [ ] fix the cache eviction in the search service (LRU with a "
             "size cap)\n- [ ] once it's merged, deploy it to prod and lower the memory limit on the worker pods again")
    plan = plan_of(router, issue)
    assert set(plan.teams) == {"code", "devops"}
    assert plan.waits_for("code", "devops")


def test_a_ticket_whose_title_names_two_things_plans_the_build_then_the_follow_up(router: Router) -> None:
    ticket = ("Summary: invoice reminders + help doc\nType: Story\n"
              "Description: send an automatic reminder email 3 days before an invoice is due, and again on the due date.\n"
              "Acceptance criteria:\n- reminders can be switched off per client\n- no reminder for invoices already paid\n"
              "Follow-up: help center article on setting up reminders, with screenshots\nPriority: High")
    plan = plan_of(router, ticket)
    assert set(plan.teams) == {"code", "content"}
    assert plan.waits_for("code", "content")


def test_a_tickets_filing_fields_stay_out_of_its_steps(router: Router) -> None:
    ticket = ("Summary: outage writeup\nType: Task\n"
              "Description: the primary database ran out of disk on Tuesday and bookings failed for an hour.\n"
              "Steps:\n1. add disk alerts at 80% and grow the volume\n2. after that, write the public postmortem for the blog\n"
              "Priority: Medium")
    plan = plan_of(router, ticket)
    assert plan.waits_for("devops", "content")
    assert not any("Priority:" in s.text or "Type:" in s.text for s in plan.steps)
