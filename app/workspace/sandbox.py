"""Run a command of the founder's project (its tests, a linter) outside Bureau's process, bounded.

The command runs under ``/bin/sh -c`` in its own session (a process group of its own), with a
time limit after which the whole group is killed, a memory limit (RLIMIT_AS) and a process limit
(RLIMIT_NPROC, which the OS does not enforce for root) set by a tiny launcher before it execs
the shell, a scrubbed environment (no inherited secrets), no standard input, and its output kept
to a bounded head and tail however much it prints.
"""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import threading
import time
from dataclasses import dataclass
from pathlib import Path

KEEP_ENV = ("PATH", "HOME", "LANG", "LC_ALL", "LC_CTYPE", "TERM", "TMPDIR", "TZ", "USER", "LOGNAME",
            "SYSTEMROOT", "COMSPEC", "PATHEXT", "TEMP", "TMP")
HEAD_BYTES = 24_000
TAIL_BYTES = 40_000
EXTRA_PROCESSES = 256  # RLIMIT_NPROC: the user's processes now, plus this many

# Runs in the child's own interpreter (isolated mode): set the limits, then become the shell.
_LAUNCHER = r"""
import os, resource, sys
mem, nproc, cmd = int(sys.argv[1]), int(sys.argv[2]), sys.argv[3]
def limit(which, value):
    try:
        soft, hard = resource.getrlimit(which)
        value = value if hard == resource.RLIM_INFINITY else min(value, hard)
        resource.setrlimit(which, (value, value))
    except (ValueError, OSError):
        pass
if mem > 0:
    limit(resource.RLIMIT_AS, mem * 1024 * 1024)
if nproc > 0 and hasattr(resource, "RLIMIT_NPROC"):
    limit(resource.RLIMIT_NPROC, nproc)
limit(resource.RLIMIT_CORE, 0)
os.execv("/bin/sh", ["/bin/sh", "-c", cmd])
"""


@dataclass(frozen=True)
class CommandResult:
    command: str
    exit_code: int | None  # None: killed at the time limit
    seconds: float
    output: str  # head and tail of stdout+stderr; the middle is elided past the size limit
    output_bytes: int  # everything it printed
    timed_out: bool = False

    @property
    def passed(self) -> bool:
        return self.exit_code == 0 and not self.timed_out

    def summary(self) -> str:
        if self.timed_out:
            return f"stopped after {self.seconds:.0f} s (time limit)"
        return f"{'passed' if self.passed else 'failed'} (exit {self.exit_code}, {self.seconds:.1f} s)"

    def tail(self, chars: int = 1500) -> str:
        return self.output[-chars:]

    def to_json(self) -> dict[str, object]:
        return {"command": self.command, "exit_code": self.exit_code, "seconds": round(self.seconds, 3),
                "timed_out": self.timed_out, "passed": self.passed, "output_bytes": self.output_bytes,
                "output": self.output}

    @classmethod
    def from_json(cls, data: dict[str, object]) -> CommandResult:
        code = data.get("exit_code")
        return cls(command=str(data.get("command", "")), exit_code=int(code) if isinstance(code, int) else None,
                   seconds=float(data.get("seconds", 0.0)), output=str(data.get("output", "")),  # type: ignore[arg-type]
                   output_bytes=int(data.get("output_bytes", 0)), timed_out=bool(data.get("timed_out")))  # type: ignore[call-overload]


def scrubbed_env(extra: dict[str, str] | None = None) -> dict[str, str]:
    env = {k: os.environ[k] for k in KEEP_ENV if k in os.environ}
    env.setdefault("PATH", os.defpath)
    env.update({"CI": "1", "NO_COLOR": "1", "PYTHONDONTWRITEBYTECODE": "1", "GIT_TERMINAL_PROMPT": "0",
                "PIP_NO_INPUT": "1"})
    env.update(extra or {})
    return env


