"""OGC API - Features through real clients: GDAL's OAPIF driver, OWSLib, the request sequence QGIS
uses, plus CRS output against pyproj, private fields, bad and hostile input, HTTP caching.

The app runs in a real HTTP server on 127.0.0.1 in a thread. Rows are inserted around Boston with
the source ``test-ogc`` and deleted afterwards; every expectation is computed with SQL at test
time over the whole table, so other tests' rows cannot make these fail.
"""

from __future__ import annotations

import gzip
import json
import random
import subprocess
import threading
import urllib.error
import urllib.parse
import urllib.request
from collections.abc import Iterator
from datetime import UTC, datetime, timedelta
from inspect import unwrap
from typing import Any

import psycopg
import pytest
from live import serving
from pygeoapi.process.base import BaseProcessor
from pyproj import Transformer

from gisserver.cluster import free_port
from gisserver.settings import Settings

SOURCE = "test-ogc"
SECRET = "rtsp://operator:s3cret-token@cams.example.org"
LAYERS = ("hazard_zones", "shelters", "stockpiles", "cameras", "incidents", "units")
REGION = (-71.20, 42.30, -70.95, 42.42)
EPSG = "http://www.opengis.net/def/crs/EPSG/0/"
CRS84 = "http://www.opengis.net/def/crs/OGC/1.3/CRS84"

pytestmark = pytest.mark.filterwarnings("ignore::ResourceWarning")


@pytest.fixture(scope="module")
def ogc_rows(database_url: str) -> Iterator[None]:
    rng = random.Random(4)
    with psycopg.connect(database_url) as conn:
        for i in range(37):
            lon = rng.uniform(REGION[0], REGION[2])
            lat = rng.uniform(REGION[1], REGION[3])
            capacity = rng.choice([None, 20, 80, 150, 400])
            conn.execute(
                "INSERT INTO shelters (source, source_id, name, capacity, occupancy, status, "
                "pets_allowed, geom) VALUES (%s, %s, %s, %s, %s, %s, %s, "
                "ST_SetSRID(ST_MakePoint(%s, %s), 4326))",
                [
                    SOURCE,
                    f"s{i}",
                    f"Test shelter {i}",
                    capacity,
                    rng.randint(0, 60),
                    rng.choice(["open", "closed", "full", "standby"]),
                    rng.random() < 0.5,
                    lon,
                    lat,
                ],
            )
        for i in range(6):
            conn.execute(
                "INSERT INTO cameras (source, source_id, name, status, direction, stream_url, "
                "geom) VALUES (%s, %s, %s, %s, 'N', %s, ST_SetSRID(ST_MakePoint(%s, %s), 4326))",
                [
                    SOURCE,
                    f"c{i}",
                    f"Test camera {i}",
                    rng.choice(["online", "offline"]),
                    f"{SECRET}/{i}",
                    rng.uniform(REGION[0], REGION[2]),
                    rng.uniform(REGION[1], REGION[3]),
                ],
            )
        base = datetime(2026, 11, 1, tzinfo=UTC)
        for i in range(12):
            conn.execute(
                "INSERT INTO incidents (source, source_id, incident_type, status, reported_at, "
                "geom) VALUES (%s, %s, %s, %s, %s, ST_SetSRID(ST_MakePoint(%s, %s), 4326))",
                [
                    SOURCE,
                    f"i{i}",
                    rng.choice(["fire", "flood", "collision"]),
                    rng.choice(["reported", "responding", "resolved"]),
                    base + timedelta(days=2 * i),
                    rng.uniform(REGION[0], REGION[2]),
                    rng.uniform(REGION[1], REGION[3]),
                ],
            )
        for i, (start, end) in enumerate(
            [(base, None), (base - timedelta(days=30), base - timedelta(days=10)), (None, None)]
        ):
            x, y = -71.1 + 0.03 * i, 42.33
            conn.execute(
                "INSERT INTO hazard_zones (source, source_id, hazard_type, severity, name, "
                "valid_from, valid_to, geom) VALUES (%s, %s, 'flood', 'high', %s, %s, %s, "
                "ST_Multi(ST_MakeEnvelope(%s, %s, %s, %s, 4326)))",
                [SOURCE, f"h{i}", f"Test zone {i}", start, end, x, y, x + 0.02, y + 0.02],
            )
        for i in range(3):
            sid = conn.execute(
                "INSERT INTO stockpiles (source, source_id, name, kind, geom) VALUES "
                "(%s, %s, %s, 'depot', ST_SetSRID(ST_MakePoint(%s, 42.35), 4326)) RETURNING id",
                [SOURCE, f"p{i}", f"Test depot {i}", -71.05 + 0.01 * i],
            ).fetchone()[0]
            for item, qty in [("water", 100 * (i + 1)), ("blanket", 7)]:
                conn.execute(
                    "INSERT INTO stockpile_items (stockpile_id, item, quantity, unit, expires_on,"
                    " source) VALUES (%s, %s, %s, 'unit', %s, %s)",
                    [sid, item, qty, datetime(2027, 1, 1).date(), SOURCE],
                )
        conn.commit()
    yield
    with psycopg.connect(database_url) as conn:
        for table in LAYERS:
            conn.execute(f"DELETE FROM {table} WHERE source = %s", [SOURCE])
        conn.commit()


