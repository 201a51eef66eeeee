"""Conditions on work already asked for, a purpose clause that is no input, lettered items, a team's part put
first, and a check over two things that stays one step."""

from __future__ import annotations

from agents.routing.connectives import inline_numbers_as_lines
from agents.routing.router import Router
from tests.support.planning import plan_of


def test_a_condition_on_work_already_asked_is_no_request_of_its_own(builtin_router: Router) -> None:
    # read alone, "After the program is defined" would be "define the program", first: the devs would lead
    plan = plan_of(builtin_router, "Please design a partner discount program for our agencies: the rules and the "
                                   "messaging. After the program is defined, the devs build the discount codes into "
                                   "checkout.")
    assert sorted(plan.teams) == ["code", "marketing"]
    assert plan.waits_for("marketing", "code") and not plan.waits_for("code", "marketing")
    # a condition on work nobody asked for yet still asks for it, first
    plan = plan_of(builtin_router, "Once the export bug is fixed, email the customers who reported it.")
    assert plan.waits_for("code", "support")


def test_so_it_uses_says_what_the_step_itself_will_do(builtin_router: Router) -> None:
    plan = plan_of(builtin_router, "bump the app to react native 0.74 and after that's merged, rebuild the CI "
                                   "pipeline so it uses the new build image")
    assert sorted(plan.teams) == ["code", "devops"]
    assert plan.waits_for("code", "devops") and not plan.waits_for("devops", "code")


def test_a_state_after_when_its_waits_and_two_channels_joined_by_plus_stay_one_thing(builtin_router: Router) -> None:
    plan = plan_of(builtin_router, "the search endpoint is really slow, speed it up, and then when its fast email "
                                   "the three customers who complained that it's fixed")
    assert sorted(plan.teams) == ["code", "support"]
    assert plan.waits_for("code", "support")
    plan = plan_of(builtin_router, "Launch checklist:\n- first fix the double-charge bug\n- then deploy to prod\n"
                                   "- then LinkedIn + Twitter posts announcing the new billing")
    assert sorted(plan.teams) == ["code", "devops", "marketing"]
    assert plan.waits_for("devops", "marketing")


def test_the_part_of_a_team_said_first_goes_first(builtin_router: Router) -> None:
    plan = plan_of(builtin_router, "the docker image for the api runs an old node version, upgrade the dockerfile, "
                                   "and the app code needs some library upgrades to run on node 20, do the code part "
                                   "first")
    assert sorted(plan.teams) == ["code", "devops"]
    assert plan.waits_for("code", "devops")
    plan = plan_of(builtin_router, "our nodes are oversized. devops right-size the nodes, and after that content "
                                   "write a short post for the eng blog on how we cut the bill")
    assert sorted(plan.teams) == ["content", "devops"]
    assert plan.waits_for("devops", "content")


def test_lettered_items_in_a_line_are_items() -> None:
    assert inline_numbers_as_lines("two asks: (a) summarise the reasons, (b) a win-back campaign") == \
        "two asks\n1. summarise the reasons\n2. a win-back campaign"  # as numbered items
    assert inline_numbers_as_lines("pick plan (b) or plan (c) for the blog") == "pick plan (b) or plan (c) for the blog"


def test_lettered_asks_get_their_teams(builtin_router: Router) -> None:
    plan = plan_of(builtin_router, "churn is up. two asks: (a) summarise last month's cancellation reasons from the "
                                   "support inbox, (b) a win-back email campaign for lapsed users")
    assert sorted(plan.teams) == ["marketing", "support"]


def test_a_check_over_two_things_that_still_work_is_one_step(builtin_router: Router) -> None:
    plan = plan_of(builtin_router, "the payments library is three major versions behind, please do the upgrade and "
                                   "make sure checkout and the yearly renewals still work")
    assert set(plan.teams) == {"code"}


def test_do_the_thing_first_puts_the_request_that_first_names_it_first(builtin_router: Router) -> None:
    plan = plan_of(builtin_router, "for the vegan range i need a product guide that explains the ingredients, the "
                                   "landing page copy, and a pitch to Fern Market to stock it. the pitch should link "
                                   "to the guide so do the guide first")
    assert plan.waits_for("content", "sales") and not plan.waits_for("sales", "content")
    assert sorted(plan.teams) == ["content", "marketing", "sales"] and len(plan.steps) == 3  # no step "do the guide first"


