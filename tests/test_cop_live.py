"""The live common operating picture in a real headless Chromium (Playwright, tests/cop.py) over
a real HTTP server, with a real ``gisserver worker`` raising alerts: a duty desk signed in with an
operator key and a wall screen in Chinese both follow /api/events; a hazard zone and an incident
written through the API appear on both without a reload, the "incident in hazard zone" alert
appears in both alerts panels and is acknowledged and resolved from the desk; a hazard zone's
click shows its affected population; the situation panel follows; the Chinese wall shows no
English word; the live indicator goes "reconnecting", "offline since" and back to "live" when
the server goes away and returns, and catches up with what it missed. Screenshots of each check
are kept in test-artifacts/map/.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import json
import re
import signal
import socket
import threading
from collections.abc import Iterator
from typing import Any

import pytest
import requests
from cop import CHROMIUM, browser, keep, open_map, violations
from editing import Api, Key, api_keys, feature, feature_id
from flask import Flask
from live import serving
from pyproj import Geod
from shapely.geometry import box
from webhook_receiver import WorkerProcess, worker_env

from gisserver.app import create_app
from gisserver.settings import PROJECT_ROOT, Settings

pytestmark = [
    pytest.mark.slow,
    pytest.mark.skipif(
        CHROMIUM is None, reason="chromium is not installed (apt-get install chromium)"
    ),
]

LOCALES = PROJECT_ROOT / "gisserver" / "web" / "static" / "map" / "locales"
# A block of Cambridge by the Charles (the zone), a point inside it (the incident), a point of
# the zone away from the incident (to click the zone), and a census unit twice the zone's width.
ZONE = (-71.1180, 42.3660, -71.1100, 42.3710)
INSIDE = (-71.1140, 42.3685)
IN_ZONE_ONLY = (-71.1170, 42.3703)
UNIT = (-71.1180, 42.3660, -71.1020, 42.3710)
UNIT_PEOPLE = 1200.0
WAIT_MS = 30_000

RENDERED = """([layer, id]) => map.queryRenderedFeatures()
  .some((f) => f.sourceLayer === layer && String(f.properties.id) === String(id))"""
ALERT = "#alerts li[data-subject='incidents/{id}'][data-rule='incident_in_hazard_zone']"


@pytest.fixture(scope="module")
def keys(database_url: str) -> Iterator[dict[str, Key]]:
    with api_keys(database_url, "cop") as made:
        yield made


@pytest.fixture(scope="module")
def app(settings: Settings) -> Iterator[Flask]:
    application = create_app(settings)
    yield application
    application.extensions["gisserver"].db.close()


@pytest.fixture(scope="module")
def worker(
    settings: Settings, database_url: str, tmp_path_factory: pytest.TempPathFactory
) -> Iterator[WorkerProcess]:
    log = tmp_path_factory.mktemp("cop-worker") / "worker.log"
    process = WorkerProcess(worker_env(settings, database_url), log)
    process.wait_log("active")
    yield process
    assert process.stop(signal.SIGTERM) == 0, process.log()


class Relay:
    """A TCP relay in front of the server: the browser's way to it, which the test can cut
    (every connection closed, the port refused) and restore on the same port."""

    def __init__(self, target: str) -> None:
        self.target = ("127.0.0.1", int(target.rsplit(":", 1)[1]))
        self.port = 0
        self._listener: socket.socket | None = None
        self._sockets: list[socket.socket] = []
        self._lock = threading.Lock()

    def start(self) -> str:
        listener = socket.socket()
        listener.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        listener.bind(("127.0.0.1", self.port))
        listener.listen(64)
        self.port = listener.getsockname()[1]
        self._listener = listener
        threading.Thread(target=self._accept, args=(listener,), daemon=True).start()
        return f"http://127.0.0.1:{self.port}"

    def _accept(self, listener: socket.socket) -> None:
        while True:
            try:
                client, _ = listener.accept()
            except OSError:
                return
            upstream = socket.create_connection(self.target)
            with self._lock:
                self._sockets += [client, upstream]
            for a, b in ((client, upstream), (upstream, client)):
                threading.Thread(target=self._pump, args=(a, b), daemon=True).start()

    @staticmethod
    def _pump(source: socket.socket, sink: socket.socket) -> None:
        try:
            while data := source.recv(65536):
                sink.sendall(data)
        except OSError:
            pass
        finally:
            for s in (source, sink):
                with contextlib.suppress(OSError):
                    s.shutdown(socket.SHUT_RDWR)

    def stop(self) -> None:
        if self._listener is not None:
            # shutdown wakes the thread blocked in accept(); close alone would leave it listening
            with contextlib.suppress(OSError):
                self._listener.shutdown(socket.SHUT_RDWR)
            self._listener.close()
            self._listener = None
        with self._lock:
            for s in self._sockets:
                with contextlib.suppress(OSError):
                    s.shutdown(socket.SHUT_RDWR)
                s.close()
            self._sockets = []


def _signed_in(chromium: Any, key: Key, locale: str = "en-US") -> Any:
    """A browser context whose tab holds an API key (as the desk's sign-in keeps it)."""
    context = chromium.new_context(viewport={"width": 1280, "height": 800}, locale=locale)
    context.add_init_script(f"sessionStorage.setItem('gisserver.key', {json.dumps(key.secret)})")
    return context


def _live(page: Any) -> None:
    page.wait_for_selector("#live-status[data-state=live]", timeout=WAIT_MS)


def _look_at(page: Any, lon: float, lat: float, zoom: float = 15) -> None:
    page.evaluate(f"map.jumpTo({{center: [{lon}, {lat}], zoom: {zoom}}})")
    page.wait_for_function("() => map.loaded() && map.areTilesLoaded()", timeout=WAIT_MS)


def _drawn(page: Any, layer: str, fid: int) -> bool:
    return bool(page.evaluate(RENDERED, [layer, fid]))


def _wait_drawn(page: Any, layer: str, fid: int) -> None:
    page.wait_for_function(RENDERED, arg=[layer, fid], timeout=WAIT_MS)


def _visible_texts(page: Any, selector: str) -> list[str]:
    """The visible text nodes under ``selector`` (the language switch's options excepted: each
    language is named in its own words)."""
    return page.evaluate(
        """(selector) => {
          const texts = [];
          for (const root of document.querySelectorAll(selector)) {
            const walker = document.createTreeWalker(root, NodeFilter.SHOW_TEXT);
            for (let node = walker.nextNode(); node; node = walker.nextNode()) {
              const parent = node.parentElement;
              if (!node.textContent.trim() || parent.closest("select")) continue;
              if (!parent.checkVisibility()) continue;
              texts.push(node.textContent.trim());
            }
          }
          return texts;
        }""",
        selector,
    )


def _strings(value: Any) -> Iterator[str]:
    if isinstance(value, str):
        yield value
    elif isinstance(value, dict):
        for key, item in value.items():
            yield key
            yield from _strings(item)
    elif isinstance(value, list):
        for item in value:
            yield from _strings(item)


def test_every_part_has_the_same_words_in_english_and_chinese() -> None:
    english = sorted(p.name for p in (LOCALES / "en").glob("*.json"))
    chinese = sorted(p.name for p in (LOCALES / "zh-CN").glob("*.json"))
    assert english == chinese
    for name in english:
        en = json.loads((LOCALES / "en" / name).read_text())
        zh = json.loads((LOCALES / "zh-CN" / name).read_text())
        assert set(en) == set(zh), (name, set(en) ^ set(zh))
        for key, text in zh.items():
            assert text.strip() or not en[key].strip(), (name, key)
            # the same placeholders in both languages
            assert set(re.findall(r"{\w+}", text)) == set(re.findall(r"{\w+}", en[key])), key
    for name in ("live.json", "alerts.json", "situation.json", "wall.json"):
        assert json.loads((LOCALES / "en" / name).read_text()), f"{name} has words"


def test_a_change_appears_live_on_the_desk_and_on_a_chinese_wall(
    app: Flask, worker: WorkerProcess, keys: dict[str, Key], rows: Any
) -> None:
    with serving(app) as base, browser() as chromium:
        api = Api(base, keys)
        desk = open_map(chromium, f"{base}/map", context=_signed_in(chromium, keys["operator"]))
        wall = open_map(
            chromium,
            f"{base}/map?view=wall&lang=zh-CN",
            context=chromium.new_context(viewport={"width": 1920, "height": 1080}, locale="zh-CN"),
        )
        for page in (desk, wall):
            _live(page)
        assert wall.evaluate("document.body.classList.contains('mode-wall')")
        wall.click(".wall-pause")  # the wall stays where the test looks
        assert wall.get_attribute(".wall-pause", "aria-pressed") == "true"
        for page in (desk, wall):
            _look_at(page, *INSIDE)
        keep(desk, "live-desk-before")

        # A hazard zone (extreme) drawn by an analyst, an incident inside it logged by an operator.
        valid_from = (dt.datetime.now(dt.UTC) - dt.timedelta(hours=1)).isoformat()
        zone = api(
            "POST",
            "hazard_zones/items",
            "analyst",
            json=feature(
                json.loads(json.dumps(box(*ZONE).__geo_interface__)),
                hazard_type="flood",
                severity="extreme",
                name="Charles basement flooding",
                valid_from=valid_from,
            ),
        )
        assert zone.status_code == 201, zone.text
        zone_id = feature_id(zone)
        for page in (desk, wall):
            _wait_drawn(page, "hazard_zones", zone_id)
        flashes = int(desk.get_attribute("#alerts", "data-flashes") or 0)
        logged = api(
            "POST",
            "incidents/items",
            "operator",
            json=feature(
                INSIDE,
                incident_type="fire",
                severity="high",
                reported_at=dt.datetime.now(dt.UTC).isoformat(),
                description="a fire in a flooded basement",
            ),
        )
        assert logged.status_code == 201, logged.text
        incident = feature_id(logged)

        # Drawn on both without a reload (the page was not navigated: same document).
        marker = desk.evaluate("window.__marker = performance.timeOrigin")
        for page, name in ((desk, "live-desk-incident"), (wall, "live-wall-incident")):
            _wait_drawn(page, "incidents", incident)
            keep(page, name)
        assert desk.evaluate("performance.timeOrigin") == marker

        # The worker's alert reaches both panels; an extreme one flashes the desk's.
        alert = ALERT.format(id=incident)
        for page in (desk, wall):
            page.wait_for_selector(alert, timeout=WAIT_MS)
        item = desk.locator(alert)
        assert item.get_attribute("data-severity") == "extreme"
        assert item.get_attribute("data-status") == "active"
        assert "extreme" in item.inner_text() and "Incident in a hazard zone" in item.inner_text()
        assert "Charles basement flooding" in item.inner_text()
        assert int(desk.get_attribute("#alerts", "data-flashes") or 0) > flashes
        keep(desk, "live-desk-alert")
        alert_id = int(item.get_attribute("data-id") or 0)
        assert wall.locator(alert).get_attribute("data-severity") == "extreme"
        assert "特别严重" in wall.locator(alert).inner_text()
        assert not wall.locator(f"{alert} .alert-ack").is_visible(), "the wall has no editing"
        keep(wall, "live-wall-alert")

        # Enter on the alert zooms to it.
        desk.evaluate("map.jumpTo({center: [-71.06, 42.36], zoom: 11})")
        desk.focus(f"{alert} .alert-zoom")
        desk.keyboard.press("Enter")
        desk.wait_for_function(
            f"() => map.getBounds().contains([{INSIDE[0]}, {INSIDE[1]}]) && map.getZoom() >= 15",
            timeout=WAIT_MS,
        )

        # A viewer's key may not acknowledge: the refusal is said in words, nothing changes.
        viewer = open_map(chromium, f"{base}/map", context=_signed_in(chromium, keys["viewer"]))
        viewer.wait_for_selector(alert, timeout=WAIT_MS)
        viewer.click(f"{alert} .alert-ack")
        refused = json.loads((LOCALES / "en" / "alerts.json").read_text())["alerts.refused.403"]
        viewer.wait_for_function(
            "(words) => document.getElementById('message').textContent.startsWith(words)",
            arg=refused,
            timeout=WAIT_MS,
        )
        keep(viewer, "live-viewer-refused")
        viewer.context.close()
        assert desk.locator(alert).get_attribute("data-status") == "active"

        # Acknowledged from the desk: the API says so, both panels show it.
        desk.click(f"{alert} .alert-ack")
        for page in (desk, wall):
            page.wait_for_selector(f"{alert}[data-status=acknowledged]", timeout=WAIT_MS)
        record = requests.get(
            f"{base}/api/alerts/{alert_id}",
            headers={"Authorization": f"Bearer {keys['operator'].secret}"},
            timeout=30,
        ).json()["properties"]
        assert record["status"] == "acknowledged"
        assert record["acknowledged_by"] == keys["operator"].name
        assert "已确认" in wall.locator(alert).inner_text()
        keep(desk, "live-desk-acknowledged")
        keep(wall, "live-wall-acknowledged")

        # The situation panel counts the open fire (refreshed by the feed).
        situation = requests.get(f"{base}/api/situation", timeout=30).json()
        fires = situation["open_incidents"]["by_type"].get("fire", 0)
        desk.wait_for_function(
            "(n) => (document.querySelector('#situation [data-figure=by_type] td') || {})"
            ".textContent?.includes('fire ' + n)",
            arg=f"{fires:,}",
            timeout=WAIT_MS,
        )

        # The Chinese wall: every visible word of its bar and panels is Chinese or data.
        data = set()
        for path in ("/api/alerts?status=active,acknowledged&limit=100", "/api/situation"):
            data |= set(_strings(requests.get(f"{base}{path}", timeout=30).json()))
        data_words = {w for text in data for w in re.findall(r"[A-Za-z][A-Za-z0-9_'.-]*", text)}
        english = [
            text
            for text in _visible_texts(wall, "#bar, #panel")
            if set(re.findall(r"[A-Za-z][A-Za-z0-9_'.-]*", text)) - data_words
        ]
        assert english == [], english
        keep(wall, "live-wall-chinese")

        # Resolved from the desk: gone from both panels.
        desk.click(f"{alert} .alert-resolve")
        for page in (desk, wall):
            page.wait_for_selector(alert, state="detached", timeout=WAIT_MS)
        keep(desk, "live-desk-resolved")

        assert violations(desk) == [] and violations(wall) == []
        assert desk.watched.errors == [] and wall.watched.errors == []


def test_a_hazard_zone_click_shows_its_affected_population(
    app: Flask, keys: dict[str, Key], rows: Any
) -> None:
    rows.census(box(*UNIT), [("block-1", UNIT_PEOPLE, box(*UNIT))])
    api_base: str
    with serving(app) as base, browser() as chromium:
        api_base = base
        zone = Api(base, keys)(
            "POST",
            "hazard_zones/items",
            "analyst",
            json=feature(
                json.loads(json.dumps(box(*ZONE).__geo_interface__)),
                hazard_type="chemical",
                severity="moderate",
                name="Solvent spill",
            ),
        )
        assert zone.status_code == 201, zone.text
        zone_id = feature_id(zone)
        page = open_map(chromium, f"{base}/map")
        _look_at(page, *IN_ZONE_ONLY, zoom=16)
        _wait_drawn(page, "hazard_zones", zone_id)
        point = page.evaluate(f"map.project([{IN_ZONE_ONLY[0]}, {IN_ZONE_ONLY[1]}])")
        page.mouse.click(point["x"], point["y"])
        page.wait_for_selector(".maplibregl-popup .affected[data-population]", timeout=WAIT_MS)
        shown = page.get_attribute(".maplibregl-popup .affected", "data-population")
        answer = requests.post(
            f"{api_base}/api/affected-population", json={"hazard_zone_id": zone_id}, timeout=30
        ).json()
        assert shown == str(answer["population"]).removesuffix(".0") or float(shown or 0) == float(
            answer["population"]
        )
        assert page.get_attribute("#situation .situation-zone", "data-zone") == str(zone_id)
        if answer["source"] == rows.source:
            # Areal weighting, computed independently: the unit's people times the share of
            # its (geodesic) area inside the zone.
            geod = Geod(ellps="WGS84")
            inside = abs(geod.geometry_area_perimeter(box(*ZONE))[0])
            whole = abs(geod.geometry_area_perimeter(box(*UNIT))[0])
            assert float(shown or 0) == pytest.approx(UNIT_PEOPLE * inside / whole, rel=1e-3)
        keep(page, "live-zone-affected-population")


@pytest.mark.parametrize("lang", ["en", "zh-CN"])
def test_the_indicator_goes_offline_and_comes_back_and_catches_up(
    app: Flask, keys: dict[str, Key], lang: str
) -> None:
    words = json.loads((LOCALES / lang / "live.json").read_text())
    offline = re.escape(words["live.offline_since"]).replace(re.escape("{time}"), r"\d\d:\d\d")
    with serving(app) as base, browser() as chromium:
        relay = Relay(base)
        front = relay.start()
        page = open_map(
            chromium,
            f"{front}/map?lang={lang}",
            context=chromium.new_context(viewport={"width": 1280, "height": 800}, locale=lang),
        )
        _live(page)
        assert page.inner_text("#live-status") == words["live.live"]
        keep(page, f"live-indicator-live-{lang}")
        _look_at(page, *INSIDE, zoom=15)
        colour = "getComputedStyle(document.getElementById('live-status')).backgroundColor"
        colours = {page.evaluate(colour)}

        relay.stop()  # the server is gone for the page: its connections cut, its port refused
        page.wait_for_selector("#live-status[data-state=reconnecting]", timeout=WAIT_MS)
        assert page.inner_text("#live-status") == words["live.reconnecting"]
        colours.add(page.evaluate(colour))
        keep(page, f"live-indicator-reconnecting-{lang}")
        page.wait_for_selector("#live-status[data-state=offline]", timeout=WAIT_MS)
        text = page.inner_text("#live-status")
        assert re.fullmatch(offline, text), text
        colours.add(page.evaluate(colour))
        assert len(colours) == 3, "each state has its own colour, besides its words"
        keep(page, f"live-indicator-offline-{lang}")

        # A change while the page is cut off: drawn once it is back (it catches up).
        logged = Api(base, keys)(
            "POST",
            "incidents/items",
            "operator",
            json=feature(
                INSIDE,
                incident_type="gas_leak",
                severity="moderate",
                reported_at=dt.datetime.now(dt.UTC).isoformat(),
            ),
        )
        assert logged.status_code == 201, logged.text
        incident = feature_id(logged)
        assert not _drawn(page, "incidents", incident)

        relay.start()
        _live(page)
        assert page.inner_text("#live-status") == words["live.live"]
        _wait_drawn(page, "incidents", incident)
        keep(page, f"live-indicator-back-{lang}")
        assert page.watched.errors == []
        relay.stop()
