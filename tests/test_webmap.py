"""The web map at /map: served, self-contained, its style and tiles answer, and (with chromium)
it really draws every layer over Cambridge and New York City.

The demo data (etl/demo.yaml) is loaded into the session database for these tests, restricted to
the six map layers, and removed afterwards.
"""

from __future__ import annotations

import json
import math
import re
from collections.abc import Iterator
from dataclasses import dataclass
from html.parser import HTMLParser
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

import mapbox_vector_tile
import numpy as np
import psycopg
import pytest
from browser import CHROMIUM, HeadlessChromium
from flask import Flask
from flask.testing import FlaskClient
from live import serving
from psycopg import sql

from gisserver.etl.loader import load_file
from gisserver.etl.manifest import read_manifest
from gisserver.settings import PROJECT_ROOT, Settings
from gisserver.web.webmap import DEFAULT_VIEW, MAPLIBRE_VERSION, VIEWS

MAP_LAYERS = ("hazard_zones", "shelters", "stockpiles", "cameras", "incidents", "units")
# Which layers the demo data has in each view (cameras come only from New York City's DOT,
# the SAMPLE units only from Cambridge).
EXPECTED_IN_VIEW = {
    "cambridge": {"hazard_zones", "shelters", "stockpiles", "incidents", "units"},
    "nyc": {"hazard_zones", "shelters", "cameras"},
}


@pytest.fixture(scope="module")
def demo_data(database_url: str, settings: Settings) -> Iterator[list[tuple[str, str]]]:
    """The demo manifest's loads of the map layers, loaded; their rows deleted afterwards."""
    loads = [
        load
        for load in read_manifest(PROJECT_ROOT / "etl" / "demo.yaml")
        if load.layer in MAP_LAYERS
    ]
    loaded: list[tuple[str, str]] = []
    with psycopg.connect(database_url) as conn:
        try:
            for load in loads:
                report = load_file(
                    conn,
                    load.layer,
                    load.file,
                    source=load.source,
                    settings=settings,
                    **load.options,
                )
                loaded.append((load.layer, report.source))
            yield loaded
        finally:
            for layer, source in loaded:
                conn.execute(
                    sql.SQL("DELETE FROM {} WHERE source = %s").format(sql.Identifier(layer)),
                    (source,),
                )
            conn.commit()


# --- the page ------------------------------------------------------------------------------


class _References(HTMLParser):
    """Every URL the page's tags load (src, href) and the inline script's text."""

    def __init__(self) -> None:
        super().__init__()
        self.urls: list[str] = []
        self.script = ""
        self._in_script = False

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self._in_script = tag == "script"
        self.urls += [v for k, v in attrs if k in ("src", "href") and v]

    def handle_endtag(self, tag: str) -> None:
        self._in_script = False

    def handle_data(self, data: str) -> None:
        if self._in_script:
            self.script += data


def _page(client: FlaskClient, query: str = "") -> _References:
    response = client.get(f"/map{query}")
    assert response.status_code == 200
    assert response.mimetype == "text/html"
    refs = _References()
    refs.feed(response.get_data(as_text=True))
    return refs


def test_page_loads_only_assets_of_this_server(client: FlaskClient) -> None:
    refs = _page(client)
    assert refs.urls, "the page links MapLibre's script and CSS"
    for url in refs.urls:
        parts = urlsplit(url)
        assert not parts.scheme and not parts.netloc, f"{url} is not on this server"
        with client.get(url) as response:  # closes the static file it streams
            assert response.status_code == 200, url
            assert response.content_length and response.content_length > 1000, url
    # fetch() calls and the style go to this server too: no absolute URL in the script at all.
    assert not re.search(r"https?://|//[a-z]", refs.script, re.IGNORECASE)
    assert '"/styles/situation.json"' in refs.script
    assert "/api/nearest?layer=shelters" in refs.script
    with client.get("/map/static/maplibre/LICENSE.txt") as licence:
        assert licence.status_code == 200 and b"MapLibre" in licence.data
    with client.get("/map/static/maplibre/maplibre-gl.js") as script:
        assert f"/v{MAPLIBRE_VERSION}/".encode() in script.data[:300], "MAPLIBRE_VERSION is stale"


def test_unknown_view_is_a_400_naming_it(client: FlaskClient) -> None:
    response = client.get("/map?view=paris")
    assert response.status_code == 400
    description = response.get_json()["description"]
    assert "view" in description and "'paris'" in description
    assert "cambridge" in description and "nyc" in description
    assert "New York City" in client.get("/map?view=nyc").get_data(as_text=True)


# --- the style it loads and what it references ------------------------------------------------


def _style(client: FlaskClient) -> dict[str, Any]:
    response = client.get("/styles/situation.json")
    assert response.status_code == 200
    return json.loads(response.data)


