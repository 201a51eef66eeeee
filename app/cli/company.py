"""`bureau company show|set FIELD VALUE|edit --file FILE`: the founder's company profile."""

from __future__ import annotations

import argparse
from pathlib import Path
from typing import TYPE_CHECKING, Any

from app.cli.common import Handler, add_command, out

if TYPE_CHECKING:
    from app.company import Company


def register(sub: Any) -> dict[str, Handler]:
    top = add_command(sub, "company", "The company profile every team works from: product, pitch, audience, "
                      "voice, prices and plans, policies, links, sender name and signature.")
    family = top.add_subparsers(dest="company_command", metavar="ACTION", required=True)
    add_command(family, "show", "Show the company profile.")
    p = add_command(family, "set", "Set one field (an empty VALUE clears it). Fields: product_name, pitch, "
                    "audience, voice, plans, policies.refunds, policies.data, policies.support_hours, links, "
                    "links.LABEL, sender_name, signature.")
    p.add_argument("field")
    p.add_argument("value")
    p = add_command(family, "edit", "Replace the whole profile with a JSON file (as `company show --json` prints).")
    p.add_argument("--file", required=True, type=Path)
    return {"company": cmd_company}


def cmd_company(company: Company, args: argparse.Namespace) -> int:
    from app.knowledge.profile import FIELDS, field_text

    store = company.profile
    if args.company_command == "set":
        profile = store.set(args.field, args.value)
    elif args.company_command == "edit":
        profile = store.load_file(args.file)
    else:
        profile = store()
    lines = [f"{label:<18} {field_text(profile, name) or '-'}" for name, label in FIELDS.items()]
    if profile.empty:
        lines.append('\nNothing set yet. Start with: bureau company set product_name "Acme Notes"')
    return out(args, profile.model_dump(mode="json"), "\n".join(lines))
