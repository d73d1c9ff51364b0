"""Every analysis, declared once: its inputs with their constraints, its output, its title,
description and example, and the function that answers it.

From these declarations come the ``/api`` routes and their OpenAPI document
(``gisserver.web.api``), the OGC API processes (``gisserver.ogc.processes``) and the
``gisserver analyse`` commands (``gisserver.cli.analyse``), so the three front doors cannot
disagree. Adding an analysis is one ``Analysis(...)`` here plus its ``answer`` function.

This module stays light (no numpy, shapely, psycopg): the CLI lists the commands from it, and the
functions are named by dotted path and imported only when an analysis runs (what an analysis is:
``declaration.py``). The limits below are
the ones the parsers enforce (they import them from here), so the documents state what the
server checks.
"""

from __future__ import annotations

from gisserver.analyses.declaration import Analysis, Answer, Input
from gisserver.analyses.drive_declarations import (
    DRIVE_NEAREST_INPUTS,
    ISOCHRONE,
    ISOCHRONE_AREA,
    ROUTE,
)
from gisserver.analyses.network_declarations import ROAD_CLOSURES, ROAD_NETWORK
from gisserver.analyses.schemas import (
    AREA_GEOMETRY,
    AS_OF,
    AT,
    BBOX,
    ERROR,
    FEATURE_COLLECTION,
    LAT,
    LON,
    MAX_VERTICES,
)
from gisserver.layers import SEVERITIES, STOCK_ITEMS

# --- limits the parsers enforce ---------------------------------------------------------------
RESOURCE_LAYERS = ("shelters", "stockpiles", "cameras")
K_DEFAULT = 5
K_MAX = 100
MAX_DISTANCE_M = 20_000_000.0  # half the equator: beyond it every point of the Earth is inside
MAX_RADIUS_M = 500_000.0
# A posted area (risk areas) is at most this big (and has at most schemas.MAX_VERTICES vertices):
# a circle of the largest radius fits (785,398 km²); bigger areas would return most of a
# country's assets.
MAX_AREA_KM2 = 1_000_000.0
ASSET_SCOPES = ("area", "zone")
RECOMMEND_K_DEFAULT = 3
RECOMMEND_K_MAX = 50

GEOJSON = "application/geo+json"
JSON = "application/json"

# --- the analyses -----------------------------------------------------------------------------

NEAREST = Analysis(
    id="nearest-resources",
    title="Nearest resources",
    description="The k shelters, stockpiles or cameras nearest to a point, ordered by geodesic "
    "distance (WGS84), found through the layer's spatial index. Each feature carries its layer's "
    "public fields, distance_m, bearing_deg (initial bearing from the point, degrees clockwise "
    "from north; null at distance 0), and free_capacity (shelters) or items (stockpiles: "
    "unexpired stock per item and unit). Filters: status; shelters min_free_capacity and "
    "exclude_hazard (not inside a hazard zone in force now); stockpiles item and min_quantity "
    "(unexpired stock). by=drive_time ranks them by travel time on the road network instead "
    "(the 2,000 nearest by distance that pass the filters are timed).",
    keywords=("nearest", "shelter", "stockpile", "camera", "geodesic", "drive time"),
    inputs=(
        Input(
            "layer",
            {"type": "string", "enum": list(RESOURCE_LAYERS), "description": "which resources"},
            required=True,
        ),
        Input("lon", LON, required=True),
        Input("lat", LAT, required=True),
        Input(
            "k",
            {
                "type": "integer",
                "minimum": 1,
                "maximum": K_MAX,
                "default": K_DEFAULT,
                "description": f"how many (1..{K_MAX})",
            },
            cli_flag="-k",
        ),
        Input(
            "max_distance_m",
            {
                "type": "number",
                "exclusiveMinimum": 0,
                "maximum": MAX_DISTANCE_M,
                "description": "only resources within this many metres",
            },
        ),
        Input(
            "status",
            {
                "type": "string",
                "description": "the layer's status: shelters open, closed, full, standby; "
                "stockpiles active, inactive; cameras online, offline",
            },
            enum_from=tuple((layer, "status") for layer in RESOURCE_LAYERS),
        ),
        Input(
            "min_free_capacity",
            {
                "type": "integer",
                "minimum": 0,
                "description": "shelters only: capacity - occupancy >= n",
            },
        ),
        Input(
            "exclude_hazard",
            {
                "type": "boolean",
                "default": False,
                "description": "shelters only: skip shelters inside a hazard zone in force now",
            },
        ),
        Input(
            "item",
            {
                "type": "string",
                "enum": list(STOCK_ITEMS),
                "description": "stockpiles only: holding unexpired stock of this item",
            },
        ),
        Input(
            "min_quantity",
            {
                "type": "number",
                "minimum": 0,
                "description": "stockpiles only, with item: unexpired quantity >= n",
            },
        ),
        Input("as_of", AS_OF, cli_metavar="TIME"),
        *DRIVE_NEAREST_INPUTS,
    ),
    output=FEATURE_COLLECTION,
    media_type=GEOJSON,
    example={
        "layer": "shelters",
        "lon": -71.1097,
        "lat": 42.3736,
        "k": 3,
        "min_free_capacity": 50,
        "exclude_hazard": True,
    },
    answer="gisserver.analyses.drive_nearest:answer",
    answer_text="gisserver.analyses.drive_nearest:answer_text",
    http_path="/api/nearest",
    http_method="GET",
    uses_settings=True,
)