def _local(url: str) -> str:
    parts = urlsplit(url)
    return parts.path + (f"?{parts.query}" if parts.query else "")


def _tile_index(lon: float, lat: float, z: int) -> tuple[int, int]:
    """XYZ column and row of a WGS84 point (the standard Web Mercator formula)."""
    n = 2**z
    x = int((lon + 180.0) / 360.0 * n)
    y = int((1.0 - math.asinh(math.tan(math.radians(lat))) / math.pi) / 2.0 * n)
    return x, y


def _view_tiles(bounds: tuple[float, float, float, float], z: int) -> list[tuple[int, int]]:
    west, south, east, north = bounds
    x0, y0 = _tile_index(west, north, z)
    x1, y1 = _tile_index(east, south, z)
    return [(x, y) for x in range(x0, x1 + 1) for y in range(y0, y1 + 1)]


def test_style_is_valid_and_every_source_answers(client: FlaskClient, demo_data: Any) -> None:
    style = _style(client)
    assert style["version"] == 8
    assert set(style["metadata"]["gisserver:layers"]) == set(MAP_LAYERS)
    ids = [layer["id"] for layer in style["layers"]]
    assert len(ids) == len(set(ids)), "style layer ids are unique"
    for layer in style["layers"]:
        if layer["type"] != "background":
            assert layer["source"] in style["sources"], layer["id"]
    drawn = {layer.get("source-layer") for layer in style["layers"]} - {None}
    assert drawn == set(MAP_LAYERS), "every map layer is styled"

    for name, source in style["sources"].items():
        assert source["type"] == "vector", name
        tilejson = client.get(_local(source["url"]))
        assert tilejson.status_code == 200, source["url"]
        document = tilejson.get_json()
        assert {vl["id"] for vl in document["vector_layers"]} >= drawn
        template = document["tiles"][0]
        assert "{z}" in template and "{x}" in template and "{y}" in template
        x, y = _tile_index(-71.11, 42.37, 12)
        tile = client.get(_local(template.format(z=12, x=x, y=y)))
        assert tile.status_code == 200
        assert tile.mimetype == "application/vnd.mapbox-vector-tile"
        assert mapbox_vector_tile.decode(tile.data)


@pytest.mark.parametrize("view", list(VIEWS))
def test_tiles_of_each_view_hold_the_layers_it_should_show(
    client: FlaskClient, demo_data: Any, view: str
) -> None:
    """The tiles a 1280-pixel-wide window fetches (zoom 12 covers both views) hold features of
    each layer the demo has there, and each feature's attributes are what the style reads."""
    style = _style(client)
    template = client.get(_local(style["sources"]["gisserver"]["url"])).get_json()["tiles"][0]
    found: dict[str, int] = {}
    for x, y in _view_tiles(VIEWS[view].bounds, 12):
        response = client.get(_local(template.format(z=12, x=x, y=y)))
        assert response.status_code in (200, 204)
        if response.status_code == 200:
            for name, layer in mapbox_vector_tile.decode(response.data).items():
                found[name] = found.get(name, 0) + len(layer["features"])
    assert EXPECTED_IN_VIEW[view] <= set(found), found
    assert DEFAULT_VIEW == "cambridge"


# --- a real browser ------------------------------------------------------------------------


# Rendered features per source layer, once MapLibre has drawn every tile of the view.
MAP_IDLE = "typeof map !== 'undefined' && map.loaded() && map.areTilesLoaded()"
RENDERED = """(() => {
  const counts = {};
  for (const f of map.queryRenderedFeatures()) {
    counts[f.sourceLayer] = (counts[f.sourceLayer] || 0) + 1;
  }
  return counts;
})()"""
LEGEND = "[...document.querySelectorAll('#layers .layer label')].map(l => l.textContent.trim())"
# A shelter drawn on screen: its pixel, and the layer of the topmost feature at that pixel.
A_SHELTER = """(() => {
  const [f] = map.queryRenderedFeatures({ layers: ["shelters"] });
  const p = map.project(f.geometry.coordinates);
  const [top] = map.queryRenderedFeatures(p, { layers: featureLayerIds });
  return { x: p.x, y: p.y, top: top.sourceLayer, id: top.properties.id };
})()"""
NEAREST_ITEMS = "[...document.querySelectorAll('#nearest-list li')].map(li => li.textContent)"
ASK_POINT = (1000, 400)  # a pixel of the map, right of the panel


@dataclass
class Rendering:
    """What the browser showed: features drawn per layer, legend, a popup, nearest shelters."""

    counts: dict[str, int]
    legend: list[str]
    message: str
    watched: dict[str, list[str]]
    popup: str
    popup_top: dict[str, Any]
    ask_lonlat: list[float]
    nearest: list[str]
    pixels: np.ndarray


