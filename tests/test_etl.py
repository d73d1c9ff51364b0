"""ETL against the real bundled files: exact counts computed independently (json, csv,
rasterio, PostGIS), rejects with reasons, rollback, idempotent reloads, --replace, CRS."""

from __future__ import annotations

import csv
import datetime as dt
import json
import logging
import threading
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

import numpy as np
import psycopg
import pyproj
import pytest
import rasterio

from gisserver.errors import ConfigError, InvalidParameter
from gisserver.etl import LoadAborted, load_file
from gisserver.etl import loader as loader_module
from gisserver.etl.population import load_population
from gisserver.layers import STOCK_ITEMS as ITEMS
from gisserver.settings import PROJECT_ROOT, Settings

Names = Callable[[str], str]  # the `sources` fixture (conftest.py)

DATA = PROJECT_ROOT / "etl" / "data"
MAPPINGS = PROJECT_ROOT / "etl" / "mappings"
GEOD = pyproj.Geod(ellps="WGS84")


def features(path: Path) -> list[dict[str, Any]]:
    return json.loads(path.read_text())["features"]


def count(conn: psycopg.Connection[Any], table: str, source: str) -> int:
    row = conn.execute(f"SELECT count(*) FROM {table} WHERE source = %s", (source,)).fetchone()
    assert row is not None
    return int(row[0])


def snapshot(conn: psycopg.Connection[Any], table: str, source: str) -> list[tuple[Any, ...]]:
    return conn.execute(
        f"SELECT *, ST_AsEWKB(geom) FROM {table} WHERE source = %s ORDER BY id", (source,)
    ).fetchall()


def version(conn: psycopg.Connection[Any], layer: str) -> int:
    row = conn.execute("SELECT version FROM layer_versions WHERE layer = %s", (layer,)).fetchone()
    assert row is not None
    return int(row[0])


def assert_reload_unchanged(
    conn: psycopg.Connection[Any],
    settings: Settings,
    layer: str,
    path: Path,
    source: str,
    **kwargs: Any,
) -> None:
    before, ver = snapshot(conn, layer, source), version(conn, layer)
    again = load_file(conn, layer, path, source=source, settings=settings, **kwargs)
    assert (again.inserted, again.updated, again.retired) == (0, 0, 0)
    assert again.unchanged == len(before)
    assert snapshot(conn, layer, source) == before  # updated_at included
    assert version(conn, layer) == ver  # a no-op reload leaves caches valid


def test_cambridge_floodplains(conn: psycopg.Connection[Any], settings: Settings, sources: Names):
    src100, src500 = sources("fema100"), sources("fema500")
    f100 = features(DATA / "cambridge" / "FEMA_FloodPlains100Year.geojson")
    f500 = features(DATA / "cambridge" / "FEMA_FloodPlains500Year.geojson")
    floodway = sum(f["properties"].get("zone_subty") == "FLOODWAY" for f in f100)
    zone_x = sum(f["properties"]["fld_zone"] == "X" for f in f500)

    r100 = load_file(
        conn,
        "hazard_zones",
        DATA / "cambridge" / "FEMA_FloodPlains100Year.geojson",
        source=src100,
        mapping=MAPPINGS / "cambridge_floodplains_100yr.yaml",
        settings=settings,
    )
    assert (r100.read, r100.inserted, r100.rejected) == (len(f100), len(f100), 0)
    r500 = load_file(
        conn,
        "hazard_zones",
        DATA / "cambridge" / "FEMA_FloodPlains500Year.geojson",
        source=src500,
        mapping=MAPPINGS / "cambridge_floodplains_500yr.yaml",
        settings=settings,
    )
    assert (r500.read, r500.inserted, r500.skipped) == (len(f500), zone_x, len(f500) - zone_x)
    rows = conn.execute(
        "SELECT severity, hazard_type, count(*) FROM hazard_zones WHERE source = ANY(%s) "
        "GROUP BY 1, 2 ORDER BY 1",
        ([src100, src500],),
    ).fetchall()
    assert rows == sorted(
        [
            ("extreme", "flood", floodway),
            ("high", "flood", len(f100) - floodway),
            ("moderate", "flood", zone_x),
        ]
    )
    bad = conn.execute(
        "SELECT count(*) FROM hazard_zones WHERE source = %s AND "
        "(NOT ST_IsValid(geom) OR GeometryType(geom) <> 'MULTIPOLYGON')",
        (src100,),
    ).fetchone()
    assert bad == (0,)
    assert_reload_unchanged(
        conn,
        settings,
        "hazard_zones",
        DATA / "cambridge" / "FEMA_FloodPlains100Year.geojson",
        src100,
        mapping=MAPPINGS / "cambridge_floodplains_100yr.yaml",
    )


