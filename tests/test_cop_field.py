"""Field mode of the common operating picture (gisserver/web/static/map/field.js,
/map?view=field) on a phone-sized headless Chromium with a geolocation (Playwright's permission
and position), against a real HTTP server with Cambridge's streets as the road network: an
incident reported at the phone's location, the nearest shelters by drive time as
/api/nearest?by=drive_time lists them, and the route to the one tapped drawn on the map."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
import requests
from cop import CHROMIUM, PHONE, browser, keep, open_map, violations
from cop_desk_support import read, sign_in, until, view, write
from editing import Key, api_keys
from flask import Flask
from live import serving

pytestmark = pytest.mark.skipif(CHROMIUM is None, reason="chromium is not installed")

PHONE_AT = (-71.1031, 42.3654)  # Central Square, Cambridge
SHELTERS = {
    "Field test library": (-71.0990, 42.3630),
    "Field test school": (-71.1080, 42.3683),
    "Field test gym": (-71.0952, 42.3702),
    "Field test hall": (-71.1200, 42.3790),
}
TOUCH_PX = 44  # the smallest comfortable touch target (WCAG 2.5.5)


@pytest.fixture(scope="module")
def keys(database_url: str) -> Iterator[dict[str, Key]]:
    with api_keys(database_url, "cop-field") as made:
        yield made


@pytest.fixture(scope="module")
def base(app: Flask, road_network: str) -> Iterator[str]:
    with serving(app) as url:
        yield url


def test_field_mode_reports_where_the_phone_is_and_routes_to_the_nearest_shelter(
    base: str, keys: dict[str, Key]
) -> None:
    for name, point in SHELTERS.items():
        write(base, keys["analyst"], "shelters", point, name=name, capacity=200, status="open")
    with browser() as chromium:
        context = chromium.new_context(
            viewport=PHONE,
            locale="en-US",
            is_mobile=True,
            has_touch=True,
            geolocation={"longitude": PHONE_AT[0], "latitude": PHONE_AT[1], "accuracy": 12},
            permissions=["geolocation"],
        )
        page = open_map(chromium, view(base, PHONE_AT, 15, "?view=field"), context=context)
        assert page.is_visible("#field-report") and not page.is_visible("#section-desk")
        sign_in(page, keys["operator"])

        # report: the incident is where the phone is, with the words typed
        page.tap("#field-report")
        page.wait_for_selector("#field-form form")
        assert "42.36540, -71.10310" in page.inner_text("#field-where")
        page.select_option("#field-form select[name=incident_type]", "gas_leak")
        page.fill("#field-form textarea", "smell of gas outside the subway entrance")
        page.tap("#field-form button[type=submit]")
        said = until(
            page,
            """() => { const t = document.querySelector('.field-out').textContent;
                       return /Incident \\d+ reported/.test(t) && t; }""",
        )
        keep(page, "field-reported")
        incident = int(said.split()[1])
        created = read(base, "incidents", incident)
        assert created["properties"]["description"] == "smell of gas outside the subway entrance"
        assert created["properties"]["incident_type"] == "gas_leak"
        lon, lat = created["geometry"]["coordinates"]
        assert abs(lon - PHONE_AT[0]) < 1e-6 and abs(lat - PHONE_AT[1]) < 1e-6

        # the nearest shelters by road, as the API answers for the phone's point
        page.tap("#field-find")
        page.wait_for_selector("#field-shelters button")
        expected = requests.get(
            f"{base}/api/nearest?layer=shelters&by=drive_time&k=3&route=true"
            f"&lon={PHONE_AT[0]:.6f}&lat={PHONE_AT[1]:.6f}",
            timeout=60,
        ).json()
        listed = page.eval_on_selector_all(
            "#field-shelters button", "(b) => b.map((n) => n.innerText)"
        )
        assert [text.split(":")[0] for text in listed] == [
            f["properties"]["name"] for f in expected["features"]
        ]
        assert len(listed) == 3 and all("by road" in text for text in listed)
        assert "Field test hall" not in " ".join(listed), "the farthest is not among the three"
        for text, shelter in zip(listed, expected["features"], strict=True):
            seconds = shelter["properties"]["travel_time_s"]
            assert (f"{round(seconds / 60)} min" if seconds >= 60 else "under a minute") in text
        for box in page.eval_on_selector_all(
            "#field-report, #field-find, #field-shelters button",
            "(b) => b.map((n) => n.getBoundingClientRect().height)",
        ):
            assert box >= TOUCH_PX

        # tap the first: its route is drawn, the API's line
        page.tap("#field-shelters li:first-child button")
        until(page, "() => map.queryRenderedFeatures({ layers: ['field-route'] }).length > 0")
        drawn = page.evaluate(
            """() => map.getSource('field').serialize().data.features
                 .find((f) => f.properties.kind === 'route').geometry.coordinates"""
        )
        assert drawn == expected["features"][0]["properties"]["route"]["coordinates"]
        assert "Route to" in page.inner_text(".field-out")
        keep(page, "field-route")
        assert page.watched.errors == []
        assert violations(page) == []
        context.close()
