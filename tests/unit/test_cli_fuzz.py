"""Fuzzing the command line: every subcommand, every argument, with hostile values.

Empty, huge, control-character, non-UTF-8 (as Python receives undecodable bytes: surrogate
escapes) and wrong-type values must end with exit 0 or 2 and a message, never a traceback nor
an "unexpected error" (which would be a bug). Runs in-process through ``main(argv)``.
"""

from __future__ import annotations

import argparse
import io
import os
import sys
from collections.abc import Iterator

import pytest

from app.cli.main import build_parser, main

VALUES = {
    "empty": "",
    "huge": "x" * 300_000,
    "control": "a\x01b\x7fc\x1b[31m",
    "non-utf8": os.fsdecode(b"caf\xe9 \xff\xfe"),
    "wrong-type": "-3.5e999",
    "word": "NaN",
}
# Commands that would start work that does not end by itself, or reach a network.
# `run` without --until-idle runs until stopped (run --until-idle is fuzzed instead); the relay's commands run
# servers or wait for devices and peers by design: tests/integration/test_relay_*.py drive them on loopback.
SKIP = {("run",), ("relay", "serve"), ("relay", "pair"), ("relay", "connect"), ("runner",), ("remote", "pair"),
        ("remote", "watch")}
FIXED = {("run",): ["--until-idle"]}
# Flags that make a command wait for ever by design (they are tested where they are built).
ENDLESS_FLAGS = {"--follow"}


def commands() -> Iterator[tuple[tuple[str, ...], argparse.ArgumentParser]]:
    parser, _ = build_parser()

    def walk(p: argparse.ArgumentParser, path: tuple[str, ...]) -> Iterator[tuple[tuple[str, ...], argparse.ArgumentParser]]:
        subs = [a for a in p._actions if isinstance(a, argparse._SubParsersAction)]
        if not subs:
            yield path, p
            return
        for sub in subs:
            for name, child in sub.choices.items():
                yield from walk(child, (*path, name))

    yield from walk(parser, ())


def cases() -> list[tuple[str, list[str]]]:
    found: list[tuple[str, list[str]]] = []
    for path, parser in commands():
        fixed = FIXED.get(path, [])
        positionals = [a for a in parser._actions if not a.option_strings and a.dest != "help"]
        options = [a for a in parser._actions if a.option_strings and a.nargs != 0 and a.dest != "help"
                   and not isinstance(a, argparse._HelpAction)]
        flags = [a for a in parser._actions if a.option_strings and a.nargs == 0 and a.dest not in ("help", "json")
                 and not ENDLESS_FLAGS & set(a.option_strings)]
        base = ["1" if a.type is int else "content" for a in positionals]
        for label, value in VALUES.items():
            if positionals:
                found.append((f"{' '.join(path)} <{label}>", [*path, *[value for _ in positionals], *fixed]))
            for option in options:
                found.append((f"{' '.join(path)} {option.option_strings[-1]} <{label}>",
                              [*path, *base, option.option_strings[-1], value, *fixed]))
        found.append((f"{' '.join(path)} (plain)", [*path, *base, *fixed]))
        found.append((f"{' '.join(path)} --json --bogus", [*path, *base, *fixed, "--json", "--bogus"]))
        if flags:
            found.append((f"{' '.join(path)} (all flags)", [*path, *base, *fixed, *[f.option_strings[-1] for f in flags]]))
    def skipped(argv: list[str]) -> bool:
        return any(tuple(argv[:len(path)]) == path for path in SKIP) and "--until-idle" not in argv

    return [c for c in found if not skipped(c[1])]


CASES = cases()


def test_the_fuzz_covers_every_subcommand():
    paths = {path for path, _ in commands()}
    assert len(paths) >= 30
    covered = {tuple(w for w in argv if not w.startswith("-"))[:len(p)] for _, argv in CASES for p in paths}
    assert paths <= covered | SKIP
    print(f"\n{len(CASES)} fuzz cases over {len(paths)} subcommands")


def test_no_input_ends_in_a_traceback(home, capsys, monkeypatch, tmp_path):
    monkeypatch.chdir(tmp_path)  # commands that write FILE arguments write them here, not in the checkout
    failures = []
    for name, argv in CASES:
        monkeypatch.setattr(sys, "stdin", io.StringIO(""))
        code = main(["--home", str(home), *argv])
        out, err = capsys.readouterr()
        if code not in (0, 2) or "Traceback" in err or "Unexpected error" in err or (code == 2 and not err.strip()):
            failures.append(f"{name}: exit {code}: {err.strip()[:300]}")
    assert not failures, f"{len(failures)} of {len(CASES)} cases failed:\n" + "\n".join(failures)