def test_the_occasion_before_the_asks_asks_nothing(builtin_router: Router) -> None:
    plan = plan_of(builtin_router, "launching the winter bundle, i need a product guide doc explaining what's in it "
                                   "and the landing page copy")
    assert sorted(plan.teams) == ["content", "marketing"]
    assert not plan.waits_for("marketing", "content")  # the occasion is no marketing step the guide waits for
    assert builtin_router.route("launching the new pricing page").team == "marketing"  # alone, it is the ask


def test_one_more_thing_said_in_a_sentence_of_its_own_is_asked(builtin_router: Router) -> None:
    plan = plan_of(builtin_router, "Our launch is Thursday.\nPls prepare the listing copy and the maker comment.\n"
                                   "And one 'Why we built it' blog post for the launch week.")
    assert sorted(plan.teams) == ["content", "marketing"]
    assert set(plan_of(builtin_router, "Fix the login bug. And a customer said the app crashed twice.").teams) == {"code"}


def test_a_teams_calls_that_show_something_are_no_hand_off(builtin_router: Router) -> None:
    text = ("Sales calls show that prospects don't get how we differ from the big suite. Please rework our positioning "
            "and messaging: one statement and three pillars, which we then use in the sales deck.")
    assert set(plan_of(builtin_router, text).teams) == {"marketing"}


def test_a_customers_report_in_an_item_with_its_own_ask_is_that_asks_context(builtin_router: Router) -> None:
    plan = plan_of(builtin_router, "Two things, not related:\n1) the TLS cert for api.tallyho.io expires on the 14th, "
                                   "renew it\n2) Brightwell Foods saying the VAT total on invoices is wrong, reply to "
                                   "them that we are checking")
    assert sorted(plan.teams) == ["devops", "support"]
    reply = next(s for s in plan.steps if s.team == "support")
    assert "Brightwell Foods" in reply.text  # the reply's step carries the report it answers


def test_a_host_that_starts_with_a_verb_is_no_order_and_its_sentence_goes_with_its_ask(builtin_router: Router) -> None:
    plan = plan_of(builtin_router, "Our launch is Thursday.\nPls prepare the listing copy and the maker comment.\n"
                                   "Also demo.tallyho.io is down since morning, kindly bring it back.")
    assert sorted(plan.teams) == ["devops", "marketing"]
    ops = next(s for s in plan.steps if s.team == "devops")
    assert "demo.tallyho.io is down" in ops.text and not ops.depends_on  # its own context; "it" is the demo site


def test_what_a_reply_tells_after_a_colon_is_no_work_of_its_own(builtin_router: Router) -> None:
    plan = plan_of(builtin_router, "#318 (uploads with a space in the name fail) is a real bug, the fix is planned for "
                                   "next sprint. meanwhile reply to the three customers who hit it with the "
                                   "workaround: rename the file first")
    assert set(plan.teams) == {"support"}


def test_a_fix_asked_in_a_to_do_list_is_not_moved_to_support() -> None:
    from agents.routing.clauses import Clause
    from agents.routing.learned import _asks_a_fix

    assert _asks_a_fix(Clause(text="fix it", bare="fix it", request=True))
    assert _asks_a_fix(Clause(text="invoice PDF misses the VAT number", bare="invoice PDF misses the VAT number",
                              request=True, listed=True))
    assert not _asks_a_fix(Clause(text="fix the double charge on her account", bare="fix the double charge on her "
                                  "account", request=True))  # a billing correction is support's


def test_what_customers_do_before_is_no_order_of_the_steps(builtin_router: Router) -> None:
    plan = plan_of(builtin_router, "set up a status page at status.example.io. after it's up, write a short help "
                                   "article explaining to shops how to check it before they call us")
    assert plan.waits_for("devops", "content") and not plan.waits_for("content", "devops")


def test_a_step_that_waits_is_not_first_for_a_first_inside_it(builtin_router: Router) -> None:
    plan = plan_of(builtin_router, "Write the migration script that moves avatars to the new bucket layout; after it's "
                                   "reviewed, devops runs it on prod in the Sunday window and takes a backup first.")
    assert plan.waits_for("code", "devops") and not plan.waits_for("devops", "code")


def test_a_trailing_condition_on_an_earlier_item_makes_its_request_wait(builtin_router: Router) -> None:
    plan = plan_of(builtin_router, "iPad launch:\n- build the split-view editor for iPad (code)\n- write the iPad user "
                                   "guide once the editor is done\n- Product Hunt launch after the guide is up")
    assert sorted(plan.teams) == ["code", "content", "marketing"]
    assert plan.waits_for("code", "content") and not plan.waits_for("content", "code")
