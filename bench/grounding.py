"""Grounded work: citations and figures of support and sales drafts, and the knowledge base's speed.

    python bench/grounding.py                 # both parts; the drafts on the embedded model (a few minutes)
    python bench/grounding.py --index-only    # only indexing 10,000 sections and search latency
    python bench/grounding.py --tasks 4 --rounds 0

Drafts: the tasks in bench/grounding_tasks.jsonl run on the configured (default: embedded) model
with the knowledge folder bench/grounding_kb/ and a small company profile. For each task's final
draft it prints whether every citation names an existing section, whether every price, date and
figure is supported by the cited text or the profile (the review's own check), and whether it
cites the document the task needs. Index: time to index 10,000 sections (500 Markdown files of
20 sections), then search p50/p95 over 300 queries.
"""

from __future__ import annotations

import argparse
import json
import random
import statistics
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

TASKS = ROOT / "bench" / "grounding_tasks.jsonl"
KB = ROOT / "bench" / "grounding_kb"
WORDS = ("invoice plan export backup team workspace refund storage seat sync offline editor tag folder share "
         "search import calendar reminder template archive mobile desktop browser login password security "
         "privacy billing upgrade downgrade trial notes markdown pdf attachment comment mention").split()


def drafts(args: argparse.Namespace) -> None:
    from agents.grounding import citations
    from app.company import Company
    from app.tasks.service import NewTask

    tasks = [json.loads(line) for line in TASKS.read_text().splitlines() if line.strip()][: args.tasks]
    with tempfile.TemporaryDirectory() as tmp:
        company = Company.open(Path(tmp))
        try:
            company.update_settings(budgets={"max_rework_rounds": args.rounds})
            company.knowledge.add(KB)
            company.profile.set("product_name", "Acme Notes")
            company.profile.set("plans", "Starter: $9 a month; Pro: $29 a month")
            company.profile.set("sender_name", "Sam from Acme Notes")
            ids = [company.tasks.submit(NewTask(text=t["text"], team=t["team"])).id for t in tasks]
            started = time.perf_counter()
            company.engine().run_until_idle(max_wait=3600)
            seconds = time.perf_counter() - started
            rows = []
            for task, task_id in zip(tasks, ids):
                detail = company.tasks.detail(task_id)
                work = [s for s in detail.steps if s.kind == "work" and s.status == "done"]
                output = work[-1].output if work else ""
                problems = company.grounding.problems(task_id=task_id, journal_key=work[-1].key, output=output,
                                                      task_text=task["text"]) if work else ["no draft"]
                cited = citations(output)
                rows.append({"task": task_id, "team": task["team"], "status": detail.task.status,
                             "rounds": detail.task.round, "citations": len(cited),
                             "citations_exist": not any("citation" in p for p in problems),
                             "figures_supported": not any(("figure" in p or "claim" in p) for p in problems),
                             "cites_expected": any(c.source == task["expect"] for c in cited),
                             "drafts": len(company.outbound.list(task_id=task_id)), "problems": problems})
        finally:
            company.close()
    n = len(rows)
    ok = sum(r["citations_exist"] and r["figures_supported"] for r in rows)
    for r in rows:
        print(f"  task {r['task']} {r['team']:<8} {r['status']:<15} rounds={r['rounds']} citations={r['citations']} "
              f"exist={r['citations_exist']} figures={r['figures_supported']} expected_doc={r['cites_expected']}"
              + (f"\n      {' | '.join(r['problems'])[:300]}" if r["problems"] else ""))
    print(f"drafts: {n} tasks in {seconds:.0f} s; all citations exist and all figures supported: {ok}/{n} "
          f"({ok / n:.0%}); with at least one citation: {sum(r['citations'] > 0 for r in rows)}/{n}; citing the "
          f"needed document: {sum(r['cites_expected'] for r in rows)}/{n}; outbound drafts kept: "
          f"{sum(r['drafts'] for r in rows)}")


def index(args: argparse.Namespace) -> None:
    from app.company import Company

    rng = random.Random(7)
    # A vocabulary shaped like prose (Zipf: a few words very common, most rare); --worst-case uses only
    # the 40 common words, so that every query matches nearly every section.
    vocab = list(WORDS) if args.worst_case else list(WORDS) + [
        "".join(rng.choice("abcdefghijklmnoprstuvwy") for _ in range(rng.randint(4, 10))) for _ in range(4000)]
    weights = [1.0 / (rank + 1) for rank in range(len(vocab))]

    def words(k: int) -> str:
        return " ".join(rng.choices(vocab, weights, k=k))

    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp) / "docs"
        folder.mkdir()
        for f in range(500):
            parts = [f"# Document {f}\n"]
            for s in range(20):
                body = words(rng.randint(40, 120))
                parts.append(f"## {words(2).title()} {f}-{s}\n\n{body}\n")
            (folder / f"doc{f:03}.md").write_text("\n".join(parts))
        company = Company.open(Path(tmp) / "home")
        try:
            started = time.perf_counter()
            report = company.knowledge.add(folder)
            indexing = time.perf_counter() - started
            started = time.perf_counter()
            again = company.knowledge.add(folder)
            unchanged = time.perf_counter() - started
            times = []
            for _ in range(300):
                query = words(rng.randint(1, 6))
                t0 = time.perf_counter()
                company.knowledge.search(query, limit=5)
                times.append((time.perf_counter() - t0) * 1000)
        finally:
            company.close()
    times.sort()
    p95 = times[int(len(times) * 0.95) - 1]
    print(f"index: {report.sections:,} sections from "
          f"{report.indexed} files in {indexing:.2f} s; re-index with nothing changed {unchanged:.2f} s "
          f"({again.unchanged} unchanged)")
    print(f"search over {report.sections:,} sections{' (worst case)' if args.worst_case else ''}: p50 {statistics.median(times):.2f} ms, p95 {p95:.2f} ms, "
          f"max {times[-1]:.2f} ms")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--index-only", action="store_true")
    parser.add_argument("--tasks", type=int, default=8)
    parser.add_argument("--worst-case", action="store_true", help="index: 40 words only (every query matches all)")
    parser.add_argument("--rounds", type=int, default=1, help="rework rounds per task (default 1)")
    args = parser.parse_args()
    index(args)
    if not args.index_only:
        drafts(args)


if __name__ == "__main__":
    main()