def test_cambridge_shelters(conn: psycopg.Connection[Any], settings: Settings, sources: Names):
    src = sources("shelters")
    path = DATA / "cambridge" / "PUBLICSAFETY_EmergencyShelters.geojson"
    props = [f["properties"] for f in features(path)]
    report = load_file(
        conn,
        "shelters",
        path,
        source=src,
        mapping=MAPPINGS / "cambridge_shelters.yaml",
        settings=settings,
    )
    assert (report.read, report.inserted, report.rejected) == (len(props), len(props), 0)
    row = conn.execute(
        "SELECT sum(capacity), count(*) FILTER (WHERE has_food), "
        "count(*) FILTER (WHERE has_medical), count(*) FILTER (WHERE status = 'standby'), "
        "sum(occupancy) FROM shelters WHERE source = %s",
        (src,),
    ).fetchone()
    assert row == (
        sum(p.get("SHEL_CAP") or 0 for p in props),
        sum(p["SHEL_FOOD"] == "YES" for p in props),
        sum(p["MED_FAC"] == "YES" for p in props),
        len(props),
        0,
    )
    # unmapped attributes are kept in properties
    kept = conn.execute(
        "SELECT properties FROM shelters WHERE source = %s AND source_id = %s",
        (src, props[0]["GlobalID"]),
    ).fetchone()
    assert kept is not None and kept[0]["CONCATEID"] == props[0]["CONCATEID"]
    assert_reload_unchanged(
        conn, settings, "shelters", path, src, mapping=MAPPINGS / "cambridge_shelters.yaml"
    )


def test_cambridge_stockpiles_and_inventory(
    conn: psycopg.Connection[Any], settings: Settings, sources: Names, tmp_path: Path
):
    salt, depots, inventory = sources("salt"), sources("depots"), sources("inventory")
    salt_path = DATA / "cambridge" / "DPW_SaltBarrels.geojson"
    depot_path = DATA / "cambridge" / "LANDMARK_MunicipalBuildings.geojson"
    garages = sum(f["properties"]["TYPE"] == "DPW Garage" for f in features(depot_path))
    r1 = load_file(
        conn,
        "stockpiles",
        salt_path,
        source=salt,
        mapping=MAPPINGS / "cambridge_salt_barrels.yaml",
        settings=settings,
    )
    assert (r1.inserted, r1.rejected) == (len(features(salt_path)), 0)
    r2 = load_file(
        conn,
        "stockpiles",
        depot_path,
        source=depots,
        mapping=MAPPINGS / "cambridge_depots.yaml",
        settings=settings,
    )
    assert (r2.inserted, r2.skipped) == (garages, len(features(depot_path)) - garages)
    kinds = conn.execute(
        "SELECT source, kind, count(*) FROM stockpiles WHERE source = ANY(%s) GROUP BY 1, 2",
        ([salt, depots],),
    ).fetchall()
    assert sorted(kinds) == sorted(
        [(salt, "cache", len(features(salt_path))), (depots, "depot", garages)]
    )

    # the sample inventory, pointed at this test's stockpile sources, plus three bad lines
    sample = (DATA / "sample" / "inventory_SAMPLE.csv").read_text()
    sample = sample.replace("cambridge-depots,", f"{depots},")
    sample = sample.replace("cambridge-salt-barrels,", f"{salt},")
    lines = [line for line in sample.splitlines() if not line.startswith("#")]
    good = len(lines) - 1
    bad = [
        f"{depots},no-such-depot,water,10,litre,",
        f"{salt},11,unicorns,3,each,",
        f"{salt},11,salt,-5,kg,2030-01-01",
    ]
    path = tmp_path / "inventory.csv"
    path.write_text(sample + "\n".join(bad) + "\n")
    report = load_file(conn, "stockpile_items", path, source=inventory, settings=settings)
    assert (report.read, report.inserted, report.rejected) == (good + 3, good, 3)
    assert report.rejects_file is not None
    with report.rejects_file.open() as fh:
        reasons = {int(r["row"]): (r["field"], r["reason"]) for r in csv.DictReader(fh)}
    assert reasons[good + 1][0] == "stockpile_source_id" and "no stockpile" in reasons[good + 1][1]
    assert reasons[good + 2][0] == "item" and "unicorns" in reasons[good + 2][1]
    assert reasons[good + 3][0] == "quantity"
    total = conn.execute(
        "SELECT sum(quantity) FROM stockpile_items WHERE source = %s AND item = 'sandbag'",
        (inventory,),
    ).fetchone()
    expected = sum(float(r["quantity"]) for r in csv.DictReader(lines) if r["item"] == "sandbag")
    assert total is not None and float(total[0]) == expected
    again = load_file(conn, "stockpile_items", path, source=inventory, settings=settings)
    assert (again.inserted, again.updated, again.unchanged) == (0, 0, good)