RISK_AREAS = Analysis(
    id="risk-areas",
    title="Risk areas",
    description="The hazard zones in force (at 'at', default now) that intersect an area of "
    "interest: exactly one of geometry, bbox, or point with radius_m (a geodesic circle). Each "
    "zone carries its geodesic intersection_area_m2 and zone_area_m2 and the assets inside it "
    "(shelters, stockpiles, cameras, open incidents), with counts and shelter capacity at risk; "
    "the summary counts each asset once.",
    keywords=("risk", "hazard", "flood", "exposure"),
    inputs=(
        Input("geometry", AREA_GEOMETRY, cli_metavar="FILE"),
        Input("bbox", BBOX, cli_metavar="MINLON,MINLAT,MAXLON,MAXLAT"),
        Input(
            "point",
            {
                "type": "array",
                "items": {"type": "number", "minimum": -180, "maximum": 180},
                "minItems": 2,
                "maxItems": 2,
                "description": "lon, lat: the centre of a circle of radius_m (lat -90..90)",
            },
            cli_metavar="LON,LAT",
        ),
        Input(
            "radius_m",
            {
                "type": "number",
                "exclusiveMinimum": 0,
                "maximum": MAX_RADIUS_M,
                "description": "with point: the circle's radius in metres",
            },
            cli_flag="--radius",
        ),
        Input(
            "hazard_types",
            {
                "type": "array",
                "items": {"type": "string"},
                "minItems": 1,
                "description": "only zones of these hazard types (default: all)",
            },
            cli_flag="--hazard-type",
            enum_from=(("hazard_zones", "hazard_type"),),
        ),
        Input(
            "min_severity",
            {
                "type": "string",
                "enum": list(SEVERITIES),
                "default": SEVERITIES[0],
                "description": "only zones at least this severe",
            },
        ),
        Input("at", AT),
        Input(
            "assets_scope",
            {
                "type": "string",
                "enum": list(ASSET_SCOPES),
                "default": "area",
                "description": "count the assets inside zone and area of interest ('area') or "
                "in the whole zone ('zone')",
            },
        ),
        Input("as_of", AS_OF, cli_metavar="TIME"),
    ),
    output=FEATURE_COLLECTION,
    media_type=GEOJSON,
    example={"point": [-71.1097, 42.3736], "radius_m": 1500, "min_severity": "high"},
    answer="gisserver.analyses.risk:answer",
    http_path="/api/risk-areas",
    http_method="POST",
    exactly_one_of=("geometry", "bbox", "point"),
)

ZONES_AT_POINT = Analysis(
    id="zones-at-point",
    title="Hazard zones at a point",
    description="The hazard zones in force (at 'at', default now) that contain a point; a point "
    "on a zone's boundary counts as inside.",
    keywords=("risk", "hazard", "point"),
    inputs=(
        Input("lon", LON, required=True),
        Input("lat", LAT, required=True),
        Input("at", AT),
        Input("as_of", AS_OF, cli_metavar="TIME"),
    ),
    output=FEATURE_COLLECTION,
    media_type=GEOJSON,
    example={"lon": -71.1097, "lat": 42.3736},
    answer="gisserver.analyses.risk:zones_answer",
    http_path="/api/risk-areas",
    http_method="GET",
)

