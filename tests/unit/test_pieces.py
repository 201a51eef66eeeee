"""The pieces pass: a team the plan lacks, heard in one piece of a clause read alone (agents/routing/pieces.py)."""

from __future__ import annotations

from agents.routing.clauses import Clause
from agents.routing.coverage import Coverage, TaskParts
from agents.routing.pieces import MIN_WORDS, PIECE_MULTI, PIECE_SURE, PIECE_WHOLE, joined, pieces, said_later, with_pieces
from agents.routing.segments import ClauseVerdict, PlanSegment

SIX = ("code", "content", "devops", "marketing", "sales", "support")
KNOWN = frozenset(SIX)


def _coverage(multi: float, **teams: float) -> Coverage:
    return Coverage({t: teams.get(t, 0.01) for t in SIX}, multi)


def _task(texts: list[str], team: str, alone: dict[str, dict[str, float]], **flags: bool) -> TaskParts:
    """Clauses as given; a piece read alone gives the teams listed for the first key it contains."""
    def read(piece: str) -> Coverage:
        for key, teams in alone.items():
            if key in piece:
                return _coverage(0.5, **teams)
        return _coverage(0.5)

    def classify(clause: Clause) -> ClauseVerdict:
        return ClauseVerdict(team, 1.0, 0.9)

    return TaskParts([Clause(t, t, True, **flags) for t in texts], classify, team, None, read)  # type: ignore[arg-type]


def test_pieces_part_at_quick_typing_marks_and_say_which_come_later() -> None:
    got = pieces("fix login for the ipad users + tell the 3 ppl who emailed / then post it on x")
    assert [p for p, _ in got] == ["fix login for the ipad users", "tell the 3 ppl who emailed", "then post it on x"]
    assert [later for _, later in got] == [False, False, True]
    dashed = pieces("add an export to PDF button on the reports page — when it's on staging, write the help article")
    # the condition before the comma is no piece: it says the help article comes after the export
    assert dashed == [("add an export to PDF button on the reports page", False), ("write the help article", True)]
    assert pieces("Once the patch is merged, a release note for finance teams") == \
        [("a release note for finance teams", True)]
    assert pieces("re-run the export-to-pdf job")[0][0] == "re-run the export-to-pdf job"  # a hyphen is no dash
    assert pieces("dns for the webinar page & the landing copy -> share the link with the list")[-1] == \
        ("share the link with the list", True)
    assert [p for p, _ in pieces("ok so fix it + ship")] == ["ok so fix it"]  # "ship": under MIN_WORDS words
    assert MIN_WORDS == 2
    assert [p for p, _ in pieces("release notes for the changelog + PH launch")] == [
        "release notes for the changelog", "PH launch"]  # two words are read alone
    assert pieces("once it ships, write the changelog entry") == [("write the changelog entry", True)]
    assert pieces("then after all that put up a blog post about what went wrong, with the timeline")[0] == \
        ("then after all that put up a blog post about what went wrong", True)  # an ask with its order in front


def test_a_piece_that_surely_asks_for_a_missing_team_becomes_its_own_step_and_leaves_its_host() -> None:
    text = "reply to that angry review on g2 + turn the nice ones into quote cards for insta"
    task = _task([text], "support", {"quote cards": {"marketing": PIECE_SURE + 0.2, "support": 0.1},
                                     "angry review": {"support": 0.95}})
    out = with_pieces((), _coverage(PIECE_MULTI + 0.1, support=0.97, marketing=PIECE_WHOLE + 0.05), task, known=KNOWN)
    assert [(s.team, s.text) for s in out] == [("support", "reply to that angry review on g2"),
                                               ("marketing", "turn the nice ones into quote cards for insta")]
    assert out[1].confidence <= PIECE_WHOLE + 0.05  # no surer than the whole task's reading: the plan waits
    assert out[1].follows == ()


def test_a_later_piece_waits_for_the_steps_before_it() -> None:
    text = "fix the timezone bug in reminders, then reply to the eight tickets about it"
    task = _task([text], "code", {"eight tickets": {"support": 0.9}, "timezone": {"code": 0.9}})
    out = with_pieces((), _coverage(0.9, code=0.99, support=0.5), task, known=KNOWN)
    assert [s.team for s in out] == ["code", "support"] and out[1].follows == (0,)


def test_a_one_team_task_stays_whole_when_several_teams_are_unlikely() -> None:
    text = "deploy on friday went fine but the new search endpoint returns dupes, fix the query"
    task = _task([text], "code", {"deploy on friday": {"devops": 0.95}})
    assert with_pieces((), _coverage(PIECE_MULTI - 0.2, code=0.99, devops=0.3), task, known=KNOWN) == ()


