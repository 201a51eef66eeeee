"""`bureau kb add PATH|list|remove ID|search QUERY|reindex`: the founder's knowledge base."""

from __future__ import annotations

import argparse
import sys
from typing import TYPE_CHECKING, Any

from app.cli.common import Handler, add_command, out

if TYPE_CHECKING:
    from app.company import Company
    from app.knowledge.index import IndexReport


def register(sub: Any) -> dict[str, Handler]:
    top = add_command(sub, "kb", "The knowledge base the teams answer from: your Markdown, text, HTML and PDF "
                      "files, indexed by section.")
    family = top.add_subparsers(dest="kb_command", metavar="ACTION", required=True)
    add_command(family, "add", "Add a file or folder and index it (again: re-index what changed).") \
        .add_argument("path")
    add_command(family, "list", "List the files and folders in the knowledge base.")
    add_command(family, "remove", "Remove a file or folder (by id or path) and its sections.").add_argument("source")
    add_command(family, "reindex", "Re-index every source (only files that changed are read again).")
    p = add_command(family, "search", "Search the knowledge base (BM25 over sections).")
    p.add_argument("query")
    p.add_argument("--limit", type=int, default=5, metavar="N")
    return {"kb": cmd_kb}


def cmd_kb(company: Company, args: argparse.Namespace) -> int:
    kb = company.knowledge
    action = args.kb_command
    quiet = getattr(args, "json", False) or not sys.stderr.isatty()
    progress = None if quiet else _progress
    if action == "add":
        report = kb.add(args.path, progress=progress)
        return _report(args, [report])
    if action == "reindex":
        return _report(args, kb.reindex_all(progress=progress))
    if action == "remove":
        info = kb.remove(args.source)
        return out(args, {**info.to_json(), "removed": True},
                   f"Removed {info.path} ({info.sections} sections) from the knowledge base.")
    if action == "search":
        from app.core.errors import InvalidInput

        if not 1 <= args.limit <= 50:
            raise InvalidInput(f"--limit {args.limit} is out of range.", fix="Give a number from 1 to 50.")
        hits = kb.search(args.query, limit=args.limit)
        text = "\n".join(f"{h.citation}\n    {' '.join(h.snippet.split())}" for h in hits) or \
            "Nothing found. Add your documents with `bureau kb add FOLDER`."
        return out(args, [h.to_json() for h in hits], text)
    sources = kb.sources()
    if getattr(args, "json", False):
        return out(args, [s.to_json() for s in sources], "")
    for s in sources:
        state = f"  ({s.errors} file(s) with problems)" if s.errors else ""
        print(f"{s.id:>4}  {s.kind:<6} {s.files:>6} files {s.sections:>7} sections  {s.path}{state}"
              + (f"\n      {s.error}" if s.error else ""))
    if not sources:
        print("The knowledge base is empty. Add a folder: bureau kb add ~/Documents/product")
    return 0


def _progress(done: int, total: int, path: str) -> None:
    if done == total or done % 200 == 0:
        print(f"\r  indexed {done:,} of {total:,} files", end="\n" if done == total else "", file=sys.stderr)


def _report(args: argparse.Namespace, reports: list[IndexReport]) -> int:
    lines = []
    for r in reports:
        lines.append(f"{r.path}: {r.files_seen} file(s), {r.indexed} indexed ({r.sections} sections), "
                     f"{r.unchanged} unchanged, {r.removed} removed" + (f", {r.skipped} of other kinds skipped"
                                                                        if r.skipped else "") + f" in {r.seconds:.2f} s")
        lines += [f"  problem: {f}: {e}" for f, e in r.errors]
    data: Any = reports[0].to_json() if len(reports) == 1 and args.kb_command == "add" else [r.to_json() for r in reports]
    return out(args, data, "\n".join(lines) or "Nothing to index.")
