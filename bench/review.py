"""How right is the CEO's review? Labelled (task, output, verdict) cases, judged the engine's way.

    python bench/review.py                        # bench/review_cases.jsonl and bench/review_holdout.jsonl
    python bench/review.py FILE [FILE ...] [--with-model] [--home DIR] [-v]

Prints, per file and per kind: the share judged right, false passes (bad work passed, as a share of
the bad cases) and false reworks (good work sent back, as a share of the good cases). By default the
review runs on the checks alone; ``--with-model`` also asks the CEO's configured model, which first
has to pass its calibration (its result is stored in the data folder, as in the app).
"""

from __future__ import annotations

import argparse
import json
import sys
import tempfile
from collections import defaultdict
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

DEFAULT_FILES = (ROOT / "bench" / "review_cases.jsonl", ROOT / "bench" / "review_holdout.jsonl")


def load(path: Path) -> list[dict[str, str]]:
    return [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines() if line.strip()]


def judge(cases: list[dict[str, str]], *, company: object | None) -> list[tuple[dict[str, str], str, str]]:
    from agents.backends.base import ChatOptions
    from agents.review import review_work
    from teams import TEAMS

    results = []
    for case in cases:
        if company is not None:
            from app.engine.review import review_once

            c = company
            review = review_once(home=c.home, settings=c.settings, teams=c.teams,  # type: ignore[attr-defined]
                                 backend_for=c.models.backend_for,  # type: ignore[attr-defined]
                                 team=case["team"], task_text=case["task"], output=case["output"],
                                 note=case.get("note"), previous_output=case.get("previous"))
        else:
            review = review_work(team=TEAMS[case["team"]], task_text=case["task"], output=case["output"],
                                 backend=None, options=ChatOptions(), note=case.get("note"),
                                 previous_output=case.get("previous"))
        results.append((case, review.verdict, review.notes))
    return results


def report(name: str, results: list[tuple[dict[str, str], str, str]], *, verbose: bool) -> dict[str, float]:
    per: dict[str, list[int]] = defaultdict(lambda: [0, 0, 0, 0, 0])  # n, right, bad, false passes, false reworks
    for case, verdict, _ in results:
        for key in (case["kind"], "ALL"):
            row = per[key]
            row[0] += 1
            row[1] += verdict == case["verdict"]
            row[2] += case["verdict"] == "rework"
            row[3] += case["verdict"] == "rework" and verdict == "pass"
            row[4] += case["verdict"] == "pass" and verdict == "rework"
    print(f"\n{name}")
    print(f"  {'kind':<20} {'cases':>5} {'right':>7} {'false passes':>13} {'false reworks':>14}")
    for kind in sorted(per, key=lambda k: (k == "ALL", k)):
        n, right, bad, fp, fr = per[kind]
        good = n - bad
        print(f"  {kind:<20} {n:>5} {right / n:>7.0%} {f'{fp}/{bad}':>13} {f'{fr}/{good}':>14}")
    if verbose:
        for case, verdict, notes in results:
            if verdict != case["verdict"]:
                print(f"  MISS [{case['kind']}] expected {case['verdict']}, got {verdict}: {case['task'][:60]!r}"
                      f" ({case.get('why', '')}) -> {notes[:160]}")
    n, right, bad, fp, fr = per["ALL"]
    return {"right": right / n, "false_pass_rate": fp / max(1, bad), "false_rework_rate": fr / max(1, n - bad)}


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("files", nargs="*", type=Path, default=list(DEFAULT_FILES))
    parser.add_argument("--with-model", action="store_true", help="also ask the CEO's model if its calibration allows")
    parser.add_argument("--home", type=Path, help="data folder for --with-model (default: a temporary one)")
    parser.add_argument("-v", "--verbose", action="store_true", help="list the cases judged wrong")
    args = parser.parse_args()
    company = None
    if args.with_model:
        from app.company import Company

        company = Company.open(args.home or tempfile.mkdtemp(prefix="bureau-review-bench-"))
    try:
        for path in args.files:
            report(path.name, judge(load(path), company=company), verbose=args.verbose)
        if company is not None:
            from app.llm.calibration import stored

            name = company.models.backend_for("ceo").name
            found = stored(company.home, name)
            print(f"\nCEO model: {found.summary if found else name + ' (not calibrated)'}")
    finally:
        if company is not None:
            company.close()
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