def test_a_team_the_whole_task_does_not_hear_or_a_piece_that_leans_elsewhere_adds_nothing() -> None:
    text = "write the onboarding guide for the new admin panel + a short section on exports"
    task = _task([text], "content", {"short section": {"code": 0.7, "content": 0.8}})
    assert with_pieces((), _coverage(0.9, content=0.99, code=0.5), task, known=KNOWN) == ()  # leans to content
    task = _task([text], "content", {"short section": {"code": 0.9}})
    assert with_pieces((), _coverage(0.9, content=0.99, code=PIECE_WHOLE - 0.05), task, known=KNOWN) == ()


def test_a_plan_of_several_teams_gains_the_missing_team_in_its_place_and_keeps_its_waits() -> None:
    clauses = ["move the blog to blog.example.com with dns and ssl", "refresh the seo keywords on the top posts",
               "then rewrite the two oldest tutorials"]
    task = _task(clauses, "devops", {"seo keywords": {"marketing": 0.9}})
    rules = (PlanSegment("devops", clauses[0]), PlanSegment("content", clauses[2], follows=(0,)))
    out = with_pieces(rules, _coverage(0.9, devops=0.9, content=0.9, marketing=0.5), task, known=KNOWN)
    assert [s.team for s in out] == ["devops", "marketing", "content"]
    assert out[2].follows == (0,) and out[1].text == clauses[1]


def test_no_reader_or_a_founder_team_known_to_nobody_changes_nothing() -> None:
    task = TaskParts([Clause("a + b c d", "a + b c d", True)], lambda c: ClauseVerdict("code", 1.0, 0.9), "code")
    assert with_pieces((), _coverage(0.9, code=0.9), task, known=KNOWN) == ()


def test_context_and_material_ask_for_nothing() -> None:
    text = "Launch checklist a friend sent me: - make sure the servers can scale - have the devs fix the onboarding bugs"
    task = TaskParts([Clause(text, "Launch checklist a friend sent me:", False),
                      Clause("write our tagline for the launch", "write our tagline for the launch", True)],
                     lambda c: ClauseVerdict("marketing", 1.0, 0.9), "marketing", None,
                     lambda piece: _coverage(0.5, code=0.95) if "devs" in piece else _coverage(0.5, marketing=0.9))
    assert with_pieces((), _coverage(0.9, marketing=0.99, code=0.6), task, known=KNOWN) == ()


def test_a_joined_piece_takes_its_place_after_leaving_its_host_and_the_later_host_waits_for_it() -> None:
    first, second = "DB migration over the weekend of the 14th", "each customer who reported slow dashboards gets a reply"
    task = TaskParts([Clause(first, first, True), Clause(second, second, True, later=True)],
                     lambda c: ClauseVerdict("support", 1.0, 0.9), "support", None, None)
    host = [PlanSegment("support", f"{first}; {second}", 1.0)]
    out = joined(host, task, 0, first, False, "devops", 0.9)
    assert [(s.team, s.text) for s in out] == [("devops", first), ("support", second)]  # in the text's order
    assert out[0].follows == () and out[1].follows == (0,)  # "once it's finished, ...": the reply waits
    unordered = TaskParts([Clause(first, first, True), Clause(second, second, True)], task.classify, "support")
    assert joined(host, unordered, 0, first, False, "devops", 0.9)[1].follows == ()  # no word of order: side by side


def test_a_step_that_opens_on_the_work_before_it_waits_for_it() -> None:
    plan = (PlanSegment("marketing", "keyword research around applicant tracking"),
            PlanSegment("content", "Once we know which ones to target I want three blog posts"),
            PlanSegment("support", "using that summary rewrite the saved replies"),
            PlanSegment("sales", "a renewal proposal for Umbra"))
    assert [s.follows for s in said_later(plan)] == [(), (0,), (0, 1), ()]
    assert said_later(plan[:1]) == plan[:1]
    side = (plan[0], PlanSegment("content", "when customers ask about pricing, point them to the page"))
    assert said_later(side)[1].follows == ()  # a condition on what others do, not on the work before it
    # the text's word outweighs a wait the other way, and no step ever waits on itself
    crossed = (PlanSegment("marketing", "two headline variants for the signup page", follows=(1,)),
               PlanSegment("code", "Once we have them, build a 50/50 split on the page"))
    assert [s.follows for s in said_later(crossed)] == [(), (0,)]
    awaited = (PlanSegment("content", "Need the webhook docs rewritten for v3", follows=(1,)),
               PlanSegment("code", "once the devs have renamed the event types"))
    assert said_later(awaited) == awaited  # the condition alone is the work the docs wait for


def test_a_step_that_ends_on_a_condition_on_done_work_waits_for_the_steps_before_it() -> None:
    built = PlanSegment("code", "GPS mileage logging works in the mobile app")
    told = (built, PlanSegment("support", "the 9 customers on the waitlist told how to turn it on, once the doc exists"))
    assert said_later(told)[1].follows == (0,)
    assert said_later((built, PlanSegment("content", "help doc written after the UI is final")))[1].follows == (0,)
    # a time or an event in the past is no condition on the work before it
    past = (built, PlanSegment("support", "reply to the customers who wrote in after the outage"))
    assert said_later(past)[1].follows == ()
