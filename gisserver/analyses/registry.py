"""Every analysis, declared once: its inputs with their constraints, its output, its title,
description and example, and the function that answers it.

From these declarations come the ``/api`` routes and their OpenAPI document
(``gisserver.web.api``), the OGC API processes (``gisserver.ogc.processes``) and the
``gisserver analyse`` commands (``gisserver.cli.analyse``), so the three front doors cannot
disagree. Adding an analysis is one ``Analysis(...)`` here plus its ``answer`` function.

This module stays light (no numpy, shapely, psycopg): the CLI lists the commands from it, and the
functions are named by dotted path and imported only when an analysis runs. The limits below are
the ones the parsers enforce (they import them from here), so the documents state what the
server checks.
"""

from __future__ import annotations

import importlib
import json
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from functools import cached_property
from typing import TYPE_CHECKING, Any

from gisserver.layers import SEVERITIES, STOCK_ITEMS

if TYPE_CHECKING:
    from gisserver.db import Database
    from gisserver.layers import LayerRegistry

# --- limits the parsers enforce ---------------------------------------------------------------
RESOURCE_LAYERS = ("shelters", "stockpiles", "cameras")
K_DEFAULT = 5
K_MAX = 100
MAX_DISTANCE_M = 20_000_000.0  # half the equator: beyond it every point of the Earth is inside
MAX_RADIUS_M = 500_000.0
# A posted area: at most this many vertices, and (risk areas) at most this big: a circle of the
# largest radius fits (785,398 km²); bigger areas would return most of a country's assets.
MAX_VERTICES = 50_000
MAX_AREA_KM2 = 1_000_000.0
ASSET_SCOPES = ("area", "zone")

GEOJSON = "application/geo+json"
JSON = "application/json"

Answer = Callable[..., Any]


@dataclass(frozen=True)
class Input:
    """One input: its JSON schema (type, constraints, description) and how the CLI spells it."""

    name: str
    schema: Mapping[str, Any]
    required: bool = False
    cli_flag: str | None = None  # default: --name-with-dashes
    cli_metavar: str | None = None  # arrays are typed as text on the command line, e.g. LON,LAT
    # Allowed values that come from the layer files: (layer, field) pairs whose enums, together,
    # are the input's (or its items') enum where the input is published.
    enum_from: tuple[tuple[str, str], ...] = ()

    def published_schema(self, layers: LayerRegistry | None) -> dict[str, Any]:
        """The JSON schema as published (description left out): with the enums of the layer
        files filled in when ``layers`` is given."""
        schema = {k: v for k, v in self.schema.items() if k != "description"}
        if not self.enum_from or layers is None:
            return schema
        values = list(
            dict.fromkeys(
                value
                for layer_id, field in self.enum_from
                if layer_id in layers
                for value in (layers[layer_id].fields[field].enum or ())
            )
        )
        if schema.get("type") == "array":
            schema["items"] = {**schema.get("items", {}), "enum": values}
        else:
            schema["enum"] = values
        return schema

    @property
    def description(self) -> str:
        return str(self.schema.get("description", ""))

    @property
    def title(self) -> str:
        return self.name.replace("_", " ").capitalize()

    @property
    def flag(self) -> str:
        return self.cli_flag or "--" + self.name.replace("_", "-")