def test_inventory_items_match_the_schema(conn: psycopg.Connection[Any]):
    row = conn.execute(
        "SELECT pg_get_constraintdef(oid) FROM pg_constraint "
        "WHERE conrelid = 'stockpile_items'::regclass AND contype = 'c' "
        "AND pg_get_constraintdef(oid) LIKE '%%item%%'"
    ).fetchone()
    assert row is not None
    for item in ITEMS:
        assert f"'{item}'" in row[0]
    assert row[0].count("'::text") == len(ITEMS)


def crash_rows() -> list[dict[str, str]]:
    with (DATA / "cambridge" / "crashes_2010_2015.csv").open(newline="") as fh:
        return list(csv.DictReader(fh))


def has_coordinates(row: dict[str, str]) -> bool:
    try:
        float(row["Latitude"]), float(row["Longitude"])
    except ValueError:
        return False
    return True


def test_cambridge_crashes_with_rejects(
    conn: psycopg.Connection[Any], settings: Settings, sources: Names
):
    src = sources("crashes")
    rows = crash_rows()
    placed = [r for r in rows if has_coordinates(r)]
    unplaced = [i + 1 for i, r in enumerate(rows) if not has_coordinates(r)]
    path = DATA / "cambridge" / "crashes_2010_2015.csv"
    mapping = MAPPINGS / "cambridge_crashes.yaml"

    # the default ratio (0.1) refuses the file: nothing is written, the run says aborted
    with pytest.raises(LoadAborted) as aborted:
        load_file(conn, "incidents", path, source=src, mapping=mapping, settings=settings)
    assert count(conn, "incidents", src) == 0
    status = conn.execute(
        "SELECT status, rows_rejected FROM etl_runs WHERE id = %s", (aborted.value.report.run_id,)
    ).fetchone()
    assert status == ("aborted", len(unplaced))

    report = load_file(
        conn,
        "incidents",
        path,
        source=src,
        mapping=mapping,
        max_reject_ratio=0.15,
        settings=settings,
    )
    assert (report.read, report.inserted, report.rejected) == (
        len(rows),
        len(placed),
        len(unplaced),
    )
    assert (
        report.rejects_file is not None and report.rejects_file.parent == settings.data_dir / "etl"
    )
    with report.rejects_file.open() as fh:
        rejects = list(csv.DictReader(fh))
    assert [int(r["row"]) for r in rejects] == unplaced
    assert {r["field"] for r in rejects} == {"geometry"}
    assert all("missing" in r["reason"] for r in rejects)
    assert [r["source_id"] for r in rejects] == [rows[i - 1]["Crash Number"] for i in unplaced]

    first = placed[0]
    stored = conn.execute(
        "SELECT reported_at, incident_type, status, ST_X(geom), ST_Y(geom) FROM incidents "
        "WHERE source = %s AND source_id = %s",
        (src, first["Crash Number"]),
    ).fetchone()
    local = dt.datetime.strptime(first["Date Time"], "%m/%d/%Y %I:%M:%S %p")
    assert stored is not None
    assert stored[0] == local.replace(tzinfo=ZoneInfo("America/New_York"))
    assert stored[1:3] == ("collision", "resolved")
    assert stored[3:] == (float(first["Longitude"]), float(first["Latitude"]))

    run = conn.execute(
        "SELECT status, rows_read, rows_loaded, rows_inserted, rows_rejected, rejects_file "
        "FROM etl_runs WHERE id = %s",
        (report.run_id,),
    ).fetchone()
    assert run == (
        "succeeded",
        len(rows),
        len(placed),
        len(placed),
        len(unplaced),
        str(report.rejects_file),
    )
    assert_reload_unchanged(
        conn, settings, "incidents", path, src, mapping=mapping, max_reject_ratio=0.15
    )


