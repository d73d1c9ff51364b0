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
from typing import Any
from urllib.parse import urlsplit

import mapbox_vector_tile
import numpy as np
import psycopg
import pytest
from cop import CHROMIUM, browser, keep, open_map, violations
from flask import Flask
from flask.testing import FlaskClient
from live import serving
from psycopg import sql

from gisserver.etl.loader import load_file
from gisserver.etl.manifest import read_manifest
from gisserver.settings import PROJECT_ROOT, Settings
from gisserver.web.webmap import DEFAULT_VIEW, LANGUAGES, MAPLIBRE_VERSION, MODES, VIEWS

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


STATIC = PROJECT_ROOT / "gisserver" / "web" / "static" / "map"
EN = {
    key: value
    for path in (STATIC / "locales" / "en").glob("*.json")
    for key, value in json.loads(path.read_text()).items()
}
# import ... from "./x.js" (and import("./x.js")) in the page's modules.
MODULE_IMPORT = re.compile(r"""(?:\bfrom\s*|\bimport\s*\(?\s*)["'](\.{1,2}/[^"']+)["']""")


def _page(client: FlaskClient, query: str = "") -> _References:
    response = client.get(f"/map{query}")
    assert response.status_code == 200
    assert response.mimetype == "text/html"
    refs = _References()
    refs.feed(response.get_data(as_text=True))
    return refs


def _config(client: FlaskClient, query: str = "") -> dict[str, Any]:
    config: dict[str, Any] = json.loads(_page(client, query).script)
    return config


def _modules(client: FlaskClient, entry: str) -> dict[str, str]:
    """Every ES module the page loads from ``entry`` (following imports): URL -> source."""
    found: dict[str, str] = {}
    todo = [entry]
    while todo:
        url = todo.pop()
        if url in found:
            continue
        with client.get(url) as response:
            assert response.status_code == 200, url
            assert "javascript" in response.mimetype, (url, response.mimetype)
            found[url] = response.get_data(as_text=True)
        base = url.rsplit("/", 1)[0]
        for relative in MODULE_IMPORT.findall(found[url]):
            parts = [*base.split("/"), *relative.split("/")]
            path: list[str] = []
            for part in parts:
                if part == "..":
                    path.pop()
                elif part != ".":
                    path.append(part)
            todo.append("/".join(path))
    return found


def test_page_loads_only_assets_of_this_server(client: FlaskClient) -> None:
    refs = _page(client)
    assert refs.urls, "the page links MapLibre's script and CSS and its main module"
    for url in refs.urls:
        parts = urlsplit(url)
        assert not parts.scheme and not parts.netloc, f"{url} is not on this server"
        with client.get(url) as response:  # closes the static file it streams
            assert response.status_code == 200, url
            assert response.content_length and response.content_length > 1000, url
    # The only inline script is the configuration (JSON, not run): every URL in it is a path.
    config = json.loads(refs.script)
    assert config["style"] == "/styles/situation.json"
    assert not re.search(r"https?://|//[a-z]", refs.script, re.IGNORECASE)
    # The parts of the page are ES modules: each answers, and none reaches beyond this server
    # (fetch() calls, the style, the stream go to paths of this server).
    main = next(url for url in refs.urls if url.endswith("/main.js"))
    modules = _modules(client, main)
    names = {url.rsplit("/", 1)[1] for url in modules}
    assert {"main.js", "i18n.js", "layers.js", "live.js", "alerts.js", "situation.js"} <= names
    assert names == {p.name for p in STATIC.glob("*.js")}, "every module file is used"
    for url, source in modules.items():
        assert not re.search(r"https?://|[\"'`]//[a-z]", source, re.IGNORECASE), url
    everything = "".join(modules.values())
    assert "/api/nearest?layer=shelters" in everything and "/api/events" in everything
    # Their words: one file per part and language, each answering.
    for lang in LANGUAGES:
        for path in (STATIC / "locales" / lang).glob("*.json"):
            with client.get(f"/map/static/map/locales/{lang}/{path.name}") as response:
                assert response.status_code == 200 and response.is_json, path
    with client.get("/map/static/map/live.css") as sheet:
        assert sheet.status_code == 200 and not re.search(rb"url\(|@import", sheet.data)
    with client.get("/map/static/maplibre/LICENSE.txt") as licence:
        assert licence.status_code == 200 and b"MapLibre" in licence.data
    with client.get("/map/static/maplibre/maplibre-gl.js") as script:
        assert f"/v{MAPLIBRE_VERSION}/".encode() in script.data[:300], "MAPLIBRE_VERSION is stale"


