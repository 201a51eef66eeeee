"""The edit format: search/replace blocks and whole files, parsed strictly, applied exactly."""

import pytest

from agents.edits import EditApplyError, EditFormatError, apply_to_text, check_path, parse_edits
from agents.repo_context import pack, score_files, search_words

BLOCK = "calc/core.py\n<<<<<<< SEARCH\n    return a - b\n=======\n    return a + b\n>>>>>>> REPLACE\n"


def test_a_search_replace_block_and_its_explanation():
    parsed = parse_edits("I fixed it.\n\n" + BLOCK + "\nNow it adds.")
    (edit,) = parsed.edits
    assert (edit.path, edit.search, edit.replace, edit.whole) == ("calc/core.py", "    return a - b\n",
                                                                  "    return a + b\n", False)
    assert parsed.explanation == "I fixed it.\n\nNow it adds."


def test_blocks_inside_fences_with_decorated_paths():
    reply = ("**`calc/core.py`**\n```python\n<<<<<<< SEARCH\nx = 1\n=======\nx = 2\n>>>>>>> REPLACE\n```\n"
             "```src/app.py\n<<<<<<< SEARCH\n=======\nprint('new')\n>>>>>>> REPLACE\n```\n")
    parsed = parse_edits(reply)
    assert [e.path for e in parsed.edits] == ["calc/core.py", "src/app.py"]
    assert parsed.edits[1].creates and parsed.explanation == ""


def test_whole_files():
    parsed = parse_edits("FILE: deploy/compose.yaml\n```yaml\nservices:\n  web:\n    image: nginx\n```\nDone.")
    (edit,) = parsed.edits
    assert edit.whole and edit.replace == "services:\n  web:\n    image: nginx\n" and parsed.explanation == "Done."


@pytest.mark.parametrize("reply, message", [
    ("Just prose, no edits.", "contains no edits"),
    ("<<<<<<< SEARCH\na\n=======\nb\n>>>>>>> REPLACE\n", "no file path"),
    ("a.py\n<<<<<<< SEARCH\na\n=======\nb\n", "cut off: `>>>>>>> REPLACE` missing"),
    ("a.py\n<<<<<<< SEARCH\na\n", "`=======` and `>>>>>>> REPLACE` missing"),
    ("a.py\n<<<<<<< SEARCH\na\n>>>>>>> REPLACE\n", "before `=======`"),
    ("FILE: a.py\n```\nnever closed\n", "never closed"),
    ("../x.py\n<<<<<<< SEARCH\n=======\nb\n>>>>>>> REPLACE\n", "outside the repository"),
    ("/etc/passwd\n<<<<<<< SEARCH\n=======\nb\n>>>>>>> REPLACE\n", "is absolute"),
    ("FILE: C:\\x.py\n```\nb\n```\n", "is absolute"),
    (".git/config\n<<<<<<< SEARCH\n=======\nb\n>>>>>>> REPLACE\n", "inside .git"),
])
def test_malformed_replies_are_refused_with_the_reason(reply, message):
    with pytest.raises(EditFormatError, match=message.replace("(", r"\(").replace(")", r"\)")):
        parse_edits(reply)


def test_paths_are_normalised():
    assert check_path("./src//a.py") == "src/a.py" and check_path("src\\b.py") == "src/b.py"


def test_applying_needs_a_unique_exact_match():
    text = "a = 1\nb = 2\na = 1\n"
    (edit,) = parse_edits("f.py\n<<<<<<< SEARCH\nb = 2\n=======\nb = 3\n>>>>>>> REPLACE\n").edits
    assert apply_to_text(text, [edit], path="f.py") == "a = 1\nb = 3\na = 1\n"
    (dup,) = parse_edits("f.py\n<<<<<<< SEARCH\na = 1\n=======\na = 0\n>>>>>>> REPLACE\n").edits
    with pytest.raises(EditApplyError, match="appears 2 times"):
        apply_to_text(text, [dup], path="f.py")
    (missing,) = parse_edits("f.py\n<<<<<<< SEARCH\nc = 3\n=======\nc = 4\n>>>>>>> REPLACE\n").edits
    with pytest.raises(EditApplyError, match="is not in the file"):
        apply_to_text(text, [missing], path="f.py")
    with pytest.raises(EditApplyError, match="does not exist"):
        apply_to_text(None, [edit], path="f.py")


def test_trailing_spaces_do_not_stop_a_match_and_creation_needs_a_new_file():
    (edit,) = parse_edits("f.py\n<<<<<<< SEARCH\nx = 1\n=======\nx = 2\n>>>>>>> REPLACE\n").edits
    assert apply_to_text("x = 1   \ny = 0\n", [edit], path="f.py") == "x = 2\ny = 0\n"
    (new,) = parse_edits("f.py\n<<<<<<< SEARCH\n=======\nhello\n>>>>>>> REPLACE\n").edits
    assert apply_to_text(None, [new], path="f.py") == "hello\n"
    with pytest.raises(EditApplyError, match="exists"):
        apply_to_text("old\n", [new], path="f.py")


def test_files_are_chosen_by_path_and_content_within_the_budget():
    words, mentioned = search_words("Fix parse_date in utils so tests/test_dates.py passes")
    assert "parse_date" in words and "date" in words and "tests/test_dates.py" in mentioned
    paths = ["README.md", "src/utils/dates.py", "src/other.py", "tests/test_dates.py", "docs/big.md"]
    ranked = [p for p, _ in score_files(paths, {"src/other.py": 1, "docs/big.md": 40}, words, mentioned)]
    assert ranked[0] == "tests/test_dates.py" and ranked.index("src/utils/dates.py") < ranked.index("src/other.py")
    contents = {p: "x" * (5000 if p == "docs/big.md" else 100) for p in paths}
    chosen = pack(ranked, contents, budget_chars=1000, total=len(paths))
    assert "docs/big.md" not in [f.path for f in chosen.files] and "docs/big.md" in chosen.listed
