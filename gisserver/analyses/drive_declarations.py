"""The drive-time analyses, declared like every other (``registry.py`` lists them): the fastest
route and isochrones; and the inputs that the other analyses answering by drive time share."""

from __future__ import annotations

from gisserver.analyses.declaration import Analysis, Input
from gisserver.analyses.schemas import AT, FEATURE_COLLECTION, LAT, LON

GEOJSON = "application/geo+json"

_POINT_TEXT = {
    "type": "array",
    "items": {"type": "number", "minimum": -180, "maximum": 180},
    "minItems": 2,
    "maxItems": 2,
}
AVOID_HAZARDS = Input(
    "avoid_hazards",
    {
        "type": "boolean",
        "default": True,
        "description": "close or slow the roads inside hazard zones in force (as the routing "
        "profile says); false: route as if there were none",
    },
)
HAZARDS_AT = Input(
    "at",
    {**AT, "description": "the instant the hazard zones are judged in force at (default now)"},
)
ROUTE = Analysis(
    id="route",
    title="Fastest route",
    description="The fastest route by road between two points, as a GeoJSON Feature: a "
    "LineString in driving order with travel_time_s, length_m (geodesic), the roads taken, and "
    "how far each point was from the road it was snapped to. Roads inside hazard zones in force "
    "are closed or slowed (avoid_hazards); when every route would cross a closed road the "
    "answer has no geometry, found false and the reason, rather than a route through the zone.",
    keywords=("route", "drive time", "pgRouting", "hazard"),
    inputs=(
        Input(
            "from",
            {**_POINT_TEXT, "description": "lon, lat where the trip starts (WGS84)"},
            required=True,
            cli_metavar="LON,LAT",
        ),
        Input(
            "to",
            {**_POINT_TEXT, "description": "lon, lat where the trip ends (WGS84)"},
            required=True,
            cli_metavar="LON,LAT",
        ),
        AVOID_HAZARDS,
        HAZARDS_AT,
    ),
    output={
        "type": "object",
        "required": ["type", "properties"],
        "properties": {
            "type": {"type": "string", "enum": ["Feature"]},
            "geometry": {"type": ["object", "null"]},
            "properties": {"type": "object"},
        },
    },
    media_type=GEOJSON,
    example={"from": [-71.1097, 42.3736], "to": [-71.1350, 42.3850]},
    answer="gisserver.analyses.drive:route_answer",
    http_path="/api/route",
    http_method="GET",
    uses_settings=True,
)

ISOCHRONE = Analysis(
    id="isochrone",
    title="Isochrones",
    description="The areas reachable by road from a point (direction=from) or from which the "
    "point is reached (direction=to) within each number of minutes, as polygons (the concave "
    "hull of the junctions reached and of the roads driven as far as the time allows), "
    "smallest first, with their geodesic area. Hazard zones in force close or slow roads "
    "(avoid_hazards).",
    keywords=("isochrone", "drive time", "reach", "pgRouting"),
    inputs=(
        Input("lon", LON, required=True),
        Input("lat", LAT, required=True),
        Input(
            "minutes",
            {
                "type": "array",
                "items": {"type": "number", "exclusiveMinimum": 0, "maximum": 120},
                "minItems": 1,
                "maxItems": 12,
                "description": "the drive times, in minutes (0 < m <= 120), e.g. 5, 10, 15",
            },
            required=True,
            cli_metavar="M[,M...]",
        ),
        Input(
            "direction",
            {
                "type": "string",
                "enum": ["from", "to"],
                "default": "from",
                "description": "from: where one gets from the point; to: from where one gets "
                "to it (e.g. units reaching an incident)",
            },
        ),
        AVOID_HAZARDS,
        HAZARDS_AT,
    ),
    output=FEATURE_COLLECTION,
    media_type=GEOJSON,
    example={"lon": -71.1097, "lat": 42.3736, "minutes": [5, 10]},
    answer="gisserver.analyses.drive:isochrone_answer",
    http_path="/api/isochrone",
    http_method="GET",
    uses_settings=True,
)

# The inputs of nearest-resources that answer it by drive time.
DRIVE_NEAREST_INPUTS = (
    Input(
        "by",
        {
            "type": "string",
            "enum": ["distance", "drive_time"],
            "default": "distance",
            "description": "nearest by geodesic distance, or by travel time on the road "
            "network (then each feature also carries travel_time_s, length_m by road, "
            "snap_m and the roads taken; hazard zones in force close or slow roads)",
        },
    ),
    Input(
        "route",
        {
            "type": "boolean",
            "default": False,
            "description": "by=drive_time only: each feature carries its route (a "
            "GeoJSON LineString) in properties.route",
        },
    ),
    Input(
        "avoid_hazards",
        {
            **AVOID_HAZARDS.schema,
            "description": "by=drive_time only: " + AVOID_HAZARDS.description,
        },
    ),
)

# affected-population's area as an isochrone
ISOCHRONE_AREA = Input(
    "isochrone",
    {
        "type": "object",
        "required": ["lon", "lat", "minutes"],
        "properties": {
            "lon": LON,
            "lat": LAT,
            "minutes": {"type": "number", "exclusiveMinimum": 0, "maximum": 120},
            "direction": {"type": "string", "enum": ["from", "to"], "default": "from"},
            "avoid_hazards": {"type": "boolean", "default": True},
        },
        "additionalProperties": False,
        "description": "the area reached by road within 'minutes' of lon, lat (direction "
        "from) or from which it is reached (to): the isochrone analysis's polygon",
    },
    cli_metavar="FILE",
)
