"""How founders actually phrase multi-team work: wishes, questions, hand-offs by subject, to-do lists.

Each test pins one rule of agents/routing/clauses.py (or the router's reading of a clause) with a
text written for this file, and where it matters a near text that must stay one team's work.
"""

from __future__ import annotations

import pytest

from agents.ceo import Plan, triage
from agents.routing.clauses import handed_to, is_action, split
from agents.routing.lexicon import builtin_settings
from agents.routing.router import Router, builtin_team_profiles
from agents.routing.text import stem
from agents.routing.verbs import is_finite, participle_base, present_base, starts_order

VERBS = builtin_settings().action_verbs
AGENTS = {"devs": "code", "ops": "devops", "marketing": "marketing", "sales": "sales", "support": "support",
          "backend": "code", "socials": "marketing", "writer": "content"}


@pytest.fixture(scope="module")
def router() -> Router:
    return Router(builtin_team_profiles())


def plan_of(router: Router, text: str) -> Plan:
    return triage(router, text).plan


# -- the dictionary knows the verbs founders use ------------------------------------------------------


def test_verbs_outside_the_routers_list_still_start_an_order() -> None:
    assert is_action("mock up the onboarding screens", VERBS)
    assert is_action("patch that", VERBS)
    assert not is_action("lead list of 40 florists", VERBS)  # a noun phrase: nothing after "lead" it acts on
    assert starts_order("wire", "up") and not starts_order("invoice", "numbering")
    assert participle_base("encrypted") == "encrypt" and participle_base("written") == "write"
    assert present_base("handles") == "handle" and present_base("news") is None
    assert is_finite("renews") and is_finite("wrote") and not is_finite("docs")


def test_british_spellings_read_as_american() -> None:
    assert stem("programme") == stem("program") and stem("optimise") == stem("optimize")


# -- who does it: hand-offs by subject, role and bracket ------------------------------------------------


def test_a_team_as_the_subject_hands_it_the_work() -> None:
    assert handed_to("marketing writes two subject lines", VERBS, AGENTS) == ("marketing", "write two subject lines")
    assert handed_to("ops pls add a disk alert", VERBS, AGENTS) == ("devops", "add a disk alert")
    assert handed_to("the devs still need to finish the importer", VERBS, AGENTS) == ("code", "finish the importer")
    assert handed_to("devs: the map crashes on android 12, needs fixing", VERBS, AGENTS)[0] == "code"
    # what a team said or will do is news, not an order
    assert handed_to("marketing wants to know the signup source", VERBS, AGENTS) is None
    assert handed_to("code up a pricing page", VERBS, {"code": "code"}) is None  # a verb, not the team


def test_roles_and_named_people_stand_for_their_team() -> None:
    assert handed_to("the backend guy adds the slider", VERBS, AGENTS) == ("code", "add the slider")
    assert handed_to("whoever runs our socials makes three reels", VERBS, AGENTS) == ("marketing", "make three reels")
    clauses, _ = split("Ask Nadia (ops) to resize the database box", VERBS, agents=AGENTS)
    assert clauses[0].agent == "devops"
    clauses, _ = split("tell Omar in support to warn the two clinics", VERBS, agents=AGENTS)
    assert clauses[0].agent == "support"


def test_hand_offs_by_subject_plan_their_teams(router: Router) -> None:
    plan = plan_of(router, "For the spring sale, the devs need to build a bundle discount, after that marketing "
                           "should send the newsletter about it.")
    assert set(plan.teams) == {"code", "marketing"} and plan.waits_for("code", "marketing")


# -- requests put as wishes, questions and things that must happen --------------------------------------


def test_wishes_and_questions_are_requests(router: Router) -> None:
    plan = plan_of(router, "Customers keep asking for dark mode. Could the team add a dark theme to the dashboard? "
                           "Once that has shipped, I'd also like a short help article on switching themes.")
    assert set(plan.teams) == {"code", "content"} and plan.waits_for("code", "content")
    clauses, _ = split("can this be corrected before Friday", VERBS)
    assert clauses[0].request and clauses[0].bare.startswith("correct")


