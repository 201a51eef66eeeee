"""agents/planner.py: which bullet lists are one instruction's items (a fan-out) and which are pieces of work."""

from __future__ import annotations

from agents.planner import read_shape


def test_a_bullet_list_of_work_is_no_fan_out() -> None:
    shape = read_shape("going to the trade show in May\n- booth messaging and a landing page for the QR code\n"
                       "- a list of 40 companies to book meetings with\n- a blog recap after the event")
    assert shape.kind == "single"
    assert read_shape("prep for launch\n- fix the signup bug\n- write the FAQ").kind == "single"


def test_a_bullet_list_of_items_for_one_instruction_is_a_fan_out() -> None:
    assert read_shape("Write a short bio for each:\n- Ana Lopez\n- Ben Ortiz").kind == "fanout"
    assert len(read_shape("Translate the FAQ into:\n- German\n- French\n- Spanish").items) == 3


def test_them_in_a_work_list_is_no_per_item_instruction() -> None:
    text = ("clinic pilot review\n- 3 of 4 clinics use it daily\n- Westbrook has not logged in for 2 weeks\n"
            "check in with Westbrook and see what's blocking them")
    assert read_shape(text).kind == "single"


def test_a_long_paste_is_read_by_its_head_and_kept_whole() -> None:
    log = "request failed with timeout\n" * 400 + "retrying until it works\n"
    text = "Find out why the export times out. Log:\n" + log
    assert read_shape(text).kind == "loop"  # the whole text read: the log's last line says "until"
    shape = read_shape(text, max_chars=1000)
    assert shape.kind == "single"  # its head asks for one piece of work
    assert shape.instruction == text
    listed = "Write a short bio for each:\n- Ana Lopez\n- Ben Ortiz\n" + "notes " * 500
    read = read_shape(listed, max_chars=200)
    assert read.kind == "fanout" and read.items == ("Ana Lopez", "Ben Ortiz")
    assert read_shape("x " * 50 + "then three posts", max_chars=20).kind == "single"


def test_until_a_time_is_no_loop() -> None:
    assert read_shape("Book demo calls with the clinics, they are free until Friday").kind == "single"
    assert read_shape("Hold the announcement until it ships").kind == "single"
    assert read_shape("Rewrite the intro until it sounds friendly").kind == "loop"
    assert read_shape("Shorten our tagline until it is under 5 words").check is not None
