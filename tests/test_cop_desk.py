"""The duty desk of the common operating picture (gisserver/web/static/map/desk.js) in a real
headless Chromium (Playwright, the distribution's chromium) against a real HTTP server: signing
in with an API key, reporting an incident by clicking the map, changing a shelter through its
popup (If-Match; a stale version and an over-capacity occupancy told in words), moving an
incident through its phases and sending the nearest units. Every result is read back through
the API; screenshots of each check are kept in test-artifacts/map/."""

from __future__ import annotations

import json
import re
from collections.abc import Iterator
from typing import Any

import psycopg
import pytest
import requests
from cop import CHROMIUM, browser, keep, open_map, violations
from cop_desk_support import click_feature, pixel, read, sign_in, until, view, write
from editing import Key, api_keys
from flask import Flask
from live import serving

from gisserver.layers import LayerRegistry
from gisserver.settings import PROJECT_ROOT

pytestmark = pytest.mark.skipif(CHROMIUM is None, reason="chromium is not installed")

# Places in Cambridge, on or by its streets (the road network of conftest's road_network).
REPORT_VIEW = (-71.1050, 42.3700)
SHELTER = (-71.1012, 42.3668)
INCIDENT = (-71.1085, 42.3742)
DISPATCHED = (-71.1100, 42.3780)
UNITS = [(-71.1120, 42.3765), (-71.1062, 42.3798), (-71.1160, 42.3822), (-71.0990, 42.3900)]
UNPROJECT = "(() => { const p = map.unproject([800, 420]); return [p.lng, p.lat]; })()"
LOCALES = PROJECT_ROOT / "gisserver" / "web" / "static" / "map" / "locales"


@pytest.fixture(scope="module")
def keys(database_url: str) -> Iterator[dict[str, Key]]:
    with api_keys(database_url, "cop-desk") as made:
        yield made
        # assignments hold the units the keys created: they go first
        with psycopg.connect(database_url) as conn:
            conn.execute(
                "DELETE FROM assignments WHERE assigned_by = ANY(%s)",
                ([key.name for key in made.values()],),
            )


@pytest.fixture(scope="module")
def base(app: Flask, road_network: str) -> Iterator[str]:
    with serving(app) as url:
        yield url


@pytest.fixture(scope="module")
def chromium() -> Iterator[Any]:
    with browser() as opened:
        yield opened


def out_text(page: Any, selector: str, pattern: str) -> str:
    """The words of a status line once they match ``pattern``."""
    until(
        page,
        """([s, p]) => [...document.querySelectorAll(s)]
             .some((n) => new RegExp(p).test(n.textContent))""",
        [selector, pattern],
    )
    texts = page.eval_on_selector_all(selector, "(nodes) => nodes.map((n) => n.textContent)")
    return next(text for text in texts if re.search(pattern, text))


def test_sign_in_keeps_the_key_in_the_session_and_signing_out_forgets_it(
    base: str, chromium: Any, keys: dict[str, Key]
) -> None:
    page = open_map(chromium, view(base, REPORT_VIEW, 14))
    page.fill("#api-key", "not-a-key")
    page.click("#sign-in button[type=submit]")
    until(page, "() => document.getElementById('message').textContent.includes('Not signed in')")
    assert page.evaluate("sessionStorage.getItem('gisserver.key')") is None
    sign_in(page, keys["operator"])
    assert keys["operator"].name in page.text_content("#who")
    assert page.evaluate("sessionStorage.getItem('gisserver.key')") == keys["operator"].secret
    assert keys["operator"].secret not in page.url
    keep(page, "desk-signed-in")
    page.click("#sign-out")
    page.wait_for_selector("#api-key")
    assert page.evaluate("sessionStorage.getItem('gisserver.key')") is None
    assert page.watched.errors == []
    page.close()


