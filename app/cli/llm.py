"""`bureau models ...`: the Models view from the terminal.

    bureau models list [--json]
    bureau models show NAME
    bureau models add NAME --gguf PATH [--n-ctx N]
    bureau models add NAME --ollama MODEL [--host URL] [--no-check]
    bureau models add NAME --openai MODEL --base-url URL [--api-key-env VAR] [--no-check]
    bureau models key NAME --api-key-env VAR
    bureau models remove NAME
    bureau models assign ROLE NAME [FALLBACK ...] [--force]
    bureau models unassign ROLE
    bureau models roles
    bureau models test NAME
    bureau models ollama list|show MODEL|pull MODEL|delete MODEL [--host URL]
    bureau models openai list --base-url URL [--api-key-env VAR]
"""

from __future__ import annotations

import argparse
import json
import os
import sys
from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING, Any

from app.cli.common import Handler
from app.core.errors import BureauError, InvalidInput
from app.core.paths import EMBEDDED_MODEL_NAME

if TYPE_CHECKING:
    from agents.backends.ollama import PullProgress
    from app.company import Company
    from app.llm.service import ModelInfo, ModelService

Action = Callable[["ModelService", argparse.Namespace], int]


def register(sub: Any) -> dict[str, Handler]:
    """Register `models` and its actions on the `bureau` command's subparsers."""
    top = sub.add_parser("models", help="Manage models: GGUF files, Ollama, OpenAI-compatible servers, roles.",
                         description="Manage models: GGUF files, Ollama, OpenAI-compatible servers, "
                                     "and which model each role (ceo or a team) uses.")
    actions = top.add_subparsers(dest="models_action", metavar="ACTION", required=True)

    def add(parent: Any, name: str, help_: str) -> argparse.ArgumentParser:
        p: argparse.ArgumentParser = parent.add_parser(name, help=help_, description=help_)
        p.add_argument("--json", action="store_true", help="machine-readable output")
        return p

    add(actions, "list", "List the models with what they are and whether they fit this machine.")
    add(actions, "show", "Show one model in detail (GGUF metadata, fit).").add_argument("name")
    p = add(actions, "add", "Add a model: a local GGUF file, an Ollama model, or an OpenAI-compatible server's.")
    p.add_argument("name", help="the name Bureau will use for it")
    kind = p.add_mutually_exclusive_group(required=True)
    kind.add_argument("--gguf", metavar="PATH", type=Path, help="a local .gguf file")
    kind.add_argument("--ollama", metavar="MODEL", help="a model on an Ollama server, e.g. qwen2.5:3b")
    kind.add_argument("--openai", metavar="MODEL", help="a model on an OpenAI-compatible server")
    p.add_argument("--host", metavar="URL", help="the Ollama server (default: settings model.ollama_host)")
    p.add_argument("--base-url", metavar="URL", help="the OpenAI-compatible server, e.g. http://10.0.0.5:8000/v1")
    p.add_argument("--api-key-env", metavar="VAR", help="read the API key once from this environment variable; "
                                                         "it is stored in the OS keyring")
    p.add_argument("--n-ctx", type=int, metavar="N", help="context size for a GGUF model")
    p.add_argument("--no-check", action="store_true", help="do not contact the server before saving")
    p = add(actions, "key", "Store a new API key (from an environment variable) for an OpenAI-compatible model.")
    p.add_argument("name")
    p.add_argument("--api-key-env", metavar="VAR", required=True)
    add(actions, "remove", "Remove a model from Bureau (files and servers are left alone).").add_argument("name")
    p = add(actions, "assign", "Choose the model(s) of a role: the first reachable one answers.")
    p.add_argument("role", help="ceo, or a team (built-in or yours)")
    p.add_argument("names", nargs="+", metavar="NAME", help="first choice, then fallbacks")
    p.add_argument("--force", action="store_true", help="assign even a model that won't fit in memory")
    add(actions, "unassign", "Let a role use the default model again.").add_argument("role")
    add(actions, "roles", "Show which models each role uses.")
    add(actions, "test", "Send one short request; prints the reply and tokens per second.").add_argument("name")

    ollama = actions.add_parser("ollama", help="Models on an Ollama server.", description="Models on an Ollama server.")
    ops = ollama.add_subparsers(dest="ollama_action", metavar="ACTION", required=True)
    for name, help_, takes_model in (("list", "List its models.", False), ("show", "Show a model's details.", True),
                                     ("pull", "Download a model (Ctrl+C cancels).", True),
                                     ("delete", "Delete a model from the server.", True)):
        q = add(ops, name, help_)
        if takes_model:
            q.add_argument("model")
        q.add_argument("--host", metavar="URL", help="default: settings model.ollama_host")
    openai = actions.add_parser("openai", help="Models on an OpenAI-compatible server.",
                                description="Models on an OpenAI-compatible server.")
    ops = openai.add_subparsers(dest="openai_action", metavar="ACTION", required=True)
    q = add(ops, "list", "List the server's models (also tests the URL and key).")
    q.add_argument("--base-url", metavar="URL", required=True)
    q.add_argument("--api-key-env", metavar="VAR")
    return {"models": cmd_models}


