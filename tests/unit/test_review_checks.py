"""Each check of the CEO's review on its own: what fails it, what passes it, and the note it gives."""

import pytest

from agents.review import check_work
from agents.review.asked import what_was_asked
from agents.review.checks import (
    items_covered,
    length,
    no_echo,
    no_leak,
    no_placeholders,
    no_refusal,
    no_repetition,
    note_checks,
    on_topic,
)
from agents.review.form import form

LONG_TWEET = ("We are thrilled to announce that after months of work our team has shipped v2 with faster sync, dark mode "
              "and a brand new CSV export for every report, on every plan, including the free one. Update today, try it "
              "out, and tell us what you think in the replies: we read every single one and we love hearing from you all!")


def failed(task, output, **kw):
    return {c.name: c.note for c in check_work(task_text=task, output=output, **kw)[1] if not c.passed}


def test_an_over_long_tweet_is_sent_back_with_its_character_count():
    check = length(what_was_asked("Write a tweet announcing v2"), LONG_TWEET)
    assert not check.passed
    assert check.note.startswith(f"It has {len(LONG_TWEET)} characters; a tweet has at most 280.")


def test_a_39_word_tweet_is_not_too_short():
    tweet = ("v2 is here! Faster sync, a dark mode your eyes will thank you for, and CSV export for every report. "
             "Update today and tell us what you think. #launch #v2")
    assert failed("Write a tweet announcing v2", tweet) == {}


def test_a_stated_length_beats_the_kind():
    asked = what_was_asked("Write a LinkedIn post under 80 words about our 1000th customer")
    assert asked.max_words is not None and asked.max_words < 90
    check = length(asked, "Our 1000th customer is here. " * 20)
    assert not check.passed and "under 80 words" in check.note
    about = what_was_asked("Write a blog post of about 150 words about our four-day week")
    assert not length(about, "# Four days\n\nWe work four days a week now.").passed


def test_a_correct_haiku_passes_and_five_lines_do_not():
    task = "Write a haiku about the first snow"
    assert failed(task, "First snow on the roof\nthe garden holds its white breath\nfootprints lead nowhere") == {}
    notes = failed(task, "First snow\nthe roof\nthe garden\nwhite breath\nfootprints")
    assert "It has 5 lines; a haiku has 3" in notes["form"]


def test_off_topic_work_names_what_is_missing():
    asked = what_was_asked("Write a blog post about backups for small businesses")
    check = on_topic(asked, "# Coffee\n\nGreat coffee starts with fresh beans and clean equipment.")
    assert not check.passed and "backups" in check.note
    assert on_topic(asked, "Backups keep a small business alive when a laptop is stolen.").passed


def test_a_named_entity_must_appear():
    asked = what_was_asked("Write a LinkedIn post about our new office in Berlin")
    check = on_topic(asked, "We have a new office, with room for customers and a quiet room for calls.")
    assert not check.passed and "Berlin" in check.note


def test_every_listed_item_is_covered():
    asked = what_was_asked("Write release notes for v2.1: faster sync, dark mode and CSV export")
    assert asked.items == ("faster sync", "dark mode", "CSV export")
    check = items_covered(asked, "- Dark mode: switch it on in Settings.")
    assert not check.passed and "faster sync" in check.note and "CSV export" in check.note
    assert items_covered(asked, "- Faster sync\n- Dark mode\n- CSV export for reports").passed


def test_the_count_is_checked():
    asked = what_was_asked("Write three subject lines for our spring sale email")
    assert asked.count == 3
    [check] = form(asked, "1. Spring sale: 30% off\n2. Fresh deals for spring")
    assert not check.passed and "It has 2 subject line" in check.note and "asks for 3" in check.note
    assert form(asked, "1. Spring sale: 30% off\n2. Fresh deals for spring\n3. Your spring discount")[0].passed


def test_an_email_needs_greeting_recipient_and_sign_off():
    task = "Reply to Marco, who cannot export his data to CSV"
    body = "Sorry the CSV export fails; split the range into two exports and it will work."
    assert "no greeting" in failed(task, body)["form"] or "greeting" in failed(task, body)["form"]
    notes = failed(task, f"Hi there,\n\n{body}\n\nBest regards,\nThe Support Team")
    assert "Marco" in notes["form"]
    assert "sign-off" in failed(task, f"Hi Marco,\n\n{body}")["form"]
    assert failed(task, f"Hi Marco,\n\n{body}\n\nBest regards,\nThe Support Team") == {}