def test_things_that_must_happen_are_requests(router: Router) -> None:
    plan = plan_of(router, "the quote calculator needs to support bulk discounts, and the google ads need new "
                           "variants for the bulk offer")
    assert set(plan.teams) == {"code", "marketing"}
    # a condition is no request: "it doesn't need to be pretty"
    clauses, _ = split("Build a rough prototype of the import screen, doesn't need to be pretty", VERBS)
    assert sum(c.request for c in clauses) == 1


# -- lists ------------------------------------------------------------------------------------------------


def test_a_to_do_list_is_one_request_per_item_even_without_verbs(router: Router) -> None:
    plan = plan_of(router, "things for friday:\n- renew the TLS cert on the api domain\n"
                           "- newsletter article on the new VAT rules\n- follow up with the 3 agencies from the demo day")
    assert set(plan.teams) == {"devops", "content", "sales"}


def test_in_this_order_chains_the_items(router: Router) -> None:
    plan = plan_of(router, "release day, in this order:\n1. deploy the sync worker to prod\n"
                           "2. release notes for 4.2\n3. launch tweets")
    assert plan.waits_for("devops", "content") and plan.waits_for("content", "marketing")


def test_a_list_of_things_stays_material() -> None:
    clauses, _ = split("Draft the API docs for the /bookings endpoint. Fields: guest_name, check_in, check_out", VERBS)
    assert sum(c.request for c in clauses) == 1
    clauses, _ = split("write the May newsletter article:\n- spring menu\n- interview w/ our chef\n- a recipe", VERBS)
    assert sum(c.request for c in clauses) == 1


def test_a_need_list_after_a_colon_is_work(router: Router) -> None:
    plan = plan_of(router, "the meetup is on the 9th. need: landing page copy, a script for my talk, and a personal "
                           "invite to the 15 agencies on our lead list")
    assert {"marketing", "content"} <= set(plan.teams)



def test_a_tickets_outcomes_are_its_work() -> None:
    # "AC:" / "Done when:" lines list the results wanted, each an ask even as a bare participle; "Context:" asks nothing
    one_line, _ = split("Receipt OCR worker keeps OOMing\nContext: merchants uploading 40+ page PDFs.\n"
                        "AC: parser streams pages instead of loading the whole file; worker pod memory limit raised "
                        "and an alert if restarts > 3/hr.", VERBS)
    assert [c.text for c in one_line if c.request] == ["parser streams pages instead of loading the whole file",
                                                        "worker pod memory limit raised", "an alert if restarts > 3/hr"]
    bullets, _ = split("Duplicate charge on split transactions\nDone when:\n- root cause fixed + regression test\n"
                       "- the 14 customers who wrote in refunded", VERBS)
    assert [c.text for c in bullets if c.request][-3:] == ["root cause fixed", "regression test",
                                                            "the 14 customers who wrote in refunded"]
    # a line that only mentions air conditioning is no ticket head
    assert sum(c.request for c in split("AC units in the warehouse are loud; noted.", VERBS)[0]) == 0

def test_a_list_under_one_thing_made_is_its_parts(router: Router) -> None:
    plan = plan_of(router, "Write the GitHub Actions workflow: run the tests on every PR, build the image and deploy "
                           "to staging on merge.")
    assert len(set(plan.teams)) == 1
    plan = plan_of(router, "Clean up the CRM pipeline: close out dead deals, fix the stages, and give me a forecast.")
    assert plan.teams == ("sales",)


# -- order --------------------------------------------------------------------------------------------------


def test_before_that_puts_the_work_before_the_previous_request(router: Router) -> None:
    plan = plan_of(router, "Email the launch announcement to our whole list on Monday. Before that, the release "
                           "notes need writing, and before that the offline mode has to be finished and merged.")
    assert plan.waits_for("content", "marketing") and plan.waits_for("code", "content")