def test_the_report_form_creates_an_incident_where_the_map_was_clicked(
    base: str, chromium: Any, keys: dict[str, Key]
) -> None:
    page = open_map(chromium, view(base, REPORT_VIEW, 15))
    page.click("#section-desk summary")
    description = "smoke from a basement, reported from the desk test"

    def report() -> list[float]:
        page.click("#report")
        at = page.evaluate(UNPROJECT)
        page.mouse.click(800, 420)
        page.wait_for_selector("#report-form form")
        page.select_option("#report-form select[name=incident_type]", "fire")
        page.select_option("#report-form select[name=severity]", "high")
        page.fill("#report-form textarea", description)
        page.click("#report-form button[type=submit]")
        return [float(v) for v in at]

    report()  # not signed in: the server's 401, in words
    refused = out_text(page, "#desk .desk-out", "Not done")
    assert "API key" in refused
    keep(page, "desk-report-refused")

    sign_in(page, keys["operator"])
    page.click("#report-form button[type=submit]")  # the same form, sent again signed in
    said = out_text(page, "#desk .desk-out", r"Incident \d+ reported")
    incident = int(re.search(r"Incident (\d+)", said).group(1))  # type: ignore[union-attr]
    keep(page, "desk-report-created")
    at = page.evaluate(UNPROJECT)
    created = read(base, "incidents", incident)
    assert created["properties"]["description"] == description
    assert created["properties"]["incident_type"] == "fire"
    assert created["properties"]["severity"] == "high"
    assert created["properties"]["status"] == "reported"
    lon, lat = created["geometry"]["coordinates"]
    assert abs(lon - at[0]) < 1e-6 and abs(lat - at[1]) < 1e-6
    page.close()


def test_a_shelter_changes_through_its_popup_and_a_stale_version_is_told_in_words(
    base: str, chromium: Any, keys: dict[str, Key]
) -> None:
    shelter = write(
        base,
        keys["analyst"],
        "shelters",
        SHELTER,
        name="Desk test school",
        capacity=100,
        occupancy=10,
        status="standby",
    )
    page = open_map(chromium, view(base, SHELTER))
    sign_in(page, keys["operator"])
    click_feature(page, SHELTER, "shelters", shelter)
    page.wait_for_selector(".desk-shelter")
    page.select_option(".desk-shelter select[name=status]", "open")
    page.fill(".desk-shelter input[name=occupancy]", "42")
    page.click(".desk-shelter button[type=submit]")
    out_text(page, ".desk-shelter .desk-out", "Saved")
    keep(page, "desk-shelter-saved")
    changed = read(base, "shelters", shelter)["properties"]
    assert (changed["status"], changed["occupancy"]) == ("open", 42)

    # Someone else changes it meanwhile: the form's next save is refused, nothing overwritten.
    other = requests.patch(
        f"{base}/ogc/collections/shelters/items/{shelter}",
        data=json.dumps({"properties": {"occupancy": 50}}),
        headers={
            "Authorization": f"Bearer {keys['operator'].secret}",
            "Content-Type": "application/merge-patch+json",
        },
        timeout=60,
    )
    assert other.status_code == 200, other.text
    page.fill(".desk-shelter input[name=occupancy]", "60")
    page.click(".desk-shelter button[type=submit]")
    stale = out_text(page, ".desk-shelter .desk-out", "someone changed")
    assert "Reload" in stale
    keep(page, "desk-shelter-stale")
    assert read(base, "shelters", shelter)["properties"]["occupancy"] == 50

    page.click(".desk-shelter .desk-out button")  # reload: the form shows the change
    until(page, "() => document.querySelector('.desk-shelter [name=occupancy]').value === '50'")
    page.fill(".desk-shelter input[name=occupancy]", "500")
    page.click(".desk-shelter button[type=submit]")
    over = out_text(page, ".desk-shelter .desk-out", "above the capacity")
    assert "(100)" in over
    keep(page, "desk-shelter-over-capacity")
    assert read(base, "shelters", shelter)["properties"]["occupancy"] == 50
    page.close()


def test_an_incident_moves_through_its_phases_from_its_popup(
    base: str, chromium: Any, keys: dict[str, Key], layers: LayerRegistry
) -> None:
    lifecycle = layers["incidents"].lifecycle
    assert lifecycle is not None
    incident = write(
        base,
        keys["operator"],
        "incidents",
        INCIDENT,
        incident_type="structural",
        severity="moderate",
        description="a wall leaning out",
    )
    page = open_map(chromium, view(base, INCIDENT))
    moves = page.evaluate("import('/map/static/map/desk.js').then((m) => m.MOVES)")
    assert moves == {phase: list(to) for phase, to in lifecycle.transitions.items()}
    sign_in(page, keys["operator"])
    click_feature(page, INCIDENT, "incidents", incident)
    page.wait_for_selector(".desk-moves button")
    offered = page.eval_on_selector_all(".desk-moves button", "(b) => b.map((n) => n.dataset.to)")
    assert offered == list(lifecycle.allowed("reported"))
    page.fill(".desk-incident input[name=note]", "patrol confirms the crack")
    page.click(".desk-moves button[data-to=verified]")
    said = out_text(page, ".desk-incident .desk-out", "→")
    assert "reported → verified" in said
    keep(page, "desk-incident-verified")
    assert read(base, "incidents", incident)["properties"]["status"] == "verified"
    offered = page.eval_on_selector_all(".desk-moves button", "(b) => b.map((n) => n.dataset.to)")
    assert offered == list(lifecycle.allowed("verified"))
    timeline = requests.get(f"{base}/api/incidents/{incident}/timeline", timeout=60).json()
    assert "patrol confirms the crack" in json.dumps(timeline)
    page.close()


