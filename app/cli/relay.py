"""`bureau relay ...`, `bureau remote ...`, `bureau runner`: hybrid work over a relay you own.

    bureau relay serve [--dir D] [--host H] [--port P] [--tls-cert C --tls-key K]   run the relay (a VPS)
    bureau relay connect URL --secret S          this desktop uses that relay (outbound only)
    bureau relay pair [--ttl SECONDS]            show a one-time code (and QR) for a device or runner
    bureau relay devices                         paired devices and runners, last seen
    bureau relay revoke DEVICE                   cut one off at once
    bureau relay offload [TEAM ...] [--off TEAM ...] [--claim-timeout S] [--lease S]
    bureau remote pair CODE --relay URL [--name N]
    bureau remote submit TEXT [--title T] [--priority P] [--due D] [--team T] [--sensitive] [--wait S]
    bureau remote watch                          status changes of the tasks this device sent
    bureau remote tasks | show ID | approve ID | reassign ID TEAM | rework ID --note N | accept ID | cancel ID | retry ID
    bureau runner [--relay URL --pair CODE] [--model NAME] [--max-jobs N]
"""

from __future__ import annotations

import argparse
import io
import sys
from pathlib import Path
from typing import TYPE_CHECKING, Any

from app.cli.common import Handler, out

if TYPE_CHECKING:
    from app.company import Company

ACTIONS = ("approve", "reassign", "rework", "accept", "cancel", "retry")


def _add(parent: Any, name: str, help_: str) -> argparse.ArgumentParser:
    p: argparse.ArgumentParser = parent.add_parser(name, help=help_, description=help_)
    p.add_argument("--json", action="store_true", default=argparse.SUPPRESS, help="machine-readable output")
    return p


def register(sub: Any) -> dict[str, Handler]:
    relay = sub.add_parser("relay", help="Run or use a relay: pair devices and runners, list and revoke them.",
                           description="Run or use a relay: pair devices and runners, list and revoke them.")
    acts = relay.add_subparsers(dest="relay_action", metavar="ACTION", required=True)
    p = _add(acts, "serve", "Run a relay (nats-server with JetStream) for this company, until stopped.")
    p.add_argument("--dir", type=Path, help="relay folder (default: DATA/relay-server)")
    p.add_argument("--host", default="0.0.0.0", help="address to listen on (default 0.0.0.0)")
    p.add_argument("--port", type=int, default=4222)
    p.add_argument("--tls-cert", type=Path)
    p.add_argument("--tls-key", type=Path)
    p = _add(acts, "connect", "Use the relay at URL from this desktop (it connects out; it never listens).")
    p.add_argument("url")
    p.add_argument("--secret", required=True, help="the desktop secret `bureau relay serve` printed")
    p = _add(acts, "pair", "Show a one-time pairing code (valid 10 minutes) and wait for a device or runner.")
    p.add_argument("--ttl", type=float, default=600.0, help=argparse.SUPPRESS)
    _add(acts, "devices", "List paired devices and runners with when they were last seen.")
    _add(acts, "revoke", "Cut a paired device or runner off at once.").add_argument("device")
    p = _add(acts, "offload", "Which teams may send steps to cloud runners (sensitive tasks never do).")
    p.add_argument("teams", nargs="*", help="teams to allow")
    p.add_argument("--off", nargs="+", default=[], metavar="TEAM", help="teams to keep local")
    p.add_argument("--claim-timeout", type=float, help="seconds to wait for a runner before working locally")
    p.add_argument("--lease", type=float, help="a runner's lease on a step (the ack deadline), seconds")

    remote = sub.add_parser("remote", help="Control a paired desktop from this device.",
                            description="Control a paired desktop from this device.")
    racts = remote.add_subparsers(dest="remote_action", metavar="ACTION", required=True)
    p = _add(racts, "pair", "Pair this device with the desktop showing CODE.")
    p.add_argument("code")
    p.add_argument("--relay", required=True, metavar="URL")
    p.add_argument("--name", help="how the desktop lists this device")
    p = _add(racts, "submit", "Send a task to the desktop (queued while it is away).")
    p.add_argument("text")
    p.add_argument("--title")
    p.add_argument("--priority")
    p.add_argument("--due")
    p.add_argument("--team")
    p.add_argument("--sensitive", action="store_true")
    p = _add(racts, "tasks", "List the desktop's tasks.")
    p.add_argument("--status")
    p.add_argument("--team")
    _add(racts, "show", "Show one task.").add_argument("id", type=int)
    for action in ACTIONS:
        p = _add(racts, action, f"{action.capitalize()} a task on the desktop.")
        p.add_argument("id", type=int)
        if action == "reassign":
            p.add_argument("team")
            p.add_argument("--note")
        if action == "rework":
            p.add_argument("--note", required=True)
    p = _add(racts, "watch", "Print status changes of the tasks this device sent, until Ctrl+C.")
    p.add_argument("--seconds", type=float, help=argparse.SUPPRESS)
    for p in racts.choices.values():
        if p.prog.split()[-1] != "pair":
            p.add_argument("--wait", type=float, default=10.0, help="seconds to wait for the desktop's answer")

    p = _add(sub, "runner", "Take offloaded steps from the relay on this machine's models, until stopped.")
    p.add_argument("--relay", metavar="URL", help="the relay (with --pair the first time)")
    p.add_argument("--pair", metavar="CODE", help="pair this runner with the desktop showing CODE")
    p.add_argument("--name", help="how the desktop lists this runner")
    p.add_argument("--model", help="a model configured here (`bureau models list`); default: the default model")
    p.add_argument("--max-jobs", type=int, help=argparse.SUPPRESS)
    return {"relay": cmd_relay, "remote": cmd_remote, "runner": cmd_runner}


