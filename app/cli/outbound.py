"""`bureau outbound list|approve|edit|discard|send|smtp|mailto`: drafts held for the founder's approval."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path
from typing import TYPE_CHECKING, Any

from app.cli.common import Handler, add_command, out

if TYPE_CHECKING:
    from app.company import Company
    from app.knowledge.outbound import Draft


def register(sub: Any) -> dict[str, Handler]:
    top = add_command(sub, "outbound", "Emails, replies and posts the teams drafted: nothing leaves without your "
                      "approval of that exact text.")
    family = top.add_subparsers(dest="outbound_command", metavar="ACTION", required=True)
    add_command(family, "list", "List the drafts.").add_argument(
        "--status", choices=("draft", "approved", "sending", "sent", "failed", "discarded"))
    for name, help_ in (("approve", "Approve a draft exactly as it reads now."),
                        ("discard", "Discard a draft (it is never sent)."),
                        ("send", "Send an approved draft (mailto: prints the link for your mail client)."),
                        ("show", "Show one draft.")):
        add_command(family, name, help_).add_argument("id", type=int)
    p = add_command(family, "edit", "Replace a draft with your text (optional 'To:' and 'Subject:' lines, a blank "
                    "line, the body); resets its approval.")
    p.add_argument("id", type=int)
    p.add_argument("--file", required=True, help="the new text; - reads standard input")
    p = add_command(family, "smtp", "Send approved emails through an SMTP server (the password goes to the OS "
                    "keyring).")
    p.add_argument("--host", required=True)
    p.add_argument("--port", type=int, default=587)
    p.add_argument("--security", choices=("starttls", "ssl", "none"), default="starttls")
    p.add_argument("--user", default="", help="login name (none: no login)")
    p.add_argument("--from", dest="sender", required=True, help="the From address")
    p.add_argument("--password-stdin", action="store_true", help="read the password from standard input")
    add_command(family, "mailto", "Hand approved emails to your mail client (the default).")
    return {"outbound": cmd_outbound}


def cmd_outbound(company: Company, args: argparse.Namespace) -> int:
    service = company.outbound
    action = args.outbound_command
    if action == "list":
        drafts = service.list(status=args.status)
        if getattr(args, "json", False):
            return out(args, [d.to_json() for d in drafts], "")
        for d in drafts:
            print(f"{d.id:>4}  {d.status:<9} task {d.task_id or '-':<5} {d.channel:<6} "
                  f"{', '.join(d.recipients) or '(no recipient)':<30} {d.subject[:50]}"
                  + (f"\n      not sent: {d.error}" if d.error and d.status == "failed" else ""))
        if not drafts:
            print("No drafts.")
        return 0
    if action == "show":
        return _draft(args, service.get(args.id))
    if action == "approve":
        return _draft(args, service.approve(args.id), f"Draft {args.id} approved as it reads. Send it: "
                                                      f"bureau outbound send {args.id}")
    if action == "discard":
        return _draft(args, service.discard(args.id), f"Draft {args.id} discarded.")
    if action == "edit":
        text = sys.stdin.read() if args.file == "-" else _read(Path(args.file))
        return _draft(args, service.edit(args.id, text), f"Draft {args.id} replaced; approve it to send it.")
    if action == "send":
        draft, result = service.send(args.id, sender_name=company.profile().sender_name)
        if not result.ok:
            from app.core.errors import BureauError

            raise BureauError(f"Draft {draft.id} was not sent: {result.detail}.",
                              fix=f"It stays approved; fix the cause, then `bureau outbound send {draft.id}` again.")
        text = (f"Open this in your mail client:\n{result.detail}" if result.via == "mailto"
                else f"Draft {draft.id}: {result.detail}.\n\n{draft.body}" if result.via == "copy"
                else f"Draft {draft.id} sent ({result.detail}).")
        return out(args, {**draft.to_json(), "detail": result.detail}, text)
    if action == "mailto":
        config = service.use_mailto()
        return out(args, config.model_dump(mode="json"), "Approved emails go to your mail client.")
    from app.knowledge.send import SmtpConfig

    password = sys.stdin.readline().rstrip("\n") if args.password_stdin else None
    config = service.configure_smtp(SmtpConfig(host=args.host, port=args.port, security=args.security,
                                               username=args.user, sender=args.sender), password=password)
    return out(args, config.model_dump(mode="json"),
               f"Approved emails go through {args.host}:{args.port}" + (" (password in the OS keyring)."
                                                                        if password else "."))


def _read(path: Path) -> str:
    from app.core.errors import InvalidInput

    try:
        return path.read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError) as exc:
        raise InvalidInput(f"Cannot read {path}: {getattr(exc, 'strerror', None) or exc}.",
                           fix="Give a readable UTF-8 text file.") from None


def _draft(args: argparse.Namespace, d: Draft, note: str = "") -> int:
    text = (f"Draft {d.id} ({d.status}{', approved' if d.approved and d.status != 'sent' else ''}) for task "
            f"{d.task_id}, {d.channel}\nTo: {', '.join(d.recipients) or '(no recipient)'}\nSubject: {d.subject}\n\n"
            f"{d.body}" + (f"\n\nnot sent: {d.error}" if d.error else "") + (f"\n\n{note}" if note else ""))
    return out(args, d.to_json(), text)