@pytest.fixture(scope="module")
def live(settings: Settings, ogc_rows: None) -> Iterator[str]:
    """An app behind a real HTTP server, its public URL the server's; yields that URL."""
    from gisserver.app import create_app

    port = free_port()
    base = f"http://127.0.0.1:{port}"
    app = create_app(settings.model_copy(update={"public_url": base}))
    with serving(app, port):
        yield base
    app.extensions["gisserver"].db.close()


def fetch(url: str, headers: dict[str, str] | None = None) -> tuple[int, dict[str, str], bytes]:
    request = urllib.request.Request(url, headers=headers or {})
    try:
        with urllib.request.urlopen(request, timeout=30) as response:
            return response.status, dict(response.headers), response.read()
    except urllib.error.HTTPError as exc:
        return exc.code, dict(exc.headers), exc.read()


def get_json(url: str) -> Any:
    status, _, body = fetch(url, {"Accept": "application/json"})
    assert status == 200, body
    return json.loads(body)


def sql_ids(conn: psycopg.Connection, query: str, params: list[Any] | None = None) -> set[int]:
    return {row[0] for row in conn.execute(query, params or []).fetchall()}


def all_items(url: str) -> list[dict[str, Any]]:
    """Every feature behind an items URL, following next links like a client does."""
    features: list[dict[str, Any]] = []
    next_url: str | None = url
    while next_url:
        page = get_json(next_url)
        features.extend(page["features"])
        next_url = next((lk["href"] for lk in page["links"] if lk["rel"] == "next"), None)
        if not page["features"]:
            break
    return features


# --- real clients ----------------------------------------------------------------------------


def test_ogrinfo_lists_every_layer(live: str):
    result = subprocess.run(
        ["ogrinfo", "-ro", "-so", f"OAPIF:{live}/ogc"],
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )
    assert result.returncode == 0, result.stderr
    listed = [
        line.split(":", 1)[1].split("(")[0].strip()
        for line in result.stdout.splitlines()
        if line[:1].isdigit()
    ]
    assert sorted(listed) == sorted(LAYERS)


@pytest.mark.parametrize("layer", ["shelters", "cameras", "stockpiles"])
def test_ogr2ogr_reads_every_feature_with_public_fields(live: str, conn, layer: str):
    result = subprocess.run(
        ["ogr2ogr", "-preserve_fid", "-f", "GeoJSON", "/vsistdout/", f"OAPIF:{live}/ogc", layer],
        capture_output=True,
        text=True,
        timeout=300,
        check=False,
    )
    assert result.returncode == 0, result.stderr
    doc = json.loads(result.stdout)
    expected = sql_ids(conn, f"SELECT id FROM {layer}")
    got = [f["id"] for f in doc["features"]]  # GDAL keeps the feature id as the FID
    assert len(got) == len(expected) and set(got) == expected
    fields = set(doc["features"][0]["properties"])
    assert {"name", "status", "source"} <= fields
    assert "stream_url" not in fields and SECRET not in result.stdout


def test_owslib_reads_items_and_applies_cql2_text_and_json(live: str, conn):
    from owslib.ogcapi.features import Features

    api = Features(f"{live}/ogc")
    assert {c["id"] for c in api.collections()["collections"]} >= set(LAYERS)
    page = api.collection_items("shelters", limit=5)
    assert page["numberReturned"] == 5
    assert page["numberMatched"] == conn.execute("SELECT count(*) FROM shelters").fetchone()[0]

    text = "status = 'open' AND capacity > 50 AND source = 'test-ogc'"
    found = api.collection_items("shelters", filter=text, limit=1000)
    expected = sql_ids(
        conn,
        "SELECT id FROM shelters WHERE status = 'open' AND capacity > 50 AND source = 'test-ogc'",
    )
    assert {f["id"] for f in found["features"]} == expected and expected

    cql = {
        "op": "and",
        "args": [
            {"op": "in", "args": [{"property": "status"}, ["full", "standby"]]},
            {
                "op": "s_intersects",
                "args": [{"property": "geom"}, {"bbox": [-71.2, 42.3, -71.0, 42.4]}],
            },
        ],
    }
    found = api.collection_items("shelters", cql=cql, limit=1000)
    expected = sql_ids(
        conn,
        "SELECT id FROM shelters WHERE status IN ('full', 'standby') AND "
        "ST_Intersects(geom, ST_MakeEnvelope(-71.2, 42.3, -71.0, 42.4, 4326))",
    )
    assert {f["id"] for f in found["features"]} == expected