# -- relay ----------------------------------------------------------------------------
def cmd_relay(company: Company, args: argparse.Namespace) -> int:
    from app.relay.desktop import DesktopRelay

    desk = DesktopRelay(company.home, company.db)
    action = args.relay_action
    if action == "serve":
        return _serve(company, args)
    if action == "connect":
        state = desk.connect(args.url, args.secret)
        return out(args, {"url": state.url, "device_id": state.device_id},
                   f"Connected to the relay at {state.url}. Pair a device with `bureau relay pair`.")
    if action == "pair":
        return _pair(desk, args)
    if action == "devices":
        rows = [{"id": d.id, "name": d.name, "kind": d.kind, "paired_at": d.paired_at, "last_seen": d.last_seen,
                 "revoked": d.revoked_at is not None} for d in desk.devices()]
        lines = [f"{r['id']}  {r['kind']:6}  {r['name']:20}  last seen {r['last_seen'] or 'never'}"
                 + ("  REVOKED" if r["revoked"] else "") for r in rows]
        return out(args, rows, "\n".join(lines) or "No paired devices yet. Pair one with `bureau relay pair`.")
    if action == "revoke":
        device, reached = desk.revoke(args.device)
        text = f"Revoked {device.name} ({device.id})." + ("" if reached else
                                                          " The relay was not reachable: this desktop refuses it "
                                                          "already; run `bureau relay revoke` again to remove its relay user.")
        return out(args, {"id": device.id, "revoked": True, "relay_updated": reached}, text)
    if action == "offload":
        opts = desk.options()
        teams = [t for t in dict.fromkeys([*opts["offload_teams"], *args.teams]) if t not in set(args.off)]
        for team in args.teams:
            if team not in company.tasks.teams:
                from app.core.errors import InvalidInput

                raise InvalidInput(f"There is no team {team!r}.", fix=f"Use one of: {', '.join(company.tasks.teams)}.")
        changes: dict[str, Any] = {"offload_teams": teams}
        if args.claim_timeout is not None:
            changes["claim_timeout"] = args.claim_timeout
        if args.lease is not None:
            changes["lease"] = args.lease
        opts = desk.set_options(**changes)
        return out(args, opts, f"Steps of {', '.join(opts['offload_teams']) or 'no team'} may run on runners "
                               f"(sensitive tasks never do); a runner has {opts['claim_timeout']:.0f} s to take a step.")
    raise AssertionError(action)


def _serve(company: Company, args: argparse.Namespace) -> int:
    from app.relay.server import RelayServer

    server = RelayServer(args.dir or company.home / "relay-server", host=args.host, port=args.port,
                         tls_cert=args.tls_cert, tls_key=args.tls_key)
    server.write_config()
    print(f"Relay folder: {server.folder}\nOn the desktop, run once:\n"
          f"  bureau relay connect {server.url.replace('127.0.0.1', '<this-host>') if args.host == '0.0.0.0' else server.url}"
          f" --secret {server.state.desktop_password}\nStop with Ctrl+C.", flush=True)
    server.serve_forever()
    return 0


