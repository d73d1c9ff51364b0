"""The routing profile (gisserver/routing/profile.py): what it accepts, what it refuses and how
it says so, the speeds that GISSERVER_ROAD_SPEEDS_KMH overrides, and ``gisserver check``
reporting a bad profile named by GISSERVER_ROUTING_PROFILE."""

from __future__ import annotations

import os
from pathlib import Path
from typing import Any

import pytest
import yaml
from click.testing import CliRunner

from gisserver.cli import main
from gisserver.errors import ConfigError
from gisserver.routing.profile import BUNDLED, parse_profile, parse_speeds, profile_of
from gisserver.settings import Settings


def profile(**overrides: Any) -> dict[str, Any]:
    doc: dict[str, Any] = {
        "speeds_kmh": {"primary": 40, "residential": 30},
        "default_speed_kmh": 25,
        "hazards": {"default": {"extreme": "closed", "high": 0.5}},
    }
    doc.update(overrides)
    return doc


def test_the_bundled_profile_reads_as_its_yaml_says():
    raw = yaml.safe_load(BUNDLED.read_text())
    parsed = parse_profile(raw, source="bundled")
    assert dict(parsed.speeds_kmh) == {k: float(v) for k, v in raw["speeds_kmh"].items()}
    assert parsed.effect("flood", "extreme") == 0.0
    assert parsed.effect("flood", "high") == 0.5
    assert parsed.effect("flood", "moderate") is None
    assert parsed.effect("fire", "high") == 0.0
    assert parsed.effect("chemical", "moderate") == 0.5
    assert parsed.effect("fire", "low") is None
    assert parsed.describe_effect(0.0) == "closed"
    assert parsed.describe_effect(0.5) == "speed x0.5"
    assert parsed.max_speed_kmh == max(raw["speeds_kmh"].values())


@pytest.mark.parametrize(
    ("doc", "message"),
    [
        (
            profile(hazards={"default": {"severe": "closed"}}),
            "p.yaml: hazards.default.severe: not a severity; accepted: ",
        ),
        (
            profile(hazards={"by_hazard_type": {"fire": {"catastrophic": 0.5}}}),
            "p.yaml: hazards.by_hazard_type.fire.catastrophic: not a severity",
        ),
        (profile(hazards={"default": {"high": 1.5}}), "hazards.default.high: 1.5 is not an effect"),
        (profile(hazards={"default": {"high": 0}}), "hazards.default.high: 0 is not an effect"),
        (profile(hazards={"default": {"high": "open"}}), "'open' is not an effect"),
        (profile(hazards={"default": {"high": True}}), "True is not an effect"),
        (profile(hazards={"default": ["high"]}), "hazards.default: expected severity: effect"),
        (profile(hazards={"sometimes": {}}), "hazards: accepted keys: default, by_hazard_type"),
        (profile(speeds_kmh={"primary": 0}), "speeds_kmh.primary: 0 is not a speed"),
        (profile(speeds_kmh={"primary": -5}), "speeds_kmh.primary: -5 is not a speed"),
        (profile(speeds_kmh={"primary": 301}), "speeds_kmh.primary: 301 is not a speed"),
        (profile(speeds_kmh={"primary": "fast"}), "speeds_kmh.primary: 'fast' is not a speed"),
        (profile(speeds_kmh={"primary": True}), "speeds_kmh.primary: True is not a speed"),
        (profile(speeds_kmh={}), "speeds_kmh: expected road class: km/h pairs"),
        (profile(default_speed_kmh=0), "default_speed_kmh: 0 is not a speed"),
        (profile(turns=True), "unknown keys ['turns']"),
        (["speeds_kmh"], "p.yaml: a routing profile is a mapping"),
    ],
)
def test_a_bad_profile_is_refused_naming_the_key(doc: Any, message: str):
    with pytest.raises(ConfigError) as info:
        parse_profile(doc, source="p.yaml")
    assert message in info.value.message


