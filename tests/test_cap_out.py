"""CAP 1.2 out: every alert version as a CAP message valid against the OASIS schema, its area
within the stated tolerance and point limit, Update/Cancel referencing the earlier messages,
and the Atom feed of the alerts in force. Alerts are rows inserted and updated with SQL (the
alert engine is not needed to write them)."""

from __future__ import annotations

import datetime as dt
import math
from collections.abc import Callable, Iterator
from typing import Any

import numpy as np
import psycopg
import pyproj
import pytest
import shapely
from flask.testing import FlaskClient
from lxml import etree

from gisserver.cap import Shape, alert_document, parse
from gisserver.cap.write import AlertVersion
from gisserver.settings import PROJECT_ROOT, Settings

XSD = PROJECT_ROOT / "gisserver" / "cap" / "CAP-v1.2.xsd"
CAP = "{urn:oasis:names:tc:emergency:cap:1.2}"
ATOM = "{http://www.w3.org/2005/Atom}"
TOLERANCE_M = 10.0
MAX_POINTS = 100


@pytest.fixture(scope="module")
def schema() -> etree.XMLSchema:
    """The OASIS schema, read here on its own (not through the parser under test)."""
    return etree.XMLSchema(etree.parse(str(XSD)))


def wavy_ring(
    lon: float, lat: float, radius_m: float, points: int, wave_m: float, waves: int = 37
) -> shapely.Polygon:
    """A lon/lat polygon around (lon, lat): a circle of ``points`` vertices whose radius waves by
    ``wave_m`` (many vertices to simplify)."""
    geod = pyproj.Geod(ellps="WGS84")
    angles = np.linspace(0, 360, points, endpoint=False)
    radii = radius_m + wave_m * np.sin(np.radians(angles) * waves)
    lons, lats, _ = geod.fwd(np.full(points, lon), np.full(points, lat), angles, radii)
    return shapely.Polygon(zip(lons, lats, strict=True))


@pytest.fixture()
def alerts(conn: psycopg.Connection[Any]) -> Iterator[Callable[..., int]]:
    """Insert an alert row (as the admin connection); every one is deleted afterwards."""
    made: list[int] = []

    def insert(geom: shapely.Geometry, **columns: Any) -> int:
        values = {
            "rule": "test-cap-out",
            "subject": f"incidents/{len(made) + 1}",
            "event": "Flood",
            "severity": "severe",
            "headline": "River flooding near the Charles",
            "description": "The Charles River is over its banks along Memorial Drive.",
            "instruction": "Avoid Memorial Drive.",
            **columns,
        }
        names = ", ".join(values)
        marks = ", ".join(["%s"] * len(values))
        row = conn.execute(
            f"INSERT INTO alerts ({names}, geom) VALUES ({marks},"
            " ST_GeomFromText(%s, 4326)) RETURNING id",
            (*values.values(), geom.wkt),
        ).fetchone()
        conn.commit()
        assert row is not None
        made.append(int(row[0]))
        return made[-1]

    yield insert
    conn.rollback()
    conn.execute("DELETE FROM alerts WHERE id = ANY(%s)", (made,))
    conn.commit()


def change(conn: psycopg.Connection[Any], alert_id: int, assignments: str) -> None:
    """One UPDATE of the alert in a transaction of its own: a new version."""
    conn.execute(f"UPDATE alerts SET {assignments} WHERE id = %s", (alert_id,))
    conn.commit()


def cap(client: FlaskClient, schema: etree.XMLSchema, alert_id: int) -> etree._Element:
    answer = client.get(f"/api/alerts/{alert_id}.cap")
    assert answer.status_code == 200, answer.get_data(as_text=True)
    assert answer.mimetype == "application/cap+xml"
    document = etree.fromstring(answer.data)
    schema.assertValid(document)
    return document


def text(document: etree._Element, path: str) -> str | None:
    found = document.find(path.replace("cap:", CAP))
    return None if found is None else found.text


def polygon_pairs(document: etree._Element) -> list[list[tuple[float, float]]]:
    rings = []
    for element in document.iter(f"{CAP}polygon"):
        pairs = [tuple(float(v) for v in pair.split(",")) for pair in (element.text or "").split()]
        rings.append(pairs)
    return rings  # type: ignore[return-value]


