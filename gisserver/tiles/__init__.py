"""Vector tiles (OGC API Tiles, MVT from PostGIS). Issue #6 fills this in."""

from __future__ import annotations

from typing import Any

from flask import Flask

from gisserver.layers import Layer
from gisserver.settings import Settings


def init_app(app: Flask) -> None:
    """Register tile routes that pygeoapi does not serve itself (if any)."""


def tile_provider_config(layer: Layer, settings: Settings) -> dict[str, Any] | None:
    """The pygeoapi provider entry for this layer's tiles, or None when tiles are not offered."""
    return None