@pytest.mark.parametrize("task, output, problem", [
    ("Write a Python function that reverses a string", "```python\ndef reverse(s)\n    return s[::-1]\n```", "Python"),
    ("Write a GitHub Actions workflow YAML that runs pytest", "```yaml\njobs:\n  test:\n    steps: [a\n```", "YAML"),
    ("Write a JSON config file for our linter", "```json\n{max: 120}\n```", "JSON"),
    ("Write a SQL query that lists customers who signed up in 2024",
     "```sql\nSELECT id FROM customers WHERE signed_up_at BETWEEN '2024-01-01' AND\n```", "SQL"),
    ("Write a Dockerfile for our Flask app", "```dockerfile\nWORKDIR /app\nINSTALL flask\n```", "Dockerfile"),
])
def test_code_and_configs_must_parse(task, output, problem):
    notes = failed(task, output)
    assert "parses" in notes and notes["parses"].startswith(f"The {problem}")


def test_valid_code_and_configs_parse():
    assert "parses" not in failed("Write a Python function that reverses a string",
                                  "```python\ndef reverse(text):\n    return text[::-1]\n```\nReverse a string.")
    assert "parses" not in failed("Write a JSON config file for our linter with a max line length",
                                  "```json\n{\"max_line_length\": 120}\n```")


def test_leaked_framing_and_prompt_text_are_caught():
    asked = what_was_asked("Reply to a customer who was charged twice")
    assert not no_leak(asked, "This is your part of a larger task: reply to the customer.").passed
    assert not no_leak(asked, "Hi,\n\nSorry.\n\nThis answer should not contain any extra words.").passed
    system = ("Write a kind, clear reply: acknowledge the problem, give concrete next steps, and promise nothing the "
              "company cannot keep.")
    check = no_leak(asked, f"Hi,\n\n{system}\n\nThanks")
    assert not check.passed and "instructions" in check.note
    assert no_leak(asked, "Hi,\n\nWe refunded the second charge today.\n\nThanks, The Support Team").passed


def test_an_echo_of_the_task_is_not_an_answer():
    task = "Write a product description for our bamboo standing desk"
    asked = what_was_asked(task)
    assert not no_echo(asked, task + ".", task).passed
    assert no_echo(asked, "Our bamboo standing desk rises from 65 to 130 cm in twenty quiet seconds.", task).passed


def test_refusals_and_self_talk_are_caught():
    asked = what_was_asked("Give five ideas for a loyalty program")
    assert not no_refusal(asked, "I'm sorry, but I can't help with that without more details.").passed
    assert not no_refusal(asked, "As an AI language model, I cannot access your data.").passed
    assert no_refusal(asked, "1. Points for every purchase").passed


def test_repetition_is_caught_including_a_duplicated_hashtag_line():
    asked = what_was_asked("Write a tweet announcing v2")
    check = no_repetition(asked, "v2 is here!\n#launch #v2 #productivity\n#launch #v2 #productivity")
    assert not check.passed and "#launch" in check.note
    assert not no_repetition(asked, "Big news! " * 30).passed
    assert no_repetition(asked, "v2 is here: faster sync and dark mode. #launch #v2").passed


@pytest.mark.parametrize("text", ["Hi [Your Name],", "Lorem ipsum dolor sit amet", "TODO: add the price",
                                  "Welcome [Company] to the team"])
def test_placeholders_are_caught(text):
    check = no_placeholders(what_was_asked("Write a LinkedIn post about our new designer"), text)
    assert not check.passed and "placeholder" in check.note


def test_a_founder_note_is_followed_not_pasted():
    followed, pasted = note_checks("Make it about standing desks.", "Standing desks need a clear top.", None)
    assert followed.passed and pasted.passed
    followed, pasted = note_checks("Make it about standing desks.", "Make it about standing desks. A tidy desk.", None)
    assert pasted.note.startswith("It pastes the founder's note")
    followed, _ = note_checks("Make it about standing desks.", "A tidy desk helps you focus.", None,
                              task="Write a short blog post about keeping a tidy desk")
    assert not followed.passed and "standing" in followed.note
    followed, _ = note_checks("Remove the part about cables.", "Keep cables under the desk.", "Cables go under it.")
    assert not followed.passed and "remove cables" in followed.note
    followed, _ = note_checks("Make it shorter.", "A much longer version than before, really.", "Short one.")
    assert not followed.passed and "shorter" in followed.note


def test_each_failed_check_gives_one_sentence():
    notes = failed("Write a tweet announcing v2", LONG_TWEET + "\n#launch\n#launch")
    assert set(notes) == {"length", "no_repetition"}
    for note in notes.values():
        assert note.endswith(".") and note[0].isupper()
