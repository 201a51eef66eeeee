"""Routing benchmark: accuracy, confident accuracy, coverage, latency and a confusion matrix.

Usage: python bench/routing.py FILE.jsonl [FILE.jsonl ...] [--cli] [--threshold X] [--errors]
A one-team FILE holds {"text", "team"} per line: routing figures, plus how many tasks got a plan for
several teams (false plans). A plans FILE holds {"text", "teams", "before", "also_ok"} per line: exact
team-set accuracy, stated-order accuracy and route+plan latency (see bench/plans.py).
Without --cli the router runs in-process; with --cli it runs `bureau route --file FILE --json`.
"""

from __future__ import annotations

import argparse
import json
import shutil
import statistics
import subprocess
import sys
import time
from dataclasses import dataclass
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO))
sys.path.insert(0, str(Path(__file__).resolve().parent))

from plans import false_plans, is_plans_file, load_cases, plans_report, score_plans  # noqa: E402


@dataclass(frozen=True)
class Labelled:
    text: str
    team: str


@dataclass(frozen=True)
class Outcome:
    text: str
    expected: str
    team: str
    confidence: float
    ms: float
    multi_team: bool = False


def load_labelled(path: Path) -> list[Labelled]:
    rows = [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines() if line.strip()]
    return [Labelled(row["text"], row["team"]) for row in rows]


def run_in_process(items: list[Labelled]) -> list[Outcome]:
    from agents.routing.router import Router, builtin_team_profiles

    router = Router(builtin_team_profiles())
    router.route("warm up")
    outcomes = []
    for item in items:
        start = time.perf_counter()
        decision = router.route(item.text)
        ms = (time.perf_counter() - start) * 1000
        outcomes.append(Outcome(item.text, item.team, decision.team, decision.confidence, ms, decision.is_multi_team))
    return outcomes


def _bureau_command() -> str:
    """`bureau` from PATH, else the one installed beside this Python."""
    found = shutil.which("bureau")
    beside = Path(sys.executable).parent / "bureau"
    return found or (str(beside) if beside.exists() else "bureau")


def run_cli(items: list[Labelled], path: Path) -> list[Outcome]:
    proc = subprocess.run(
        [_bureau_command(), "route", "--file", str(path), "--json"], capture_output=True, text=True, check=True
    )
    expected = {item.text: item.team for item in items}
    outcomes = []
    for line in proc.stdout.splitlines():
        if not line.strip():
            continue
        row = json.loads(line)
        outcomes.append(
            Outcome(
                row["text"],
                expected.get(row["text"], "?"),
                row["team"],
                float(row["confidence"]),
                float(row.get("ms", 0.0)),
                len(row.get("segments") or row.get("plan") or ()) >= 2,
            )
        )
    return outcomes


def percentile(values: list[float], q: float) -> float:
    if len(values) < 2:
        return values[0] if values else 0.0
    return statistics.quantiles(values, n=100, method="inclusive")[int(q) - 1]


def confusion(outcomes: list[Outcome]) -> str:
    teams = sorted({o.expected for o in outcomes} | {o.team for o in outcomes})
    width = max(len(t) for t in teams) + 2
    lines = ["expected \\ routed".ljust(18) + "".join(t[:9].rjust(width) for t in teams)]
    for row in teams:
        counts = [sum(1 for o in outcomes if o.expected == row and o.team == col) for col in teams]
        lines.append(row.ljust(18) + "".join(str(c).rjust(width) for c in counts))
    return "\n".join(lines)


def report(outcomes: list[Outcome], threshold: float, show_errors: bool) -> str:
    n = len(outcomes)
    right = sum(o.team == o.expected for o in outcomes)
    confident = [o for o in outcomes if o.confidence >= threshold]
    conf_right = sum(o.team == o.expected for o in confident)
    ms = [o.ms for o in outcomes]
    conf_line = (
        f"{conf_right / len(confident):.1%} ({conf_right}/{len(confident)}) at threshold {threshold}"
        if confident
        else f"n/a (none at threshold {threshold})"
    )
    lines = [
        f"tasks:               {n}",
        f"accuracy:            {right / n:.1%} ({right}/{n})",
        f"confident accuracy:  {conf_line}",
        f"coverage:            {len(confident) / n:.1%}",
        f"latency ms:          p50 {percentile(ms, 50):.2f}  p95 {percentile(ms, 95):.2f}  max {max(ms):.2f}",
        f"multi-team splits:   {sum(o.multi_team for o in outcomes)}",
        "",
        confusion(outcomes),
    ]
    if show_errors:
        lines.append("")
        lines.extend(
            f"  {'CONF ' if o.confidence >= threshold else '     '}{o.confidence:.2f} {o.expected}->{o.team}: {o.text}"
            for o in outcomes
            if o.team != o.expected
        )
    return "\n".join(lines)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("files", nargs="+", type=Path, metavar="FILE")
    parser.add_argument("--cli", action="store_true", help="run `bureau route --file FILE --json`")
    parser.add_argument("--threshold", type=float, default=None, help="confidence threshold (default: the router's)")
    parser.add_argument("--errors", action="store_true", help="list the misrouted tasks")
    args = parser.parse_args(argv)
    from agents.ceo import triage
    from agents.routing.router import DEFAULT_CONFIDENT_THRESHOLD, Router, builtin_team_profiles

    if args.threshold is None:
        args.threshold = DEFAULT_CONFIDENT_THRESHOLD
    router = Router(builtin_team_profiles())
    plan = lambda text: triage(router, text)  # noqa: E731
    plan("warm up")
    one_team = false_total = 0
    for path in args.files:
        print(f"file: {path}")
        if is_plans_file(path):
            print(plans_report(score_plans(plan, load_cases(path), show_errors=args.errors), percentile))
            print()
            continue
        items = load_labelled(path)
        outcomes = run_cli(items, path) if args.cli else run_in_process(items)
        print(report(outcomes, args.threshold, args.errors))
        count, ms, cases = false_plans(plan, [i.text for i in items], show_errors=args.errors)
        one_team += len(items)
        false_total += count
        print(f"false plans:         {count}/{len(items)} one-team tasks planned for several teams")
        print(f"route+plan ms:       p50 {percentile(ms, 50):.2f}  p95 {percentile(ms, 95):.2f}")
        print("\n".join(cases))
        print()
    if one_team:
        print(f"false plans, all one-team files: {false_total}/{one_team}")
    paste = ("Customer log line: request failed with timeout, retrying. " * 2000)[:100_000]
    times = []
    for _ in range(5):
        start = time.perf_counter()
        plan(paste)
        times.append((time.perf_counter() - start) * 1000)
    print(f"a 100 KB paste, route+plan ms: best {min(times):.1f}  median {statistics.median(times):.1f} (target 50)")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