AFFECTED_POPULATION = Analysis(
    id="affected-population",
    title="Affected population",
    description="How many people live in an area: exactly one of a GeoJSON polygon, a hazard "
    "zone, an incident (with buffer_m around a point incident), or an isochrone (the area "
    "within some minutes by road of a point). Raster sources: the sum of "
    "the cells whose centre lies inside (rasterio.mask's rule); census sources: areal-weighted "
    "interpolation with geodesic areas. Without 'source' the source covering most of the area "
    "is used; the answer names the method and the source, and says so when no source covers "
    "the area (population null) rather than answering zero.",
    keywords=("population", "exposure", "census", "worldpop"),
    inputs=(
        Input("geometry", AREA_GEOMETRY, cli_metavar="FILE"),
        Input(
            "hazard_zone_id",
            {"type": "integer", "minimum": 1, "description": "a hazard zone's id"},
        ),
        Input("incident_id", {"type": "integer", "minimum": 1, "description": "an incident's id"}),
        Input(
            "buffer_m",
            {
                "type": "number",
                "exclusiveMinimum": 0,
                "maximum": MAX_RADIUS_M,
                "description": "with incident_id: the buffer around the incident, metres",
            },
        ),
        Input(
            "source",
            {
                "type": "string",
                "minLength": 1,
                "description": "a named population source (default: the one covering the area)",
            },
        ),
        Input("as_of", AS_OF, cli_metavar="TIME"),
        ISOCHRONE_AREA,
    ),
    output={
        "type": "object",
        "properties": {
            "population": {"type": ["number", "null"]},
            "method": {
                "type": ["string", "null"],
                "enum": ["raster-cell-centre", "areal-weighted", None],
            },
            "source": {"type": ["string", "null"]},
            "area_m2": {"type": "number"},
            "reason": {"type": "string", "description": "why population is null, when it is"},
        },
    },
    media_type=JSON,
    example={"hazard_zone_id": 1},
    answer="gisserver.analyses.population:answer",
    http_path="/api/affected-population",
    http_method="POST",
    exactly_one_of=("geometry", "hazard_zone_id", "incident_id", "isochrone"),
    uses_settings=True,
)

SITUATION = Analysis(
    id="situation",
    title="Situation report",
    description="What there is and in what state, now: per layer totals and counts by status, "
    "hazard zones in force by severity, shelter capacity, occupancy and free places, unexpired "
    "stock per item, open incidents by type and severity, and the population inside the hazard "
    "zones in force. Features touching bbox count (default: everything). With as_of, the same "
    "report as the layers were at that instant (an after-action review).",
    keywords=("situation", "summary", "dashboard", "replay"),
    inputs=(
        Input("bbox", BBOX, cli_metavar="MINLON,MINLAT,MAXLON,MAXLAT"),
        Input("as_of", AS_OF, cli_metavar="TIME"),
    ),
    output={
        "type": "object",
        "properties": {
            "bbox": {"type": ["array", "null"]},
            "at": {"type": "string", "format": "date-time"},
            "as_of": {"type": ["string", "null"], "format": "date-time"},
            "layers": {"type": "object", "description": "per layer: total and by_status"},
            "shelters": {"type": "object", "description": "capacity, occupancy, free_places"},
            "stock": {"type": "object", "description": "per item: unexpired quantity per unit"},
            "open_incidents": {"type": "object"},
            "population_in_hazard_zones": {"type": "object"},
        },
    },
    media_type=JSON,
    example={"bbox": [-71.16, 42.35, -71.06, 42.40]},
    answer="gisserver.analyses.situation:answer",
    http_path="/api/situation",
    http_method="GET",
)

