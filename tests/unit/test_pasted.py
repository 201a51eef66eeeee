"""Pasted material (agents/routing/pasted.py): transcripts, tables, code blocks and what a line says is below are
what the work reads, not more work; the founder's own asks after the material still count."""

from __future__ import annotations

import pytest

from agents.ceo import triage
from agents.routing.grammar import PLACEHOLDER_RE
from agents.routing.pasted import pasted_as_material
from agents.routing.router import Router
from tests.support.planning import VERBS, plan_of
from tests.support.planning import requests as split_requests

AGENTS = {"devs": "code", "ops": "devops", "marketing": "marketing", "sales": "sales", "support": "support"}


def requests(text: str) -> list[str]:
    return split_requests(text, agents=AGENTS)


def material(text: str) -> tuple[str, list[str]]:
    store: list[str] = []
    return pasted_as_material(text, store, asks=lambda line: line.split()[0].casefold() in VERBS, agents=AGENTS), store


def test_a_stamped_transcript_is_material() -> None:
    text, store = material("Call transcript:\n[10:02] Rosa (Vantage): can you send pricing for 40 seats?\n"
                           "[10:04] Rosa: and fix the export, it times out\nwrite her a follow-up email")
    assert len(store) == 1 and "fix the export" in store[0]
    assert text.endswith("write her a follow-up email") and PLACEHOLDER_RE.search(text)


def test_chat_lines_need_two_speakers_and_no_team() -> None:
    _, store = material("ana: three customers asked about zapier\nleo: marketing never announced it\nwrite a how-to")
    assert len(store) == 1
    _, store = material("ops: renew the certificate\ndevs: fix the timeout")
    assert store == []  # lines labelled with a team are the founder's hand-offs
    _, store = material("Goal: more trials\nContext: we launched in May")
    assert store == []


def test_a_table_and_a_code_block_are_material() -> None:
    _, store = material("pipeline below\n\ndeal | stage | amount\nMeridian | proposal | 24k\n")
    assert store and "Meridian" in store[0]
    _, store = material("release notes from this:\n```\nfeat: recurring bookings\nfix: deploy the worker\n```")
    assert store and "deploy the worker" in store[0]


def test_what_a_line_says_is_below_is_material_until_the_founder_asks_again() -> None:
    text = ("Email from our hosting provider is below.\n\nPlease migrate your instances before Friday. Also update "
            "your DNS records.\n\nSo: ops moves us to the new region, then support emails the customers.")
    assert requests(text) == ["move us to the new region", "email the customers"]


def test_pasted_asks_make_no_plan(builtin_router: Router) -> None:
    text = ("transcript from the standup below. my part: fix the race in the order status updates\n\n"
            "[09:02] Lea: can marketing write the launch email?\n[09:03] Tom: ops should rotate the keys")
    assert len(triage(builtin_router, text).plan.teams) == 1  # the asks inside the transcript are no steps


def test_a_verbless_head_over_material_is_no_request_when_orders_follow() -> None:
    text = "git log since v2.4 (squashed):\nfeat(export): CSV export\nci: cache docker layers\n\nwrite the 2.4 release notes"
    assert requests(text) == ["write the 2.4 release notes"]
    assert requests("Landing page copy for the launch. Also build the signup form.") == [
        "Landing page copy for the launch", "build the signup form"]  # no material: the opening line is an ask


@pytest.mark.parametrize("head", [
    "Launch checklist a friend sent me:",
    "Review comments from our contractor on the checkout module:",
    "Email from our shipping partner:",
])
def test_a_list_someone_else_wrote_is_material(builtin_router: Router, head: str) -> None:
    text = (f"{head}\n- make sure the servers can scale\n- have the devs fix the onboarding bugs\n- prepare support\n"
            "We launch on Product Hunt next week. Write our tagline and the maker's first comment.")
    plan = plan_of(builtin_router, text)
    assert len(plan.teams) == 1, plan.teams


def test_csv_rows_are_material() -> None:
    text = ("Here are a few rows of the ticket export:\n\nid,created,tags,status\n1021,2024-05-02,billing,closed\n"
            "1022,2024-05-02,bug,open\n\nWrite a Python script that counts tickets per tag.")
    assert requests(text) == ["Write a Python script that counts tickets per tag"]
