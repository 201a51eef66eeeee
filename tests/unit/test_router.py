"""Behaviour of the built-in router (agents/routing/router.py): accuracy, confidence, learning, hard inputs."""

from __future__ import annotations

import dataclasses
import json
import time
import os
from pathlib import Path

import pytest

from agents.routing.router import (
    DEFAULT_CONFIDENT_THRESHOLD,
    MAX_ROUTE_CHARS,
    PlanSegment,
    RouteDecision,
    Router,
    RoutingExample,
    TeamProfile,
    TeamScore,
    builtin_team_profiles,
    load_builtin_examples,
)

REPO = Path(__file__).resolve().parents[2]
# The team's labelled dev set lives outside the repository; point BUREAU_DEV_SETS at its folder to use it.
DEV_SET = Path(os.environ.get("BUREAU_DEV_SETS", "/nonexistent")) / "routing_dev.jsonl"
OWN_HOLDOUT = REPO / "tests" / "data" / "routing_holdout_own.jsonl"
SIX = ("content", "code", "devops", "marketing", "sales", "support")


def _load(path: Path) -> list[tuple[str, str]]:
    rows = [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines() if line.strip()]
    return [(row["text"], row["team"]) for row in rows]


@pytest.fixture(scope="module")
def router() -> Router:
    return Router(builtin_team_profiles())


def _figures(router: Router, rows: list[tuple[str, str]]) -> tuple[float, float, float]:
    decisions = [(router.route(text), team) for text, team in rows]
    accuracy = sum(d.team == team for d, team in decisions) / len(decisions)
    confident = [d.team == team for d, team in decisions if d.confidence >= DEFAULT_CONFIDENT_THRESHOLD]
    return accuracy, sum(confident) / max(1, len(confident)), len(confident) / len(decisions)


# -- data and interface ---------------------------------------------------------------------


def test_builtin_profiles_are_the_six_charters() -> None:
    profiles = builtin_team_profiles()
    assert tuple(p.name for p in profiles) == SIX
    assert all(len(p.description) > 40 for p in profiles)
    assert "release notes" in profiles[0].description


def test_builtin_examples_cover_every_team_and_avoid_dev_lines() -> None:
    examples = load_builtin_examples()
    for team in SIX:
        assert sum(e.team == team for e in examples) >= 40
    assert {e.source for e in examples} == {"builtin"}
    if DEV_SET.exists():
        dev_texts = {text for text, _ in _load(DEV_SET)}
        assert not dev_texts & {e.text for e in examples}


def test_dataclasses_are_frozen(router: Router) -> None:
    decision = router.route("Write a blog post about remote work.")
    with pytest.raises(dataclasses.FrozenInstanceError):
        decision.team = "code"  # type: ignore[misc]
    with pytest.raises(dataclasses.FrozenInstanceError):
        TeamProfile("x", "y").name = "z"  # type: ignore[misc]
    assert 0.0 < DEFAULT_CONFIDENT_THRESHOLD < 1.0
    assert MAX_ROUTE_CHARS >= 1000


def test_needs_unique_teams() -> None:
    with pytest.raises(ValueError):
        Router([])
    with pytest.raises(ValueError):
        Router([TeamProfile("a", "x"), TeamProfile("a", "y")])


def test_scores_form_a_distribution(router: Router) -> None:
    decision = router.route("Set up a CI pipeline that builds the Docker image.")
    scores = [decision.confidence] + [alt.score for alt in decision.alternatives]
    assert decision.team == "devops"
    assert sum(scores) == pytest.approx(1.0)
    assert {alt.team for alt in decision.alternatives} | {decision.team} == set(SIX)
    assert decision.team not in {alt.team for alt in decision.alternatives}
    assert scores == sorted(scores, reverse=True)
    assert all(isinstance(alt, TeamScore) for alt in decision.alternatives)


# -- accuracy -----------------------------------------------------------------------------


@pytest.mark.skipif(not DEV_SET.exists(), reason="BUREAU_DEV_SETS is not set")
def test_dev_set_accuracy_and_confident_accuracy(router: Router) -> None:
    accuracy, confident_accuracy, coverage = _figures(router, _load(DEV_SET))
    assert accuracy >= 0.95
    assert confident_accuracy >= 0.98
    assert coverage >= 0.6


def test_own_holdout_accuracy_and_confident_accuracy(router: Router) -> None:
    accuracy, confident_accuracy, coverage = _figures(router, _load(OWN_HOLDOUT))
    assert accuracy >= 0.95
    assert confident_accuracy >= 0.98
    assert coverage >= 0.6


