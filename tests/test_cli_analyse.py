"""``gisserver analyse``: JSON on stdout from the same functions; mistakes as one clear line."""

from __future__ import annotations

import datetime as dt
import json
from pathlib import Path

import pytest
from click.testing import CliRunner

from gisserver.cli import main


@pytest.fixture(scope="module")
def heat_zone_shelter(module_rows) -> dict[str, int]:
    """One open shelter for 40 inside an extreme heat zone in force, near (120, -30)."""
    return {
        "shelter": module_rows.shelter(120, -30, name="cli shelter", capacity=40, status="open"),
        "zone": module_rows.zone(
            (119.99, -30.01, 120.01, -29.99),
            hazard_type="heat",
            severity="extreme",
            valid_from=dt.datetime.now(dt.UTC) - dt.timedelta(hours=1),
        ),
    }


@pytest.fixture()
def run(database_url: str, monkeypatch):
    monkeypatch.setenv("DATABASE_URL", database_url)

    def invoke(*args: str, ok: bool = True):
        result = CliRunner().invoke(main, ["analyse", *args])
        if ok:
            assert result.exit_code == 0, result.output
            return json.loads(result.stdout)
        return result

    return invoke


def test_nearest(run, heat_zone_shelter):
    answer = run(
        "nearest-resources",
        "--layer",
        "shelters",
        "--lon",
        "120.001",
        "--lat",
        "-30",
        "-k",
        "1",
        "--status",
        "open",
        "--min-free-capacity",
        "10",
    )
    assert answer["features"][0]["id"] == heat_zone_shelter["shelter"]
    assert answer["features"][0]["properties"]["distance_m"] > 0


def test_risk_areas_forms(run, heat_zone_shelter, tmp_path: Path):
    circle = run("risk-areas", "--point", "120,-30", "--radius", "500")
    assert heat_zone_shelter["zone"] in [f["id"] for f in circle["features"]]
    assert circle["features"][0]["properties"]["assets"]["shelters"]["count"] >= 1
    at_point = run("zones-at-point", "--lon", "120", "--lat", "-30")
    assert heat_zone_shelter["zone"] in [f["id"] for f in at_point["features"]]
    geometry = tmp_path / "area.geojson"
    geometry.write_text(
        json.dumps(
            {
                "type": "Polygon",
                "coordinates": [
                    [[119.9, -30.1], [120.1, -30.1], [120.1, -29.9], [119.9, -29.9], [119.9, -30.1]]
                ],
            }
        )
    )
    by_file = run("risk-areas", "--geometry", str(geometry), "--min-severity", "extreme")
    assert heat_zone_shelter["zone"] in [f["id"] for f in by_file["features"]]


def test_affected_population_and_situation(run, heat_zone_shelter):
    answer = run("affected-population", "--hazard-zone-id", str(heat_zone_shelter["zone"]))
    assert "population" in answer and answer["area"] == {
        "hazard_zone_id": heat_zone_shelter["zone"]
    }
    report = run("situation", "--bbox", "119.9,-30.1,120.1,-29.9")
    assert report["layers"]["shelters"]["total"] == 1
    assert report["layers"]["hazard_zones"]["in_force_by_severity"] == {"extreme": 1}


@pytest.mark.parametrize(
    ("args", "start"),
    [
        (["nearest-resources", "--layer", "shelters", "--lon", "0", "--lat", "0", "-k", "0"], "k:"),
        (
            [
                "nearest-resources",
                "--layer",
                "cameras",
                "--lon",
                "0",
                "--lat",
                "0",
                "--item",
                "water",
            ],
            "item:",
        ),
        (["risk-areas", "--point", "0,0", "--radius", "0"], "radius_m:"),
        (["risk-areas", "--point", "0;0", "--radius", "10"], "point:"),
        (["risk-areas", "--point", "0,0"], "radius_m:"),
        (["situation", "--bbox", "1,2"], "bbox:"),
        (["affected-population", "--buffer-m", "5"], "geometry:"),
    ],
)
def test_mistakes_are_one_line_without_traceback(run, args, start):
    result = run(*args, ok=False)
    assert result.exit_code == 1
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1 and lines[0].startswith(f"gisserver: error: {start}"), result.stderr
    assert "accepted" in lines[0]


def test_a_geometry_file_that_is_not_json(run, tmp_path: Path):
    bad = tmp_path / "bad.geojson"
    bad.write_text("{not json")
    result = run("risk-areas", "--geometry", str(bad), ok=False)
    assert result.exit_code == 1
    assert result.stderr.startswith("gisserver: error: --geometry:")
