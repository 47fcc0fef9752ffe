from pathlib import Path

import pytest

from barometer.errors import SettingsError
from barometer.settings import SETTINGS, Settings, load_settings

DOCS = Path(__file__).parents[1] / "docs" / "settings.md"


def test_settings_every_setting_is_documented():
    text = DOCS.read_text(encoding="utf-8")
    missing = [s.name for s in SETTINGS if f"`{s.name}`" not in text]
    assert not missing, f"settings missing from docs/settings.md: {missing}"


def test_settings_table_matches_dataclass():
    assert [s.name for s in SETTINGS] == [f for f in Settings.__dataclass_fields__ if f != "origins"]


def test_settings_precedence_config_env_flags(tmp_path):
    config = tmp_path / "b.toml"
    config.write_text('[barometer]\ndb = "from-config.duckdb"\nbatch_size = 7\n')
    settings = load_settings(config, env={"BAROMETER_BATCH_SIZE": "9"})
    assert settings.db == "from-config.duckdb" and settings.batch_size == 9
    assert settings.origins["batch_size"] == "environment"
    flagged = load_settings(config, env={}, db="flag.duckdb")
    assert flagged.db == "flag.duckdb" and flagged.batch_size == 7


def test_settings_bad_values_name_the_setting(tmp_path):
    with pytest.raises(SettingsError, match="batch_size"):
        load_settings(None, env={"BAROMETER_BATCH_SIZE": "many"})
    config = tmp_path / "b.toml"
    config.write_text('[barometer]\ncolour = "blue"\n')
    with pytest.raises(SettingsError, match="colour"):
        load_settings(config, env={})
    with pytest.raises(SettingsError, match="does not exist"):
        load_settings(tmp_path / "missing.toml", env={})


@pytest.mark.parametrize("value", ["nan", "inf", "0", "-2"])
def test_settings_turning_penalty_must_be_a_positive_number(value):
    with pytest.raises(SettingsError, match="turning_penalty"):
        load_settings(None, env={"BAROMETER_TURNING_PENALTY": value})
    assert load_settings(None, env={"BAROMETER_TURNING_PENALTY": "4.5"}).turning_penalty == 4.5