def test_only_after_names_work_that_comes_first(router: Router) -> None:
    plan = plan_of(router, "Write the launch post for the Japanese course, but only after marketing has settled the "
                           "positioning.")
    assert set(plan.teams) == {"content", "marketing"} and plan.waits_for("marketing", "content")
    plan = plan_of(router, "Announce the Slack integration on LinkedIn, but only after it's built.")
    assert set(plan.teams) == {"code", "marketing"} and plan.waits_for("code", "marketing")


def test_an_order_word_alone_orders_the_next_part(router: Router) -> None:
    plan = plan_of(router, "The devs need to build a gift card option at checkout. After that, marketing should "
                           "schedule the holiday email.")
    assert plan.waits_for("code", "marketing")


# -- context is not work ------------------------------------------------------------------------------------


def test_news_and_reports_are_not_requests(router: Router) -> None:
    for text in ("Ops wrote a postmortem of the outage. Turn it into a post for our engineering blog.",
                 "Marketing wants to know which plan each trial picked. Add a plan column to the trials export.",
                 "The devs merged the memory fix yesterday. Deploy it to production tonight.",
                 "We're going on a podcast next week!! Write me a one-page brief about our story."):
        assert len(plan_of(router, text).teams) == 1, text


def test_reports_to_the_founder_stay_in_the_step(router: Router) -> None:
    plan = plan_of(router, "Look at last month's campaign analytics, propose two headline tests, and tell me which "
                           "one to run first.")
    assert plan.teams == ("marketing",)


def test_an_apostrophe_in_a_word_opens_no_quote() -> None:
    clauses, store = split("We're launching on Dragons' Den next week, prep the social posts", VERBS)
    assert not store and clauses[-1].request


def test_forwarded_email_lines_are_material() -> None:
    clauses, store = split("Fwd from a customer - can you sort this out?\n> Hi, the export rounds totals wrong. "
                           "Please fix it.\nFix the rounding first", VERBS)
    assert any("export rounds" in m for m in store)
    assert not any("export rounds" in c.bare for c in clauses)


def test_a_condition_without_its_comma_ends_where_the_order_starts(router: Router) -> None:
    from agents.routing.rewrites import comma_after_conditions

    assert comma_after_conditions("and once the beta is live email the waitlist", VERBS) == \
        "and once the beta is live, email the waitlist"
    assert comma_after_conditions("once the checks pass merge it", VERBS) == "once the checks pass, merge it"
    for one in ("once the devs fix the bug in the exporter", "once that's built marketing should write the post",
                "once it's back devs figure out what broke"):
        assert comma_after_conditions(one, VERBS) == one  # the condition's own verb, a modal, a subject
    plan = plan_of(router, "pls spin up a demo server on fly.io and once its up write a two-page setup guide for it")
    assert set(plan.teams) == {"devops", "content"} and plan.waits_for("devops", "content")


def test_please_starts_an_order_unless_it_follows_a_team() -> None:
    from agents.routing.rewrites import comma_before_please

    assert comma_before_please("also the footer link is dead please fix that", AGENTS) == \
        "also the footer link is dead, please fix that"
    assert comma_before_please("devs please find the leak", AGENTS) == "devs please find the leak"


def test_any_verb_after_a_hand_off_is_the_order(router: Router) -> None:
    assert handed_to("ask ops to enforce key-only SSH", VERBS, AGENTS) == ("devops", "enforce key-only SSH")
    assert handed_to("support keeps getting tickets about it", VERBS, AGENTS) is None  # news, not an order
    plan = plan_of(router, "Have the devs add an audit log to the admin panel, and ask ops to enforce key-only SSH on the boxes.")
    assert set(plan.teams) == {"code", "devops"}


def test_texting_someone_is_an_order(router: Router) -> None:
    assert starts_order("text", "the") and not starts_order("text", "on")
    plan = plan_of(router, "The booking form drops the phone number. Fix it, then text the clients who booked today.")
    assert set(plan.teams) == {"code", "support"} and plan.waits_for("code", "support")


def test_first_before_a_spec_after_a_colon_still_orders(router: Router) -> None:
    plan = plan_of(router, "Write the help article for the new bulk-edit mode, but build the mode first: select many "
                           "rows, change a field, undo in one click.")
    assert set(plan.teams) == {"code", "content"} and plan.waits_for("code", "content")