def cmd_models(company: Company, args: argparse.Namespace) -> int:
    """The handler the `bureau` command calls for `models`."""
    from agents.backends.base import BackendError
    from app.llm.service import ModelService

    service = ModelService(company.home, company.settings_source, company.models)
    handler = ACTIONS[args.models_action]
    try:
        return handler(service, args)
    except BackendError as exc:
        raise BureauError(exc.message, fix=exc.fix) from exc


def _out(args: argparse.Namespace, data: Any, text: str) -> int:
    print(json.dumps(data, ensure_ascii=False) if getattr(args, "json", False) else text)
    return 0


def _key_from_env(var: str | None) -> str | None:
    if var is None:
        return None
    value = os.environ.get(var, "").strip()
    if not value:
        raise InvalidInput(f"The environment variable {var} is not set or empty.",
                           fix=f"Set it first (for example `read -s {var}; export {var}`), then run this again.")
    return value


def gb(size: int) -> str:
    from agents.gguf.fit import gb as fmt

    return fmt(size)


def _line(info: ModelInfo) -> str:
    roles = ",".join(info.roles) or "-"
    line = f"{info.name:<24} {info.kind:<7} {info.fit.badge:<10} {roles:<18} {info.summary}"
    if info.problem:
        line += f"\n{'':<24} problem: {info.problem}"
    return line


def do_list(service: ModelService, args: argparse.Namespace) -> int:
    infos = service.list_models()
    header = f"{'NAME':<24} {'KIND':<7} {'FIT':<10} {'ROLES':<18} DETAILS"
    return _out(args, [i.to_json() for i in infos], "\n".join([header, *(_line(i) for i in infos)]))


def do_show(service: ModelService, args: argparse.Namespace) -> int:
    info = service.describe(args.name)
    lines = [f"{info.name} ({info.kind}{', built in' if info.builtin else ''})", f"  where: {info.location}"]
    if info.remote_model:
        lines.append(f"  model: {info.remote_model}")
    if info.gguf is not None:
        g = info.gguf
        lines += [f"  architecture: {g.architecture}", f"  name in file: {g.model_name or '-'}",
                  f"  parameters: {g.parameters_label} ({g.parameter_count:,})", f"  quantisation: {g.quantisation}",
                  f"  context length: {g.context_length or '?'}", f"  file size: {gb(g.file_size)}",
                  f"  chat template: {'yes' if g.chat_template else 'no (llama.cpp falls back to a generic one)'}"]
    lines.append(f"  fit: {info.fit.message}")
    if info.fit.suggestion:
        lines.append(f"  suggestion: {info.fit.suggestion}")
    lines.append(f"  roles: {', '.join(info.roles) or '-'}")
    if info.problem:
        lines.append(f"  problem: {info.problem}")
    return _out(args, info.to_json(), "\n".join(lines))


def do_add(service: ModelService, args: argparse.Namespace) -> int:
    if args.n_ctx is not None and args.gguf is None:
        raise InvalidInput("--n-ctx goes with --gguf.", fix="Remote servers set their own context size.")
    if args.host and args.ollama is None:
        raise InvalidInput("--host goes with --ollama.", fix="For an OpenAI-compatible server use --base-url.")
    if (args.base_url or args.api_key_env) and args.openai is None:
        raise InvalidInput("--base-url and --api-key-env go with --openai.", fix="For Ollama use --host.")
    if args.gguf is not None:
        info = service.add_gguf(args.name, args.gguf, n_ctx=args.n_ctx)
    elif args.ollama is not None:
        info = service.add_ollama(args.name, args.ollama, host=args.host, check=not args.no_check)
    else:
        if not args.base_url:
            raise InvalidInput("--openai needs --base-url.", fix="For example: --base-url http://127.0.0.1:8080/v1")
        info = service.add_openai(args.name, args.openai, base_url=args.base_url,
                                  api_key=_key_from_env(args.api_key_env), check=not args.no_check)
    text = f"Added {info.name}: {info.summary}.\nFit: {info.fit.message}."
    if info.fit.suggestion:
        text += f"\nSuggestion: {info.fit.suggestion}"
    return _out(args, info.to_json(), text)