def test_nyc_evacuation_zones_topojson(
    conn: psycopg.Connection[Any], settings: Settings, sources: Names
):
    src = sources("evaczones")
    topo = json.loads((DATA / "nyc" / "evac_zones.topojson").read_text())
    zones = [g["properties"]["zone"] for g in topo["objects"]["zone-weeded"]["geometries"]]
    report = load_file(
        conn,
        "hazard_zones",
        DATA / "nyc" / "evac_zones.topojson",
        source=src,
        mapping=MAPPINGS / "nyc_evac_zones.yaml",
        settings=settings,
    )
    in_zones = [z for z in zones if z != 0]
    assert (report.read, report.inserted, report.skipped) == (len(zones), len(in_zones), 1)
    rows = dict(
        conn.execute(
            "SELECT source_id, severity FROM hazard_zones WHERE source = %s AND "
            "hazard_type = 'storm_surge'",
            (src,),
        ).fetchall()
    )
    expected = {1: "extreme", 2: "high", 3: "high", 4: "moderate", 5: "moderate", 6: "low"}
    assert rows == {str(z): expected[z] for z in in_zones}


def test_nyc_evacuation_centres_state_plane_feet(
    conn: psycopg.Connection[Any], settings: Settings, sources: Names
):
    src = sources("evaccentres")
    path = DATA / "nyc" / "evac_centers.csv"
    with path.open(newline="") as fh:
        rows = list(csv.DictReader(fh))
    mapping = {
        "source_id": "BLDG_ID",
        "fields": {
            "name": "OEM_LABEL",
            "address": "BLDG_ADD",
            "wheelchair_accessible": "ACCESSIBLE",
        },
    }
    report = load_file(
        conn, "shelters", path, source=src, mapping=mapping, crs="EPSG:2263", settings=settings
    )
    assert (report.inserted, report.rejected) == (len(rows), 0)
    to_lonlat = pyproj.Transformer.from_crs(2263, 4326, always_xy=True)
    for row in rows:
        stored = conn.execute(
            "SELECT ST_X(geom), ST_Y(geom), ST_X(p), ST_Y(p), wheelchair_accessible "
            "FROM shelters, ST_Transform(ST_SetSRID(ST_MakePoint(%s, %s), 2263), 4326) p "
            "WHERE source = %s AND source_id = %s",
            (float(row["X"]), float(row["Y"]), src, row["BLDG_ID"]),
        ).fetchone()
        assert stored is not None
        lon, lat = to_lonlat.transform(float(row["X"]), float(row["Y"]))
        assert GEOD.inv(lon, lat, stored[0], stored[1])[2] < 1.0  # metres, pyproj
        assert GEOD.inv(stored[2], stored[3], stored[0], stored[1])[2] < 1.0  # PostGIS
        assert stored[4] == (row["ACCESSIBLE"] == "Y")
    # the manifest's mapping declares the CRS itself and loads the same places
    again = load_file(
        conn,
        "shelters",
        path,
        source=src,
        mapping=MAPPINGS / "nyc_evac_centers.yaml",
        settings=settings,
    )
    assert again.inserted == 0 and again.rejected == 0


def test_file_without_crs_and_not_lonlat_is_refused(
    conn: psycopg.Connection[Any], settings: Settings, sources: Names
):
    src = sources("nocrs")
    with pytest.raises(InvalidParameter) as refused:
        load_file(
            conn,
            "shelters",
            DATA / "nyc" / "evac_centers.csv",
            source=src,
            mapping={"source_id": "BLDG_ID", "fields": {"name": "OEM_LABEL"}},
            settings=settings,
        )
    message = refused.value.message
    assert "evac_centers.csv" in message and "--crs" in message and "longitude" in message
    assert count(conn, "shelters", src) == 0
    run = conn.execute(
        "SELECT status, error FROM etl_runs WHERE source = %s ORDER BY id DESC LIMIT 1", (src,)
    ).fetchone()
    assert run is not None and run[0] == "failed" and "--crs" in run[1]


def test_refusal_waits_for_the_first_coordinates(
    conn: psycopg.Connection[Any],
    settings: Settings,
    sources: Names,
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
):
    """A file whose first batch has no coordinates at all is still judged by its later ones."""
    src = sources("nocrs-late")
    with (DATA / "nyc" / "evac_centers.csv").open(newline="") as fh:
        rows = list(csv.DictReader(fh))
    for row in rows[:6]:
        row["X"] = row["Y"] = ""
    path = tmp_path / "centres.csv"
    with path.open("w", newline="") as fh:
        writer = csv.DictWriter(fh, list(rows[0]))
        writer.writeheader()
        writer.writerows(rows)
    monkeypatch.setattr(loader_module, "BATCH_SIZE", 4)
    with pytest.raises(InvalidParameter, match="--crs"):
        load_file(
            conn,
            "shelters",
            path,
            source=src,
            mapping={"source_id": "BLDG_ID", "fields": {"name": "OEM_LABEL"}},
            max_reject_ratio=1.0,
            settings=settings,
        )
    assert count(conn, "shelters", src) == 0