@pytest.mark.parametrize(
    ("text", "team"),
    [
        ("Write a blog post about our deploy process", "content"),
        ("Fix the bug that customers reported in the login form", "code"),
        ("Draft a press release for our launch", "marketing"),
        ("A customer wants a refund for last month", "support"),
        ("Write a Dockerfile for the worker", "devops"),
        ("Add unit tests for the importer", "code"),
        ("Respond to the RFP from Globex", "sales"),
        ("Prepare a quote for Initech for 30 seats", "sales"),
        ("Write the release notes for version 2.1", "content"),
        ("Write an announcement email to our whole list", "marketing"),
        ("Email the CTO at Acme about a pilot", "sales"),
        ("Reply to the customer whose export keeps failing", "support"),
    ],
)
def test_charter_boundaries(router: Router, text: str, team: str) -> None:
    decision = router.route(text)
    assert decision.team == team, decision.rationale
    assert not decision.segments


# -- rationale, determinism, latency ----------------------------------------------------------


def test_rationale_names_team_runner_up_and_deciding_words(router: Router) -> None:
    decision = router.route("Write a blog post comparing two note-taking apps.")
    assert decision.rationale.startswith("content:")
    assert '"blog post"' in decision.rationale
    assert f"runner-up {decision.alternatives[0].team}" in decision.rationale
    assert decision.rationale.endswith(".") and decision.rationale.count(". ") == 0


def test_deterministic(router: Router) -> None:
    text = "Plan the launch campaign and write the release notes."
    assert router.route(text) == router.route(text)
    assert Router(builtin_team_profiles()).route(text) == router.route(text)


def test_latency_typical_and_huge(router: Router) -> None:
    texts = [text for text, _ in _load(OWN_HOLDOUT)]
    timings = []
    for text in texts:
        start = time.perf_counter()
        router.route(text)
        timings.append(time.perf_counter() - start)
    timings.sort()
    assert timings[int(len(timings) * 0.95)] < 0.05
    # a 100 KB paste is read only as far as MAX_ROUTE_CHARS: the same decision as its head, and nowhere near the
    # cost of reading it all (about 0.7 s to split on this machine); bench/routing.py prints its time (about 45 ms
    # on an idle machine, the 50 ms target; a loaded machine or a full test process runs it slower)
    paste = ("Customer log line: request failed with timeout, retrying. " * 2000)[:100_000]
    assert router.route(paste) == router.route(paste[:MAX_ROUTE_CHARS])
    best = min(_timed(router, paste) for _ in range(3))
    assert best < 0.25


def _timed(router: Router, text: str) -> float:
    start = time.perf_counter()
    router.route(text)
    return time.perf_counter() - start


# -- hard inputs ------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "text",
    [
        "",
        "   \n\t  ",
        "asdf qwer zxcv",
        "Bitte erstellen Sie eine Zusammenfassung für die Geschäftsleitung bis Freitag.",
        "Por favor, prepara un resumen para la dirección antes del viernes.",
        "content code devops marketing sales support",
        "\x00\x07\x1b[31m\x7f hello \x9b",
        "🚀🔥💯 🎉✨",
        "lorem ipsum dolor sit amet " * 4000,
    ],
)
def test_no_signal_inputs_are_low_confidence(router: Router, text: str) -> None:
    decision = router.route(text)
    assert decision.team in SIX
    assert decision.confidence < DEFAULT_CONFIDENT_THRESHOLD
    assert decision.rationale


def test_task_mentioning_every_team_is_not_confident(router: Router) -> None:
    text = (
        "Write a blog post, fix the bug, deploy the server, run an ad campaign, "
        "send a proposal and refund the customer."
    )
    decision = router.route(text)
    assert decision.team in SIX
    assert decision.confidence < DEFAULT_CONFIDENT_THRESHOLD


def test_text_past_the_limit_is_ignored(router: Router) -> None:
    filler = "zzz " * (MAX_ROUTE_CHARS // 4 + 10)
    assert router.route(filler + "Write the release notes for v3").confidence < DEFAULT_CONFIDENT_THRESHOLD
    assert router.route("Write the release notes for v3 " + filler).team == "content"


def test_noise_around_a_real_task_keeps_the_task(router: Router) -> None:
    assert router.route("🚀 Write the release notes for v3 \x00\x01 🎉").team == "content"
    assert router.route(None).team in SIX  # type: ignore[arg-type]


# -- multi-team -------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "teams"),
    [
        (
            "Launch v2: write the release notes, deploy it to production and announce it on social media",
            ("content", "devops", "marketing"),
        ),
        ("Fix the login bug and deploy the fix to production.", ("code", "devops")),
        ("Fix the crash in the export code, then reply to the customers who reported it.", ("code", "support")),
        ("Deploy the new version; then email our whole list about it.", ("devops", "marketing")),
        ("Draft a proposal for Initech and write a blog post about the partnership.", ("sales", "content")),
    ],
)
def test_multi_team_segments_in_order(router: Router, text: str, teams: tuple[str, ...]) -> None:
    decision = router.route(text)
    assert decision.is_multi_team
    assert tuple(s.team for s in decision.segments) == teams
    assert all(isinstance(s, PlanSegment) and s.text for s in decision.segments)
    assert decision.team in teams


