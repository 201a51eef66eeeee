"""The company profile: fields, validation, the CLI, and which facts each team is given."""

import json

import pytest

from app.cli.main import main
from app.core.errors import InvalidInput
from app.knowledge.profile import facts
from teams import TEAMS
from teams.base import custom_team
from teams.profile_needs import profile_fields


def test_set_show_and_edit(home, capsys, tmp_path):
    assert main(["company", "set", "product_name", "Acme Notes"]) == 0
    assert main(["company", "set", "plans", "Starter: $9 a month; Pro: $29 a month"]) == 0
    assert main(["company", "set", "links.site", "https://acme.example"]) == 0
    assert main(["company", "set", "policies.refunds", "Full refund within 30 days."]) == 0
    capsys.readouterr()
    assert main(["company", "show", "--json"]) == 0
    shown = json.loads(capsys.readouterr().out)
    assert shown["plans"][1] == {"name": "Pro", "price": "$29 a month", "notes": ""}
    assert shown["links"] == {"site": "https://acme.example"}
    assert shown["policies"]["refunds"] == "Full refund within 30 days."
    shown["pitch"] = "Notes that write themselves."
    edited = tmp_path / "company.json"
    edited.write_text(json.dumps(shown))
    assert main(["company", "edit", "--file", str(edited), "--json"]) == 0
    assert json.loads(capsys.readouterr().out)["pitch"] == "Notes that write themselves."


@pytest.mark.parametrize("field, value, words", [
    ("bogus", "x", "no field"), ("plans", "Pro", "no price"), ("links", "site=ftp://x", "https://"),
    ("plans", "[{\"name\": \"Pro\"", "not valid JSON"),
])
def test_bad_values_are_refused_and_change_nothing(company, field, value, words):
    company.profile.set("product_name", "Acme")
    with pytest.raises(InvalidInput, match=words):
        company.profile.set(field, value)
    assert company.profile().product_name == "Acme"


def test_edit_with_a_bad_file_changes_nothing(home, capsys, tmp_path):
    main(["company", "set", "product_name", "Acme"])
    bad = tmp_path / "bad.json"
    bad.write_text('{"product_name": "X", "unknown": 1}')
    assert main(["company", "edit", "--file", str(bad)]) == 2
    assert "unknown" in capsys.readouterr().err
    main(["company", "show", "--json"])
    assert json.loads(capsys.readouterr().out.splitlines()[-1])["product_name"] == "Acme"


def test_each_team_gets_what_its_charter_needs(company):
    company.profile.set("product_name", "Acme Notes")
    company.profile.set("plans", "Pro: $29 a month")
    company.profile.set("policies.refunds", "30 days")
    company.profile.set("signature", "Ana, Acme")
    profile = company.profile()
    support = {f.field for f in facts(profile, profile_fields(TEAMS["support"]))}
    assert support == {"product_name", "plans", "policies.refunds", "signature"}
    code = {f.field for f in facts(profile, profile_fields(TEAMS["code"]))}
    assert code == {"product_name"}
    asked = {f.field for f in facts(profile, profile_fields(TEAMS["code"], {"refunds"}))}
    assert asked == {"product_name", "policies.refunds"}
    assert "pitch" in profile_fields(custom_team("legal", "contracts"))
