"""``gisserver etl load`` and ``gisserver etl run``: reports, clear errors, a real subprocess."""

from __future__ import annotations

import os
import subprocess
import sys
import uuid
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import psycopg
import pytest
from click.testing import CliRunner

from gisserver.cli import main
from gisserver.settings import PROJECT_ROOT, Settings

DATA = PROJECT_ROOT / "etl" / "data"
MAPPINGS = PROJECT_ROOT / "etl" / "mappings"


@pytest.fixture()
def env(settings: Settings) -> dict[str, str]:
    return {
        "DATABASE_URL": settings.database_url or "",
        "GISSERVER_DATA_DIR": str(settings.data_dir),
    }


@pytest.fixture()
def names(conn: psycopg.Connection[Any]) -> Iterator[list[str]]:
    made: list[str] = []
    yield made
    conn.rollback()
    with conn.transaction():
        for table in ("shelters", "cameras", "stockpiles"):
            conn.execute(f"DELETE FROM {table} WHERE source = ANY(%s)", (made,))


def new_name(names: list[str], label: str) -> str:
    name = f"test-etl-cli-{label}-{uuid.uuid4().hex[:8]}"
    names.append(name)
    return name


def test_load_prints_the_report(env: dict[str, str], names: list[str]):
    src = new_name(names, "shelters")
    args = [
        "etl",
        "load",
        "shelters",
        str(DATA / "cambridge" / "PUBLICSAFETY_EmergencyShelters.geojson"),
        "--source",
        src,
        "--mapping",
        str(MAPPINGS / "cambridge_shelters.yaml"),
    ]
    result = CliRunner().invoke(main, args, env=env)
    assert result.exit_code == 0, result.output
    assert f"[source {src}]: succeeded; read 15, inserted 15" in result.output
    again = CliRunner().invoke(main, [*args, "--dry-run"], env=env)
    assert "dry_run; read 15, inserted 0, updated 0, unchanged 15" in again.output
    quiet = CliRunner().invoke(main, [*args, "-q"], env=env)
    assert quiet.exit_code == 0 and quiet.output == ""


@pytest.mark.parametrize(
    ("args", "expected"),
    [
        (["etl", "load", "parcels", "x.geojson"], "'parcels' is not one of"),
        (["etl", "load", "roads", "/nonexistent/streets.geojson"], "file not found"),
        (
            ["etl", "load", "roads", str(DATA / "cambridge" / "TRANS_Centerlines.geojson")],
            "needs a roads mapping",
        ),
        (
            [
                "etl",
                "load",
                "roads",
                str(DATA / "osm" / "helsinki_centre.osm.pbf"),
                "--mapping",
                str(MAPPINGS / "cambridge_centerlines.yaml"),
            ],
            "is an OpenStreetMap extract",
        ),
        (["etl", "load", "shelters", "/nonexistent/shelters.geojson"], "file not found"),
        (["etl", "load", "shelters", "README.md"], "unknown file type '.md'"),
        (
            [
                "etl",
                "load",
                "shelters",
                str(DATA / "cambridge" / "crashes_2010_2015.csv"),
                "--source",
                "bad name!",
            ],
            "not a usable source name",
        ),
        (
            ["etl", "load", "shelters", str(DATA / "nyc" / "evac_centers.csv"), "--crs", "EPSG:0"],
            "not a known CRS",
        ),
        (
            [
                "etl",
                "load",
                "population",
                str(DATA / "cambridge" / "DPW_SaltBarrels.geojson"),
                "--source",
                "x",
            ],
            "--count-field",
        ),
        (
            [
                "etl",
                "load",
                "population",
                str(DATA / "population" / "accra_worldpop_2015.tif"),
                "--source",
                "x",
                "--count-field",
                "POP",
            ],
            "is a raster",
        ),
    ],
)
def test_user_mistakes_are_one_clear_line(args: list[str], expected: str, env: dict[str, str]):
    result = CliRunner().invoke(main, args, env=env)
    assert result.exit_code != 0
    assert expected in result.output
    assert "Traceback" not in result.output


def test_mapping_naming_an_unknown_field_is_reported(env: dict[str, str], tmp_path: Path):
    mapping = tmp_path / "m.yaml"
    mapping.write_text("fields:\n  name: NoSuchField\n  colour: Name\n")
    result = CliRunner().invoke(
        main,
        [
            "etl",
            "load",
            "shelters",
            str(DATA / "cambridge" / "PUBLICSAFETY_EmergencyShelters.geojson"),
            "--mapping",
            str(mapping),
        ],
        env=env,
    )
    assert result.exit_code == 1
    assert "fields.colour: not a field of layer shelters" in result.output


def test_run_manifest(env: dict[str, str], names: list[str], tmp_path: Path):
    shelters, cameras = new_name(names, "m-shelters"), new_name(names, "m-cameras")
    manifest = tmp_path / "manifest.yaml"
    data = os.path.relpath(DATA, tmp_path)
    mappings = os.path.relpath(MAPPINGS, tmp_path)
    manifest.write_text(
        f"""
- layer: shelters
  file: {data}/nyc/evac_centers.csv
  source: {shelters}
  mapping: {mappings}/nyc_evac_centers.yaml
- layer: cameras
  file: {data}/nyc/dot_cameras.json
  source: {cameras}
  mapping: {mappings}/nyc_dot_cameras.yaml
"""
    )
    result = CliRunner().invoke(main, ["etl", "run", str(manifest)], env=env)
    assert result.exit_code == 0, result.output
    assert f"[source {shelters}]: succeeded; read 60, inserted 60" in result.output
    assert f"[source {cameras}]: succeeded; read 723, inserted 723" in result.output
    assert "2 loads, 783 rows changed, 0 rejected" in result.output
    again = CliRunner().invoke(main, ["etl", "run", str(manifest)], env=env)
    assert "2 loads, 0 rows changed, 0 rejected" in again.output


def test_manifest_problems_are_all_listed_before_loading(env: dict[str, str], tmp_path: Path):
    manifest = tmp_path / "bad.yaml"
    manifest.write_text(
        "- layer: parcels\n  file: a.geojson\n"
        "- layer: shelters\n  file: missing.geojson\n  colour: red\n"
    )
    result = CliRunner().invoke(main, ["etl", "run", str(manifest)], env=env)
    assert result.exit_code == 1
    assert "loads[0].layer: 'parcels'" in result.output
    assert "loads[1].file" in result.output and "loads[1].colour: unknown key" in result.output


def test_demo_manifest_is_valid():
    from gisserver.etl.manifest import read_manifest

    loads = read_manifest(PROJECT_ROOT / "etl" / "demo.yaml")
    layers = {load.layer for load in loads}
    assert layers == {
        "hazard_zones",
        "shelters",
        "stockpiles",
        "incidents",
        "cameras",
        "units",
        "stockpile_items",
        "roads",
        "population",
        "basemap",
    }


def test_load_from_a_subprocess(env: dict[str, str], names: list[str]):
    """The benchmark drives the loader as a command; it must work outside pytest's process."""
    src = new_name(names, "subprocess")
    result = subprocess.run(
        [
            sys.executable,
            "-m",
            "gisserver",
            "etl",
            "load",
            "stockpiles",
            str(DATA / "cambridge" / "DPW_SaltBarrels.geojson"),
            "--source",
            src,
            "--mapping",
            str(MAPPINGS / "cambridge_salt_barrels.yaml"),
        ],
        env={**os.environ, **env},
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )
    assert result.returncode == 0, result.stderr
    assert "read 11, inserted 11" in result.stdout
    assert result.stderr == ""  # not a terminal: no progress bar