def test_qgis_request_sequence_pages_through_a_bbox(live: str, conn):
    landing = get_json(f"{live}/ogc")
    assert any(lk["rel"] == "conformance" for lk in landing["links"])
    conformance = get_json(f"{live}/ogc/conformance")["conformsTo"]
    assert any("ogcapi-features-1/1.0/conf/core" in c for c in conformance)
    collections = get_json(f"{live}/ogc/collections")["collections"]
    shelters = next(c for c in collections if c["id"] == "shelters")
    assert shelters["extent"]["spatial"]["bbox"]
    bbox = "-71.15,42.32,-71.0,42.41"
    expected = sql_ids(
        conn,
        "SELECT id FROM shelters WHERE geom && ST_MakeEnvelope(-71.15, 42.32, -71.0, 42.41, 4326)",
    )
    one_page = all_items(f"{live}/ogc/collections/shelters/items?bbox={bbox}&limit=1000")
    assert {f["id"] for f in one_page} == expected
    paged = all_items(f"{live}/ogc/collections/shelters/items?bbox={bbox}&limit=4")
    assert [f["id"] for f in paged] == sorted(expected)


def test_filter_survives_in_paging_links(live: str, conn):
    query = urllib.parse.urlencode(
        {
            "filter": "T_INTERSECTS(reported_at, INTERVAL('2026-11-05T00:00:00Z', '..'))",
            "filter-lang": "cql2-text",
            "limit": 3,
        }
    )
    got = all_items(f"{live}/ogc/collections/incidents/items?{query}")
    expected = sql_ids(conn, "SELECT id FROM incidents WHERE reported_at >= '2026-11-05Z'")
    assert [f["id"] for f in got] == sorted(expected) and expected


# --- CRS ---------------------------------------------------------------------------------------


@pytest.mark.parametrize("code", ["3857", "4326", "2249"])
def test_crs_output_matches_pyproj(live: str, conn, code: str):
    url = (
        f"{live}/ogc/collections/shelters/items?limit=50&crs={EPSG}{code}"
        f"&filter=source%3D%27{SOURCE}%27"
    )
    status, headers, body = fetch(url)
    assert status == 200, body
    assert headers["Content-Crs"] == f"<{EPSG}{code}>"
    # pyproj with the authority's axis order (EPSG:4326 is latitude, longitude)
    transformer = Transformer.from_crs("OGC:CRS84", f"EPSG:{code}")
    rows = dict(
        conn.execute(
            "SELECT id, ARRAY[ST_X(geom), ST_Y(geom)] FROM shelters WHERE source = %s", [SOURCE]
        ).fetchall()
    )
    features = json.loads(body)["features"]
    assert len(features) == len(rows)
    tolerance = 1e-6 if code == "4326" else 0.01
    for f in features:
        lon, lat = rows[f["id"]]
        assert f["geometry"]["coordinates"] == pytest.approx(
            list(transformer.transform(lon, lat)), abs=tolerance
        )


def test_bbox_crs_in_web_mercator(live: str, conn):
    to_3857 = Transformer.from_crs("OGC:CRS84", "EPSG:3857", always_xy=True)
    x1, y1 = to_3857.transform(-71.15, 42.32)
    x2, y2 = to_3857.transform(-71.0, 42.41)
    got = all_items(
        f"{live}/ogc/collections/shelters/items?limit=1000&bbox={x1},{y1},{x2},{y2}"
        f"&bbox-crs={EPSG}3857"
    )
    expected = sql_ids(
        conn,
        "SELECT id FROM shelters WHERE geom && ST_MakeEnvelope(-71.15, 42.32, -71.0, 42.41, 4326)",
    )
    assert {f["id"] for f in got} == expected


# --- content -------------------------------------------------------------------------------


def test_stockpiles_carry_their_inventory(live: str, conn):
    features = all_items(
        f"{live}/ogc/collections/stockpiles/items?limit=100&filter="
        + urllib.parse.quote(f"source = '{SOURCE}'")
    )
    assert len(features) == 3
    for f in features:
        rows = conn.execute(
            "SELECT item, quantity, unit, expires_on::text FROM stockpile_items "
            "WHERE stockpile_id = %s ORDER BY item",
            [f["id"]],
        ).fetchall()
        assert [
            (i["item"], i["quantity"], i["unit"], i["expires_on"]) for i in f["properties"]["items"]
        ] == [(r[0], float(r[1]), r[2], r[3]) for r in rows]


def test_shelters_have_free_capacity_and_it_filters_and_sorts(live: str, conn):
    got = all_items(
        f"{live}/ogc/collections/shelters/items?limit=1000&sortby=-free_capacity"
        "&filter=" + urllib.parse.quote(f"free_capacity >= 40 AND source='{SOURCE}'")
    )
    expected = conn.execute(
        "SELECT id, capacity - occupancy FROM shelters WHERE capacity - "
        "occupancy >= 40 AND source = %s ORDER BY 2 DESC, id",
        [SOURCE],
    ).fetchall()
    assert [(f["id"], f["properties"]["free_capacity"]) for f in got] == [
        tuple(r) for r in expected
    ]


