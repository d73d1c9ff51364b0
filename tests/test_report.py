"""GET /api/incidents/{id}/report: the after-action report's sections against a history the
test wrote (units and their tracks, zones in force then, one since deleted, alerts, census
people, shelters whose occupancy rose, stock issues named or nearby), each proven against the
test's own computation; the printable HTML page with its server-drawn SVG map; 404 and 400."""

from __future__ import annotations

import datetime as dt
import xml.etree.ElementTree as ET
from collections.abc import Iterator
from html.parser import HTMLParser
from typing import Any

import pytest
import shapely
from conftest import SyntheticRows
from flask.testing import FlaskClient
from pyproj import Geod
from records import History, Recorder, recorder

from gisserver.settings import Settings

LON, LAT = 32.0, -32.0
MIN = dt.timedelta(minutes=1)
KM_LON = 1 / 94.5  # about a kilometre of longitude at 32° S
GEOD = Geod(ellps="WGS84")
INCIDENT = shapely.box(LON - 0.002, LAT - 0.002, LON + 0.002, LAT + 0.002)
CENSUS_UNIT = shapely.box(LON - 0.01, LAT - 0.01, LON + 0.01, LAT + 0.01)
PEOPLE = 10_000.0


@pytest.fixture(scope="module")
def built(
    settings: Settings, database_url: str, request: pytest.FixtureRequest
) -> Iterator[dict[str, Any]]:
    """One incident's whole history, written once for the module's tests."""
    import uuid

    rows = SyntheticRows(database_url, f"test-report-{uuid.uuid4().hex[:8]}")
    try:
        with recorder(settings, database_url, rows.source) as record:
            yield _build(record, rows)
    finally:
        rows.delete()


def _update(record: Recorder, statement: str, *params: Any) -> None:
    with record.acting() as conn:
        conn.execute(statement, params)


def _issue(record: Recorder, lot: int, quantity: float, reason: str | None) -> None:
    with record.acting() as conn:
        conn.execute("SELECT set_config('gisserver.stock_kind', 'issue', true)")
        if reason is not None:
            conn.execute("SELECT set_config('gisserver.stock_reason', %s, true)", (reason,))
        conn.execute(
            "UPDATE stockpile_items SET quantity = quantity - %s WHERE id = %s", (quantity, lot)
        )


