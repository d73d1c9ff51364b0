"""OGC API Processes (pygeoapi process plugins) for the analyses.

PROCESSES maps each process id to the dotted path of its pygeoapi processor class; the pygeoapi
configuration generated in gisserver.ogc publishes every entry. Each processor parses its inputs
with the same query class as the JSON endpoint and calls the same function.

Errors: pygeoapi 0.21 runs a synchronous process inside ``except Exception`` and answers any
failure 400 InvalidParameterValue with "Error executing process: <message>"; we raise its
ProcessorExecuteError carrying our message (which names the input and what is accepted), so a
user's mistake is a 400, never a 500. The flip side, a pygeoapi limitation: a database outage
inside a process is a 400 there too (the /api endpoints answer it 503).
"""

from __future__ import annotations

from typing import Any, ClassVar

from pygeoapi.process.base import BaseProcessor, ProcessorExecuteError

from gisserver.analyses import schemas
from gisserver.errors import GisServerError

PROCESSES: dict[str, str] = {
    "nearest-resources": "gisserver.ogc.processes.NearestResourcesProcessor",
    "affected-population": "gisserver.ogc.processes.AffectedPopulationProcessor",
    "risk-areas": "gisserver.ogc.processes.RiskAreasProcessor",
}


def _inputs(schema: dict[str, dict[str, Any]], required: tuple[str, ...]) -> dict[str, Any]:
    """OGC process inputs from the shared JSON schemas."""
    inputs = {}
    for name, spec in schema.items():
        inputs[name] = {
            "title": name.replace("_", " ").capitalize(),
            "description": spec.get("description", ""),
            "schema": {k: v for k, v in spec.items() if k != "description"},
            "minOccurs": 1 if name in required else 0,
            "maxOccurs": 1,
        }
    return inputs


def _metadata(
    process_id: str,
    title: str,
    description: str,
    inputs: dict[str, Any],
    output: dict[str, Any],
    example: dict[str, Any],
    keywords: list[str],
) -> dict[str, Any]:
    return {
        "version": "1.0.0",
        "id": process_id,
        "title": {"en": title},
        "description": {"en": description},
        "jobControlOptions": ["sync-execute"],
        "outputTransmission": ["value"],
        "keywords": keywords,
        "links": [],
        "inputs": inputs,
        "outputs": {
            "result": {
                "title": title,
                "description": "the answer, as the /api endpoint gives it",
                "schema": {**output, "contentMediaType": "application/json"},
            }
        },
        "example": {"inputs": example},
    }


NEAREST_METADATA = _metadata(
    "nearest-resources",
    "Nearest resources",
    "The k shelters, stockpiles or cameras nearest to a point, ordered by geodesic distance "
    "(WGS84), each with distance_m and bearing_deg. Filters: shelters status, "
    "min_free_capacity, exclude_hazard (not inside a hazard zone in force); stockpiles item and "
    "min_quantity (unexpired stock); cameras status.",
    _inputs(schemas.NEAREST_INPUTS, ("layer", "lon", "lat")),
    schemas.FEATURE_COLLECTION,
    {
        "layer": "shelters",
        "lon": -71.1097,
        "lat": 42.3736,
        "k": 3,
        "status": "open",
        "min_free_capacity": 50,
        "exclude_hazard": True,
    },
    ["nearest", "shelter", "stockpile", "camera", "geodesic"],
)

RISK_AREAS_METADATA = _metadata(
    "risk-areas",
    "Risk areas",
    "The hazard zones in force (at 'at', default now) that intersect an area of interest "
    "(geometry, bbox, or point with radius_m), each with its geodesic intersection area and the "
    "shelters, stockpiles, cameras and open incidents inside it, with counts and shelter "
    "capacity at risk.",
    _inputs(schemas.RISK_AREAS_INPUTS, ()),
    schemas.FEATURE_COLLECTION,
    {"point": [-71.1097, 42.3736], "radius_m": 1000, "min_severity": "moderate"},
    ["risk", "hazard", "flood", "exposure"],
)

AFFECTED_POPULATION_METADATA = _metadata(
    "affected-population",
    "Affected population",
    "How many people live in an area: a GeoJSON polygon, a hazard zone, or an incident plus a "
    "buffer. Raster sources: the sum of the cells whose centre lies inside; census sources: "
    "areal-weighted interpolation with geodesic areas. The answer names the method and source.",
    _inputs(schemas.AFFECTED_POPULATION_INPUTS, ()),
    schemas.AFFECTED_POPULATION_OUTPUT,
    {"hazard_zone_id": 1},
    ["population", "exposure", "census", "worldpop"],
)


class _AnalysisProcessor(BaseProcessor):
    """Runs one analysis in the Flask app that pygeoapi is mounted in."""

    METADATA: ClassVar[dict[str, Any]]

    def __init__(self, processor_def: dict[str, Any]) -> None:
        super().__init__(processor_def, self.METADATA)

    def run(self, data: dict[str, Any]) -> dict[str, Any]:
        raise NotImplementedError

    def execute(self, data: dict[str, Any], outputs: dict[str, Any] | None = None) -> Any:
        try:
            return "application/json", self.run(data if data is not None else {})
        except GisServerError as exc:
            error = ProcessorExecuteError(user_msg=exc.message)
            error.http_status_code = exc.status
            error.ogc_exception_code = exc.code
            raise error from exc

    def __repr__(self) -> str:
        return f"<{self.__class__.__name__}> {self.name}"


class NearestResourcesProcessor(_AnalysisProcessor):
    METADATA = NEAREST_METADATA

    def run(self, data: dict[str, Any]) -> dict[str, Any]:
        from gisserver.analyses.nearest import NearestQuery, nearest_resources
        from gisserver.context import state

        st = state()
        query = NearestQuery.from_params(data, layers=st.layers)
        return nearest_resources(st.database(), query, layers=st.layers)


class RiskAreasProcessor(_AnalysisProcessor):
    METADATA = RISK_AREAS_METADATA

    def run(self, data: dict[str, Any]) -> dict[str, Any]:
        from gisserver.analyses.risk import RiskAreasQuery, risk_areas
        from gisserver.context import state

        st = state()
        query = RiskAreasQuery.from_params(data, layers=st.layers)
        return risk_areas(st.database(), query, layers=st.layers)


class AffectedPopulationProcessor(_AnalysisProcessor):
    METADATA = AFFECTED_POPULATION_METADATA

    def run(self, data: dict[str, Any]) -> dict[str, Any]:
        from gisserver.analyses.population import AffectedPopulationQuery, affected_population
        from gisserver.context import state

        query = AffectedPopulationQuery.from_json(data)
        return affected_population(state().database(), query)