def test_datetime_on_instants_and_on_validity_periods(live: str, conn):
    got = all_items(
        f"{live}/ogc/collections/incidents/items?limit=1000"
        "&datetime=2026-11-03T00:00:00Z/2026-11-10T00:00:00Z"
    )
    assert {f["id"] for f in got} == sql_ids(
        conn, "SELECT id FROM incidents WHERE reported_at BETWEEN '2026-11-03Z' AND '2026-11-10Z'"
    )
    got = all_items(f"{live}/ogc/collections/hazard_zones/items?limit=1000&datetime=2026-11-20")
    expected = sql_ids(
        conn,
        "SELECT id FROM hazard_zones WHERE (valid_from IS NULL OR valid_from "
        "< '2026-11-21Z') AND (valid_to IS NULL OR valid_to >= '2026-11-20Z')",
    )
    assert {f["id"] for f in got} == expected


def test_properties_skip_geometry_and_single_item(live: str, conn):
    page = get_json(
        f"{live}/ogc/collections/shelters/items?limit=3&properties=name,status&skipGeometry=true"
    )
    for f in page["features"]:
        assert set(f["properties"]) == {"name", "status"} and f["geometry"] is None
    fid = page["features"][0]["id"]
    one = get_json(f"{live}/ogc/collections/shelters/items/{fid}")
    name = conn.execute("SELECT name FROM shelters WHERE id = %s", [fid]).fetchone()[0]
    assert one["id"] == fid and one["properties"]["name"] == name


def test_dwithin_is_geodesic(live: str, conn):
    text = f"S_DWITHIN(geom, POINT(-71.06 42.36), 3, km) AND source = '{SOURCE}'"
    got = all_items(
        f"{live}/ogc/collections/shelters/items?limit=1000&filter=" + urllib.parse.quote(text)
    )
    expected = sql_ids(
        conn,
        "SELECT id FROM shelters WHERE source = %s AND ST_DWithin("
        "geom::geography, ST_MakePoint(-71.06, 42.36)::geography, 3000)",
        [SOURCE],
    )
    assert {f["id"] for f in got} == expected and expected


# --- private fields ------------------------------------------------------------------------


def test_camera_stream_url_never_appears(live: str):
    bodies = []
    for path in [
        "items?limit=100",
        "items?limit=100&f=html",
        "items?limit=100&f=jsonld",
        "queryables",
        "schema",
        "",
        "items?limit=100&properties=name",
    ]:
        status, _, body = fetch(f"{live}/ogc/collections/cameras/{path}".rstrip("/"))
        assert status == 200, (path, body)
        bodies.append(body.decode())
    fid = json.loads(bodies[0])["features"][0]["id"]
    bodies.append(fetch(f"{live}/ogc/collections/cameras/items/{fid}")[2].decode())
    bodies.append(fetch(f"{live}/ogc/collections/cameras/items/{fid}?f=html")[2].decode())
    for body in bodies:
        assert "stream_url" not in body and "s3cret" not in body
    for path in [
        "items?filter=stream_url%20IS%20NOT%20NULL",
        "items?sortby=stream_url",
        "items?properties=stream_url",
        "items?stream_url=x",
    ]:
        status, _, body = fetch(f"{live}/ogc/collections/cameras/{path}")
        assert status == 400, path
        assert "unknown property" in json.loads(body)["description"]


# --- bad and hostile input -----------------------------------------------------------------


@pytest.mark.parametrize(
    ("query", "parameter"),
    [
        ("bbox=1,2,3", "bbox"),
        ("bbox=a,b,c,d", "bbox"),
        ("bbox=10,50,0,40", "bbox"),
        ("datetime=yesterday", "datetime"),
        ("datetime=2026-12-01/2026-11-01", "datetime"),
        ("filter=status%20%3D", "filter"),
        ("filter=nope%20%3D%201", "filter"),
        ("filter=capacity%20%3D%20%27many%27", "filter"),
        ("crs=EPSG:3857", "crs"),
        (f"crs={EPSG}32633", "crs"),
        ("sortby=colour", "sortby"),
        ("limit=0", "limit"),
        ("limit=ten", "limit"),
        ("offset=-1", "offset"),
        ("filter-lang=sql", "filter-lang"),
        ("bbox=0,0,1,1&bbox-crs=EPSG:3857", "bbox-crs"),
        ("skipGeometry=maybe", "skipGeometry"),
        ("offset=99999999999999999999999", "offset"),
        ("filter=name%20%3D%20capacity", "filter"),
        ("filter=CASEI(name%2C%20name)%20%3D%20%27x%27", "filter"),
        ("filter=S_DWITHIN(geom%2C%20POINT(0%200)%2C%201e12%2C%20meters)", "filter"),
        ("filter=-name%20%3D%201", "filter"),
        ("filter=T_MEETS(updated_at%2C%20INTERVAL(%272026-01-01%27%2C%27..%27))", "filter"),
    ],
)
def test_malformed_parameters_are_400_naming_them(live: str, query: str, parameter: str):
    status, headers, body = fetch(f"{live}/ogc/collections/shelters/items?{query}")
    assert status == 400, body
    doc = json.loads(body)
    assert doc["code"] == "InvalidParameterValue"
    assert doc["description"].startswith(f"{parameter}:")
    assert "accepted" in doc["description"] or parameter == "filter"


