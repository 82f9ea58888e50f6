from pathlib import Path

import pytest

from accord.config import DEFAULT_ORGANISATION
from accord.errors import InvalidInput
from accord.members.organisation import load_organisation

SHIPPED = DEFAULT_ORGANISATION.read_text(encoding="utf-8")


def write(tmp_path: Path, text: str) -> Path:
    path = tmp_path / "organisation.toml"
    path.write_text(text, encoding="utf-8")
    return path


def fault(tmp_path: Path, text: str) -> InvalidInput:
    path = write(tmp_path, text)
    with pytest.raises(InvalidInput) as caught:
        load_organisation(path)
    assert str(path) in caught.value.message
    return caught.value


def test_the_shipped_file_describes_the_six_member_organisation():
    organisation = load_organisation(DEFAULT_ORGANISATION)
    assert [state.code for state in organisation.states] == [
        "ARM",
        "BLR",
        "KAZ",
        "KGZ",
        "RUS",
        "TJK",
    ]
    assert {state.status for state in organisation.states} == {"member"}
    assert organisation.chair.rotation == ["ARM", "BLR", "KAZ", "KGZ", "RUS", "TJK"]
    assert [(held.year, held.state) for held in organisation.chair.held] == [
        (2022, "ARM"),
        (2023, "BLR"),
        (2024, "KAZ"),
    ]
    assert "csc" in [body.code for body in organisation.bodies]
    assert organisation.states[2].alpha2 == "KZ"


def test_a_missing_file_is_named(tmp_path):
    path = tmp_path / "nowhere.toml"
    with pytest.raises(InvalidInput) as caught:
        load_organisation(path)
    assert caught.value.field == "ACCORD_ORGANISATION"
    assert f"{path}: no such file" in caught.value.message


def test_a_file_that_is_not_toml_is_named(tmp_path):
    error = fault(tmp_path, "states = [\n")
    assert error.field == "ACCORD_ORGANISATION"
    assert "not valid TOML" in error.message


def test_an_unknown_iso_code_names_its_entry(tmp_path):
    error = fault(tmp_path, SHIPPED.replace('code = "KAZ"', 'code = "KZZ"'))
    assert error.field == "states.2.code"
    assert "'KZZ' is not an ISO 3166 alpha-3 country code" in error.message


def test_a_lower_case_code_is_refused(tmp_path):
    error = fault(tmp_path, SHIPPED.replace('code = "ARM"', 'code = "arm"'))
    assert error.field == "states.0.code"


def test_an_unknown_status_names_its_entry_and_the_allowed_ones(tmp_path):
    error = fault(tmp_path, SHIPPED.replace('status = "member"', 'status = "emperor"', 1))
    assert error.field == "states.0.status"
    assert "'member', 'suspended', 'observer' or 'partner'" in error.message


def test_an_unknown_time_zone_names_its_entry(tmp_path):
    error = fault(tmp_path, SHIPPED.replace('"Asia/Bishkek"', '"Asia/Atlantis"'))
    assert error.field == "states.3.timezone"
    assert "unknown time zone 'Asia/Atlantis'" in error.message


def test_a_rotation_naming_an_unknown_state_names_its_position(tmp_path):
    rotation = 'rotation = ["ARM", "BLR", "KAZ", "KGZ", "RUS", "TJK"]'
    error = fault(tmp_path, SHIPPED.replace(rotation, rotation[:-1] + ', "UZB"]'))
    assert "chair.rotation.6: 'UZB' is not among the states" in error.message


def test_a_held_chair_of_an_unknown_state_names_its_entry(tmp_path):
    error = fault(
        tmp_path,
        SHIPPED.replace('{ year = 2023, state = "BLR" }', '{ year = 2023, state = "UZB" }'),
    )
    assert "chair.held.1.state: 'UZB' is not in chair.rotation" in error.message


def test_a_year_with_two_chairs_is_refused(tmp_path):
    error = fault(tmp_path, SHIPPED.replace("year = 2023", "year = 2022"))
    assert "chair.held: a year has two chairs" in error.message


def test_a_state_listed_twice_is_refused(tmp_path):
    error = fault(tmp_path, SHIPPED.replace('code = "BLR"', 'code = "ARM"'))
    assert "a state code is listed twice" in error.message


def test_an_unknown_decision_rule_names_its_body(tmp_path):
    error = fault(
        tmp_path, SHIPPED.replace('decision_rule = "consensus"', 'decision_rule = "vote"', 1)
    )
    assert error.field == "bodies.0.decision_rule"


def test_a_misspelt_key_is_refused_rather_than_ignored(tmp_path):
    error = fault(tmp_path, SHIPPED.replace('capital = "Minsk"', 'captial = "Minsk"'))
    assert error.field == "states.1.captial"


def test_a_file_without_states_is_refused(tmp_path):
    shipped_head = SHIPPED.split("[[states]]")[0]
    chair = SHIPPED[SHIPPED.index("[chair]") :]
    error = fault(tmp_path, shipped_head + chair)
    assert error.field == "states"