def _pair(desk: Any, args: argparse.Namespace) -> int:
    from app.relay.pairing import PairingCode

    as_json = getattr(args, "json", False)

    def show(code: PairingCode) -> None:
        if as_json:
            print(f'{{"code": "{code.text}", "expires_in": {args.ttl:.0f}}}', flush=True)
            return
        print(f"Pairing code: {code.text}  (valid 10 minutes, once)\n"
              f"On the other device: bureau remote pair {code.text} --relay {desk.device().state.url}\n"
              f"For a runner:        bureau runner --pair {code.text} --relay {desk.device().state.url}", flush=True)
        try:
            import segno

            buf = io.StringIO()
            segno.make(code.text, error="m").terminal(out=buf, compact=True)
            print(buf.getvalue(), flush=True)
        except ImportError:
            pass
        print("Waiting for the other device…", flush=True)

    result = desk.pair(on_code=show, ttl=args.ttl)
    if result.device is None:
        from app.relay.pairing import PairingFailed

        raise PairingFailed(f"No device paired: the code {result.outcome}.", fix="Run `bureau relay pair` for a new code.")
    d = result.device
    return out(args, {"id": d.id, "name": d.name, "kind": d.kind}, f"Paired {d.kind} {d.name} ({d.id}).")


# -- remote ---------------------------------------------------------------------------
def cmd_remote(company: Company, args: argparse.Namespace) -> int:
    action = args.remote_action
    if action == "pair":
        from app.relay.remote import join

        device = join(company.home, args.code, url=args.relay, role="device", name=args.name)
        return out(args, {"device_id": device.state.device_id, "desktop_id": device.state.desktop_id},
                   f"Paired with the desktop as {device.state.device_id}. Try `bureau remote tasks`.")
    from app.relay.remote import RemoteClient

    client = RemoteClient(company.home)
    if action == "watch":
        import asyncio
        import json

        def show(body: dict[str, Any]) -> None:
            print(json.dumps(body) if getattr(args, "json", False) else f"task {body.get('task')}: {body.get('status')}",
                  flush=True)

        asyncio.run(client.watch(show, seconds=args.seconds))
        return 0
    if action == "submit":
        body = {"text": args.text, "title": args.title, "priority": args.priority, "due": args.due, "team": args.team,
                "sensitive": args.sensitive}
        answer = client.send("submit", {k: v for k, v in body.items() if v is not None}, wait=args.wait)
    elif action == "tasks":
        answer = client.send("tasks", {"status": args.status, "team": args.team}, wait=args.wait)
    elif action == "show":
        answer = client.send("show", {"id": args.id}, wait=args.wait)
    else:
        answer = client.send("act", {"action": action, "id": args.id, "team": getattr(args, "team", None),
                                     "note": getattr(args, "note", None)}, wait=args.wait)
    return _answer(args, answer)


def _answer(args: argparse.Namespace, answer: dict[str, Any]) -> int:
    if answer.get("error"):
        from app.core.errors import BureauError

        raise BureauError(f"The desktop says: {answer['error']}", fix=answer.get("fix"))
    data = {k: v for k, v in answer.items() if k not in ("re", "duplicate")}
    if answer.get("queued"):
        return out(args, data, f"Queued: the desktop is away; it will apply this once when it is back "
                               f"(message {answer['message_id'][:12]}).")
    if "tasks" in answer:
        lines = [f"{t['id']:>5}  {t['status']:15} {t.get('team') or '-':10} {t['title']}" for t in answer["tasks"]]
        return out(args, answer["tasks"], "\n".join(lines) or "No tasks.")
    if "task" in answer:
        t = answer["task"]
        text = f"Task {t['id']}: {t['title']}\nstatus {t['status']}, team {t.get('team') or '-'}\n\n{t['text']}"
        result = [s.get("output") for s in t.get("steps", []) if s.get("output")]
        return out(args, t, text + (f"\n\nResult:\n{result[-1]}" if result else ""))
    return out(args, data, f"Task {answer.get('id')}: {answer.get('status')}.")


# -- runner ---------------------------------------------------------------------------
def cmd_runner(company: Company, args: argparse.Namespace) -> int:
    from app.relay.identity import DeviceState
    from app.relay.runner import Runner

    if args.pair:
        if not args.relay:
            from app.core.errors import InvalidInput

            raise InvalidInput("Pairing a runner needs the relay address.", fix="Add --relay URL.")
        from app.relay.remote import join

        join(company.home, args.pair, url=args.relay, role="runner", name=args.name)
        print(f"Paired this runner with the desktop through {args.relay}.", file=sys.stderr, flush=True)
    elif args.relay:
        state = DeviceState.load(company.home, "runner")
        state.url = args.relay
        state.save(company.home)
    backend = company.models.backend_named(args.model) if args.model else company.models.default()
    runner = Runner(company.home, backend)
    print(f"Runner {runner.device.state.name} takes steps on {backend.name}. Stop with Ctrl+C.", file=sys.stderr,
          flush=True)
    done = runner.run(max_jobs=args.max_jobs)
    return out(args, {"steps": done}, f"Ran {done} steps.")