def test_unknown_collection_and_item_are_404_ogc_exceptions(live: str):
    for path in [
        "collections/nope",
        "collections/nope/items",
        "collections/shelters/items/0",
        "collections/shelters/items/abc",
    ]:
        status, _, body = fetch(f"{live}/ogc/{path}", {"Accept": "application/json"})
        assert status == 404, path
        doc = json.loads(body)
        assert doc["code"] == "NotFound" and doc["description"]


def test_limit_over_the_cap_is_capped_and_said(live: str, settings):
    page = get_json(
        f"{live}/ogc/collections/shelters/items?limit={settings.features_max_limit + 5}"
    )
    assert page["limitCapped"] == {
        "requested": settings.features_max_limit + 5,
        "applied": settings.features_max_limit,
    }
    assert page["numberReturned"] <= settings.features_max_limit


@pytest.mark.parametrize(
    "query",
    [
        "filter=" + urllib.parse.quote("name = 'x'; DROP TABLE shelters"),
        "filter=" + urllib.parse.quote("name = 'x' OR 1=1; DROP TABLE shelters; --"),
        "sortby=" + urllib.parse.quote("name; DROP TABLE shelters"),
        "sortby=" + urllib.parse.quote('name" DESC; DROP TABLE shelters; --'),
        "properties=" + urllib.parse.quote("name,(SELECT 1)"),
        "filter=" + urllib.parse.quote('"name; DROP TABLE shelters" = 1'),
    ],
)
def test_hostile_parameters_are_refused(live: str, conn, query: str):
    before = conn.execute("SELECT count(*) FROM shelters").fetchone()[0]
    status, _, _ = fetch(f"{live}/ogc/collections/shelters/items?{query}")
    assert status == 400
    assert conn.execute("SELECT count(*) FROM shelters").fetchone()[0] == before


def test_hostile_values_are_bound_not_executed(live: str, conn):
    text = "name = 'x''; DROP TABLE shelters; --' OR name LIKE '%'' OR ''1''=''1'"
    page = get_json(f"{live}/ogc/collections/shelters/items?filter=" + urllib.parse.quote(text))
    assert page["numberMatched"] == 0
    assert conn.execute("SELECT to_regclass('shelters') IS NOT NULL").fetchone()[0]
    page = get_json(
        f"{live}/ogc/collections/shelters/items?name="
        + urllib.parse.quote("x'; DROP TABLE shelters; --")
    )
    assert page["numberMatched"] == 0


# --- HTTP ------------------------------------------------------------------------------------


def test_etag_304_last_modified_gzip_cors(live: str, conn):
    url = f"{live}/ogc/collections/shelters/items?limit=50"
    status, headers, body = fetch(url, {"Accept-Encoding": "gzip"})
    assert status == 200
    assert headers["Content-Encoding"] == "gzip" and headers["Cache-Control"] == "no-cache"
    assert headers["Access-Control-Allow-Origin"] == "*"
    plain_status, plain_headers, plain = fetch(url)
    assert "Content-Encoding" not in plain_headers
    assert json.loads(gzip.decompress(body))["features"] == json.loads(plain)["features"]
    changed_at = conn.execute(
        "SELECT changed_at FROM layer_versions WHERE layer = 'shelters'"
    ).fetchone()[0]
    assert headers["Last-Modified"] == changed_at.astimezone(UTC).strftime(
        "%a, %d %b %Y %H:%M:%S GMT"
    )
    tag = headers["ETag"]
    status, again, body = fetch(url, {"If-None-Match": tag})
    assert status == 304 and body == b"" and again["ETag"] == tag
    conn.execute(
        "UPDATE shelters SET occupancy = occupancy WHERE source = %s AND source_id = 's0'", [SOURCE]
    )
    conn.commit()
    status, fresh, _ = fetch(url, {"If-None-Match": tag})
    assert status == 200 and fresh["ETag"] != tag


