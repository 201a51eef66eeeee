"""The labelled one-team task sets as routing examples: write them for the router, and measure what they add.

Usage: python bench/examples.py [--write] [--hold N | --sets LOW-HIGH]
The one-team sets in tests/data (routing_*_own.jsonl, traps_*_own.jsonl: {"text", "team"}) become
resources/routing/labelled_examples.jsonl, which the router's neighbour vote reads when it picks a whole
task's team (the steps of a plan are read without them, as the clause reader was trained). Without
``--write`` it prints one-team routing accuracy on the newest N numbered sets (default 18) held out: with the
labelled examples of all the other sets, and without any.
"""

from __future__ import annotations

import argparse
import json
import re
import sys
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO))

from agents.routing.router import Router, RoutingExample, builtin_team_profiles  # noqa: E402

DATA = REPO / "tests" / "data"
OUT = REPO / "resources" / "routing" / "labelled_examples.jsonl"


def one_team_files() -> list[Path]:
    return sorted(DATA.glob("routing_*_own.jsonl")) + sorted(DATA.glob("traps_*_own.jsonl"))


def rows(path: Path) -> list[dict[str, str]]:
    return [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines() if line.strip()]


def set_number(path: Path) -> int | None:
    found = re.search(r"holdout(\d+)", path.name)
    return int(found.group(1)) if found else None


def write() -> int:
    seen: set[str] = set()
    lines: list[str] = []
    for path in one_team_files():
        for row in rows(path):
            key = " ".join(row["text"].split()).casefold()
            if key not in seen:
                seen.add(key)
                lines.append(json.dumps({"text": row["text"], "team": row["team"]}, ensure_ascii=False))
    OUT.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return len(lines)


def measure(hold: int, span: str = "") -> None:
    numbered = sorted({n for p in one_team_files() if (n := set_number(p)) is not None})
    low, _, high = span.partition("-")
    held_sets = {n for n in numbered if int(low) <= n <= int(high)} if span else set(numbered[-hold:])
    held = [r for p in one_team_files() if set_number(p) in held_sets for r in rows(p)]
    others = [RoutingExample(r["text"], r["team"], "builtin") for p in one_team_files()
              if set_number(p) not in held_sets for r in rows(p)]
    print(f"held out: sets {min(held_sets)}-{max(held_sets)}, {len(held)} one-team tasks; "
          f"labelled examples from the other sets: {len(others)}")
    profiles = builtin_team_profiles()
    for name, labelled in (("without labelled examples", False), ("with the other sets' examples", others)):
        router = Router(profiles, labelled=labelled)
        decisions = [(router.route(r["text"]), r["team"]) for r in held]
        right = sum(d.team == team for d, team in decisions)
        sure = [d.team == team for d, team in decisions if d.confidence >= 0.8]
        print(f"{name:32} accuracy {right}/{len(held)} {right / len(held):.1%}   "
              f"confident (>= 0.8) {sum(sure)}/{len(sure)} {sum(sure) / max(1, len(sure)):.1%}")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--write", action="store_true", help="write resources/routing/labelled_examples.jsonl")
    parser.add_argument("--hold", type=int, default=18, help="how many of the newest numbered sets to hold out")
    parser.add_argument("--sets", default="", help="hold out these numbered sets instead, e.g. 22-51")
    args = parser.parse_args()
    if args.write:
        print(f"wrote {OUT.relative_to(REPO)}: {write()} one-team tasks")
    else:
        measure(args.hold, args.sets)


if __name__ == "__main__":
    main()
