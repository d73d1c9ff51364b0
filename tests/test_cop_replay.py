"""Replay in the common operating picture (gisserver/web/static/map/replay.js), in a real headless
Chromium against a real HTTP server: two incidents written a few seconds apart; the slider moved
to 24 hours ago draws neither, an instant between them draws the first only (from the items as
of then, in the style's colours), and "back to live" draws both again from the tiles."""

from __future__ import annotations

import datetime as dt
import time
from collections.abc import Iterator
from typing import Any

import pytest
from cop import CHROMIUM, VIEWPORT, browser, keep, open_map, violations
from cop_desk_support import pixel, read, rendered_ids, until, view, write
from editing import Key, api_keys
from flask import Flask
from live import serving

pytestmark = pytest.mark.skipif(CHROMIUM is None, reason="chromium is not installed")

FIRST = (-71.1040, 42.3712)
SECOND = (-71.1030, 42.3706)
CENTRE = (-71.1035, 42.3709)


@pytest.fixture(scope="module")
def keys(database_url: str) -> Iterator[dict[str, Key]]:
    with api_keys(database_url, "cop-replay") as made:
        yield made


@pytest.fixture(scope="module")
def base(app: Flask) -> Iterator[str]:
    with serving(app) as url:
        yield url


def drawn_as_of(page: Any, as_of: str) -> None:
    """Until the replay has drawn the features of ``as_of`` and MapLibre is done with them."""
    until(page, "(t) => document.getElementById('replay').dataset.asOf === t", as_of)
    until(page, "() => map.loaded()")


def test_the_slider_shows_the_map_as_it_was_and_back_to_live_restores_it(
    base: str, keys: dict[str, Key]
) -> None:
    first = write(
        base,
        keys["operator"],
        "incidents",
        FIRST,
        incident_type="gas_leak",
        severity="high",
        description="replay: the first",
    )
    time.sleep(1.5)
    between = dt.datetime.now(dt.UTC).replace(microsecond=0)
    time.sleep(1.5)
    second = write(
        base,
        keys["operator"],
        "incidents",
        SECOND,
        incident_type="fire",
        severity="high",
        description="replay: the second",
    )
    assert (
        dt.datetime.fromisoformat(read(base, "incidents", first)["properties"]["updated_at"])
        < between
    )

    with browser() as chromium:
        context = chromium.new_context(viewport=VIEWPORT, locale="en-US", timezone_id="UTC")
        page = open_map(chromium, view(base, CENTRE, 17), context=context)
        until(page, "() => map.queryRenderedFeatures().some((f) => f.sourceLayer === 'incidents')")
        assert {first, second} <= rendered_ids(page, "incidents")
        page.click("#section-replay summary")

        # the slider to its far end, 24 hours ago: neither incident existed
        page.focus("#replay-slider")
        page.keyboard.press("Home")
        as_of = until(page, "() => document.getElementById('replay').dataset.asOf")
        drawn_as_of(page, as_of)
        assert dt.datetime.fromisoformat(as_of) < dt.datetime.now(dt.UTC) - dt.timedelta(hours=23)
        assert rendered_ids(page, "incidents") == set(), "the live tiles are hidden"
        assert not {first, second} & rendered_ids(page, "incidents", "replay-")
        assert page.is_visible("#replay-live")
        keep(page, "replay-24h-ago")

        # an instant between the two writes: the first only, in the style's colour
        page.fill("#replay-at", between.strftime("%Y-%m-%dT%H:%M:%S"))
        page.click("#replay-show")
        until(
            page,
            """(id) => map.queryRenderedFeatures().some(
                 (f) => f.layer.id.startsWith('replay-') && f.properties.id === id)""",
            first,
        )
        drawn_as_of(page, between.isoformat().replace("+00:00", ".000Z"))
        replayed = rendered_ids(page, "incidents", "replay-")
        assert first in replayed and second not in replayed
        # the copies are the style's own layers: the same paint as the tiles'
        for layer in ("incidents", "incidents-area", "shelters", "hazard_zones-fill"):
            same = page.evaluate(
                """(id) => { const paint = (name) => JSON.stringify(
                               map.getStyle().layers.find((l) => l.id === name).paint);
                             return paint(id) === paint('replay-' + id); }""",
                layer,
            )
            assert same, layer
        keep(page, "replay-between")

        # a click shows the incident as it was then
        x, y = pixel(page, FIRST)
        page.mouse.click(x, y)
        page.wait_for_selector(".maplibregl-popup .replay-when")
        assert "replay: the first" in page.inner_text(".maplibregl-popup")

        # a date in the future is refused in words
        page.fill("#replay-at", "2999-01-01T00:00:00")
        page.click("#replay-show")
        until(page, "() => document.getElementById('replay-status').textContent.includes('future')")

        page.click("#replay-live")
        until(page, "() => !document.getElementById('replay').dataset.asOf")
        until(
            page,
            """(ids) => ids.every((id) => map.queryRenderedFeatures().some(
                 (f) => f.sourceLayer === 'incidents' && f.properties.id === id))""",
            [first, second],
        )
        assert (
            page.evaluate(
                "() => map.getStyle().layers.filter((l) => l.id.startsWith('replay-')).length"
            )
            == 0
        )
        assert not page.is_visible("#replay-live")
        keep(page, "replay-back-to-live")
        assert page.watched.errors == []
        assert violations(page) == []
        context.close()