def test_a_thing_needed_after_another_request_is_a_request(router: Router) -> None:
    plan = plan_of(router, "Need the waitlist form built into the signup page, and need a short launch email for it too.")
    assert set(plan.teams) == {"code", "marketing"}
    clauses, _ = split("Book a demo with Acme and we need to talk about pricing later", VERBS, agents=AGENTS)
    assert sum(c.request for c in clauses) == 1  # "need to talk" is no thing wanted


def test_a_participle_after_a_preposition_is_no_passive_request() -> None:
    from agents.routing.passives import wanted_done

    assert wanted_done("need a reel explaining the policy for cancelled classes", VERBS) is None
    assert wanted_done("need the pricing page built", VERBS) == "build the pricing page"


def test_a_mistyped_verb_is_still_an_order() -> None:
    from agents.routing.verbs import respelled

    assert is_action("wrtie a blog post on teak care", VERBS) and is_action("deplyo the worker", VERBS)
    assert respelled("porto", VERBS) is None and respelled("teh", VERBS) is None
    assert not is_action("Shopfiy theme is broken on mobile", VERBS)


def test_after_then_any_verb_is_an_order_and_re_verbs_are_verbs(router: Router) -> None:
    from agents.routing.verbs import is_base_verb

    assert is_base_verb("redeploy") and is_base_verb("reshoot") and not is_base_verb("revenue")
    plan = plan_of(router, "bump the api to python 3.13 pls, then redeploy staging + prod with the new base image")
    assert set(plan.teams) == {"code", "devops"} and plan.waits_for("code", "devops")
    clauses, _ = split("renew the cert asap and once its back up reply to the teacher who emailed us", VERBS, agents=AGENTS)
    assert [c.bare for c in clauses if c.request][-1].startswith("reply to the teacher")


def test_what_the_work_is_for_is_no_hand_off(router: Router) -> None:
    plan = plan_of(router, "Add a CSV export of all a customer's invoices, so support can answer export requests faster.")
    assert len(plan.teams) == 1  # one team's work (which team is the router's whole-task call)
    plan = plan_of(router, "Add a CSV export of all a customer's invoices, and have support tell the customers who asked.")
    assert set(plan.teams) == {"code", "support"}


# -- this round: order words founders tuck in, and pieces that stand on their own ------------------------


def test_before_that_though_still_puts_that_work_first(router: Router) -> None:
    plan = plan_of(router, "Move the invoicing service onto the new cluster. Before that though, the devs have to "
                           "drop the local file cache so it runs in a container.")
    assert set(plan.teams) == {"code", "devops"} and plan.waits_for("code", "devops")
    plan = plan_of(router, "the build box is out of disk, ops pls clean it up. but the devs have to delete the old "
                           "artifact upload step first since it fills the disk")
    assert plan.waits_for("code", "devops")


def test_a_condition_on_how_earlier_work_turns_out_orders_what_follows(router: Router) -> None:
    plan = plan_of(router, "Send Larkspur Dental a quote for 30 seats. If they accept, have the devs set up "
                           "their single sign-on.")
    assert set(plan.teams) == {"code", "sales"} and plan.waits_for("sales", "code")
    plan = plan_of(router, "We want a loyalty scheme for the cafe app. Once marketing has settled the point values, "
                           "have the devs build the points wallet.")
    assert plan.waits_for("marketing", "code")


def test_a_need_that_opens_the_task_is_a_request(router: Router) -> None:
    plan = plan_of(router, "Need Kubernetes manifests for the reporting service, and a reply to the customer ticket "
                           "about slow reports.")
    assert set(plan.teams) == {"devops", "support"}
    assert len(plan_of(router, "Need Kubernetes manifests for the reporting service, with a health check.").teams) == 1


def test_and_also_a_thing_is_a_request_of_its_own(router: Router) -> None:
    clauses, _ = split("write a guide to pairing the scale with the app, and also a small script that dumps "
                       "the weight log to csv", VERBS)
    assert [c.request for c in clauses] == [True, True]


