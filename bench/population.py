"""Scenario "population": people inside a ~10 km² polygon over the generated population raster.

The raster is loaded with ``gisserver.etl.population.raster.load_population_raster``
(in-database tiles); then ``gisserver.analyses.population.affected_population`` (the function behind
POST /api/affected-population) is timed in-process beside ``rasterio.mask`` on the same GeoTIFF
(opened once and kept open: the strongest form of the alternative), over the same polygons, and
the two sums are checked to agree.
"""

from __future__ import annotations

import time
from typing import Any

import numpy as np
import rasterio
import rasterio.mask
from pyproj import Transformer
from shapely.geometry import mapping, shape
from shapely.ops import transform

from bench.data import CLUSTER_CENTRES, circle_polygon
from bench.environment import BenchRun
from bench.measure import Timing, round_robin, time_calls
from bench.results import Comparison, Figure, Target, not_available

SCENARIO = "population"
SOURCE = "bench-population"
AREA_M2 = 10_000_000.0
CALLS = {"full": 40, "quick": 60}
ROUNDS = 2


def rasterio_sum(src: rasterio.DatasetReader, geometry: dict[str, Any]) -> float:
    """Cells whose centre lies inside (all_touched=False), nodata excluded: the reference sum."""
    to_raster = Transformer.from_crs("EPSG:4326", src.crs, always_xy=True)
    projected = transform(to_raster.transform, shape(geometry))
    data, _ = rasterio.mask.mask(
        src, [mapping(projected)], crop=True, all_touched=False, filled=False
    )
    return float(np.ma.sum(data.astype(np.float64)))


def scenario(run: BenchRun) -> list[Comparison]:
    name = "affected population, ~10 km² polygon, p50 (in-process)"
    alternative = "rasterio.mask on the GeoTIFF"
    try:
        from gisserver.analyses.population import AffectedPopulationQuery, affected_population
        from gisserver.db import Database
        from gisserver.etl.population.raster import load_population_raster
    except ImportError as exc:
        return [not_available(SCENARIO, name, alternative, f"not implemented yet ({exc})")]

    started = time.perf_counter()
    with run.connect() as conn:
        load_population_raster(conn, run.dataset.raster, name=SOURCE)
        conn.commit()
    load_seconds = time.perf_counter() - started
    with run.connect(autocommit=True) as conn:
        conn.execute("VACUUM ANALYZE population_raster_tiles")

    polygons = [circle_polygon(float(x), float(y), AREA_M2) for x, y in CLUSTER_CENTRES[:6]]
    queries = [
        AffectedPopulationQuery.from_params({"geometry": p, "source": SOURCE}) for p in polygons
    ]
    calls = CALLS[run.size.name] // ROUNDS
    db = Database(run.database_url, min_size=1, max_size=1)
    try:
        with rasterio.open(run.dataset.raster) as src:
            answers = [affected_population(db, q)["population"] for q in queries]
            expected = [rasterio_sum(src, p) for p in polygons]
            # Taking turns, so that a change in the shared machine's load hits both alike.
            found = round_robin(
                {
                    "ours": lambda _s, first: time_calls(
                        lambda q: affected_population(db, q), queries, calls=calls
                    ),
                    "rasterio": lambda _s, first: time_calls(
                        lambda p: rasterio_sum(src, p), polygons, calls=calls
                    ),
                },
                seconds=ROUNDS,
                rounds=ROUNDS,
            )
    finally:
        db.close()
    ours_runs, theirs_runs = found["ours"], found["rasterio"]
    if isinstance(ours_runs, RuntimeError):
        raise ours_runs
    if isinstance(theirs_runs, RuntimeError):
        raise theirs_runs
    ours, theirs = Timing.merge(ours_runs), Timing.merge(theirs_runs)
    worst = max(abs(a - e) / max(abs(e), 1.0) for a, e in zip(answers, expected, strict=True))
    note = "" if worst < 1e-6 else f"answers differ from rasterio.mask by up to {worst:.2e} (rel.)"
    return [
        Comparison(
            SCENARIO,
            name,
            alternative,
            ours=Figure(ours.p50_ms, "ms", ours.summary()),
            theirs=Figure(theirs.p50_ms, "ms", theirs.summary()),
            target=Target("at_most", 1.2, text="≤ 1.2× rasterio.mask"),
            note=note,
            extra={
                "populations": answers,
                "rasterio_populations": expected,
                "max_relative_difference": worst,
            },
        ),
        Comparison(
            SCENARIO,
            f"load the {run.size.raster:,}² raster into PostGIS tiles (load_population_raster)",
            "",
            ours=Figure(load_seconds, "s"),
            note="informational: no alternative measured",
        ),
    ]