def test_nyc_cameras_markers_json(
    conn: psycopg.Connection[Any], settings: Settings, sources: Names
):
    src = sources("cameras")
    markers = json.loads((DATA / "nyc" / "dot_cameras.json").read_text())["markers"]
    report = load_file(
        conn,
        "cameras",
        DATA / "nyc" / "dot_cameras.json",
        source=src,
        mapping=MAPPINGS / "nyc_dot_cameras.yaml",
        settings=settings,
    )
    assert (report.read, report.inserted, report.rejected) == (len(markers), len(markers), 0)
    m = markers[0]
    stored = conn.execute(
        "SELECT name, ST_X(geom), ST_Y(geom), stream_url, properties FROM cameras "
        "WHERE source = %s AND source_id = %s",
        (src, m["id"]),
    ).fetchone()
    assert stored is not None
    assert stored[:3] == (m["content"], float(m["longitude"]), float(m["latitude"]))
    assert stored[3].endswith(f"cid={m['id']}") and stored[4] == {}


def test_fema_nss_json_records(conn: psycopg.Connection[Any], settings: Settings, sources: Names):
    src = sources("nss")
    records = json.loads((DATA / "florida" / "fema_nss_irma2017.json").read_text())

    def placed(r: dict[str, Any]) -> bool:
        return isinstance(r["LATITUDE"], int | float) and isinstance(r["LONGITUDE"], int | float)

    ok = [r for r in records if placed(r)]
    report = load_file(
        conn,
        "shelters",
        DATA / "florida" / "fema_nss_irma2017.json",
        source=src,
        mapping=MAPPINGS / "fema_nss.yaml",
        settings=settings,
    )
    assert (report.read, report.inserted, report.rejected) == (
        len(records),
        len(ok),
        len(records) - len(ok),
    )
    row = conn.execute(
        "SELECT sum(capacity), sum(occupancy), count(*) FILTER (WHERE status = 'open'), "
        "count(*) FILTER (WHERE wheelchair_accessible), "
        "count(*) FILTER (WHERE NOT wheelchair_accessible), count(*) FILTER (WHERE pets_allowed) "
        "FROM shelters WHERE source = %s",
        (src,),
    ).fetchone()
    assert row == (
        sum(r["EVACUATION_CAPACITY"] for r in ok),
        sum(r["TOTAL_POPULATION"] or 0 for r in ok),
        sum(r["SHELTER_STATUS_CODE"] == "OPEN" for r in ok),
        sum(r["WHEELCHAIR_ACCESSIBLE"] == "YES" for r in ok),
        sum(r["WHEELCHAIR_ACCESSIBLE"] == "NO" for r in ok),
        0,
    )


def test_sample_scenario_loads_without_mapping(
    conn: psycopg.Connection[Any], settings: Settings, sources: Names
):
    src = sources("scenario")
    path = DATA / "sample" / "incidents_SAMPLE.geojson"
    feats = features(path)
    report = load_file(conn, "incidents", path, source=src, settings=settings)
    assert (report.inserted, report.rejected) == (len(feats), 0)
    rows = conn.execute(
        "SELECT source_id, incident_type, severity, status, GeometryType(geom) FROM incidents "
        "WHERE source = %s ORDER BY source_id",
        (src,),
    ).fetchall()
    assert rows == sorted(
        (
            f["properties"]["source_id"],
            f["properties"]["incident_type"],
            f["properties"]["severity"],
            f["properties"]["status"],
            f["geometry"]["type"].upper(),
        )
        for f in feats
    )
    assert all(r[3] != "resolved" for r in rows)


def test_replace_only_touches_its_source(
    conn: psycopg.Connection[Any], settings: Settings, sources: Names, tmp_path: Path
):
    mine, other = sources("mine"), sources("other")
    path = DATA / "cambridge" / "PUBLICSAFETY_EmergencyShelters.geojson"
    mapping = MAPPINGS / "cambridge_shelters.yaml"
    for src in (mine, other):
        load_file(conn, "shelters", path, source=src, mapping=mapping, settings=settings)
    data = json.loads(path.read_text())
    total = len(data["features"])
    data["features"] = data["features"][:10]
    # the first shelter's new version is broken: rejected, but still in the file, so kept
    data["features"][0]["geometry"] = None
    subset = tmp_path / "subset.geojson"
    subset.write_text(json.dumps(data))
    other_before = snapshot(conn, "shelters", other)
    kept = snapshot(conn, "shelters", mine)[0]

    report = load_file(
        conn,
        "shelters",
        subset,
        source=mine,
        mapping=mapping,
        replace=True,
        max_reject_ratio=0.5,
        settings=settings,
    )
    assert (report.unchanged, report.rejected, report.retired) == (9, 1, total - 10)
    assert count(conn, "shelters", mine) == 10
    assert kept in snapshot(conn, "shelters", mine)
    assert snapshot(conn, "shelters", other) == other_before


