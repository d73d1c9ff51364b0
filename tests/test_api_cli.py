"""``gisserver analyse``: JSON on stdout from the same functions; mistakes as one clear line."""

from __future__ import annotations

import datetime as dt
import json
from collections.abc import Iterator
from pathlib import Path

import psycopg
import pytest
from click.testing import CliRunner

from gisserver.cli import main

SOURCE = "test-api-cli"


@pytest.fixture(scope="module")
def generated(database_url: str) -> Iterator[dict[str, int]]:
    with psycopg.connect(database_url) as conn:
        shelter = conn.execute(
            "INSERT INTO shelters (source, source_id, name, capacity, status, geom) VALUES"
            " (%s, 's', 'cli shelter', 40, 'open', ST_SetSRID(ST_MakePoint(120, -30), 4326))"
            " RETURNING id",
            (SOURCE,),
        ).fetchone()[0]
        zone = conn.execute(
            "INSERT INTO hazard_zones (source, source_id, hazard_type, severity, valid_from, geom)"
            " VALUES (%s, 'z', 'heat', 'extreme', %s,"
            " ST_Multi(ST_MakeEnvelope(119.99, -30.01, 120.01, -29.99, 4326))) RETURNING id",
            (SOURCE, dt.datetime.now(dt.UTC) - dt.timedelta(hours=1)),
        ).fetchone()[0]
        conn.commit()
    yield {"shelter": shelter, "zone": zone}
    with psycopg.connect(database_url) as conn:
        for table in ("shelters", "hazard_zones"):
            conn.execute(f"DELETE FROM {table} WHERE source = %s", (SOURCE,))
        conn.commit()


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


def test_nearest(run, generated):
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
    assert answer["features"][0]["id"] == generated["shelter"]
    assert answer["features"][0]["properties"]["distance_m"] > 0


def test_risk_areas_forms(run, generated, tmp_path: Path):
    circle = run("risk-areas", "--point", "120,-30", "--radius", "500")
    assert generated["zone"] in [f["id"] for f in circle["features"]]
    assert circle["features"][0]["properties"]["assets"]["shelters"]["count"] >= 1
    at_point = run("zones-at-point", "--lon", "120", "--lat", "-30")
    assert generated["zone"] in [f["id"] for f in at_point["features"]]
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
    assert generated["zone"] in [f["id"] for f in by_file["features"]]


def test_affected_population_and_situation(run, generated):
    answer = run("affected-population", "--hazard-zone-id", str(generated["zone"]))
    assert "population" in answer and answer["area"] == {"hazard_zone_id": generated["zone"]}
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