def test_collections_link_their_styles(live: str):
    shelters = get_json(f"{live}/ogc/collections/shelters")
    links = {
        lk["type"]: lk["href"]
        for lk in shelters["links"]
        if lk["rel"] in ("stylesheet", "describedby") and "/styles/" in lk["href"]
    }
    assert set(links) == {
        "application/vnd.mapbox.style+json",
        "application/vnd.ogc.sld+xml",
        "application/xml",
    }
    assert links["application/vnd.mapbox.style+json"].endswith("/styles/shelters.json")


# --- processes --------------------------------------------------------------------------------


class EchoProcessor(BaseProcessor):
    """A tiny process to check that PROCESSES entries are published and run synchronously."""

    def __init__(self, processor_def: dict[str, Any]) -> None:
        super().__init__(
            processor_def,
            {
                "version": "1.0.0",
                "id": "echo-test",
                "title": "Echo",
                "description": "echo",
                "jobControlOptions": ["sync-execute"],
                "keywords": [],
                "links": [],
                "inputs": {
                    "text": {
                        "title": "text",
                        "schema": {"type": "string"},
                        "minOccurs": 1,
                        "maxOccurs": 1,
                    }
                },
                "outputs": {
                    "echo": {
                        "title": "echo",
                        "schema": {"type": "object", "contentMediaType": "application/json"},
                    }
                },
            },
        )

    def execute(self, data: dict[str, Any], outputs: Any = None) -> tuple[str, dict[str, Any]]:
        return "application/json", {"echo": data.get("text")}


def _listener_hears(send, expect_status: int) -> list[str]:
    """Run ``send(url)`` with the URL of a real HTTP listener on this machine; the requests it
    received within half a second after the answer."""
    import http.server
    import time

    from gisserver.cluster import free_port

    heard: list[str] = []

    class Listener(http.server.BaseHTTPRequestHandler):
        def do_POST(self) -> None:
            heard.append(self.path)
            self.send_response(204)
            self.end_headers()

        def log_message(self, *args: object) -> None:
            pass

    server = http.server.HTTPServer(("127.0.0.1", free_port()), Listener)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        response = send(f"http://127.0.0.1:{server.server_port}/callback")
        assert response.status_code == expect_status, response.get_data(as_text=True)
        time.sleep(0.5)
    finally:
        server.shutdown()
    return heard


def test_processes_from_the_registry_are_published_and_run(settings, monkeypatch, ogc_rows):
    from gisserver.app import create_app
    from gisserver.ogc import processes

    monkeypatch.setitem(processes.PROCESSES, "echo-test", f"{__name__}.EchoProcessor")
    other = create_app(settings)
    try:
        client = other.test_client()
        listed = client.get("/ogc/processes?f=json").get_json()
        assert "echo-test" in {p["id"] for p in listed["processes"]}
        answer = client.post(
            "/ogc/processes/echo-test/execution", json={"inputs": {"text": "hello"}}
        )
        assert answer.status_code == 200, answer.get_data(as_text=True)
        assert answer.get_json() == {"echo": "hello"}
        # a subscriber would make the server POST to a URL the client chose: a real listener on
        # this machine hears nothing, for any process (pygeoapi's own included)
        heard = _listener_hears(
            lambda url: client.post(
                "/ogc/processes/echo-test/execution",
                json={"inputs": {"text": "x"}, "subscriber": {"successUri": url}},
            ),
            expect_status=400,
        )
        assert heard == []
        plain = client.post(
            "/ogc/processes/echo-test/execution",
            data=json.dumps({"inputs": {"text": "x"}}),
            content_type="text/plain",
        )
        assert plain.status_code == 415
        # a second app in the same process has its own pygeoapi (the first one keeps working)
        assert client.get("/ogc/collections/shelters/items?limit=1").status_code == 200
    finally:
        other.extensions["gisserver"].db.close()


def test_number_matched_is_an_estimate_above_the_threshold(settings, database_url, ogc_rows):
    from gisserver.app import create_app
    from gisserver.ogc import provider

    with psycopg.connect(database_url, autocommit=True) as conn:
        conn.execute("ANALYZE shelters")
        rows = conn.execute("SELECT count(*) FROM shelters").fetchone()[0]
    provider._table_rows.clear()
    small = create_app(settings.model_copy(update={"exact_count_threshold": 5}))
    try:
        page = small.test_client().get("/ogc/collections/shelters/items?limit=1").get_json()
        assert page["numberMatchedEstimated"] is True
        assert page["numberMatched"] == pytest.approx(rows, rel=0.5)
        selective = (
            small.test_client()
            .get("/ogc/collections/shelters/items?limit=1&filter=id%3D-1")
            .get_json()
        )
        assert selective["numberMatched"] == 0 and "numberMatchedEstimated" not in selective
    finally:
        small.extensions["gisserver"].db.close()
        provider._table_rows.clear()