def run_bounded(command: str, *, cwd: Path, timeout: float, memory_mb: int = 0,
                env: dict[str, str] | None = None, stop: threading.Event | None = None) -> CommandResult:
    """Run ``command`` in ``cwd``; never raises for what the command does (only when it cannot start).

    ``stop`` set: the command is killed as at the time limit (the task was cancelled).
    """
    started = time.monotonic()
    environment = env if env is not None else scrubbed_env()
    if os.name == "posix":
        argv = [sys.executable, "-I", "-S", "-c", _LAUNCHER, str(memory_mb), str(_process_limit()), command]
        proc = subprocess.Popen(argv, cwd=cwd, env=environment, stdin=subprocess.DEVNULL, stdout=subprocess.PIPE,
                                stderr=subprocess.STDOUT, start_new_session=True, close_fds=True)
    else:  # pragma: no cover - Windows: a process group, no resource limits
        proc = subprocess.Popen(command, cwd=cwd, env=environment, shell=True, stdin=subprocess.DEVNULL,
                                stdout=subprocess.PIPE, stderr=subprocess.STDOUT,
                                creationflags=subprocess.CREATE_NEW_PROCESS_GROUP)  # type: ignore[attr-defined]
    sink = _BoundedSink()
    reader = threading.Thread(target=sink.drain, args=(proc.stdout,), name="bounded-output", daemon=True)
    reader.start()
    timed_out = False
    deadline = started + timeout
    try:
        while True:
            try:
                proc.wait(timeout=max(0.0, min(0.1, deadline - time.monotonic())))
                break
            except subprocess.TimeoutExpired:
                if time.monotonic() >= deadline or (stop is not None and stop.is_set()):
                    timed_out = True
                    break
    finally:
        _kill_group(proc)  # what it left running in the background goes too
    reader.join(timeout=5)
    code = None if timed_out else proc.returncode
    return CommandResult(command=command, exit_code=code, seconds=time.monotonic() - started,
                         output=sink.text(), output_bytes=sink.total, timed_out=timed_out)


class _BoundedSink:
    def __init__(self) -> None:
        self.head = bytearray()
        self.tail = bytearray()
        self.total = 0

    def drain(self, stream) -> None:  # type: ignore[no-untyped-def]
        fd = stream.fileno()
        while True:
            try:
                chunk = os.read(fd, 65536)
            except OSError:
                break
            if not chunk:
                break
            self.total += len(chunk)
            room = HEAD_BYTES - len(self.head)
            if room > 0:
                self.head += chunk[:room]
                chunk = chunk[room:]
            if chunk:
                self.tail += chunk
                if len(self.tail) > TAIL_BYTES:
                    del self.tail[:len(self.tail) - TAIL_BYTES]
        stream.close()

    def text(self) -> str:
        head = self.head.decode("utf-8", "replace")
        tail = self.tail.decode("utf-8", "replace")
        elided = self.total - len(self.head) - len(self.tail)
        if elided > 0:
            return f"{head}\n[... {elided:,} bytes of output not kept ...]\n{tail}"
        return head + tail


def _kill_group(proc: subprocess.Popen[bytes]) -> None:
    if os.name != "posix":  # pragma: no cover
        if proc.poll() is None:
            proc.kill()
        proc.wait()
        return
    try:
        os.killpg(proc.pid, signal.SIGKILL)
    except (ProcessLookupError, PermissionError):
        pass
    try:
        proc.wait(timeout=5)
    except subprocess.TimeoutExpired:  # pragma: no cover - an unkillable process (D state)
        return
    try:  # once more: the kernel signals a whole group at once and aborts forks racing with it
        os.killpg(proc.pid, signal.SIGKILL)
    except (ProcessLookupError, PermissionError):
        pass


def _process_limit() -> int:
    """RLIMIT_NPROC counts every process of the user: allow the ones running now plus a margin."""
    if not hasattr(os, "getuid") or os.getuid() == 0:
        return 0  # not enforced for root; the time limit and the group kill remain
    uid = str(os.getuid())
    count = 0
    try:
        for entry in os.scandir("/proc"):
            if entry.name.isdigit():
                try:
                    with open(f"/proc/{entry.name}/status", encoding="ascii", errors="replace") as fh:
                        for line in fh:
                            if line.startswith("Uid:"):
                                count += line.split()[1] == uid
                                break
                except OSError:
                    continue
    except OSError:
        return 0  # no /proc (macOS): leave the limit as it is
    return count + EXTRA_PROCESSES