def test_a_piece_for_someone_or_of_many_things_is_no_part_of_the_last(router: Router) -> None:
    clauses, _ = split("Walk him through the migration and send him the quote", VERBS)
    assert not clauses[1].elaborates
    clauses, _ = split("Write the case study and pull together a summary of all their tickets", VERBS)
    assert not clauses[1].elaborates
    clauses, _ = split("Write the case study and add a summary at the top", VERBS)
    assert clauses[1].elaborates  # a part of the case study


def test_fix_in_it_after_context_is_the_first_request(router: Router) -> None:
    plan = plan_of(router, "The weekly report job takes four hours now. Optimize the queries in it, and in the "
                           "meantime move the database to a bigger instance.")
    assert set(plan.teams) == {"code", "devops"}
    clauses, _ = split("write the onboarding guide and fix the broken links in it", VERBS)
    plan = plan_of(router, "write the onboarding guide and fix the broken links in it")
    assert len(plan.teams) == 1


def test_an_adverb_before_the_verb_keeps_the_order(router: Router) -> None:
    plan = plan_of(router, "Write a help article on moving to the new app, and once it's up, personally email the "
                           "30 customers still on the old one with the link.")
    assert set(plan.teams) == {"content", "support"} and plan.waits_for("content", "support")
    plan = plan_of(router, "write the setup guide for the label printer sync but obviously build the sync first")
    assert set(plan.teams) == {"code", "content"} and plan.waits_for("code", "content")


def test_once_its_back_orders_what_follows(router: Router) -> None:
    plan = plan_of(router, "the domain's cert lapsed overnight and the shop shows a warning. renew it asap and "
                           "once it's back reply to everyone who wrote in about it")
    assert set(plan.teams) == {"devops", "support"} and plan.waits_for("devops", "support")


def test_do_it_before_a_colon_hands_the_work_to_what_follows(router: Router) -> None:
    plan = plan_of(router, "Write a blog post on how we halved our hosting bill - but first actually do it: rightsize "
                           "the database servers and move the old backups to cold storage.")
    assert set(plan.teams) == {"content", "devops"} and plan.waits_for("devops", "content")


def test_verbs_founders_coin_are_verbs() -> None:
    from agents.routing.verbs import is_base_verb

    assert is_base_verb("rightsize") and is_base_verb("autoscale") and is_base_verb("dockerize")
    assert not is_base_verb("uptime") and not is_base_verb("revenue") and not is_base_verb("Porto")


def test_a_team_asked_to_look_at_something_is_a_hand_off() -> None:
    assert handed_to("can ops look at the db server", VERBS, AGENTS) == ("devops", "look at the db server")
    assert handed_to("ops work on the migration is done", VERBS, AGENTS) is None  # news, not an order


def test_a_team_offering_what_the_work_starts_from_is_no_step(router: Router) -> None:
    plan = plan_of(router, "Write a case study on how the bakery cut its waste by a third. Sales can give you the "
                           "numbers, I want the story.")
    assert len(plan.teams) == 1
    plan = plan_of(router, "Write a case study on the bakery, and sales can send it to the three prospects after.")
    assert set(plan.teams) == {"content", "sales"}


def test_an_and_that_ends_a_list_of_things_is_no_request(router: Router) -> None:
    plan = plan_of(router, "Draft a video script on how the app handles bookings, refunds and the loyalty card.")
    assert len(plan.teams) == 1
    clauses, _ = split("Write the release notes, a blog post and a tweet about the launch", VERBS)
    assert [c.request for c in clauses] == [True, True]


def test_only_after_it_is_built_and_deployed_plans_both_pieces_first(router: Router) -> None:
    plan = plan_of(router, "Announce the Slack integration for the scheduling app on our social channels, but only "
                           "after the integration is actually built and deployed to production.")
    assert set(plan.teams) == {"code", "devops", "marketing"}
    assert plan.waits_for("code", "devops") and plan.waits_for("devops", "marketing")