def test_rows_without_ids_get_stable_derived_ids(
    conn: psycopg.Connection[Any], settings: Settings, sources: Names
):
    src = sources("derived")
    path = DATA / "cambridge" / "PUBLICSAFETY_FireStations.geojson"
    mapping = {"fields": {"name": "SITE_NAME", "address": "ADDRESS"}}
    report = load_file(conn, "stockpiles", path, source=src, mapping=mapping, settings=settings)
    assert (report.inserted, report.rejected) == (len(features(path)), 0)
    ids = conn.execute("SELECT source_id FROM stockpiles WHERE source = %s", (src,)).fetchall()
    assert len({i[0] for i in ids}) == len(features(path))
    assert_reload_unchanged(conn, settings, "stockpiles", path, src, mapping=mapping)


def test_a_bad_constant_is_a_mapping_error(
    conn: psycopg.Connection[Any], settings: Settings, sources: Names
):
    src = sources("badconst")
    with pytest.raises(ConfigError, match="fields.status: .*'opne' is not one of"):
        load_file(
            conn,
            "shelters",
            DATA / "cambridge" / "PUBLICSAFETY_EmergencyShelters.geojson",
            source=src,
            mapping={"fields": {"name": "Name", "status": {"value": "opne"}}},
            settings=settings,
        )
    assert count(conn, "shelters", src) == 0


def test_dry_run_changes_nothing(conn: psycopg.Connection[Any], settings: Settings, sources: Names):
    src = sources("dry")
    path = DATA / "cambridge" / "PUBLICSAFETY_EmergencyShelters.geojson"
    ver = version(conn, "shelters")
    report = load_file(
        conn,
        "shelters",
        path,
        source=src,
        mapping=MAPPINGS / "cambridge_shelters.yaml",
        dry_run=True,
        settings=settings,
    )
    assert (report.status, report.inserted) == ("dry_run", len(features(path)))
    assert count(conn, "shelters", src) == 0 and version(conn, "shelters") == ver
    status = conn.execute("SELECT status FROM etl_runs WHERE id = %s", (report.run_id,)).fetchone()
    assert status == ("dry_run",)


def test_interrupted_load_leaves_the_layer_as_it_was(
    conn: psycopg.Connection[Any],
    settings: Settings,
    sources: Names,
    monkeypatch: pytest.MonkeyPatch,
    ctrl_c_at_batch: Callable[[int], None],
):
    src = sources("rollback")
    path = DATA / "cambridge" / "PUBLICSAFETY_EmergencyShelters.geojson"
    load_file(
        conn,
        "shelters",
        path,
        source=src,
        mapping=MAPPINGS / "cambridge_shelters.yaml",
        settings=settings,
    )
    before = snapshot(conn, "shelters", src)
    # Ctrl-C after two batches have been copied into the staging table
    monkeypatch.setattr(loader_module, "BATCH_SIZE", 4)
    ctrl_c_at_batch(3)
    changed = {
        "source_id": "GlobalID",
        "fields": {"name": "Name", "capacity": "SHEL_CAP", "status": {"value": "open"}},
    }
    with pytest.raises(KeyboardInterrupt):
        load_file(conn, "shelters", path, source=src, mapping=changed, settings=settings)
    assert snapshot(conn, "shelters", src) == before
    run = conn.execute(
        "SELECT status, error, rows_read FROM etl_runs WHERE source = %s ORDER BY id DESC LIMIT 1",
        (src,),
    ).fetchone()
    assert run == ("failed", "KeyboardInterrupt", 8)