def hausdorff_m(drawn: shapely.Polygon, written: list[tuple[float, float]]) -> float:
    """Hausdorff distance in metres, in an azimuthal equidistant projection on the polygon."""
    centre = drawn.centroid
    local = pyproj.Transformer.from_crs(
        "EPSG:4326",
        f"+proj=aeqd +lat_0={centre.y} +lon_0={centre.x} +datum=WGS84 +units=m",
        always_xy=True,
    )
    a = shapely.transform(drawn.exterior, local.transform, interleaved=False)
    b = shapely.transform(
        shapely.LineString([(lon, lat) for lat, lon in written]), local.transform, interleaved=False
    )
    return float(shapely.hausdorff_distance(a, b, densify=0.05))  # between vertices too


def test_a_polygon_alert_is_valid_cap_within_tolerance(client, schema, alerts, settings: Settings):
    drawn = wavy_ring(-71.11, 42.37, 1200, 1500, 3)
    alert_id = alerts(drawn)
    document = cap(client, schema, alert_id)
    assert text(document, "cap:identifier") == f"urn:gisserver:alert:{alert_id}:1"
    assert text(document, "cap:sender") == settings.cap_sender
    assert text(document, "cap:status") == "Actual"
    assert text(document, "cap:msgType") == "Alert"
    assert text(document, "cap:scope") == "Public"
    assert text(document, "cap:references") is None
    assert text(document, "cap:info/cap:severity") == "Severe"
    assert text(document, "cap:info/cap:urgency") == "Immediate"
    assert text(document, "cap:info/cap:certainty") == "Observed"
    assert text(document, "cap:info/cap:category") == "Safety"
    assert text(document, "cap:info/cap:headline") == "River flooding near the Charles"
    assert text(document, "cap:info/cap:instruction") == "Avoid Memorial Drive."
    assert text(document, "cap:info/cap:area/cap:areaDesc") == "incidents/1"
    [ring] = polygon_pairs(document)
    assert ring[0] == ring[-1] and 4 <= len(ring) <= MAX_POINTS
    assert all(42 < lat < 43 and -72 < lon < -71 for lat, lon in ring)  # lat,lon order
    assert hausdorff_m(drawn, ring) <= TOLERANCE_M
    assert text(document, "cap:info/cap:parameter/cap:value") == f"{TOLERANCE_M:g}"
    # what gisserver writes, gisserver reads back
    [message] = parse(etree.tostring(document))
    assert message.infos[0].areas[0].polygons[0] == tuple(ring)


def test_updates_and_the_cancel_reference_the_earlier_messages(client, schema, alerts, conn):
    alert_id = alerts(shapely.Point(-71.11, 42.37), expires="2026-12-04T12:00:00Z")
    first = cap(client, schema, alert_id)
    circle = text(first, "cap:info/cap:area/cap:circle")
    assert circle == "42.37,-71.11 0.5"  # lat,lon radius_km of a point alert
    assert text(first, "cap:info/cap:expires") == "2026-12-04T12:00:00+00:00"

    change(conn, alert_id, "severity = 'extreme', headline = 'River flooding: evacuate'")
    second = cap(client, schema, alert_id)
    assert text(second, "cap:msgType") == "Update"
    assert text(second, "cap:identifier") == f"urn:gisserver:alert:{alert_id}:2"
    assert text(second, "cap:info/cap:severity") == "Extreme"
    sent_first = text(first, "cap:sent")
    assert text(second, "cap:references") == (
        f"{text(first, 'cap:sender')},urn:gisserver:alert:{alert_id}:1,{sent_first}"
    )

    change(conn, alert_id, "status = 'resolved', resolved_at = now(), resolution = 'receded'")
    third = cap(client, schema, alert_id)
    assert text(third, "cap:msgType") == "Cancel"
    assert text(third, "cap:note") == "receded"
    references = (text(third, "cap:references") or "").split()
    assert [r.split(",")[1] for r in references] == [
        f"urn:gisserver:alert:{alert_id}:1",
        f"urn:gisserver:alert:{alert_id}:2",
    ]
    assert references[1].split(",")[2] == text(second, "cap:sent")
    identifiers = {text(d, "cap:identifier") for d in (first, second, third)}
    assert len(identifiers) == 3  # unique per message


