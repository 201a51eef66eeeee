"""To-do lists written the ways founders write them (open checkboxes, "also unrelated:", "two separate things:", items
that say what is wrong or what must be done), asks said formally or dictated, and things that only look like work."""

from __future__ import annotations

from agents.routing.lists import is_order
from agents.routing.openings import reported_done
from agents.routing.router import Router
from tests.support.planning import plan_of, requests

VERBS = frozenset("fix rewrite proofread build deploy write reply answer".split())


def test_an_item_that_ends_in_an_order_or_says_what_must_be_done_is_an_order() -> None:
    assert is_order("streak counter resets at midnight UTC instead of local time, fix", VERBS)
    assert is_order("The SMIC revaluation must be implemented in the payroll engine", VERBS)
    assert not is_order("dark mode, CSV import, faster search", VERBS)


def test_also_unrelated_turns_to_another_ask(builtin_router: Router) -> None:
    plan = plan_of(builtin_router, "cloud AWS bill +30% MoM, find what's eating it and cut it. also unrelated: persona doc "
                                   "for 'platform eng at a series B saas', what they care about, where they hang out")
    assert set(plan.teams) == {"devops", "marketing"}
    assert not reported_done("persona doc for them, what they care about, where they hang out")
    assert reported_done("v2.3 out")


def test_open_checkboxes_are_to_dos_under_a_goal(builtin_router: Router) -> None:
    plan = plan_of(builtin_router, "## Cadenza for Schools page\n**Goal:** a landing page that makes school owners book a "
                                   "demo\n- [ ] landing page copy — hero, 3 benefits, pricing teaser\n- [ ] after the page "
                                   "copy is locked, a ~1500 word explainer article for the blog")
    assert set(plan.teams) == {"content", "marketing"}


def test_a_counted_list_of_problems_asks_for_each_fix() -> None:
    asked = requests("Two urgent points:\n1. The TLS certificate for app.paylo.fr expires on Friday and the renewal did "
                     "not happen.\n2. Translate our security documentation page into English.")
    assert len(asked) == 2 and asked[0].startswith("The TLS certificate")


def test_a_thing_for_a_purpose_after_a_colon_is_asked_and_then_waited_for(builtin_router: Router) -> None:
    plan = plan_of(builtin_router, "for may newsletter: article about the new SMS templates, 500 words. when it is "
                                   "written, 3 social posts teasing it")
    assert set(plan.teams) == {"content", "marketing"} and plan.waits_for("content", "marketing")


def test_a_formal_ask_is_an_order(builtin_router: Router) -> None:
    plan = plan_of(builtin_router, "Dear team,\n\nI would like us to rank better for searches like \"online donation "
                                   "platform for small charities\". Would it be possible to begin with keyword research "
                                   "around that phrase? Then I would be grateful if someone could write a blog post aimed "
                                   "at those keywords.\n\nWarmly,\nMargaret")
    assert set(plan.teams) == {"content", "marketing"} and plan.waits_for("marketing", "content")


def test_dictated_punctuation_splits_the_asks(builtin_router: Router) -> None:
    plan = plan_of(builtin_router, "prices go up june 1 period code update the prices in the theme and the wholesale "
                                   "calculator period devops push it live on the first period")
    assert {"code", "devops"} <= set(plan.teams)
    assert requests("our billing period ends friday, send the invoice") == ["send the invoice"]


def test_names_joined_by_plus_or_ampersand_stay_one_thing() -> None:
    assert requests("can you write a help center article on our cancellation + returns policy first")[0].endswith(
        "returns policy first")
    assert requests("turn this into release notes for the blog + deploy v2.8.0 to prod")[-1].startswith("deploy")


def test_context_that_looks_like_work_asks_nothing(builtin_router: Router) -> None:
    assert plan_of(builtin_router, "Devs shipped online payments in the app. Make the LinkedIn and Instagram posts for "
                                   "it, 4 posts.").teams == ("marketing",)
    assert requests("I have already answered her. Please fix the duplicated CSG line in the payslip generator") == [
        "fix the duplicated CSG line in the payslip generator"]
    assert requests("roll out v3.4 to prod staged, 10% of shops first, then rest tomorrow") == [
        "roll out v3.4 to prod staged, 10% of shops first"]


def test_bare_numbers_before_orders_count_items_as_dictated(builtin_router: Router) -> None:
    from agents.routing.connectives import inline_numbers_as_lines

    plan = plan_of(builtin_router, "1 set up automatic daily backups for the custom app database 2 write unit tests for "
                                   "the discount engine 3 draft ad copy for the facebook spring sale three versions")
    assert set(plan.teams) == {"code", "devops", "marketing"}
    verbs = frozenset("set write draft fix reply".split())
    assert inline_numbers_as_lines("1 fix the login bug 2 reply to anna", verbs) == "1. fix the login bug\n2. reply to anna"
    # a count of things, or numbers that do not count from 1 before orders, are no list
    assert inline_numbers_as_lines("write 3 posts and 2 emails", verbs) == "write 3 posts and 2 emails"
    assert inline_numbers_as_lines("we need 2 write ups and 3 drafts", verbs) == "we need 2 write ups and 3 drafts"


def test_grateful_for_a_thing_asks_for_it(builtin_router: Router) -> None:
    plan = plan_of(builtin_router, "Hi all — could someone add a CNAME for status.giveloop.org pointing at our status page "
                                   "provider? And, unrelated, I have a call with Priya Nair, the CFO of the Children's "
                                   "Trust of Vermont, tomorrow at 10; I would be grateful for some call prep. Warmly, "
                                   "Margaret")
    assert set(plan.teams) == {"devops", "sales"}
    # thanks for help in general asks for no step of its own
    assert len(plan_of(builtin_router, "I would be grateful for your help on this, the invoice export is broken").teams) == 1


def test_could_someone_else_asks_for_another_piece_of_work(builtin_router: Router) -> None:
    plan = plan_of(builtin_router, "not urgent but could someone write the newsletter article about our new studio space "
                                   "and could someone else figure out why the docker image for the label printing "
                                   "service is 3 gigs")
    assert set(plan.teams) == {"content", "devops"}


def test_follow_this_order_heads_a_to_do_list(builtin_router: Router) -> None:
    plan = plan_of(builtin_router, 'Big release plan for "Smart Waitlist". Please kindly follow this order:\n1. finish the '
                                   "waitlist API and write the tests\n2. deploy it to production behind feature flag\n"
                                   "3. write help center article how to use Smart Waitlist\n4. make landing page copy "
                                   "and social posts for the launch")
    assert set(plan.teams) == {"code", "content", "devops", "marketing"}
    assert plan.waits_for("code", "devops")


def test_lettered_items_are_bullets(builtin_router: Router) -> None:
    plan = plan_of(builtin_router, 'monday:\na) persona doc for "platform eng lead at 200-1000 person co" — we keep '
                                   "guessing\nb) follow up with the 4 people who booked a demo and no-showed last week\n"
                                   "c) answer the 6 chats from the weekend in intercom")
    assert set(plan.teams) == {"marketing", "sales", "support"}
    plan = plan_of(builtin_router, "Two things, no dependency between them:\nA) keyword research for 'online therapy that "
                                   "takes insurance', with a prioritized target list\nB) proofread & edit the draft of our "
                                   "patient privacy guide (in Drive, ~12 pages)")
    assert set(plan.teams) == {"content", "marketing"}