def test_launch_segments_carry_their_own_words(router: Router) -> None:
    decision = router.route(
        "Launch v2: write the release notes, deploy it to production and announce it on social media"
    )
    assert [s.text for s in decision.segments] == [
        "write the release notes",
        "deploy it to production",
        "announce it on social media",
    ]


@pytest.mark.parametrize(
    "text",
    [
        "Write a blog post about our deploy process",
        "Fix the bug that customers reported in the login form",
        "Refund the customer and apologise for the outage.",
        "Set up a weekly backup of the uploads and verify restores work.",
        "Write a thank-you and next-steps email after today's demo with Pied Piper.",
    ],
)
def test_single_team_tasks_are_not_split(router: Router, text: str) -> None:
    decision = router.route(text)
    assert decision.segments == ()
    assert not decision.is_multi_team


@pytest.mark.skipif(not DEV_SET.exists(), reason="BUREAU_DEV_SETS is not set")
def test_dev_lines_are_all_single_team(router: Router) -> None:
    split = [text for text, _ in _load(DEV_SET) if router.route(text).segments]
    assert split == []


# -- learning ---------------------------------------------------------------------------------


def test_correction_wins_for_similar_phrasings(router: Router) -> None:
    original = "Write the quarterly investor update letter"
    assert router.route(original).team != "sales"
    corrected = router.with_examples([RoutingExample(original, "sales", "correction")])
    decision = corrected.route("Write the quarterly investor update letter for March")
    assert decision.team == "sales"
    assert decision.confidence >= DEFAULT_CONFIDENT_THRESHOLD
    assert "reassigned" in decision.rationale
    assert router.route(original).team != "sales"  # the original router is unchanged


def test_correction_does_not_wreck_unrelated_routing(router: Router) -> None:
    corrected = router.with_examples(
        [RoutingExample("Write the quarterly investor update letter", "sales", "correction")]
    )
    assert corrected.route("Write a blog post about our new offline mode").team == "content"
    assert corrected.route("Write unit tests for the invoice module").team == "code"
    if DEV_SET.exists():
        accuracy, _, _ = _figures(corrected, _load(DEV_SET))
        assert accuracy >= 0.95


def test_correction_outweighs_lexicon_for_near_duplicates(router: Router) -> None:
    text = "Write a blog post announcing the partnership with Acme"
    corrected = router.with_examples([RoutingExample(text, "marketing", "correction")])
    assert corrected.route(text + " today").team == "marketing"


def test_founder_team_routable_from_description_and_keywords() -> None:
    legal = TeamProfile(
        "legal",
        "Contracts review, NDAs, terms of service, privacy policy and regulatory compliance.",
        keywords=("trademark", "GDPR compliance"),
    )
    router = Router(builtin_team_profiles() + (legal,))
    assert router.route("Review the NDA our new supplier sent").team == "legal"
    assert router.route("Register a trademark for the product name").team == "legal"
    assert router.route("Update the privacy policy for the new analytics").team == "legal"
    assert router.route("Write a blog post about our new feature").team == "content"


def test_founder_team_routable_from_examples() -> None:
    research = TeamProfile("research", "Deep research reports for the founder.")
    examples = [
        RoutingExample("Compare three accounting packages for our own bookkeeping", "research", "founder"),
        RoutingExample("Compare the office chairs we could buy for the team", "research", "founder"),
        RoutingExample("Compare health insurance options for our two employees", "research", "founder"),
    ]
    router = Router(builtin_team_profiles() + (research,), examples=examples)
    assert router.route("Compare accounting packages for our bookkeeping").team == "research"


def test_founder_keywords_extend_a_builtin_team() -> None:
    plain = Router(builtin_team_profiles())
    assert plain.route("Organise the quarterly hackathon").team != "code"
    profiles = tuple(
        TeamProfile(p.name, p.description, ("hackathon",)) if p.name == "code" else p for p in builtin_team_profiles()
    )
    assert Router(profiles).route("Organise the quarterly hackathon").team == "code"


def test_never_invents_a_team() -> None:
    teams = [p for p in builtin_team_profiles() if p.name in ("content", "code")]
    router = Router(teams)
    for text in ("Refund the customer", "Deploy to Kubernetes", "", "Run a Facebook ad campaign"):
        decision = router.route(text)
        assert decision.team in ("content", "code")
        assert {a.team for a in decision.alternatives} <= {"content", "code"}


def test_examples_for_unknown_teams_are_ignored() -> None:
    router = Router(builtin_team_profiles(), examples=[RoutingExample("Water the plants", "gardening", "founder")])
    assert router.route("Water the plants").team in SIX


def test_route_decision_is_multi_team_property() -> None:
    single = RouteDecision("code", 0.9, "code: x.", (TeamScore("devops", 0.1),))
    multi = dataclasses.replace(single, segments=(PlanSegment("code", "a"), PlanSegment("devops", "b")))
    assert not single.is_multi_team
    assert multi.is_multi_team
