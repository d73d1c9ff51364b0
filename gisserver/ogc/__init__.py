"""OGC API (pygeoapi mounted inside the Flask app at /ogc). Issue #4 fills this in."""

from __future__ import annotations

from flask import Flask


def init_app(app: Flask) -> None:
    """Mount pygeoapi under /ogc with a configuration generated from layers/."""