def do_key(service: ModelService, args: argparse.Namespace) -> int:
    service.set_api_key(args.name, _key_from_env(args.api_key_env) or "")
    return _out(args, {"name": args.name, "has_api_key": True}, f"Stored the API key of {args.name} in the OS keyring.")


def do_remove(service: ModelService, args: argparse.Namespace) -> int:
    service.remove(args.name)
    return _out(args, {"removed": args.name}, f"Removed {args.name}.")


def do_assign(service: ModelService, args: argparse.Namespace) -> int:
    result = service.assign(args.role, args.names, force=args.force)
    lines = [f"{args.role} now uses {' -> '.join(result.chain)}."]
    lines += [f"  {name}: {advice.message}" + (f" ({advice.suggestion})" if advice.suggestion else "")
              for name, advice in result.advice]
    data = {"role": args.role, "chain": list(result.chain),
            "fit": {name: advice.verdict for name, advice in result.advice}}
    return _out(args, data, "\n".join(lines))


def do_unassign(service: ModelService, args: argparse.Namespace) -> int:
    service.unassign(args.role)
    return _out(args, {"role": args.role, "chain": []}, f"{args.role} uses the default model again.")


def do_roles(service: ModelService, args: argparse.Namespace) -> int:
    roles = service.assignments()
    text = "\n".join(f"{role:<10} {' -> '.join(chain) if chain else '(default: ' + EMBEDDED_MODEL_NAME + ')'}"
                     for role, chain in roles.items())
    return _out(args, roles, text)


def do_test(service: ModelService, args: argparse.Namespace) -> int:
    result = service.test(args.name)
    speed = (f"{result.tokens_out} tokens in {result.seconds:.2f} s: {result.tokens_per_second:.1f} tokens/s"
             if not result.truncated else f"cut off at {result.tokens_out} tokens")
    data = {"name": result.name, "reply": result.reply, "tokens_out": result.tokens_out,
            "seconds": round(result.seconds, 3), "tokens_per_second": round(result.tokens_per_second, 2),
            "truncated": result.truncated}
    return _out(args, data, f"{result.reply}\n-- {result.name}: {speed}")


def do_ollama(service: ModelService, args: argparse.Namespace) -> int:
    action = args.ollama_action
    if action == "list":
        models = service.ollama_list(args.host)
        text = "\n".join(f"{m.name:<32} {m.parameter_size:<8} {m.quantisation:<8} {gb(m.size_bytes)}"
                         for m in models) or "No models on that server yet: `bureau models ollama pull MODEL`."
        return _out(args, [m.__dict__ for m in models], text)
    if action == "show":
        d = service.ollama_show(args.model, args.host)
        text = (f"{d.name}: {d.family} · {d.parameter_size} · {d.quantisation} · "
                f"context {d.context_length or '?'} · capabilities: {', '.join(d.capabilities) or '-'}")
        return _out(args, d.__dict__, text)
    if action == "pull":
        service.ollama_pull(args.model, args.host, on_progress=_progress_printer(args.json))
        if not args.json:
            print(file=sys.stderr)
        return _out(args, {"pulled": args.model}, f"Pulled {args.model}.")
    service.ollama_delete(args.model, args.host)
    return _out(args, {"deleted": args.model}, f"Deleted {args.model} from the Ollama server.")


def _progress_printer(quiet: bool) -> Callable[[PullProgress], None]:
    def show(progress: PullProgress) -> None:
        if quiet:
            return
        pct = f" {progress.fraction * 100:5.1f}%" if progress.fraction is not None else ""
        print(f"\r{progress.status[:60]:<60}{pct}", end="", file=sys.stderr, flush=True)

    return show


def do_openai(service: ModelService, args: argparse.Namespace) -> int:
    models = service.openai_models(args.base_url, _key_from_env(args.api_key_env))
    return _out(args, [m.__dict__ for m in models], "\n".join(m.id for m in models) or "The server lists no models.")


ACTIONS: dict[str, Action] = {
    "list": do_list, "show": do_show, "add": do_add, "key": do_key, "remove": do_remove, "assign": do_assign,
    "unassign": do_unassign, "roles": do_roles, "test": do_test, "ollama": do_ollama, "openai": do_openai,
}
