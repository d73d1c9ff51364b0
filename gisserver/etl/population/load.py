"""Population files through the ETL front door: picks the raster or the census loader and
records the load in ``etl_runs`` like any other."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import psycopg

from gisserver.errors import InvalidParameter
from gisserver.etl.runs import LoadReport, SourceInfo, recorded_run
from gisserver.settings import Settings


def is_raster(path: Path) -> bool:
    """True when rasterio opens ``path`` as a raster with at least one band."""
    # imported here: `gisserver etl load` of a vector layer should not pay for GDAL's raster side
    import rasterio
    from rasterio.errors import RasterioIOError

    try:
        with rasterio.open(path) as src:
            return src.count > 0
    except (RasterioIOError, ValueError):
        return False


def load_population(
    conn: psycopg.Connection[Any],
    path: Path,
    *,
    source: str,
    count_field: str | None = None,
    unit_id_field: str | None = None,
    crs: str | None = None,
    title: str | None = None,
    licence: str | None = None,
    attribution: str | None = None,
    reference_year: int | None = None,
    settings: Settings,
    job: str = "etl load",
) -> LoadReport:
    """Load a population raster (people per cell) or census polygons with ``count_field``."""
    path = Path(path)
    if not path.is_file():
        raise InvalidParameter(str(path), "file not found")
    raster = is_raster(path)
    census_only = {"--count-field": count_field, "--unit-id-field": unit_id_field, "--crs": crs}
    given = [name for name, value in census_only.items() if value]
    if raster and given:
        raise InvalidParameter(
            ", ".join(given),
            f"{path} is a raster (people per cell, with its own CRS); these options are for "
            "census polygons",
            "--source and, in a manifest, title/licence/attribution/reference_year",
        )
    if not raster and not count_field:
        raise InvalidParameter(
            "--count-field",
            f"{path} is not a raster, so it is read as census polygons, which need the field "
            "holding the head count",
            "e.g. --count-field POP_LAB",
        )
    run = recorded_run(conn, SourceInfo("population", source, path), job=job, settings=settings)
    with run as (report, rejects):
        # imported here, like rasterio in is_raster
        if raster:
            from gisserver.etl.population.raster import load_population_raster

            result = load_population_raster(
                conn,
                path,
                name=source,
                title=title,
                licence=licence,
                attribution=attribution,
                reference_year=reference_year,
            )
        else:
            from gisserver.etl.population.census import load_population_census

            assert count_field is not None
            result = load_population_census(
                conn,
                path,
                name=source,
                count_field=count_field,
                unit_id_field=unit_id_field,
                crs=crs,
                title=title,
                licence=licence,
                attribution=attribution,
                reference_year=reference_year,
            )
        # a population source is replaced as a whole (its rows count as inserted), unless the
        # same file was loaded before with the same options: then nothing is written
        report.read = result.rows_read
        report.inserted = result.rows_loaded
        report.unchanged = result.rows_unchanged
        report.extra = {
            "kind": result.kind,
            "total population": f"{result.total_population:,.0f}",
        }
        for reject in result.rejects:  # recorded_run sets report.rejected from these
            rejects.add(reject.row, None, reject.field, reject.reason, None)
    return report