def test_row_rejects_name_field_and_reason(
    conn: psycopg.Connection[Any], settings: Settings, sources: Names, tmp_path: Path
):
    src = sources("rejects")
    square = [[[-71.1, 42.37], [-71.09, 42.37], [-71.09, 42.38], [-71.1, 42.38], [-71.1, 42.37]]]
    bowtie = [[[-71.1, 42.37], [-71.09, 42.38], [-71.09, 42.37], [-71.1, 42.38], [-71.1, 42.37]]]
    flat = [[[-71.1, 42.37], [-71.09, 42.37], [-71.08, 42.37], [-71.1, 42.37]]]
    far = [[[200.0, 42.37], [201.0, 42.37], [201.0, 42.38], [200.0, 42.37]]]

    def feature(props: dict[str, Any], geometry: dict[str, Any] | None) -> dict[str, Any]:
        return {"type": "Feature", "properties": props, "geometry": geometry}

    ok = {"hazard_type": "flood", "severity": "high"}
    rows = [
        feature({**ok, "source_id": "square"}, {"type": "Polygon", "coordinates": square}),
        feature({**ok, "source_id": "bowtie"}, {"type": "Polygon", "coordinates": bowtie}),
        feature({**ok, "source_id": "point"}, {"type": "Point", "coordinates": [-71.1, 42.37]}),
        feature({**ok, "source_id": "flat"}, {"type": "Polygon", "coordinates": flat}),
        feature(
            {"hazard_type": "flood", "source_id": "nosev"},
            {"type": "Polygon", "coordinates": square},
        ),
        feature(
            {**ok, "severity": "apocalyptic", "source_id": "enum"},
            {"type": "Polygon", "coordinates": square},
        ),
        feature({**ok, "source_id": "far"}, {"type": "Polygon", "coordinates": far}),
        feature({**ok, "source_id": "nogeom"}, None),
        feature(
            {
                **ok,
                "source_id": "time",
                "valid_from": "2026-01-02T00:00:00Z",
                "valid_to": "2026-01-01T00:00:00Z",
            },
            {"type": "Polygon", "coordinates": square},
        ),
        feature({**ok, "source_id": "square"}, {"type": "Polygon", "coordinates": square}),
    ]
    path = tmp_path / "zones.geojson"
    path.write_text(json.dumps({"type": "FeatureCollection", "features": rows}))
    report = load_file(
        conn, "hazard_zones", path, source=src, max_reject_ratio=1.0, settings=settings
    )
    assert (report.read, report.inserted, report.rejected) == (10, 2, 8)
    assert report.rejects_file is not None
    with report.rejects_file.open() as fh:
        got = {int(r["row"]): (r["field"], r["reason"]) for r in csv.DictReader(fh)}
    assert got[3][0] == "geometry" and "Point" in got[3][1]
    assert got[4][0] == "geometry" and "repair" in got[4][1]
    assert got[5][0] == "severity" and "required" in got[5][1]
    assert got[6][0] == "severity" and "apocalyptic" in got[6][1]
    assert got[7][0] == "geometry" and "out of range" in got[7][1]
    assert got[8][0] == "geometry" and "missing" in got[8][1]
    assert got[9][0] == "valid_to" and "before" in got[9][1]
    assert got[10][0] == "source_id" and "duplicate" in got[10][1] and "row 1" in got[10][1]
    repaired = conn.execute(
        "SELECT ST_IsValid(geom), ST_NumGeometries(geom), ST_Area(geom::geography) > 0 "
        "FROM hazard_zones WHERE source = %s AND source_id = 'bowtie'",
        (src,),
    ).fetchone()
    assert repaired == (True, 2, True)


def test_population_dispatch(conn: psycopg.Connection[Any], settings: Settings, sources: Names):
    census, raster = sources("blocks"), sources("worldpop")
    blocks = DATA / "cambridge" / "DEMOGRAPHICS_Blocks2000.geojson"
    expected = sum(f["properties"]["POP_LAB"] for f in features(blocks))
    report = load_population(
        conn,
        blocks,
        source=census,
        count_field="POP_LAB",
        unit_id_field="BLOCK_ID",
        settings=settings,
    )
    assert report.status == "succeeded" and report.inserted == len(features(blocks))
    total = conn.execute(
        "SELECT sum(u.population) FROM population_units u JOIN population_sources s "
        "ON s.id = u.population_source_id WHERE s.name = %s",
        (census,),
    ).fetchone()
    assert total is not None and total[0] == pytest.approx(expected)

    tif = DATA / "population" / "kathmandu_worldpop_2020.tif"
    with rasterio.open(tif) as src:
        band = src.read(1, masked=True)
        file_sum = float(np.ma.sum(band.astype("float64")))
    report = load_population(conn, tif, source=raster, settings=settings)
    assert report.status == "succeeded"
    stored = conn.execute(
        "SELECT total_population, kind FROM population_sources WHERE name = %s", (raster,)
    ).fetchone()
    assert stored is not None and stored[1] == "raster"
    assert stored[0] == pytest.approx(file_sum, rel=1e-9)
    runs = conn.execute(
        "SELECT source, status FROM etl_runs WHERE layer = 'population' AND source = ANY(%s)",
        ([census, raster],),
    ).fetchall()
    assert sorted(runs) == sorted([(census, "succeeded"), (raster, "succeeded")])

    with pytest.raises(InvalidParameter, match="--count-field"):
        load_population(conn, blocks, source=census, settings=settings)


