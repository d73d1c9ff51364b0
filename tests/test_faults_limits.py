"""Cost caps: what is too big or too deep is refused with a 4xx that says what is accepted,
before it costs the server anything; nothing of it is a 500."""

from __future__ import annotations

import json

import pytest
from flask.testing import FlaskClient

from gisserver.analyses.registry import MAX_AREA_KM2, MAX_VERTICES
from gisserver.ogc.cql2.parser import MAX_DEPTH, MAX_VALUES
from gisserver.ogc.parameters import MAX_OFFSET

ITEMS = "/ogc/collections/shelters/items"


def _ring(vertices: int) -> list[list[float]]:
    """A closed ring of ``vertices`` positions around (10, 10), 0.1 degree across."""
    import math

    points = [
        [
            10 + 0.05 * math.cos(2 * math.pi * i / vertices),
            10 + 0.05 * math.sin(2 * math.pi * i / vertices),
        ]
        for i in range(vertices - 1)
    ]
    return [*points, points[0]]


def test_a_body_over_the_limit_is_413(client: FlaskClient, settings):
    body = json.dumps(
        {
            "geometry": {"type": "Polygon", "coordinates": [_ring(200)]},
            "x": "a" * settings.max_body_bytes,
        }
    )
    for url in (
        "/api/risk-areas",
        "/api/affected-population",
        "/ogc/processes/situation/execution",
    ):
        response = client.post(url, data=body, content_type="application/json")
        assert response.status_code == 413, (url, response.status_code, response.data[:200])
        assert "application/json" in response.content_type
        assert response.json["description"].startswith(
            f"body: larger than {settings.max_body_bytes:,} bytes; accepted:"
        )


def test_a_geometry_with_too_many_vertices_is_400(client: FlaskClient):
    polygon = {"type": "Polygon", "coordinates": [_ring(MAX_VERTICES + 1)]}
    for url in ("/api/risk-areas", "/api/affected-population"):
        response = client.post(url, json={"geometry": polygon})
        assert response.status_code == 400, (url, response.data[:200])
        expected = f"has {MAX_VERTICES + 1:,} vertices; accepted: at most {MAX_VERTICES:,} vertices"
        assert response.json["description"] == f"geometry: {expected}"


def test_a_risk_area_bigger_than_the_cap_is_400(client: FlaskClient):
    # 20 x 20 degrees at the equator: about 4.9 million km²
    response = client.post("/api/risk-areas", json={"bbox": [0, 0, 20, 20]})
    assert response.status_code == 400
    assert response.json["description"].startswith("bbox: covers 4,870,794 km²")
    assert f"at most {MAX_AREA_KM2:,.0f} km²" in response.json["description"]
    # the largest circle allowed fits under the cap
    circle = client.post("/api/risk-areas", json={"point": [10, 10], "radius_m": 500_000})
    assert circle.status_code == 200, circle.json


def _nested_text(levels: int) -> str:
    text = "capacity > 1"
    for _ in range(levels):
        text = f"NOT ({text})"
    return text


def _nested_json(levels: int) -> str:
    text = '{"op": ">", "args": [{"property": "capacity"}, 1]}'
    for _ in range(levels):
        text = f'{{"op": "not", "args": [{text}]}}'
    return text


@pytest.mark.parametrize("levels", [MAX_DEPTH + 1, 5_000])
def test_a_filter_nested_too_deeply_is_400(client: FlaskClient, levels: int):
    text = client.get(ITEMS, query_string={"filter": _nested_text(min(levels, 400))})
    posted = client.post(ITEMS, data=_nested_json(levels), content_type="application/json")
    as_param = client.get(
        ITEMS, query_string={"filter": _nested_json(min(levels, 300)), "filter-lang": "cql2-json"}
    )
    for response in (text, posted, as_param):
        assert response.status_code == 400, response.data[:300]
        assert f"at most {MAX_DEPTH} levels" in response.json["description"]


def test_a_filter_nested_within_the_cap_answers(client: FlaskClient):
    response = client.get(ITEMS, query_string={"filter": _nested_text(MAX_DEPTH - 2)})
    assert response.status_code == 200, response.data[:300]


def test_an_in_list_beyond_the_cap_is_400_not_a_500(client: FlaskClient):
    values = [f"name {i}" for i in range(70_000)]  # more than PostgreSQL's 65,535 parameters
    posted = client.post(
        ITEMS,
        data=json.dumps({"op": "in", "args": [{"property": "name"}, values]}),
        content_type="application/json",
    )
    assert posted.status_code == 400, posted.data[:300]
    assert (
        f"at most {MAX_VALUES:,}" in posted.json["description"]
        or str(MAX_VALUES) in posted.json["description"]
    )
    within = client.post(
        ITEMS,
        data=json.dumps({"op": "in", "args": [{"property": "name"}, values[:1000]]}),
        content_type="application/json",
    )
    assert within.status_code == 200, within.data[:300]


def test_offset_is_capped_and_head_is_checked_like_get(client: FlaskClient):
    deep = client.get(ITEMS, query_string={"offset": MAX_OFFSET + 1})
    assert deep.status_code == 400
    assert deep.json["description"].startswith(f"offset: '{MAX_OFFSET + 1}' is not a whole number")
    assert client.get(ITEMS, query_string={"offset": MAX_OFFSET}).status_code == 200
    for query in ({"offset": "abc"}, {"limit": "-1"}, {"bbox": "1,2"}, {"offset": str(2**53)}):
        head = client.head(ITEMS, query_string=query)
        assert head.status_code == 400, (query, head.status_code)
