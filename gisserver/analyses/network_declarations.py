"""The road network's own questions, declared like every analysis (``registry.py`` lists them):
what network is loaded, and which roads the hazard zones in force close or slow."""

from __future__ import annotations

from gisserver.analyses.declaration import Analysis, Input
from gisserver.analyses.schemas import AT, BBOX, FEATURE_COLLECTION

ROAD_CLOSURES_LIMIT = 50_000

ROAD_NETWORK = Analysis(
    id="road-network",
    title="Road network",
    description="The road network routing searches: per source its segments, length (km) and "
    "load time; junctions, segments per road class with the class's speed in the routing "
    "profile, one-way segments, the extent, and the network's version (bumped by every load).",
    keywords=("roads", "network", "routing"),
    inputs=(),
    output={"type": "object"},
    media_type="application/json",
    example={},
    answer="gisserver.analyses.road_closures:network_answer",
    http_path="/api/roads",
    http_method="GET",
    uses_settings=True,
)

ROAD_CLOSURES = Analysis(
    id="road-closures",
    title="Roads closed or slowed by hazard zones",
    description="The road segments that routing closes or slows at 'at' (default now), because "
    "they touch a hazard zone in force whose type and severity the routing profile acts on: "
    "each with its effect (closed, or 'speed xF') and the zones that cause it, as GeoJSON "
    f"LineStrings (at most {ROAD_CLOSURES_LIMIT:,}; bbox narrows them).",
    keywords=("roads", "closures", "hazard", "routing"),
    inputs=(
        Input(
            "at",
            {**AT, "description": "the instant the zones are judged in force at (default now)"},
        ),
        Input("bbox", BBOX, cli_metavar="MINLON,MINLAT,MAXLON,MAXLAT"),
    ),
    output=FEATURE_COLLECTION,
    media_type="application/geo+json",
    example={"bbox": [-71.16, 42.35, -71.06, 42.41]},
    answer="gisserver.analyses.road_closures:closures_answer",
    http_path="/api/roads/closures",
    http_method="GET",
    uses_settings=True,
)
