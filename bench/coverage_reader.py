"""Train the coverage reader (which teams a whole task asks for) and measure it with whole sets held out.

Usage: python bench/coverage_reader.py [FILE.jsonl ...] [--write] [--folds K] [--c C] [--no-cv] [--plans]
FILEs default to the labelled sets in tests/data (plans files give multi-team tasks, one-team files tasks
that must stay one team's). The sets are held out K folds at a time (a set is never split across folds),
the reader learns from the others, and the held-out tasks are read alone (the exact team set, false
plans on one-team tasks); ``--plans`` also runs the planner with that reader mending its plans, beside the
planner without it. ``--write`` trains on everything and writes resources/routing/coverage.json.
scikit-learn (only needed here) fits the weights.
"""

from __future__ import annotations

import argparse
import json
import sys
from collections import Counter
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO))
sys.path.insert(0, str(Path(__file__).resolve().parent))

from agents.routing.coverage import MULTI, CoverageReader, coverage_features  # noqa: E402
from agents.routing.router import Router, builtin_team_profiles  # noqa: E402
from clause_reader import Figures, Task, figures, load  # noqa: E402

OUT = REPO / "resources" / "routing" / "coverage.json"
DEFAULT_C = 1.0
TEAMS = ("code", "content", "devops", "marketing", "sales", "support")
_PRUNE = 1e-3  # weights smaller than this are left out of the shipped file
_MIN_COUNT = 2  # a feature seen in fewer tasks says nothing general


def fit(tasks: list[Task], c: float) -> CoverageReader:
    """One logistic regression per team and one for "several teams", over the tasks' features."""
    from sklearn.feature_extraction import DictVectorizer
    from sklearn.linear_model import LogisticRegression
    from threadpoolctl import threadpool_limits

    rows = [coverage_features(t.text) for t in tasks]
    counts: Counter[str] = Counter(name for row in rows for name in row)
    rows = [{name: value for name, value in row.items() if counts[name] >= _MIN_COUNT} for row in rows]
    vectorizer = DictVectorizer()
    matrix = vectorizer.fit_transform(rows)
    classes = (*TEAMS, MULTI)
    coefs, intercept = [], []
    with threadpool_limits(limits=1):  # one thread: the same sets give the same weights, byte for byte
        for name in classes:
            target = [len(t.teams) > 1 if name == MULTI else name in t.teams for t in tasks]
            model = LogisticRegression(C=c, max_iter=5000).fit(matrix, target)
            coefs.append(model.coef_[0])
            intercept.append(round(float(model.intercept_[0]), 5))
    weights = {}
    for j, feature in enumerate(vectorizer.get_feature_names_out()):
        row = tuple(round(float(coef[j]), 4) for coef in coefs)
        if max(abs(w) for w in row) >= _PRUNE:
            weights[str(feature)] = row
    return CoverageReader(classes, tuple(intercept), weights)


def alone(tasks: list[Task], reader: CoverageReader) -> str:
    """The reader's own figures: the exact team set (the teams at 0.5 or more, else its likeliest team)."""
    exact = multi = false = ones = 0
    for task in tasks:
        read = reader.read(task.text)
        got = {t for t, p in read.teams.items() if p >= 0.5} or {max(read.teams, key=read.teams.__getitem__)}
        if len(task.teams) > 1:
            multi += 1
            exact += got == task.teams
        else:
            ones += 1
            false += len(got) > 1
    return f"exact {exact}/{multi} ({exact / max(multi, 1):.1%}), false plans {false}/{ones}"


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("files", nargs="*", type=Path)
    parser.add_argument("--write", action="store_true", help=f"train on everything and write {OUT.relative_to(REPO)}")
    parser.add_argument("--c", type=float, default=DEFAULT_C, help="inverse regularisation strength")
    parser.add_argument("--folds", type=int, default=10, help="held-out folds of whole sets")
    parser.add_argument("--no-cv", action="store_true", help="skip the held-out figures")
    parser.add_argument("--plans", action="store_true", help="also run the planner with and without the mending")
    args = parser.parse_args(argv)
    paths = args.files or sorted((REPO / "tests" / "data").glob("*_own.jsonl"))
    tasks = load(paths)
    print(f"{len(tasks)} tasks from {len(paths)} files")
    if not args.no_cv:
        groups = sorted({t.group for t in tasks})
        profiles = builtin_team_profiles()
        mended, plain = Figures(), Figures()
        for k in range(args.folds):
            fold = set(groups[k::args.folds])
            held = [t for t in tasks if t.group in fold]
            reader = fit([t for t in tasks if t.group not in fold], args.c)
            line = f"fold {k + 1:>2} ({len(fold)} sets): alone {alone(held, reader)}"
            if args.plans:
                with_it = figures(held, Router(profiles, coverage=reader))
                without = figures(held, Router(profiles, coverage=False))
                mended.add(with_it)
                plain.add(without)
                line += f"\n   mended: {with_it}\n  planner: {without}"
            print(line, flush=True)
        if args.plans:
            print(f"ALL held out  mended: {mended}\n             planner: {plain}")
    if args.write:
        reader = fit(tasks, args.c)
        OUT.write_text(json.dumps(reader.to_json(), separators=(",", ":")) + "\n", encoding="utf-8")
        print(f"wrote {OUT.relative_to(REPO)}: {len(reader.weights)} features x {len(reader.classes)} classes, "
              f"{OUT.stat().st_size / 1024:.0f} KiB")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