def test_waiting_on_a_team_plans_its_work_first(router: Router) -> None:
    plan = plan_of(router, "Need the webhook docs rewritten for v3 once the devs have renamed the event types.")
    assert set(plan.teams) == {"code", "content"} and plan.waits_for("code", "content")
    plan = plan_of(router, "Tweet about the new Zapier support, but wait until the devs have actually shipped it.")
    assert set(plan.teams) == {"code", "marketing"} and plan.waits_for("code", "marketing")


def test_a_place_after_to_is_no_request_and_a_team_starting_on_something_is_a_hand_off(router: Router) -> None:
    clauses, _ = split("push the build through CI to testflight + the app store", VERBS)
    assert len([c for c in clauses if c.request]) == 1
    plan = plan_of(router, "Before the devs start on the CSV importer, ops needs to set up the storage bucket for it.")
    assert set(plan.teams) == {"code", "devops"} and plan.waits_for("devops", "code")
    plan = plan_of(router, "the booking api keeps timing out. pls have ops look at the db box. once its stable email "
                           "the clinics who complained")
    assert set(plan.teams) == {"devops", "support"} and plan.waits_for("devops", "support")


def test_an_order_word_before_an_aside_orders_the_request_after_it(router: Router) -> None:
    plan = plan_of(router, "Reply to the clinic that was billed twice and refund the extra charge. Then, since we "
                           "keep getting these, get marketing to reword the pricing page.")
    assert plan.waits_for("support", "marketing")
    plan = plan_of(router, "Bump the app from Python 3.10 to 3.12. Devs update the dependencies and fix whatever "
                           "breaks; once the app runs on 3.12, ops updates the base images.")
    assert plan.waits_for("code", "devops")


def test_before_that_puts_every_part_of_its_sentence_first(router: Router) -> None:
    plan = plan_of(router, "Tell the 20 customers on the old plan their accounts were moved. Before that, the devs "
                           "need to write the move script and ops needs to run it on prod.")
    assert set(plan.teams) == {"code", "devops", "support"}
    assert plan.waits_for("code", "support") and plan.waits_for("devops", "support")
    plan = plan_of(router, "Move the app from the VPS to Fly. Before the move though, the devs have to stop the app "
                           "writing uploads to local disk.")
    assert plan.waits_for("code", "devops")


def test_what_earlier_work_turns_up_orders_the_work_on_it(router: Router) -> None:
    plan = plan_of(router, "go through the support inbox, summarise the top feature requests, and have the devs build "
                           "whichever one is asked for most")
    assert set(plan.teams) == {"code", "support"} and plan.waits_for("support", "code")
    plan = plan_of(router, "If they sign, have the devs set up their SSO. Send Harbor Labs the quote for 40 seats first.")
    assert set(plan.teams) == {"code", "sales"}


def test_team_nicknames_and_a_past_day_as_a_possessive(router: Router) -> None:
    plan = plan_of(router, "price goes up on the 1st: update the billing code, then mktg rewrites the pricing page copy")
    assert set(plan.teams) == {"code", "marketing"} and plan.waits_for("code", "marketing")
    plan = plan_of(router, "the booking app is double-booking rooms. first ops restore yesterday's bookings table from "
                           "backup, then devs fix the slot locking")
    assert set(plan.teams) == {"code", "devops"} and plan.waits_for("devops", "code")


def test_before_you_do_the_later_work_the_rest_comes_first(router: Router) -> None:
    plan = plan_of(router, "Before you email the buyer at Corner Deli our wholesale proposal, get the bulk-order form "
                           "on our site fixed - it rejects quantities over 99.")
    assert set(plan.teams) == {"code", "sales"} and plan.waits_for("code", "sales")
    assert len(plan_of(router, "Before we launch, write the FAQ for the booking page.").teams) == 1


def test_a_list_of_things_wanted_done_is_a_list_of_requests(router: Router) -> None:
    plan = plan_of(router, "Need the PDF export button built, the customers told once it's out, and the user guide "
                           "updated to cover it.")
    assert set(plan.teams) == {"code", "content", "support"} and plan.waits_for("code", "support")


