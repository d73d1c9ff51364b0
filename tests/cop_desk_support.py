"""What the duty desk, replay and field-mode browser tests share (tests/test_cop_desk.py,
test_cop_replay.py, test_cop_field.py): a live server, API keys of every role, a feature written
through the API, signing in through the page and clicking a feature where MapLibre draws it."""

from __future__ import annotations

import datetime as dt
import time
from typing import Any

import requests
from cop import wait_until_drawn
from editing import Key, feature, feature_id


def until(page: Any, script: str, arg: Any = None, timeout_s: float = 30.0) -> Any:
    """Polls a function of the page (``(arg) => ...``) until it answers something truthy; its
    answer. (Playwright's wait_for_function evaluates strings, which the page's CSP forbids.)"""
    deadline = time.monotonic() + timeout_s
    while True:
        answer = page.evaluate(script, arg)
        if answer:
            return answer
        assert time.monotonic() < deadline, f"still false after {timeout_s} s: {script}"
        page.wait_for_timeout(100)


def write(base: str, key: Key, layer: str, point: tuple[float, float], **properties: Any) -> int:
    """A feature created through the OGC API with ``key``; its id."""
    if layer == "incidents":
        properties.setdefault("reported_at", dt.datetime.now(dt.UTC).isoformat())
    response = requests.post(
        f"{base}/ogc/collections/{layer}/items",
        json=feature(point, **properties),
        headers={"Authorization": f"Bearer {key.secret}"},
        timeout=60,
    )
    return feature_id(response)


def read(base: str, layer: str, fid: int) -> dict[str, Any]:
    response = requests.get(f"{base}/ogc/collections/{layer}/items/{fid}?f=json", timeout=60)
    assert response.status_code == 200, response.text
    document: dict[str, Any] = response.json()
    return document


def sign_in(page: Any, key: Key) -> None:
    """Sign in through the bar's key field, as a duty officer does."""
    page.fill("#api-key", key.secret)
    page.click("#sign-in button[type=submit]")
    page.wait_for_selector("#who")


def view(base: str, point: tuple[float, float], zoom: int = 17, query: str = "") -> str:
    """The map's URL centred on a point (MapLibre's hash: zoom/lat/lon)."""
    return f"{base}/map{query}#{zoom}/{point[1]}/{point[0]}"


def pixel(page: Any, point: tuple[float, float]) -> tuple[float, float]:
    """Where MapLibre draws a lon/lat on the page."""
    xy = page.evaluate("(p) => { const q = map.project(p); return [q.x, q.y]; }", list(point))
    return float(xy[0]), float(xy[1])


def click_feature(page: Any, point: tuple[float, float], layer: str, fid: int) -> None:
    """A real mouse click at the feature's pixel, once its tile is drawn there."""
    wait_until_drawn(page)
    until(
        page,
        """([layer, id]) => map.queryRenderedFeatures().some(
             (f) => f.sourceLayer === layer && f.properties.id === id)""",
        [layer, fid],
    )
    x, y = pixel(page, point)
    page.mouse.click(x, y)


def rendered_ids(page: Any, layer: str, prefix: str = "") -> set[int]:
    """Ids of the features of ``layer`` drawn now: from the tiles (``prefix`` empty) or from
    the replay's copies of the style layers (``prefix`` "replay-")."""
    ids = page.evaluate(
        """([layer, prefix]) => map.queryRenderedFeatures()
             .filter((f) => prefix ? f.layer.id.startsWith(prefix)
                                     && f.layer.metadata["gisserver:layer"] === layer
                                   : f.sourceLayer === layer)
             .map((f) => f.properties.id)""",
        [layer, prefix],
    )
    return {int(i) for i in ids}