@dataclass(frozen=True)
class Analysis:
    """An analysis as every front door publishes it."""

    id: str  # the process id and the CLI command
    title: str
    description: str
    keywords: tuple[str, ...]
    inputs: tuple[Input, ...]
    output: Mapping[str, Any]
    media_type: str
    example: Mapping[str, Any]
    answer: str  # "module:function", called as function(db, params, layers=...)
    http_path: str
    http_method: str  # GET: inputs in the query string; POST: a JSON object body
    answer_text: str | None = None  # optional: the same answer as JSON text (HTTP fast path)
    exactly_one_of: tuple[str, ...] = ()  # inputs of which exactly one must be given

    def input(self, name: str) -> Input:
        return next(i for i in self.inputs if i.name == name)

    @property
    def required(self) -> tuple[str, ...]:
        return tuple(i.name for i in self.inputs if i.required)

    @cached_property
    def _function(self) -> Answer:
        return _resolve(self.answer)

    def run(self, db: Database, params: Mapping[str, Any], *, layers: LayerRegistry) -> Any:
        """Parse ``params`` (query-string text or JSON values) and answer."""
        return self._function(db, params, layers=layers)

    def run_text(self, db: Database, params: Mapping[str, Any], *, layers: LayerRegistry) -> str:
        """The answer as JSON text: the fast path where the analysis has one."""
        if self.answer_text is None:
            return json.dumps(
                self.run(db, params, layers=layers), ensure_ascii=False, allow_nan=False
            )
        function: Answer = _resolve(self.answer_text)
        text: str = function(db, params, layers=layers)
        return text


def _resolve(dotted: str) -> Answer:
    module, name = dotted.split(":")
    function: Answer = getattr(importlib.import_module(module), name)
    return function


# --- shared schemas ---------------------------------------------------------------------------

LON = {"type": "number", "minimum": -180, "maximum": 180, "description": "WGS84 longitude"}
LAT = {"type": "number", "minimum": -90, "maximum": 90, "description": "WGS84 latitude"}
AT = {
    "type": "string",
    "format": "date-time",
    "description": "ISO 8601 time (default: now; a time without a zone is UTC)",
}
AS_OF = {
    "type": "string",
    "format": "date-time",
    "description": "replay: the layers as they were at this RFC 3339 instant (with its zone, "
    "up to now), from the history the audit triggers keep (default: as they are now)",
}
AREA_GEOMETRY = {
    "type": "object",
    "required": ["type"],
    "properties": {"type": {"type": "string", "enum": ["Polygon", "MultiPolygon", "Feature"]}},
    "description": "GeoJSON Polygon or MultiPolygon (WGS84; a Feature is accepted too), at most "
    f"{MAX_VERTICES:,} vertices; invalid ones are repaired with make_valid and the answer says so",
}
BBOX = {
    "type": "array",
    "items": {"type": "number", "minimum": -180, "maximum": 180},
    "minItems": 4,
    "maxItems": 4,
    "description": "minlon, minlat, maxlon, maxlat (WGS84 degrees, min < max)",
}
FEATURE_COLLECTION: dict[str, Any] = {
    "type": "object",
    "required": ["type", "features"],
    "properties": {
        "type": {"type": "string", "enum": ["FeatureCollection"]},
        "features": {"type": "array", "items": {"type": "object"}},
        "numberReturned": {"type": "integer"},
    },
}
ERROR: dict[str, Any] = {
    "type": "object",
    "required": ["code", "description"],
    "properties": {
        "code": {"type": "string"},
        "type": {"type": "string"},
        "description": {
            "type": "string",
            "description": "names the input, what was wrong and what is accepted",
        },
    },
}

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
    "(unexpired stock).",
    keywords=("nearest", "shelter", "stockpile", "camera", "geodesic"),
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
    answer="gisserver.analyses.nearest:answer",
    answer_text="gisserver.analyses.nearest:answer_text",
    http_path="/api/nearest",
    http_method="GET",
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
    inputs=(Input("lon", LON, required=True), Input("lat", LAT, required=True), Input("at", AT)),
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
    "zone, or an incident (with buffer_m around a point incident). Raster sources: the sum of "
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
    exactly_one_of=("geometry", "hazard_zone_id", "incident_id"),
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

ANALYSES: tuple[Analysis, ...] = (
    NEAREST,
    RISK_AREAS,
    ZONES_AT_POINT,
    AFFECTED_POPULATION,
    SITUATION,
)


def get(analysis_id: str) -> Analysis:
    """The analysis with this id; KeyError names the known ones."""
    for analysis in ANALYSES:
        if analysis.id == analysis_id:
            return analysis
    raise KeyError(f"no analysis {analysis_id!r}; known: {', '.join(a.id for a in ANALYSES)}")