def _build(record: Recorder, rows: SyntheticRows) -> dict[str, Any]:
    t0 = dt.datetime.now(dt.UTC).replace(microsecond=0) - dt.timedelta(hours=2)
    rows.census(CENSUS_UNIT.buffer(0.01), [("unit-1", PEOPLE, CENSUS_UNIT)])
    zone = rows.zone((LON - 0.05, LAT - 0.05, LON + 0.05, LAT + 0.05), name="River flood")
    gone = rows.zone((LON - 0.001, LAT - 0.001, LON + 0.003, LAT + 0.003), name="Gas cloud")
    far_zone = rows.zone((LON + 1, LAT, LON + 1.1, LAT + 0.1), name="Elsewhere")
    _update(record, "DELETE FROM hazard_zones WHERE id = %s", gone)

    history: History = record.incident(INCIDENT.wkt, t0, incident_type="flood")
    record.transition(history, "verified")
    record.transition(history, "responding")
    boat = record.unit("Rescue boat 2", "rescue_team", LON - 0.02, LAT)
    record.assign(
        history,
        boat,
        t0 + 5 * MIN,
        en_route_at=t0 + 6 * MIN,
        on_scene_at=t0 + 20 * MIN,
        released_at=t0 + 90 * MIN,
    )
    track = [(t0 + (6 + 2 * i) * MIN, LON - 0.02 + 0.0025 * i, LAT + 0.001 * i) for i in range(8)]
    record.positions(boat, track)

    raised = record.alert(
        f"incidents/{history.incident_id}", t0 + 2 * MIN, headline="In the flood zone"
    )
    zone_alert = record.alert(f"hazard_zones/{zone}", t0 - 30 * MIN, headline="Zone covers")
    record.alert(f"hazard_zones/{far_zone}", t0 + 3 * MIN, headline="Not ours")

    near = rows.shelter(LON + KM_LON, LAT, name="School gym", capacity=200, occupancy=10)
    in_zone = rows.shelter(LON + 4 * KM_LON, LAT, name="Church hall", capacity=80, occupancy=0)
    far = rows.shelter(LON + 20 * KM_LON, LAT, name="Far arena", capacity=500, occupancy=0)
    idle = rows.shelter(LON - KM_LON, LAT, name="Library", capacity=50, occupancy=5)
    for shelter, occupancy in ((near, 35), (near, 30), (in_zone, 12), (far, 40)):
        _update(record, "UPDATE shelters SET occupancy = %s WHERE id = %s", occupancy, shelter)

    depot = rows.stockpile(LON, LAT + KM_LON, name="Depot North")
    remote = rows.stockpile(LON, LAT + 20 * KM_LON, name="Depot Far")
    water = rows.item(depot, "water", 100, "litre")
    blankets = rows.item(remote, "blanket", 50, "piece")
    _issue(record, water, 20, f"to the shelters of incidents/{history.incident_id}")
    _issue(record, water, 5, None)  # nearby, naming no incident
    _issue(record, water, 7, "for incident #999999999")  # another incident's
    _issue(record, blankets, 3, None)  # far and naming none: not this one's
    _issue(record, blankets, 4, f"Incident {history.incident_id} evacuees")

    resolved = record.transition(history, "resolved")
    _update(record, "UPDATE shelters SET occupancy = 60 WHERE id = %s", idle)  # after the end
    return {
        "history": history,
        "t0": t0,
        "resolved": resolved,
        "zones": {"current": zone, "gone": gone},
        "alerts": (zone_alert, raised),
        "track": track,
        "shelters": {"near": near, "in_zone": in_zone},
    }


def test_report_sections(client: FlaskClient, built: dict[str, Any]):
    history: History = built["history"]
    answer = client.get(f"/api/incidents/{history.incident_id}/report")
    assert answer.status_code == 200, answer.json
    assert answer.mimetype == "application/json"
    report = answer.json

    assert report["incident"]["properties"]["status"] == "resolved"
    assert dt.datetime.fromisoformat(report["window"]["end"]) == built["resolved"]
    assert report["window"]["open"] is False
    kinds = [item["kind"] for item in report["timeline"]]
    assert kinds.count("transition") == 3 and kinds.count("assignment") == 4

    (unit,) = report["units_sent"]
    assert unit["unit_name"] == "Rescue boat 2" and unit["unit_type"] == "rescue_team"
    assert dt.datetime.fromisoformat(unit["on_scene_at"]) == built["t0"] + 20 * MIN
    lons, lats = [p[1] for p in built["track"]], [p[2] for p in built["track"]]
    assert unit["distance_m"] == pytest.approx(GEOD.line_length(lons, lats), abs=0.1)
    assert unit["positions"] == len(built["track"])

    zones = {z["id"]: z for z in report["hazard_zones"]}
    assert set(zones) == set(built["zones"].values())
    assert zones[built["zones"]["gone"]]["exists_now"] is False
    assert zones[built["zones"]["gone"]]["name"] == "Gas cloud"

    assert [a["id"] for a in report["alerts"]] == list(built["alerts"])

    people = report["people_affected"]
    incident_area = abs(GEOD.geometry_area_perimeter(INCIDENT)[0])
    unit_area = abs(GEOD.geometry_area_perimeter(CENSUS_UNIT)[0])
    assert people["population"] == pytest.approx(PEOPLE * incident_area / unit_area, rel=1e-6)

    shelters = {s["id"]: s for s in report["shelters_used"]}
    assert set(shelters) == set(built["shelters"].values())
    near = shelters[built["shelters"]["near"]]
    assert (near["occupancy_before"], near["occupancy_peak"], near["occupancy_last"]) == (
        10,
        35,
        30,
    )
    assert near["admitted"] == 25 and near["in_zone"] is True
    church = shelters[built["shelters"]["in_zone"]]
    assert church["admitted"] == 12 and church["distance_m"] > 3000 and church["in_zone"]

    stock = report["stock_issued"]
    assert stock["totals"] == [
        {"item": "blanket", "unit": "piece", "quantity": 4},
        {"item": "water", "unit": "litre", "quantity": 25},
    ]
    assert sorted((line["quantity"], line["basis"]) for line in stock["lines"]) == [
        (4, "named"),
        (5, "nearby"),
        (20, "named"),
    ]
    assert [t["assignment_id"] for t in report["tracks"]] == [a.id for a in history.assignments]