def test_road_speeds_setting_parses_and_refuses():
    assert parse_speeds("primary=50,residential=25") == {"primary": 50.0, "residential": 25.0}
    assert parse_speeds(" primary = 50 , ") == {"primary": 50.0}
    assert parse_speeds("") == {}
    for bad in (
        "primary",
        "primary=",
        "=50",
        "primary=fast",
        "primary=0",
        "primary=-3",
        "primary=301",
        "primary=nan",
        "primary=inf",
    ):
        with pytest.raises(ConfigError) as info:
            parse_speeds(f"residential=25,{bad}")
        assert info.value.message.startswith(f"GISSERVER_ROAD_SPEEDS_KMH: {bad!r}:"), bad
        assert "accepted: km/h, 0 < v <= 300" in info.value.message


def test_settings_override_the_profile_s_speeds(settings: Settings, tmp_path: Path):
    overridden = profile_of(settings.model_copy(update={"road_speeds_kmh": "primary=55"}))
    assert overridden.speeds_kmh["primary"] == 55.0
    assert overridden.speeds_kmh["residential"] == profile_of(settings).speeds_kmh["residential"]
    own = tmp_path / "profile.yaml"
    own.write_text(yaml.safe_dump(profile(default_speed_kmh=12)))
    replaced = profile_of(settings.model_copy(update={"routing_profile": own}))
    assert replaced.default_speed_kmh == 12.0 and replaced.source == str(own)
    assert set(replaced.speeds_kmh) == {"primary", "residential"}


def test_an_edited_profile_acts_on_the_next_query(settings: Settings, tmp_path: Path):
    own = tmp_path / "edited.yaml"
    own.write_text(yaml.safe_dump(profile()))
    with_own = settings.model_copy(update={"routing_profile": own})
    assert profile_of(with_own).speeds_kmh["primary"] == 40.0
    own.write_text(yaml.safe_dump(profile(speeds_kmh={"primary": 45})))
    stat = own.stat()
    os.utime(own, ns=(stat.st_atime_ns, stat.st_mtime_ns + 1_000_000_000))  # a later edit
    assert profile_of(with_own).speeds_kmh["primary"] == 45.0


def test_check_reports_a_bad_routing_profile(tmp_path: Path, monkeypatch: pytest.MonkeyPatch):
    bad = tmp_path / "bad-profile.yaml"
    bad.write_text(yaml.safe_dump(profile(hazards={"default": {"high": 2}})))
    monkeypatch.setenv("GISSERVER_ROUTING_PROFILE", str(bad))
    result = CliRunner().invoke(main, ["check"])
    assert result.exit_code == 1, result.output
    assert f"{bad}: hazards.default.high: 2 is not an effect" in result.output
    assert "1 problem(s) found" in result.output

    volcano = tmp_path / "volcano-profile.yaml"
    volcano.write_text(
        yaml.safe_dump(profile(hazards={"by_hazard_type": {"volcano": {"high": "closed"}}}))
    )
    monkeypatch.setenv("GISSERVER_ROUTING_PROFILE", str(volcano))
    result = CliRunner().invoke(main, ["check"])
    assert result.exit_code == 1, result.output
    assert "hazards.by_hazard_type.volcano: not a hazard type of layers/hazard_zones.yaml" in (
        result.output
    )

    monkeypatch.setenv("GISSERVER_ROUTING_PROFILE", str(tmp_path / "missing.yaml"))
    result = CliRunner().invoke(main, ["check"])
    assert result.exit_code == 1 and "missing.yaml" in result.output

    good = tmp_path / "good-profile.yaml"
    good.write_text(yaml.safe_dump(profile()))
    monkeypatch.setenv("GISSERVER_ROUTING_PROFILE", str(good))
    result = CliRunner().invoke(main, ["check"])
    assert result.exit_code == 0, result.output
    assert "routing profile valid" in result.output

    monkeypatch.setenv("GISSERVER_ROUTING_PROFILE", str(good))
    monkeypatch.setenv("GISSERVER_ROAD_SPEEDS_KMH", "primary=fast")
    result = CliRunner().invoke(main, ["check"])
    assert result.exit_code == 1 and "GISSERVER_ROAD_SPEEDS_KMH: 'primary=fast'" in result.output