def test_unknown_view_or_language_is_a_400_naming_it(client: FlaskClient) -> None:
    response = client.get("/map?view=paris")
    assert response.status_code == 400
    description = response.get_json()["description"]
    assert "view" in description and "'paris'" in description
    for accepted in (*MODES, *VIEWS):
        assert accepted in description
    response = client.get("/map?lang=fr")
    assert response.status_code == 400
    description = response.get_json()["description"]
    assert "lang" in description and "'fr'" in description and "zh-CN" in description
    assert client.get("/map?area=mars").status_code == 400


@pytest.mark.parametrize(
    ("query", "mode", "area", "lang"),
    [
        ("", "desk", DEFAULT_VIEW, None),
        ("?view=nyc", "desk", "nyc", None),
        ("?view=wall&area=nyc", "wall", "nyc", None),
        ("?view=field&lang=zh-CN", "field", DEFAULT_VIEW, "zh-CN"),
        ("?view=desk&lang=en", "desk", DEFAULT_VIEW, "en"),
    ],
)
def test_views_modes_and_languages(
    client: FlaskClient, query: str, mode: str, area: str, lang: str | None
) -> None:
    config = _config(client, query)
    assert (config["mode"], config["area"], config["lang"]) == (mode, area, lang)
    assert config["areas"][area]["bounds"] == list(VIEWS[area].bounds)
    page = client.get(f"/map{query}").get_data(as_text=True)
    assert f'<body class="mode-{mode}">' in page
    assert f'<html lang="{lang or "en"}">' in page


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
MAP_IDLE = "() => window.map && map.loaded() && map.areTilesLoaded()"
RENDERED = """() => {
  const counts = {};
  for (const f of map.queryRenderedFeatures()) {
    counts[f.sourceLayer] = (counts[f.sourceLayer] || 0) + 1;
  }
  return counts;
}"""
LEGEND = (
    "() => [...document.querySelectorAll('#layers .layer label')].map(l => l.textContent.trim())"
)
# A shelter drawn on screen: its pixel, and the source layer and id of the topmost feature of
# the map's layers at that pixel (what a click there opens).
A_SHELTER = """() => {
  const ids = map.getStyle().metadata["gisserver:layers"];
  const layers = map.getStyle().layers
    .filter((l) => ids.includes(l["source-layer"])).map((l) => l.id);
  const [f] = map.queryRenderedFeatures({ layers: ["shelters"] });
  const p = map.project(f.geometry.coordinates);
  const [top] = map.queryRenderedFeatures(p, { layers });
  return { x: p.x, y: p.y, top: top.sourceLayer, id: top.properties.id };
}"""
NEAREST_ITEMS = "() => [...document.querySelectorAll('#nearest-list li')].map(li => li.textContent)"
ASK_POINT = (1000, 400)  # a pixel of the map, right of the panel


@dataclass
class Rendering:
    """What the browser showed: features drawn per layer, legend, a popup, nearest shelters."""

    counts: dict[str, int]
    legend: list[str]
    message: str
    errors: list[str]
    violations: list[str]
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