class _Balance(HTMLParser):
    """Every element closed in order (the void ones need no end tag)."""

    VOID = {"meta", "link", "br", "img", "input", "hr", "col", "area", "base", "source", "wbr"}

    def __init__(self) -> None:
        super().__init__()
        self.stack: list[str] = []
        self.seen: list[tuple[str, dict[str, str | None]]] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.seen.append((tag, dict(attrs)))
        if tag not in self.VOID:
            self.stack.append(tag)

    def handle_startendtag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.seen.append((tag, dict(attrs)))

    def handle_endtag(self, tag: str) -> None:
        assert self.stack and self.stack[-1] == tag, (self.stack[-5:], tag)
        self.stack.pop()


@pytest.mark.parametrize(
    ("path", "headers"),
    [
        ("/report.html", {}),
        ("/report?f=html", {}),
        ("/report", {"Accept": "text/html,application/xhtml+xml,*/*;q=0.8"}),
    ],
)
def test_printable_page(
    client: FlaskClient, built: dict[str, Any], path: str, headers: dict[str, str]
):
    history: History = built["history"]
    answer = client.get(f"/api/incidents/{history.incident_id}{path}", headers=headers)
    assert answer.status_code == 200, answer.data[:500]
    assert answer.mimetype == "text/html"
    assert (
        "'unsafe-inline'"
        not in answer.headers["Content-Security-Policy"].split("script-src")[1].split(";")[0]
    )
    page = answer.get_data(as_text=True)
    parser = _Balance()
    parser.feed(page)
    parser.close()
    assert parser.stack == []
    assert "script" not in {tag for tag, _ in parser.seen}
    ids = {attrs.get("id") for _, attrs in parser.seen}
    assert {
        "map",
        "timeline",
        "units",
        "hazard-zones",
        "alerts",
        "people",
        "shelters",
        "stock",
    } <= ids
    for text in ("Rescue boat 2", "River flood", "School gym", "water", "In the flood zone"):
        assert text in page
    sheet = next(a["href"] for tag, a in parser.seen if tag == "link")
    with client.get(sheet) as stylesheet:  # a file response: closed when read
        assert stylesheet.status_code == 200
        assert "@media print" in stylesheet.get_data(as_text=True)

    svg_text = page[page.index("<svg") : page.index("</svg>") + len("</svg>")]
    svg = ET.fromstring(svg_text)  # well-formed XML
    classes = {element.get("class") for element in svg.iter()}
    assert {"incident", "zone", "track", "shelter", "scale-bar", "north-arrow", "legend"} <= (
        classes
    )
    tracks = [e for e in svg.iter() if e.get("class") == "track"]
    assert len(tracks) == 1 and tracks[0].get("d", "").count("L") == len(built["track"]) - 1


def test_json_is_the_default_and_errors(client: FlaskClient, built: dict[str, Any]):
    incident = built["history"].incident_id
    assert client.get(f"/api/incidents/{incident}/report", headers={"Accept": "*/*"}).mimetype == (
        "application/json"
    )
    assert client.get(f"/api/incidents/{incident}/report?f=pdf").status_code == 400
    assert client.get(f"/api/incidents/{incident}/report.html?f=json").status_code == 400
    assert client.get(f"/api/incidents/{incident}/report?since=1").status_code == 400
    missing = client.get(f"/api/incidents/{2**62}/report.html")
    assert missing.status_code == 404 and missing.mimetype == "application/json"