def test_if_modified_since_is_answered_from_the_layer_version(live: str, conn):
    url = f"{live}/ogc/collections/cameras/items?limit=5"
    status, headers, _ = fetch(url)
    assert status == 200
    status, _, body = fetch(url, {"If-Modified-Since": headers["Last-Modified"]})
    assert status == 304 and body == b""
    status, _, _ = fetch(url, {"If-Modified-Since": "Mon, 01 Jan 2024 00:00:00 GMT"})
    assert status == 200


def test_collection_metadata_comes_from_the_layer_files(live: str):
    collections = {c["id"]: c for c in get_json(f"{live}/ogc/collections")["collections"]}
    assert list(collections)[: len(LAYERS)] == list(LAYERS)
    assert "temporal" in collections["incidents"]["extent"]
    assert "temporal" in collections["hazard_zones"]["extent"]
    assert "temporal" not in collections["shelters"]["extent"]
    assert "evacuation center" in collections["shelters"]["keywords"]
    assert (
        f"{EPSG}2249" in collections["shelters"]["crs"] and CRS84 in collections["shelters"]["crs"]
    )
    queryables = get_json(f"{live}/ogc/collections/shelters/queryables")["properties"]
    assert {"free_capacity", "status", "capacity"} <= set(queryables)
    cameras = get_json(f"{live}/ogc/collections/cameras/queryables")["properties"]
    assert "stream_url" not in cameras and cameras["status"]["enum"] == ["online", "offline"]


def test_single_item_and_filter_geometry_in_other_crs(live: str, conn):
    fid, lon, lat = conn.execute(
        "SELECT id, ST_X(geom), ST_Y(geom) FROM shelters WHERE source = %s ORDER BY id LIMIT 1",
        [SOURCE],
    ).fetchone()
    status, headers, body = fetch(f"{live}/ogc/collections/shelters/items/{fid}?crs={EPSG}4326")
    assert status == 200 and headers["Content-Crs"] == f"<{EPSG}4326>"
    assert json.loads(body)["geometry"]["coordinates"] == pytest.approx([lat, lon], abs=1e-7)
    x, y = Transformer.from_crs("OGC:CRS84", "EPSG:3857", always_xy=True).transform(lon, lat)
    text = f"S_DWITHIN(geom, POINT({x} {y}), 1, meters)"
    query = urllib.parse.urlencode({"filter": text, "filter-crs": f"{EPSG}3857"})
    got = get_json(f"{live}/ogc/collections/shelters/items?{query}")
    assert fid in {f["id"] for f in got["features"]}
    query = urllib.parse.urlencode(
        {"filter": f"S_DWITHIN(geom, POINT({lat} {lon}), 1, meters)", "filter-crs": f"{EPSG}4326"}
    )
    got = get_json(f"{live}/ogc/collections/shelters/items?{query}")
    assert fid in {f["id"] for f in got["features"]}


def test_ogr_attribute_filter_gives_the_sql_count(live: str, conn):
    where = f"status = 'open' AND source = '{SOURCE}'"
    result = subprocess.run(
        [
            "ogr2ogr",
            "-preserve_fid",
            "-f",
            "GeoJSON",
            "-where",
            where,
            "/vsistdout/",
            f"OAPIF:{live}/ogc",
            "shelters",
        ],
        capture_output=True,
        text=True,
        timeout=300,
        check=False,
    )
    assert result.returncode == 0, result.stderr
    got = {f["id"] for f in json.loads(result.stdout)["features"]}
    assert got == sql_ids(
        conn, "SELECT id FROM shelters WHERE status = 'open' AND source = %s", [SOURCE]
    )


def test_conformance_declares_cql2_and_writes(live: str):
    classes = set(get_json(f"{live}/ogc/conformance")["conformsTo"])
    assert "http://www.opengis.net/spec/ogcapi-features-3/1.0/conf/filter" in classes
    assert "http://www.opengis.net/spec/cql2/1.0/conf/cql2-text" in classes
    assert "http://www.opengis.net/spec/ogcapi-features-2/1.0/conf/crs" in classes
    part4 = {c for c in classes if "ogcapi-features-4" in c}
    assert part4 == {
        "http://www.opengis.net/spec/ogcapi-features-4/1.0/conf/create-replace-delete",
        "http://www.opengis.net/spec/ogcapi-features-4/1.0/conf/update",
        "http://www.opengis.net/spec/ogcapi-features-4/1.0/conf/features",
    }
    status, _, body = fetch(f"{live}/ogc/conformance?f=html")
    assert status == 200 and b"cql2-text" in body and b"ogcapi-features-4" in body


# --- our JSON items view against pygeoapi's -------------------------------------------------

