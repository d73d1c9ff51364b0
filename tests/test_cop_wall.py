"""Wall mode (/map?view=wall) in a real headless Chromium: large type, no editing, alerts and
situation open, the map cycling between the areas of interest, and a pause that holds it."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from cop import CHROMIUM, browser, keep, open_map, violations
from flask import Flask
from live import serving

from gisserver.web.webmap import VIEWS

pytestmark = [
    pytest.mark.slow,
    pytest.mark.skipif(CHROMIUM is None, reason="chromium is not installed"),
]
CYCLE_S = 5  # the shortest cycle the page takes
WAIT_MS = 60_000
CENTRE_IN = """([w, s, e, n]) => {
  const c = map.getCenter();
  return c.lng > w && c.lng < e && c.lat > s && c.lat < n;
}"""


@pytest.fixture(scope="module")
def base(app: Flask) -> Iterator[str]:
    with serving(app) as url:
        yield url


def test_the_wall_cycles_between_the_areas_and_pauses(base: str) -> None:
    with browser() as chromium:
        page = open_map(chromium, f"{base}/map?view=wall&cycle={CYCLE_S}")
        assert page.evaluate("() => document.body.classList.contains('mode-wall')")
        assert page.evaluate("() => getComputedStyle(document.body).fontSize") == "20px"
        open_sections = page.evaluate(
            "() => [...document.querySelectorAll('#panel details[open]')].map((d) => d.id)"
        )
        assert open_sections == ["section-alerts", "section-situation"]
        assert not page.locator("#section-desk").is_visible(), "no editing on the wall"
        assert page.get_attribute("body", "data-wall-area") == "cambridge"
        keep(page, "wall-cambridge")

        # The next area comes by itself, and the map is there.
        page.wait_for_selector("body[data-wall-area=nyc]", timeout=WAIT_MS)
        page.wait_for_function(CENTRE_IN, arg=list(VIEWS["nyc"].bounds), timeout=WAIT_MS)
        keep(page, "wall-nyc")

        # Paused (the button, keyboard-usable): the area holds through more than a cycle.
        page.focus(".wall-pause")
        page.keyboard.press("Enter")
        assert page.get_attribute(".wall-pause", "aria-pressed") == "true"
        page.wait_for_timeout(2 * CYCLE_S * 1000)
        assert page.get_attribute("body", "data-wall-area") == "nyc"
        keep(page, "wall-paused")

        # Resumed: it moves on again.
        page.keyboard.press("Enter")
        assert page.get_attribute(".wall-pause", "aria-pressed") == "false"
        page.wait_for_selector("body[data-wall-area=cambridge]", timeout=WAIT_MS)
        assert violations(page) == [] and page.watched.errors == []