def test_first_load_meeting_a_concurrent_writer_merges(
    conn: psycopg.Connection[Any],
    database_url: str,
    settings: Settings,
    sources: Names,
    caplog: pytest.LogCaptureFixture,
):
    """Another transaction writing one of a first load's rows: the load waits for it at its
    table lock (the start of its transaction), then finds the source in the layer and goes
    through the staging table and the upsert, which merges."""
    caplog.set_level(logging.INFO, logger="gisserver.etl.loader")
    src = sources("race")
    path = DATA / "cambridge" / "PUBLICSAFETY_EmergencyShelters.geojson"
    first = features(path)[0]["properties"]
    with psycopg.connect(database_url) as other:
        other.execute(
            "INSERT INTO shelters (source, source_id, name, geom) "
            "VALUES (%s, %s, 'written meanwhile', ST_SetSRID(ST_MakePoint(-71.1, 42.37), 4326))",
            (src, first["GlobalID"]),
        )  # not committed yet: invisible to the load's first-load check

        def blocked_on_other() -> bool:
            row = conn.execute(
                "SELECT count(*) FROM pg_stat_activity WHERE wait_event_type = 'Lock' "
                "AND query LIKE %s",
                ('LOCK TABLE "shelters"%',),
            ).fetchone()
            conn.commit()
            return bool(row and row[0])

        with psycopg.connect(database_url) as loading:
            outcome: dict[str, Any] = {}

            def run() -> None:
                try:
                    outcome["report"] = load_file(
                        loading,
                        "shelters",
                        path,
                        source=src,
                        mapping=MAPPINGS / "cambridge_shelters.yaml",
                        settings=settings,
                    )
                except BaseException as exc:  # handed to the test thread below
                    outcome["error"] = exc

            thread = threading.Thread(target=run)
            thread.start()
            deadline = time.monotonic() + 60
            waited = False
            while not waited and thread.is_alive() and time.monotonic() < deadline:
                waited = blocked_on_other()
                time.sleep(0.05)
            other.commit()  # before any assertion: the load's thread waits for it
            thread.join(60)
            assert waited, outcome  # the load waited for the other transaction
    assert "error" not in outcome, outcome
    assert "first load of source" not in caplog.text  # the staging table's way
    report = outcome["report"]
    total = len(features(path))
    assert (report.inserted, report.updated, report.unchanged) == (total - 1, 1, 0)
    assert count(conn, "shelters", src) == total
    name = conn.execute(
        "SELECT name FROM shelters WHERE source = %s AND source_id = %s",
        (src, first["GlobalID"]),
    ).fetchone()
    assert name == (first["Name"].strip(),)


def test_interrupted_first_load_leaves_nothing(
    conn: psycopg.Connection[Any],
    settings: Settings,
    sources: Names,
    monkeypatch: pytest.MonkeyPatch,
    ctrl_c_at_batch: Callable[[int], None],
):
    """Ctrl-C in the middle of a first load (rows streaming straight into the layer)."""
    src = sources("rollback-first")
    path = DATA / "cambridge" / "PUBLICSAFETY_EmergencyShelters.geojson"
    ver = version(conn, "shelters")
    monkeypatch.setattr(loader_module, "BATCH_SIZE", 4)
    ctrl_c_at_batch(3)
    with pytest.raises(KeyboardInterrupt):
        load_file(
            conn,
            "shelters",
            path,
            source=src,
            mapping=MAPPINGS / "cambridge_shelters.yaml",
            settings=settings,
        )
    assert count(conn, "shelters", src) == 0 and version(conn, "shelters") == ver
    run = conn.execute(
        "SELECT status, error, rows_read FROM etl_runs WHERE source = %s ORDER BY id DESC LIMIT 1",
        (src,),
    ).fetchone()
    assert run == ("failed", "KeyboardInterrupt", 8)


def test_first_load_with_every_row_rejected_leaves_the_version(
    conn: psycopg.Connection[Any], settings: Settings, sources: Names, tmp_path: Path
):
    src = sources("allrejected")
    path = tmp_path / "nothing.geojson"
    feats = [
        {"type": "Feature", "properties": {"source_id": f"n{i}", "name": "x"}, "geometry": None}
        for i in range(3)
    ]
    path.write_text(json.dumps({"type": "FeatureCollection", "features": feats}))
    ver = version(conn, "shelters")
    report = load_file(conn, "shelters", path, source=src, max_reject_ratio=1.0, settings=settings)
    assert (report.status, report.inserted, report.rejected) == ("succeeded", 0, 3)
    assert count(conn, "shelters", src) == 0 and version(conn, "shelters") == ver
