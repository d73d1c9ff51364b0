"""What the webmap scenario (bench/webmap.py, bench/webmap_live.py) drives the browser with: the
distribution's headless Chromium through Playwright, the probe run in every page
(bench/webmap_probe.js), the requests a page made (its workers' too) on the page's clock."""

from __future__ import annotations

import contextlib
import re
import shutil
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

import numpy as np

VIEWPORT = {"width": 1280, "height": 800}
TIMEOUT_MS = 60_000
PROBE = (Path(__file__).parent / "webmap_probe.js").read_text()


def chromium_missing() -> str | None:
    """Why the browser cannot be driven here, or None."""
    if shutil.which("chromium") is None:
        return "chromium is not installed (apt-get install chromium)"
    try:
        import playwright.sync_api  # noqa: F401
    except ImportError:
        return "playwright is not installed in this virtualenv"
    return None


@contextlib.contextmanager
def browser() -> Iterator[Any]:
    """The distribution's headless Chromium, as tests/cop.py launches it."""
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        chromium = playwright.chromium.launch(
            executable_path=shutil.which("chromium"),
            args=["--no-sandbox", "--use-gl=swiftshader"],
        )
        try:
            yield chromium
        finally:
            chromium.close()


TILE = "/ogc/tiles/WebMercatorQuad/"


@dataclass(frozen=True)
class Request:
    """A request the page (or MapLibre's worker) made, in ms from the navigation's start."""

    path: str
    start: float
    sent: float | None  # the request sent (after any connection set-up)
    first_byte: float | None
    end: float

    @classmethod
    def of(cls, request: Any, origin: float) -> Request:
        timing = request.timing
        start = timing["startTime"] - origin

        def at(key: str) -> float | None:
            return start + timing[key] if timing.get(key, -1) >= 0 else None

        parts = urlsplit(request.url)
        path = parts.path + (f"?{parts.query}" if parts.query else "")
        return cls(path, start, at("requestStart"), at("responseStart"), at("responseEnd") or start)

    @property
    def kind(self) -> str:
        """What it is, for the breakdown: a tile, an API call, a style, a script..."""
        if self.path.startswith(TILE) and not self.path.endswith(".json"):
            return "feature tiles"
        if self.path.startswith("/tiles/basemap/") and not self.path.endswith(".json"):
            return "basemap tiles"
        return re.sub(r"\?.*", "", self.path)


def wait_for_paint(page: Any, url: str, errors: list[str]) -> None:
    """Until the probe notes the first meaningful paint; else an error saying how far it got."""
    from playwright.sync_api import TimeoutError as PlaywrightTimeout

    try:
        page.wait_for_function(
            "() => window.__bench && window.__bench.marks.fmp !== undefined", timeout=TIMEOUT_MS
        )
    except PlaywrightTimeout:
        marks = page.evaluate("() => window.__bench && window.__bench.marks")
        loaded = page.evaluate("() => Boolean(window.map && window.map.loaded())")
        raise RuntimeError(
            f"{url}: no first meaningful paint in {TIMEOUT_MS / 1000:.0f} s (marks {marks}, "
            f"map.loaded() {loaded}; errors: {'; '.join(errors) or 'none'})"
        ) from None


def watch(page: Any) -> tuple[list[Any], list[str], list[str]]:
    """The page's finished requests (its workers' too), script errors and console errors."""
    finished: list[Any] = []
    errors: list[str] = []
    console: list[str] = []
    page.on("requestfinished", lambda request: finished.append(request))
    page.on("pageerror", lambda error: errors.append(str(error)))
    page.on("console", lambda m: console.append(m.text) if m.type == "error" else None)
    page.add_init_script(PROBE)
    return finished, errors, console


def pct(values: list[float], q: float) -> float:
    return float(np.percentile(values, q))


def mean(values: Sequence[float]) -> float:
    return float(np.mean(values)) if values else float("nan")