def test_news_in_the_past_tense_is_no_request() -> None:
    from agents.routing.rewrites import np_passive

    assert np_passive("the devs shipped it Monday", VERBS) is None  # a past tense with its object
    assert np_passive("that it's fixed", VERBS) is None  # what to say, not a thing to fix
    assert np_passive("the customers told once it's out", VERBS) == "tell the customers once it's out"


def test_before_that_at_the_end_puts_that_work_first(router: Router) -> None:
    plan = plan_of(router, "Deploy the new gift-card feature to the bakery app this weekend - but the balance rounding "
                           "bug needs fixing before that.")
    assert set(plan.teams) == {"code", "devops"} and plan.waits_for("code", "devops")
    plan = plan_of(router, "newsletter article on the new invoices feature. invoices still has the currency bug tho, "
                           "fix that before the article goes out")
    assert set(plan.teams) == {"code", "content"} and plan.waits_for("code", "content")


def test_after_the_thing_starts_a_later_request_and_a_need_lists_its_things(router: Router) -> None:
    plan = plan_of(router, "Move the flower shop's store off the old shared host onto a Docker setup, and after the "
                           "migration have the developer upgrade the payment library.")
    assert set(plan.teams) == {"code", "devops"} and plan.waits_for("devops", "code")
    clauses, _ = split("fix that, then i need release notes for the changelog page, a twitter thread, and a script "
                       "for a promo video", VERBS)
    assert len([c for c in clauses if c.request]) == 4


def test_an_and_inside_what_a_review_says_is_no_request() -> None:
    clauses, _ = split("Reply to the review that says the app is slow and the export button is broken, and a "
                       "tweet about the fix", VERBS)
    assert [c.bare for c in clauses if c.request][-1] == "a tweet about the fix"
    assert len([c for c in clauses if c.request]) == 2


def test_a_thing_without_an_article_is_a_request_of_its_own(router: Router) -> None:
    plan = plan_of(router, "need the new signup page built and copy for it from mktg")
    assert set(plan.teams) == {"code", "marketing"}
    plan = plan_of(router, "Need the annual plan added to the checkout and billing code, and once it's live, Google ads "
                           "announcing the annual discount.")
    assert set(plan.teams) == {"code", "marketing"} and plan.waits_for("code", "marketing")
    clauses, _ = split("Need the annual plan added to the checkout and billing code", VERBS)
    assert len([c for c in clauses if c.request]) == 1  # "checkout and billing code" is one place


def test_a_team_doing_the_thing_and_a_need_for_doing_it_are_orders(router: Router) -> None:
    plan = plan_of(router, "launching v3 of the app: have the devs finish the widget, ops pushes the build through the "
                           "CI pipeline after that, then marketing does the Product Hunt launch")
    assert set(plan.teams) == {"code", "devops", "marketing"}
    assert plan.waits_for("code", "devops") and plan.waits_for("devops", "marketing")
    assert handed_to("marketing did the launch last week", VERBS, AGENTS) is None  # news
    clauses, _ = split("the reminders are done in code, just need deploying to prod", VERBS)
    assert [c.bare for c in clauses if c.request] == ["deploy to prod"]


def test_an_and_after_a_gerund_goes_on_with_what_it_keeps() -> None:
    clauses, _ = split("translate the user guide into German, keeping the headings and the screenshots' captions", VERBS)
    assert len([c for c in clauses if c.request]) == 1


def test_two_verbs_sharing_one_thing_stay_one_request_after_a_filler() -> None:
    for text in ("Now kindly find and fix the bug in our webhook handling that causes this.",
                 "ok so now pls review and merge the PR", "Please find and fix the bug in the webhook."):
        clauses, _ = split(text, VERBS)
        assert len([c for c in clauses if c.request]) == 1, text


def test_two_verbs_after_a_comma_and_an_order_on_the_piece_are_requests(router: Router) -> None:
    clauses, _ = split("Refund her and reply to her, find and fix whatever double-charges people", VERBS)
    assert [c.bare for c in clauses if c.request][-1].startswith("find and fix")
    plan = plan_of(router, "We just got ISO 27001 certified! Write a blog post about what it took, announce it on "
                           "LinkedIn, and send the news to the prospects stuck in security review.")
    assert set(plan.teams) == {"content", "marketing", "sales"}