RECOMMEND_UNITS = Analysis(
    id="recommend-units",
    title="Units to send to an incident",
    description="The k nearest available response units able to help at an incident, nearest "
    "first: with the capability asked (e.g. ambulance) and of the unit type asked, if any, "
    "excluding units inside a hazard zone in force now. Each unit carries distance_m (geodesic, "
    "WGS84, from the incident's point on surface) and eta_s with the method of the estimate "
    "(travel: straight_line, at the assumed speed GISSERVER_DISPATCH_SPEED_KMH; drive time once "
    "the road network answers, through the same function).",
    keywords=("dispatch", "units", "nearest", "ambulance", "eta"),
    inputs=(
        Input(
            "incident_id",
            {
                "type": "integer",
                "minimum": 1,
                "maximum": 2**63 - 1,
                "description": "the incident's id",
            },
            required=True,
        ),
        Input(
            "capability",
            {"type": "string", "description": "a capability the unit must have"},
            enum_from=(("units", "capabilities"),),
        ),
        Input(
            "unit_type",
            {"type": "string", "description": "the unit type wanted"},
            enum_from=(("units", "unit_type"),),
        ),
        Input(
            "k",
            {
                "type": "integer",
                "minimum": 1,
                "maximum": RECOMMEND_K_MAX,
                "default": RECOMMEND_K_DEFAULT,
                "description": f"how many (1..{RECOMMEND_K_MAX})",
            },
            cli_flag="-k",
        ),
        Input("as_of", AS_OF, cli_metavar="TIME"),
    ),
    output=FEATURE_COLLECTION,
    media_type=GEOJSON,
    example={"incident_id": 1, "capability": "ambulance", "k": 3},
    answer="gisserver.analyses.recommend:answer",
    http_path="/api/incidents/{incident_id}/recommend",
    http_method="GET",
    uses_settings=True,
)

__all__ = ["ANALYSES", "ERROR", "MAX_VERTICES", "Analysis", "Answer", "Input", "get"]

ANALYSES: tuple[Analysis, ...] = (
    NEAREST,
    RISK_AREAS,
    ZONES_AT_POINT,
    AFFECTED_POPULATION,
    SITUATION,
    RECOMMEND_UNITS,
    ROUTE,
    ISOCHRONE,
    ROAD_NETWORK,
    ROAD_CLOSURES,
)


def get(analysis_id: str) -> Analysis:
    """The analysis with this id; KeyError names the known ones."""
    for analysis in ANALYSES:
        if analysis.id == analysis_id:
            return analysis
    raise KeyError(f"no analysis {analysis_id!r}; known: {', '.join(a.id for a in ANALYSES)}")


# --- response metrics (command and dispatch) --------------------------------------------------
METRICS_DEFAULT_DAYS, METRICS_MAX_DAYS = 30, 366
METRICS_LIMIT_DEFAULT, METRICS_LIMIT_MAX = 100, 1000
_SECONDS = {"type": ["number", "null"]}
RESPONSE_METRICS = Analysis(
    id="response-metrics",
    title="Response metrics",
    description="Per incident reported in [from, to) and aggregated (count, mean, median, p90, "
    "min, max; incidents lacking a metric are left out and counted), in seconds: time to verify "
    "(first transition to verified), to dispatch (first assignment), to first arrival (earliest "
    "on scene) after reported_at, and on-scene time (earliest arrival to latest release; open "
    "while a unit is on scene, then not aggregated). See docs/after-action.md.",
    keywords=("response", "dispatch", "metrics", "after-action"),
    inputs=(
        Input(
            "from",
            {
                **AT,
                "description": f"reported at or after (default: to - "
                f"{METRICS_DEFAULT_DAYS} days; at most {METRICS_MAX_DAYS} days before to)",
            },
        ),
        Input("to", {**AT, "description": "reported before (default: now)"}),
        Input(
            "type",
            {"type": "string", "description": "only incidents of this type"},
            enum_from=(("incidents", "incident_type"),),
        ),
        Input(
            "limit",
            {
                "type": "integer",
                "minimum": 1,
                "maximum": METRICS_LIMIT_MAX,
                "default": METRICS_LIMIT_DEFAULT,
                "description": "incidents listed",
            },
        ),
        Input(
            "offset",
            {
                "type": "integer",
                "minimum": 0,
                "maximum": 1_000_000,
                "default": 0,
                "description": "incidents skipped (reported_at, id order)",
            },
        ),
    ),
    output={
        "type": "object",
        "properties": {
            "numberMatched": {"type": "integer"},
            "aggregates": {"type": "object"},
            "incidents": {
                "type": "array",
                "items": {
                    "type": "object",
                    "properties": {
                        "time_to_verify_s": _SECONDS,
                        "time_to_dispatch_s": _SECONDS,
                        "time_to_first_arrival_s": _SECONDS,
                        "on_scene_s": _SECONDS,
                    },
                },
            },
        },
    },
    media_type=JSON,
    example={"from": "2026-01-01T00:00:00Z", "to": "2026-02-01T00:00:00Z"},
    answer="gisserver.analyses.response_metrics:answer",
    http_path="/api/metrics/response",
    http_method="GET",
)
ANALYSES = (*ANALYSES, RESPONSE_METRICS)
