"""The layers' alerts: sections: the bundled rules and defaults, and every problem named with the
file, the key and what is accepted (``gisserver check`` reports them)."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest
from click.testing import CliRunner

from gisserver.cli import main
from gisserver.errors import ConfigError
from gisserver.layers import load_layers
from gisserver.settings import PROJECT_ROOT


def _layers_with(tmp_path: Path, layer: str, old: str, new: str) -> Path:
    target = tmp_path / "layers"
    shutil.copytree(PROJECT_ROOT / "layers", target)
    path = target / f"{layer}.yaml"
    text = path.read_text()
    assert old in text, old
    path.write_text(text.replace(old, new, 1))
    return target


def test_bundled_rules_and_thresholds():
    layers = load_layers(PROJECT_ROOT / "layers")
    rules = layers.alert_rules()
    assert set(rules) == {
        "incident_in_hazard_zone",
        "hazard_zone_covers_assets",
        "shelter_nearly_full",
        "shelter_open_in_hazard_zone",
        "stock_below_minimum",
        "stock_expiring",
        "camera_silent",
    }
    assert rules["shelter_nearly_full"].thresholds == {"occupancy_at_least": 0.9}
    assert rules["stock_expiring"].thresholds == {"expiring_within_days": 7}
    assert rules["camera_silent"].thresholds == {"silent_for_minutes": 30}
    assert rules["stock_below_minimum"].minimums["water"] == 100
    assert rules["incident_in_hazard_zone"].severity == "from_zone"
    assert all(rule.layer == layer.id for layer in layers for rule in layer.alerts.values())


def test_a_rule_left_out_runs_with_its_defaults(tmp_path: Path):
    target = tmp_path / "layers"
    shutil.copytree(PROJECT_ROOT / "layers", target)
    path = target / "shelters.yaml"
    path.write_text(path.read_text().partition("\nalerts:")[0] + "\n")
    rule = load_layers(target)["shelters"].alerts["shelter_nearly_full"]
    assert rule.enabled and rule.thresholds == {"occupancy_at_least": 0.9}
    assert rule.severity == "moderate"


def test_a_rule_can_be_turned_off(tmp_path: Path):
    target = _layers_with(tmp_path, "cameras", "    silent_for_minutes: 30", "    enabled: false")
    layers = load_layers(target)
    assert not layers["cameras"].alerts["camera_silent"].enabled
    assert "camera_silent" not in layers.alert_rules()


@pytest.mark.parametrize(
    ("layer", "old", "new", "message"),
    [
        (
            "shelters",
            "  shelter_nearly_full:",
            "  shelter_full:",
            "alerts.shelter_full: 'shelter_full' is not a rule of shelters; accepted: "
            "shelter_nearly_full, shelter_open_in_hazard_zone",
        ),
        (
            "shelters",
            "occupancy_at_least: 0.9",
            "occupancy_at_least: 90",
            "alerts.shelter_nearly_full.occupancy_at_least: 90 is out of range; accepted: a "
            "share of the capacity, above 0 and at most 1 (0.9: 90%)",
        ),
        (
            "shelters",
            "occupancy_at_least: 0.9",
            "occupancy_at_least: ninety",
            "alerts.shelter_nearly_full.occupancy_at_least: 'ninety' is not a number",
        ),
        (
            "shelters",
            "    severity: moderate",
            "    severity: high",
            "alerts.shelter_nearly_full.severity: 'high' is not a severity; accepted: extreme, "
            "severe, moderate, minor",
        ),
        (
            "stockpiles",
            "expiring_within_days: 7",
            "expiring_within_days: 2.5",
            "alerts.stock_expiring.expiring_within_days: 2.5 is not a whole number",
        ),
        (
            "stockpiles",
            "      water: 100",
            "      gold: 100",
            "alerts.stock_below_minimum.minimums.gold: 'gold' is not a stock item; accepted: "
            "water, food_ration,",
        ),
        (
            "stockpiles",
            "      water: 100",
            "      water: -1",
            "alerts.stock_below_minimum.minimums.water: -1 is not accepted; accepted: a "
            "quantity above 0",
        ),
        (
            "cameras",
            "silent_for_minutes: 30",
            "silent_for_minutes: 0",
            "alerts.camera_silent.silent_for_minutes: 0 is out of range",
        ),
        (
            "cameras",
            "silent_for_minutes: 30",
            "silent_for_hours: 1",
            "alerts.camera_silent.silent_for_hours: unknown key; accepted: enabled, severity, "
            "silent_for_minutes",
        ),
        (
            "incidents",
            "incident_in_hazard_zone:",
            "shelter_nearly_full:",
            "alerts.shelter_nearly_full: 'shelter_nearly_full' is not a rule of incidents; "
            "accepted: incident_in_hazard_zone",
        ),
    ],
)
def test_alert_problems_name_file_key_and_accepted(
    tmp_path: Path, layer: str, old: str, new: str, message: str
):
    with pytest.raises(ConfigError) as info:
        load_layers(_layers_with(tmp_path, layer, old, new))
    assert f"{layer}.yaml: {message}" in info.value.message


def test_check_command_reports_a_wrong_threshold(tmp_path: Path, monkeypatch):
    target = _layers_with(tmp_path, "cameras", "silent_for_minutes: 30", "silent_for_minutes: -5")
    monkeypatch.setenv("GISSERVER_LAYERS_DIR", str(target))
    result = CliRunner().invoke(main, ["check"])
    assert result.exit_code == 1
    assert "cameras.yaml: alerts.camera_silent.silent_for_minutes: -5 is out of range" in (
        result.output
    )