def test_regardless_of_how_it_goes_opens_a_hand_off(router: Router) -> None:
    plan = plan_of(router, "Get the devs to build a prototype of the dashboard. And regardless of how that goes, "
                           "marketing should start on a landing page for hotels.")
    assert set(plan.teams) == {"code", "marketing"}


def test_a_noun_after_and_with_nothing_to_act_on_and_a_teams_thing_are_no_requests(router: Router) -> None:
    plan = plan_of(router, "Build a list of 30 yoga studios in Leeds with the owner's name and email, so I can pitch "
                           "them our booking app.")
    assert len(plan.teams) == 1
    assert handed_to("our devops setup doc is attached for reference", VERBS, AGENTS) is None
    plan = plan_of(router, "Fill out the security questionnaire from the clinic's procurement team. Our devops setup "
                           "doc is attached for reference.")
    assert len(plan.teams) == 1


def test_a_thing_sharing_the_verb_needs_a_surer_reader() -> None:
    from agents.routing.segments import ClauseVerdict, SegmentRules, _clear

    rules = SegmentRules()
    sure = ClauseVerdict("devops", raw=5.0, confidence=0.86, read=0.86)
    assert _clear(sure, rules) and not _clear(sure, rules, elliptic=True)
    assert _clear(ClauseVerdict("devops", raw=5.0, confidence=0.98, read=0.98), rules, elliptic=True)


def test_a_dictated_um_is_a_pause(router: Router) -> None:
    from agents.routing.text import expand_shorthand

    assert expand_shorthand("the captions um the reviews say") == "the captions, the reviews say"
    assert expand_shorthand("the umbrella stand") == "the umbrella stand"
    plan = plan_of(router, "we're testing the signup page headline so um marketing write three headline variants and "
                           "the devs need to wire up the experiment so each visitor sees one at random")
    assert set(plan.teams) == {"code", "marketing"}


def test_what_we_run_what_to_assume_and_a_how_to_are_no_requests(router: Router) -> None:
    plan = plan_of(router, "Fill out the security questionnaire from the hospital's procurement. We have SOC 2, SSO, "
                           "encryption at rest, and run on AWS EKS. Flag anything we can't answer honestly.")
    assert len(plan.teams) == 1
    plan = plan_of(router, "The devs are finishing the last features now, so assume it ships on time. Plan the Product "
                           "Hunt launch: tagline, gallery captions and the first comment.")
    assert len(plan.teams) == 1
    plan = plan_of(router, "Write a script for a 3-minute video showing new customers how to set up our smart lamp "
                           "and pair it with the app.")
    assert len(plan.teams) == 1


def test_spoken_fillers_and_states_before_a_hand_off(router: Router) -> None:
    plan = plan_of(router, "a customer says the api returns a 500 for dates before 1970 so yeah fix that and get it "
                           "deployed tonight and then let him know it's sorted")
    assert set(plan.teams) == {"code", "devops", "support"} and plan.waits_for("devops", "support")
    plan = plan_of(router, "the store is slow on mobile, the devs should compress the product images and then once "
                           "it's faster marketing can restart the facebook ads")
    assert set(plan.teams) == {"code", "marketing"} and plan.waits_for("code", "marketing")
    assert handed_to("get the devs started on audit log export", VERBS, AGENTS) == ("code", "start on audit log export")


def test_what_to_say_is_no_recipient_and_a_spoken_like_is_a_filler(router: Router) -> None:
    from agents.routing.clause_cues import builtin_cues
    from agents.routing.grammar import strip_lead

    assert not builtin_cues().addressed("mention we already work with two clinics in her county")
    assert builtin_cues().addressed("tell our leads about it")
    plan = plan_of(router, "Draft a cold email to Ana Ruiz, practice manager at Bayside Physio, introducing our booking "
                           "kiosk. Mention we already work with two clinics in her town.")
    assert len(plan.teams) == 1
    assert strip_lead("like three a week") == "three a week" and strip_lead("like the post") == "like the post"
