"""Subject names and stream names on the relay; the permissions in ``server`` follow them."""

from __future__ import annotations

ROOT = "bureau"
CMD_STREAM = "BUREAU_CMDS"  # commands from devices, kept until the desktop takes them
WORK_STREAM = "BUREAU_WORK"  # offered steps, taken by runners (a work queue)
DESKTOP_CONSUMER = "desktop"
RUNNER_CONSUMER = "runners"
DESKTOP_USER = "desktop"
ADMIN_USER = "admin"
PAIR_USER = "pair"
PAIR_PASSWORD = "pair"  # public on purpose: it only reaches bureau.pair.*, where SPAKE2 protects the exchange


def cmd(device: str) -> str:
    return f"{ROOT}.cmd.{device}"


def out(device: str) -> str:
    return f"{ROOT}.out.{device}"


def result(runner: str) -> str:
    return f"{ROOT}.res.{runner}"


def work(team: str = "step") -> str:
    return f"{ROOT}.work.{team}"


def pair(nameplate: str) -> str:
    return f"{ROOT}.pair.{nameplate}"


def inbox(user: str) -> str:
    return f"_INBOX_{user}"


def admin(verb: str) -> str:
    return f"{ROOT}.admin.{verb}"


def permissions(kind: str, user: str) -> dict[str, dict[str, list[str]]]:
    """What one relay user may publish and subscribe to."""
    if kind == "desktop":
        pub = [f"{ROOT}.>", "$JS.API.>", f"$JS.ACK.{CMD_STREAM}.>", "_INBOX.>"]
        sub = [f"{ROOT}.>", f"{inbox(user)}.>"]
    elif kind == "admin":
        pub = [f"{inbox(DESKTOP_USER)}.>"]
        sub = [">"]  # the operator's own view: sees subjects and sizes, all of it ciphertext
    elif kind == "pair":
        pub = [f"{ROOT}.pair.>"]
        sub = ["_INBOX.>"]
    elif kind == "device":
        pub = [cmd(user)]
        sub = [out(user), f"{inbox(user)}.>"]
    elif kind == "runner":
        pub = [f"$JS.API.CONSUMER.MSG.NEXT.{WORK_STREAM}.{RUNNER_CONSUMER}",
               f"$JS.API.CONSUMER.INFO.{WORK_STREAM}.{RUNNER_CONSUMER}",
               f"$JS.ACK.{WORK_STREAM}.{RUNNER_CONSUMER}.>", result(user)]
        sub = [f"{inbox(user)}.>"]
    else:
        raise ValueError(kind)
    return {"publish": {"allow": pub}, "subscribe": {"allow": sub}}
