"""styles/: the QML, SLD and MapLibre style of each layer give every feature the same colour,
opacity and size (each format evaluated by its own small interpreter here), and the server
serves them with its base URL, plus one combined situation style.
"""

from __future__ import annotations

import itertools
import json
import re
import xml.etree.ElementTree as ET
from pathlib import Path
from typing import Any

import pytest

from gisserver.layers import load_layers
from gisserver.settings import PROJECT_ROOT
from gisserver.styles import check_styles

STYLES = PROJECT_ROOT / "styles"
LAYERS = load_layers(PROJECT_ROOT / "layers")
NS = {"se": "http://www.opengis.net/se", "ogc": "http://www.opengis.net/ogc"}
# The attributes each layer's rules read, and extra values to try besides the enums.
RULE_FIELDS = {
    "hazard_zones": ("hazard_type", "severity"),
    "shelters": ("status", "free_capacity"),
    "stockpiles": ("kind", "status"),
    "cameras": ("status",),
    "incidents": ("incident_type", "status"),
    "units": ("unit_type", "status"),
}
FREE_CAPACITY_SAMPLES = (-3, 0, 1, 49, 50, 199, 200, 1000)


def samples(layer_id: str) -> list[dict[str, Any]]:
    layer = LAYERS[layer_id]
    choices = []
    for name in RULE_FIELDS[layer_id]:
        field = layer.fields.get(name)
        choices.append(field.enum if field and field.enum else FREE_CAPACITY_SAMPLES)
    return [
        dict(zip(RULE_FIELDS[layer_id], combo, strict=True))
        for combo in itertools.product(*choices)
    ]


# --- MapLibre -------------------------------------------------------------------------------


def evaluate(expr: Any, props: dict[str, Any]) -> Any:
    if not isinstance(expr, list):
        return expr
    op, args = expr[0], expr[1:]
    if op == "get":
        return props.get(args[0])
    if op == "coalesce":
        return next((v for v in (evaluate(a, props) for a in args) if v is not None), None)
    if op == "==":
        return evaluate(args[0], props) == evaluate(args[1], props)
    if op == "match":
        value = evaluate(args[0], props)
        pairs, default = args[1:-1], args[-1]
        for label, out in zip(pairs[::2], pairs[1::2], strict=True):
            if value == label or (isinstance(label, list) and value in label):
                return evaluate(out, props)
        return evaluate(default, props)
    if op == "case":
        for cond, out in zip(args[:-1:2], args[1:-1:2], strict=True):
            if evaluate(cond, props):
                return evaluate(out, props)
        return evaluate(args[-1], props)
    if op == "step":
        value, result = evaluate(args[0], props), evaluate(args[1], props)
        for stop, out in zip(args[2::2], args[3::2], strict=True):
            if value >= stop:
                result = evaluate(out, props)
        return result
    raise AssertionError(f"unexpected MapLibre operator {op}")


def maplibre_look(layer_id: str, props: dict[str, Any]) -> tuple[str, float, float | None]:
    doc = json.loads((STYLES / f"{layer_id}.json").read_text())
    main = next(
        lyr
        for lyr in doc["layers"]
        if lyr["type"] in ("circle", "fill") and "Polygon" not in json.dumps(lyr.get("filter", []))
    )
    paint = main["paint"]
    kind = main["type"]
    colour = evaluate(paint[f"{kind}-color"], props)
    opacity = evaluate(paint.get(f"{kind}-opacity", 1.0), props)
    size = evaluate(paint["circle-radius"], props) if kind == "circle" else None
    return colour.lower(), float(opacity), size


# --- SLD ------------------------------------------------------------------------------------

SLD_OPS = {
    "PropertyIsEqualTo": lambda a, b: a == b,
    "PropertyIsGreaterThanOrEqualTo": lambda a, b: a >= b,
    "PropertyIsLessThan": lambda a, b: a < b,
}


def sld_matches(node: ET.Element, props: dict[str, Any]) -> bool:
    tag = node.tag.rsplit("}", 1)[1]
    if tag == "Filter":
        return all(sld_matches(child, props) for child in node)
    if tag == "And":
        return all(sld_matches(child, props) for child in node)
    name = node.find("ogc:PropertyName", NS).text
    literal = node.find("ogc:Literal", NS).text
    value = props.get(name)
    expected: Any = literal
    if isinstance(value, int):
        expected = float(literal)
    return SLD_OPS[tag](value, expected)


def sld_look(layer_id: str, props: dict[str, Any]) -> tuple[str, float, float | None]:
    root = ET.parse(STYLES / f"{layer_id}.sld").getroot()
    for rule in root.iter(f"{{{NS['se']}}}Rule"):
        if sld_matches(rule.find("ogc:Filter", NS), props):
            fill = {
                p.get("name"): p.text
                for p in rule.iter(f"{{{NS['se']}}}SvgParameter")
                if p.get("name", "").startswith("fill")
            }
            size = rule.find(".//se:Size", NS)
            return (
                fill["fill"].lower(),
                float(fill.get("fill-opacity", 1)),
                float(size.text) / 2 if size is not None else None,
            )
    raise AssertionError(f"no SLD rule for {props}")


# --- QML ------------------------------------------------------------------------------------

QGIS_TERM = re.compile(r'^"(\w+)" (=|>=|<) (\'[^\']*\'|-?\d+)$')