def test_the_nearest_units_are_recommended_by_road_and_two_are_assigned(
    base: str, chromium: Any, keys: dict[str, Key]
) -> None:
    incident = write(
        base,
        keys["operator"],
        "incidents",
        DISPATCHED,
        incident_type="medical",
        severity="high",
        description="two people hurt",
    )
    for i, point in enumerate(UNITS):
        write(
            base,
            keys["operator"],
            "units",
            point,
            name=f"Desk ambulance {i}",
            unit_type="ambulance",
            capabilities=["ambulance", "ems"],
            status="available",
        )
    expected = requests.get(
        f"{base}/api/incidents/{incident}/recommend?capability=ambulance&k=3", timeout=60
    ).json()
    assert expected["travel"] == "drive_time", "the road network is loaded: ETAs by road"
    page = open_map(chromium, view(base, DISPATCHED, 16))
    sign_in(page, keys["operator"])
    click_feature(page, DISPATCHED, "incidents", incident)
    page.wait_for_selector(".desk-recommend")
    page.select_option(".desk-dispatch select[name=capability]", "ambulance")
    page.click(".desk-recommend")
    page.wait_for_selector(".desk-units li")
    listed = page.eval_on_selector_all(".desk-units li", "(l) => l.map((n) => n.innerText.trim())")
    names = [f["properties"]["name"] for f in expected["features"]]
    assert [text.split(" (")[0] for text in listed] == names
    for text, unit in zip(listed, expected["features"], strict=True):
        assert "by road" in text
        assert f"{round(unit['properties']['eta_s'] / 60)} min" in text or " s " in text
    boxes = page.query_selector_all(".desk-units input[type=checkbox]")
    boxes[0].check()
    boxes[1].check()
    keep(page, "desk-units-recommended")
    page.click(".desk-assign")
    out_text(page, ".desk-dispatch .desk-out, .desk-incident .desk-out", "2 assigned")
    keep(page, "desk-units-assigned")
    sent = requests.get(f"{base}/api/incidents/{incident}/assignments", timeout=60).json()
    assert sorted(a["unit_id"] for a in sent["assignments"]) == sorted(
        f["id"] for f in expected["features"][:2]
    )
    # units sent to a reported incident make it responding: the popup shows its new phase
    phase = "() => document.querySelector('.desk-incident strong').innerText"
    until(page, f"{phase}.includes('responding')")
    assert read(base, "incidents", incident)["properties"]["status"] == "responding"
    assert page.watched.errors == [] and violations(page) == []
    page.close()


def test_the_desk_speaks_chinese_in_zh_cn(base: str, chromium: Any, keys: dict[str, Key]) -> None:
    for part in ("desk", "replay", "field"):
        en = json.loads((LOCALES / "en" / f"{part}.json").read_text())
        zh = json.loads((LOCALES / "zh-CN" / f"{part}.json").read_text())
        assert set(zh) == set(en), part
        assert all(key.startswith(f"{part}.") for key in en), part
        for key, text in zh.items():  # no English outside the placeholders ("API" is a name)
            words = re.sub(r"\{\w+\}", "", text).replace("API", "")
            assert not re.search(r"[A-Za-z]{2,}", words), key
    page = open_map(chromium, view(base, REPORT_VIEW, 14, "?lang=zh-CN"))
    page.click("#section-desk summary")
    page.click("#section-replay summary")
    sign_in(page, keys["operator"])
    page.click("#report")
    x, y = pixel(page, REPORT_VIEW)
    page.mouse.click(x, y)
    page.wait_for_selector("#report-form form")
    shown = page.evaluate(
        """['#account', '#section-desk', '#section-replay']
             .map((s) => document.querySelector(s).innerText).join(' ')"""
    )
    english = set(re.findall(r"[A-Za-z]{3,}", shown)) - {"API", keys["operator"].name}
    english -= set(re.findall(r"[A-Za-z]{3,}", keys["operator"].name))
    assert not english, english
    keep(page, "desk-zh-CN")
    page.close()
