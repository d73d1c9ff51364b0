"""The web map (the common operating picture) in a real headless Chromium, driven by Playwright:
the distribution's ``chromium`` binary (no browser download). Screenshots of each check are kept
in ``test-artifacts/map/`` (ARTIFACTS) for a person to look at.

    with browser() as chromium:
        page = open_map(chromium, f"{base}/map?lang=zh-CN")
        ...
        keep(page, "alert-acknowledged")
"""

from __future__ import annotations

import shutil
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from typing import Any

from gisserver.settings import PROJECT_ROOT

CHROMIUM = shutil.which("chromium")
ARTIFACTS = PROJECT_ROOT / "test-artifacts" / "map"
VIEWPORT = {"width": 1280, "height": 800}
PHONE = {"width": 390, "height": 844}

# Runs before any script of the page: CSP violations (something the page needed and the policy
# refused) are recorded for the checks.
WATCH = """
window.__violations = [];
document.addEventListener("securitypolicyviolation",
  (e) => window.__violations.push(e.violatedDirective + " " + e.blockedURI));
"""


@dataclass
class Watched:
    """What went wrong in a page: script errors, console errors, CSP violations."""

    errors: list[str] = field(default_factory=list)
    console: list[str] = field(default_factory=list)


@contextmanager
def browser() -> Iterator[Any]:
    """A headless Chromium (the distribution's), closed at the end of the block."""
    from playwright.sync_api import sync_playwright

    assert CHROMIUM is not None, "chromium is not installed (apt-get install chromium)"
    with sync_playwright() as playwright:
        chromium = playwright.chromium.launch(
            executable_path=CHROMIUM, args=["--no-sandbox", "--use-gl=swiftshader"]
        )
        try:
            yield chromium
        finally:
            chromium.close()


def open_map(
    chromium: Any,
    url: str,
    *,
    viewport: dict[str, int] | None = None,
    context: Any = None,
    timeout_ms: int = 60_000,
) -> Any:
    """A new page at ``url`` (a /map URL), once every part of the page has started
    (``body[data-ready=true]``) and the map has drawn what it loads (``map.loaded()``).
    ``page.watched`` collects its errors."""
    target = context or chromium.new_context(viewport=viewport or VIEWPORT, locale="en-US")
    page = target.new_page()
    watched = Watched()
    page.on("pageerror", lambda error: watched.errors.append(str(error)))
    page.on(
        "console",
        lambda message: watched.console.append(message.text) if message.type == "error" else None,
    )
    page.add_init_script(WATCH)
    page.watched = watched
    page.goto(url)
    page.wait_for_selector("body[data-ready=true]", timeout=timeout_ms)
    wait_until_drawn(page, timeout_ms)
    return page


def wait_until_drawn(page: Any, timeout_ms: int = 60_000) -> None:
    """Until the map has loaded its style and every tile it asked for."""
    # A function, not an expression: an expression is eval()ed in the page, which its CSP refuses.
    page.wait_for_function("() => window.map && window.map.loaded()", timeout=timeout_ms)


def violations(page: Any) -> list[str]:
    return list(page.evaluate("window.__violations"))


def keep(page: Any, name: str) -> None:
    """A screenshot of the page as a test artifact (test-artifacts/map/<name>.png)."""
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(ARTIFACTS / f"{name}.png"))