def render(url: str, name: str) -> Rendering:
    """Open url in headless Chromium (Playwright), wait until every tile is drawn, take a
    screenshot, then click a shelter (popup) and ask for the nearest shelters of any status at
    ASK_POINT. Screenshots are kept as test artifacts (``<name>-*.png``)."""
    with browser() as chromium:
        page = open_map(chromium, url)
        page.wait_for_function(MAP_IDLE, timeout=60_000)
        page.wait_for_function("() => document.querySelectorAll('#layers .layer').length > 0")
        counts = page.evaluate(RENDERED)
        legend = page.evaluate(LEGEND)
        message = page.evaluate("() => document.getElementById('message').textContent")
        png = page.screenshot()
        keep(page, f"{name}-drawn")
        shelter = page.evaluate(A_SHELTER)
        page.mouse.click(shelter["x"], shelter["y"])
        # The popup is filled in again, headed "<layer title> <id>", once the record arrives.
        header = f"{EN['layer.' + shelter['top']]} {shelter['id']}"
        page.wait_for_function(
            "(header) => (document.querySelector('.maplibregl-popup strong') || {})"
            ".textContent === header",
            arg=header,
        )
        popup = page.inner_text(".maplibregl-popup")
        popup_text = page.evaluate("() => document.querySelector('.maplibregl-popup').textContent")
        keep(page, f"{name}-popup")
        # the popup may cover ASK_POINT; near the top it may lie under the bar: closed by script
        page.evaluate("() => document.querySelector('.maplibregl-popup-close-button').click()")
        page.evaluate(
            "() => { document.getElementById('shelter-status').value = '';"
            " document.getElementById('ask').click(); }"
        )
        page.mouse.click(*ASK_POINT)
        page.wait_for_function(f"() => ({NEAREST_ITEMS})().length > 0")
        nearest = page.evaluate(NEAREST_ITEMS)
        at = page.evaluate(f"() => map.unproject([{ASK_POINT[0]}, {ASK_POINT[1]}]).toArray()")
        keep(page, f"{name}-nearest")
        assert popup
        return Rendering(
            counts,
            legend,
            message,
            page.watched.errors,
            violations(page),
            popup_text,
            shelter,
            at,
            nearest,
            _png_pixels(png),
        )


def _label(field: str, value: str) -> tuple[str, str]:
    """A popup row's words, as the page writes them (layers.js valueLabel, popup.js)."""
    title = EN.get(f"field.{field}", f"field.{field}")
    return title, EN.get(f"value.{field}.{value}", value.replace("_", " "))


@pytest.mark.slow
@pytest.mark.filterwarnings("ignore::rasterio.errors.NotGeoreferencedWarning")
@pytest.mark.skipif(CHROMIUM is None, reason="chromium is not installed (apt-get install chromium)")
@pytest.mark.parametrize("view", list(VIEWS))
def test_browser_draws_every_layer_and_answers_clicks(
    live_server: str, client: FlaskClient, view: str
) -> None:
    shown = render(f"{live_server}/map?view={view}&lang=en", f"webmap-{view}")
    assert EXPECTED_IN_VIEW[view] <= {name for name, n in shown.counts.items() if n > 0}
    assert len(shown.legend) == len(MAP_LAYERS), shown.legend
    assert shown.message == "", "the page reported a map error (style, TileJSON or a tile)"
    # All of it under the page's Content-Security-Policy: nothing it needs was refused.
    assert shown.violations == [] and shown.errors == []

    # Not blank. The middle of the map (clear of the panel and the map's controls) is exactly
    # flat with every layer hidden: variance 0.0; the demo data drawn gives about 2,900
    # (Cambridge) and 7,500 (New York City), summed over red, green and blue.
    assert shown.pixels.shape[1:] == (800, 1280)
    middle = shown.pixels[:3, 100:700, 320:1200].astype(np.float64)
    assert middle.var(axis=(1, 2)).sum() > 200, "the map is (nearly) blank"

    # The popup shows the clicked (topmost) feature's record: its public fields and values,
    # under their translated titles.
    top = shown.popup_top
    record = client.get(f"/ogc/collections/{top['top']}/items/{top['id']}?f=json").get_json()
    for name, value in record["properties"].items():
        if isinstance(value, str):
            title, text = _label(name, value)
            assert f"{title}{text}" in shown.popup, (name, value, shown.popup)
    assert "stream_url" not in shown.popup and EN["field.stream_url"] not in shown.popup

    # The nearest shelters listed are those the API gives for the clicked point, in order.
    lon, lat = shown.ask_lonlat
    answer = client.get(f"/api/nearest?layer=shelters&k=3&lon={lon:.6f}&lat={lat:.6f}").get_json()
    names = [f["properties"]["name"] for f in answer["features"]]
    assert [item.split(":")[0] for item in shown.nearest] == names
    for item, feature in zip(shown.nearest, answer["features"], strict=True):
        metres = feature["properties"]["distance_m"]
        text = f"{round(metres)} m" if metres < 1000 else f"{metres / 1000:.2f} km"
        assert text in item, (item, metres)