def qml_matches(expression: str, props: dict[str, Any]) -> bool:
    for term in expression.split(" AND "):
        name, op, raw = QGIS_TERM.match(term.strip()).groups()
        value = props.get(name)
        literal: Any = raw.strip("'") if raw.startswith("'") else int(raw)
        if not {
            "=": value == literal,
            ">=": value is not None and value >= literal,
            "<": value is not None and value < literal,
        }[op]:
            return False
    return True


def qml_look(layer_id: str, props: dict[str, Any]) -> tuple[str, float, float | None]:
    root = ET.parse(STYLES / f"{layer_id}.qml").getroot()
    symbols = {s.get("name"): s for s in root.iter("symbol")}
    for rule in root.iter("rule"):
        if qml_matches(rule.get("filter", ""), props):
            symbol = symbols[rule.get("symbol")]
            options = {o.get("name"): o.get("value") for o in symbol.iter("Option")}
            r, g, b, _ = (int(v) for v in options["color"].split(","))
            size = float(options["size"]) / 2 if "size" in options else None
            return f"#{r:02x}{g:02x}{b:02x}", float(symbol.get("alpha")), size
    raise AssertionError(f"no QML rule for {props}")


@pytest.mark.parametrize("layer_id", list(RULE_FIELDS))
def test_qml_sld_and_maplibre_agree_on_every_rule(layer_id: str):
    cases = samples(layer_id)
    looks = set()
    for props in cases:
        expected = maplibre_look(layer_id, props)
        assert sld_look(layer_id, props) == expected, props
        assert qml_look(layer_id, props) == expected, props
        looks.add(expected)
    assert len(looks) > 1  # the rules do tell features apart


def test_shelter_size_follows_free_capacity_only_when_open():
    sizes = [
        maplibre_look("shelters", {"status": "open", "free_capacity": n})[2]
        for n in FREE_CAPACITY_SAMPLES
    ]
    assert sizes == sorted(sizes) and sizes[0] < sizes[-1]
    full = {
        maplibre_look("shelters", {"status": "full", "free_capacity": n})[2]
        for n in FREE_CAPACITY_SAMPLES
    }
    assert len(full) == 1


def test_bundled_styles_pass_check_and_use_the_one_tile_source():
    assert check_styles(STYLES, LAYERS) == []
    for layer in LAYERS:
        doc = json.loads((STYLES / f"{layer.id}.json").read_text())
        assert doc["version"] == 8
        assert doc["sources"] == {
            "gisserver": {"type": "vector", "url": "{base}/ogc/tiles/WebMercatorQuad/tilejson.json"}
        }
        assert {lyr["source-layer"] for lyr in doc["layers"]} == {layer.id}


def test_styles_are_served_with_the_base_url(client, settings):
    for layer in LAYERS:
        for ext, media in (
            ("json", "application/vnd.mapbox.style+json"),
            ("sld", "application/vnd.ogc.sld+xml"),
            ("qml", "application/xml"),
        ):
            response = client.get(f"/styles/{layer.id}.{ext}")
            assert response.status_code == 200
            assert response.mimetype == media
            assert "{base}" not in response.get_data(as_text=True)
    doc = client.get("/styles/shelters.json").get_json()
    assert doc["sources"]["gisserver"]["url"] == (
        "http://localhost/ogc/tiles/WebMercatorQuad/tilejson.json"
    )
    tag = client.get("/styles/shelters.sld").headers["ETag"]
    assert client.get("/styles/shelters.sld", headers={"If-None-Match": tag}).status_code == 304


def test_situation_style_holds_every_layer_over_one_source(client):
    doc = client.get("/styles/situation.json").get_json()
    assert doc["version"] == 8 and list(doc["sources"]) == ["gisserver"]
    source_layers = [lyr.get("source-layer") for lyr in doc["layers"] if "source" in lyr]
    assert set(source_layers) == set(LAYERS.ids())
    ids = [lyr["id"] for lyr in doc["layers"]]
    assert len(ids) == len(set(ids))
    # areas under points: hazard zones are drawn first
    assert source_layers[0] == "hazard_zones"


def test_unknown_style_is_404_naming_the_accepted(client):
    response = client.get("/styles/rivers.json")
    assert response.status_code == 404
    assert "shelters" in response.get_json()["description"]
    assert client.get("/styles/shelters.png").status_code == 404


def test_check_reports_a_style_reading_a_private_field(tmp_path: Path):
    import shutil

    styles = tmp_path / "styles"
    shutil.copytree(STYLES, styles)
    doc = json.loads((styles / "cameras.json").read_text())
    doc["layers"][0]["paint"]["circle-color"] = [
        "match",
        ["get", "stream_url"],
        "x",
        "#000000",
        "#ffffff",
    ]
    (styles / "cameras.json").write_text(json.dumps(doc))
    problems = check_styles(styles, LAYERS)
    assert any("cameras.json: reads attribute 'stream_url'" in p for p in problems)


def maplibre_attributes(node: Any) -> set[str]:
    found: set[str] = set()
    if isinstance(node, list):
        if len(node) == 2 and node[0] == "get":
            found.add(node[1])
        for child in node:
            found |= maplibre_attributes(child)
    elif isinstance(node, dict):
        for child in node.values():
            found |= maplibre_attributes(child)
    return found


def test_maplibre_styles_read_only_attributes_the_tiles_carry(client):
    tilejson = client.get("/ogc/tiles/WebMercatorQuad/tilejson.json").get_json()
    fields = {v["id"]: set(v["fields"]) for v in tilejson["vector_layers"]}
    doc = client.get("/styles/situation.json").get_json()
    for layer in doc["layers"]:
        if "source-layer" in layer:
            assert maplibre_attributes(layer) <= fields[layer["source-layer"]], layer["id"]
