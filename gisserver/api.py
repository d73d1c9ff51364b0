"""JSON endpoints under /api (analyses). Issue #5 fills this in."""

from __future__ import annotations

from flask import Flask


def init_app(app: Flask) -> None:
    """Register the /api blueprint."""