@pytest.fixture(scope="module")
def live_server(app: Flask, demo_data: Any) -> Iterator[str]:
    """The app on a real port (a browser needs one), in a thread of this process."""
    with serving(app) as base:
        yield base


def _png_pixels(png: bytes) -> np.ndarray:
    from rasterio.io import MemoryFile

    with MemoryFile(png) as memory, memory.open() as image:
        pixels: np.ndarray = image.read()
    return pixels


def render(url: str, png_path: Path | None = None) -> Rendering:
    """Open url in headless chromium, wait until every tile is drawn, take a screenshot, then
    click a shelter (popup) and ask for the nearest shelters of any status at ASK_POINT."""
    assert CHROMIUM is not None
    browser = HeadlessChromium(CHROMIUM)
    try:
        browser.open(url)
        browser.wait_for(MAP_IDLE, timeout=60)
        browser.wait_for("document.querySelectorAll('#layers .layer').length > 0", timeout=10)
        counts = browser.evaluate(RENDERED)
        legend = browser.evaluate(LEGEND)
        message = browser.evaluate("document.getElementById('message').textContent")
        png = browser.screenshot()
        shelter = browser.evaluate(A_SHELTER)
        browser.click(shelter["x"], shelter["y"])
        # The popup is filled in again, headed "layer id", once the feature's record arrives.
        header = json.dumps(f"{shelter['top']} {shelter['id']}")
        heading = "(document.querySelector('.maplibregl-popup strong') || {}).textContent"
        browser.wait_for(f"{heading} === {header}", timeout=10)
        popup = browser.evaluate("document.querySelector('.maplibregl-popup').textContent")
        browser.evaluate(
            "document.getElementById('shelter-status').value = '';"
            "document.getElementById('ask').click()"
        )
        browser.click(*ASK_POINT)
        browser.wait_for(f"{NEAREST_ITEMS}.length > 0", timeout=10)
        nearest = browser.evaluate(NEAREST_ITEMS)
        at = browser.evaluate(f"map.unproject([{ASK_POINT[0]}, {ASK_POINT[1]}]).toArray()")
        watched = browser.watched()
    finally:
        browser.close()
    if png_path is not None:
        png_path.write_bytes(png)
    return Rendering(
        counts, legend, message, watched, popup, shelter, at, nearest, _png_pixels(png)
    )


@pytest.mark.slow
@pytest.mark.filterwarnings("ignore::rasterio.errors.NotGeoreferencedWarning")
@pytest.mark.skipif(CHROMIUM is None, reason="chromium is not installed (apt-get install chromium)")
@pytest.mark.parametrize("view", list(VIEWS))
def test_browser_draws_every_layer_and_answers_clicks(
    live_server: str, client: FlaskClient, scratch_dir: Path, view: str
) -> None:
    shown = render(f"{live_server}/map?view={view}", scratch_dir / f"{view}.png")
    assert EXPECTED_IN_VIEW[view] <= {name for name, n in shown.counts.items() if n > 0}
    assert len(shown.legend) == len(MAP_LAYERS), shown.legend
    assert shown.message == "", "the page reported a map error (style, TileJSON or a tile)"
    # All of it under the page's Content-Security-Policy: nothing it needs was refused.
    assert shown.watched == {"violations": [], "dialogs": [], "errors": []}

    # Not blank. The middle of the map (clear of the panel and the map's controls) is exactly
    # flat with every layer hidden: variance 0.0; the demo data drawn gives about 2,900
    # (Cambridge) and 7,500 (New York City), summed over red, green and blue.
    assert shown.pixels.shape[1:] == (800, 1280)
    middle = shown.pixels[:3, 100:700, 320:1200].astype(np.float64)
    assert middle.var(axis=(1, 2)).sum() > 200, "the map is (nearly) blank"

    # The popup shows the clicked (topmost) feature's record: its public fields and values.
    top = shown.popup_top
    record = client.get(f"/ogc/collections/{top['top']}/items/{top['id']}?f=json").get_json()
    for name, value in record["properties"].items():
        if isinstance(value, str):
            assert f"{name}{value}" in shown.popup, (name, value, shown.popup)
    assert "stream_url" not in shown.popup

    # The nearest shelters listed are those the API gives for the clicked point, in order.
    lon, lat = shown.ask_lonlat
    answer = client.get(f"/api/nearest?layer=shelters&k=3&lon={lon:.6f}&lat={lat:.6f}").get_json()
    names = [f["properties"]["name"] for f in answer["features"]]
    assert [item.split(":")[0] for item in shown.nearest] == names
    for item, feature in zip(shown.nearest, answer["features"], strict=True):
        metres = feature["properties"]["distance_m"]
        text = f"{round(metres)} m" if metres < 1000 else f"{metres / 1000:.2f} km"
        assert text in item, (item, metres)