SAME_AS_PYGEOAPI = [
    "shelters?f=json&limit=5",
    "shelters?limit=3&offset=2&sortby=-capacity,name",
    "shelters?f=json&bbox=-71.2,42.3,-70.95,42.42&limit=4&filter=status%20%3D%20%27open%27"
    "&filter-lang=cql2-text",
    "shelters?f=json&filter=%7B%22op%22%3A%22%3E%3D%22%2C%22args%22%3A%5B%7B%22property%22%3A"
    "%22capacity%22%7D%2C100%5D%7D&filter-lang=cql2-json&limit=2&offset=1",
    "shelters?properties=name,capacity&skipGeometry=true&limit=2&offset=0",
    f"shelters?crs={EPSG}3857&limit=2",
    f"shelters?crs={EPSG}4326&bbox=-71.2,42.3,-70.95,42.42&limit=2",
    "shelters?status=open&pets_allowed=true&limit=3&unknown=1",
    "shelters?resulttype=hits",
    "shelters?offset=1000000&limit=7",
    f"shelters?limit={10**9}",
    "stockpiles?limit=2&sortby=name",
    "cameras?f=json",
    "incidents?limit=20&sortby=-reported_at",
    "hazard_zones?bbox=-71.2,42.3,-70.95,42.42&limit=2",
]


@pytest.mark.parametrize("query", SAME_AS_PYGEOAPI)
def test_json_items_page_is_the_one_pygeoapi_builds(app, client, ogc_rows, query: str):
    """Our items view answers what pygeoapi's would (timeStamp aside), headers included."""
    from flask import request
    from pygeoapi.api import APIRequest
    from pygeoapi.api.itemtypes import get_collection_items

    collection, _, parameters = query.partition("?")
    url = f"/ogc/collections/{collection}/items?{parameters}"
    ours = client.get(url, headers={"Accept": "application/json"})
    assert ours.status_code == 200, ours.get_data(as_text=True)
    api = app.extensions["gisserver.pygeoapi"]
    with app.test_request_context(url, headers={"Accept": "application/json"}):
        assert app.preprocess_request() is None  # our parameter checks, as for a request
        headers, status, content = get_collection_items(
            api, APIRequest.from_flask(request, api.locales), collection
        )
    assert status == 200
    theirs = json.loads(content)
    mine = ours.get_json()
    assert set(mine) == set(theirs), set(mine) ^ set(theirs)
    moments = [datetime.fromisoformat(page.pop("timeStamp")) for page in (mine, theirs)]
    assert abs(moments[0] - moments[1]) < timedelta(minutes=1)
    assert mine == theirs
    for name in ("Content-Type", "Content-Crs", "Content-Language"):
        assert ours.headers[name] == headers[name]
    assert (
        unwrap(app.view_functions["pygeoapi.collection_items"]).__module__ == "gisserver.ogc.items"
    )
    if len(mine["features"]) > 1:
        # the features are PostgreSQL's json_agg text (", " between them), not re-serialised
        assert b'}, {"type":"Feature"' in ours.get_data()


@pytest.mark.parametrize("crs", [None, f"{EPSG}4326", f"{EPSG}3857"])
def test_json_item_is_the_one_pygeoapi_builds(app, client, conn, ogc_rows, crs: str | None):
    from flask import request
    from pygeoapi.api import APIRequest
    from pygeoapi.api.itemtypes import get_collection_item

    fid = conn.execute("SELECT min(id) FROM stockpiles WHERE source = %s", [SOURCE]).fetchone()[0]
    url = f"/ogc/collections/stockpiles/items/{fid}" + (f"?crs={crs}" if crs else "")
    ours = client.get(url)
    assert ours.status_code == 200, ours.get_data(as_text=True)
    api = app.extensions["gisserver.pygeoapi"]
    with app.test_request_context(url):
        assert app.preprocess_request() is None
        headers, status, content = get_collection_item(
            api, APIRequest.from_flask(request, api.locales), "stockpiles", str(fid)
        )
    assert status == 200
    assert ours.get_json() == json.loads(content)
    for name in ("Content-Type", "Content-Crs", "Content-Language"):
        assert ours.headers[name] == headers[name]
    assert (
        unwrap(app.view_functions["pygeoapi.collection_items"]).__module__ == "gisserver.ogc.items"
    )
    missing = client.get(f"/ogc/collections/stockpiles/items/{fid}000000")
    assert missing.status_code == 404 and "not found" in missing.get_json()["description"]


def test_other_items_forms_still_come_from_pygeoapi(client, ogc_rows):
    html = client.get("/ogc/collections/shelters/items?f=html&limit=2")
    assert html.status_code == 200 and html.mimetype == "text/html"
    jsonld = client.get("/ogc/collections/shelters/items?f=jsonld&limit=2")
    assert jsonld.status_code == 200 and "@context" in jsonld.get_json()
    single = client.get("/ogc/collections/shelters/items?limit=1").get_json()["features"][0]
    item = client.get(f"/ogc/collections/shelters/items/{single['id']}?f=json").get_json()
    assert item["id"] == single["id"] and item["properties"] == single["properties"]
    dated = client.get("/ogc/collections/incidents/items?datetime=2026-11-01/..&limit=1")
    assert dated.status_code == 200 and dated.get_json()["type"] == "FeatureCollection"