def test_a_polygon_too_detailed_for_the_tolerance_states_the_one_used(client, schema, alerts):
    drawn = wavy_ring(-71.11, 42.37, 1500, 3000, 40, waves=97)  # > 100 points at 10 m
    document = cap(client, schema, alerts(drawn))
    [ring] = polygon_pairs(document)
    used = float(text(document, "cap:info/cap:parameter/cap:value") or "nan")
    assert used > TOLERANCE_M and not math.isnan(used)
    assert len(ring) <= MAX_POINTS and ring[0] == ring[-1]
    assert hausdorff_m(drawn, ring) <= used


def test_a_multipolygon_is_one_polygon_per_part(client, schema, alerts):
    parts = shapely.MultiPolygon(
        [wavy_ring(-71.12, 42.37, 500, 200, 1), wavy_ring(-71.09, 42.36, 400, 200, 1)]
    )
    rings = polygon_pairs(cap(client, schema, alerts(parts, category="Met")))
    assert len(rings) == 2
    for drawn, ring in zip(parts.geoms, rings, strict=True):
        assert hausdorff_m(drawn, ring) <= TOLERANCE_M


def test_the_writer_on_its_own_states_its_limits(schema):
    moment = dt.datetime(2026, 12, 3, 14, 0, 0, 123456, tzinfo=dt.UTC)
    alert = AlertVersion(
        id=7, version=1, status="active", event="Gas leak", category="not-a-cap-category",
        severity="moderate", urgency="expected", certainty="likely", headline="Gas leak",
        description=None, instruction=None, raised_at=moment, updated_at=moment, expires=None,
        resolved_at=None, resolution=None, subject="incidents/7",
        geometry=wavy_ring(-71.10, 42.36, 300, 400, 2),
    )  # fmt: skip
    document = etree.fromstring(
        alert_document(
            alert, sender="ops@cambridge.example", shape=Shape(tolerance_m=5, max_points=20)
        )
    )
    schema.assertValid(document)
    assert text(document, "cap:sent") == "2026-12-03T14:00:00+00:00"
    assert text(document, "cap:info/cap:category") == "Other"
    [ring] = polygon_pairs(document)
    assert len(ring) <= 20
    with pytest.raises(ValueError, match="max_points"):
        Shape(max_points=3)


def test_unknown_alert_is_404(client):
    assert client.get("/api/alerts/999999999.cap").status_code == 404


def test_the_atom_feed_lists_the_alerts_in_force(client, schema, alerts, conn):
    active = alerts(shapely.Point(-71.10, 42.36), headline="Active one")
    acknowledged = alerts(shapely.Point(-71.10, 42.37), subject="incidents/acked")
    resolved = alerts(shapely.Point(-71.10, 42.38), subject="incidents/gone")
    change(conn, acknowledged, "status = 'acknowledged', acknowledged_at = now()")
    change(conn, resolved, "status = 'resolved', resolved_at = now()")
    answer = client.get("/api/alerts.atom")
    assert answer.status_code == 200
    assert answer.mimetype == "application/atom+xml"
    feed = etree.fromstring(answer.data)
    assert feed.tag == f"{ATOM}feed"
    links = {
        link.get("href", "").rsplit("/", 1)[-1]
        for link in feed.iter(f"{ATOM}link")
        if link.get("type") == "application/cap+xml"
    }
    assert {f"{active}.cap", f"{acknowledged}.cap"} <= links
    assert f"{resolved}.cap" not in links
    for entry in feed.iter(f"{ATOM}entry"):
        href = next(
            link.get("href", "")
            for link in entry.iter(f"{ATOM}link")
            if link.get("type") == "application/cap+xml"
        )
        path = href.split("://", 1)[-1].split("/", 1)[1]
        if path.rsplit("/", 1)[-1] in {f"{active}.cap", f"{acknowledged}.cap"}:
            cap(client, schema, int(path.rsplit("/", 1)[-1].removesuffix(".cap")))
