"""The population source registry (``population_sources``): source names, the source row (same
id on reload), the fingerprint that makes a reload of the same file change nothing, the srid of
a source's CRS (one without an EPSG code registered in ``spatial_ref_sys``), and the report of a
load."""

from __future__ import annotations

import hashlib
import json
import logging
import re
import warnings
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import psycopg
from pyproj import CRS

from gisserver.db import load_sql
from gisserver.errors import InvalidParameter

log = logging.getLogger(__name__)

CUSTOM_SRID_MIN = 900_000


@dataclass
class Reject:
    """A row that was not loaded, with the reason."""

    row: int
    field: str
    reason: str


@dataclass
class PopulationLoadReport:
    """What a population load did. For rasters a "row" is one stored tile."""

    rows_read: int
    rows_loaded: int
    rows_rejected: int
    total_population: float
    source_id: int
    kind: str = "census"
    rows_unchanged: int = 0  # the file was loaded before, as it is: nothing was written
    srid: int | None = None
    seconds: float = 0.0
    rejects: list[Reject] = field(default_factory=list)


def check_name(name: str) -> None:
    if not isinstance(name, str) or not re.fullmatch(r"[a-z0-9][a-z0-9_.-]*", name):
        raise InvalidParameter(
            "source",
            f"{name!r} is not a valid population source name",
            "lower-case letters, digits, '_', '.', '-', starting with a letter or digit",
        )


def fingerprint(path: Path, options: dict[str, Any]) -> str:
    """SHA-256 of the file's bytes and the options it is loaded with: a reload of the same file
    with the same options changes nothing."""
    digest = hashlib.sha256(json.dumps(options, sort_keys=True, default=str).encode())
    with path.open("rb") as fh:
        digest.update(hashlib.file_digest(fh, "sha256").digest())
    return digest.hexdigest()


def unchanged_report(
    cur: psycopg.Cursor[Any],
    *,
    name: str,
    kind: str,
    properties: dict[str, Any],
    **metadata: Any,
) -> PopulationLoadReport | None:
    """The report of a reload that changes nothing: the source holds this very file, loaded with
    the same options (the fingerprint in ``properties``) and the same metadata (title,
    licence, attribution, reference_year; None keeps the stored value); else None."""
    row = cur.execute(
        load_sql("population/source_unchanged.sql"), {"name": name, "kind": kind}
    ).fetchone()
    if row is None:
        return None
    source_id, stored_properties, stored_metadata, total, srid, rows = row
    stored = stored_properties.get(kind) or {}
    if stored.get("fingerprint") != properties[kind]["fingerprint"] or any(
        value is not None and stored_metadata.get(key) != value for key, value in metadata.items()
    ):
        return None
    return PopulationLoadReport(
        rows_read=rows,
        rows_loaded=0,
        rows_rejected=0,
        total_population=total or 0.0,
        source_id=source_id,
        kind=kind,
        srid=srid,
        rows_unchanged=rows,
    )


def upsert_source(
    cur: psycopg.Cursor[Any],
    *,
    name: str,
    kind: str,
    srid: int | None,
    title: str | None,
    licence: str | None,
    attribution: str | None,
    reference_year: int | None,
    properties: dict[str, Any],
) -> int:
    """Create or reset the source row (same id on reload) and drop its previous content."""
    cur.execute(
        load_sql("population/source_upsert.sql"),
        {
            "name": name,
            "kind": kind,
            "srid": srid,
            "title": title,
            "licence": licence,
            "attribution": attribution,
            "reference_year": reference_year,
            "properties": json.dumps(properties),
        },
    )
    row = cur.fetchone()
    assert row is not None
    source_id = int(row[0])
    cur.execute("DELETE FROM population_units WHERE population_source_id = %s", (source_id,))
    cur.execute("DELETE FROM population_raster_tiles WHERE population_source_id = %s", (source_id,))
    return source_id


def srid_for_crs(cur: psycopg.Cursor[Any], crs: CRS) -> int:
    """The spatial_ref_sys srid for a CRS; a CRS without an EPSG code gets a custom srid."""
    # Only an exact match: a near-match (say, another datum) must not borrow an EPSG code.
    code = crs.to_epsg(min_confidence=100)
    if code is not None:
        cur.execute("SELECT 1 FROM spatial_ref_sys WHERE srid = %s", (code,))
        if cur.fetchone():
            return int(code)
    with warnings.catch_warnings():
        # PostGIS reads srtext first; proj4text is a fallback, so a lossy PROJ string is fine.
        warnings.simplefilter("ignore", UserWarning)
        proj4 = crs.to_proj4()
    wkt = crs.to_wkt("WKT1_GDAL") or crs.to_wkt()
    cur.execute(
        "SELECT srid FROM spatial_ref_sys WHERE srid >= %s AND srtext = %s ORDER BY srid LIMIT 1",
        (CUSTOM_SRID_MIN, wkt),
    )
    found = cur.fetchone()
    if found:
        return int(found[0])
    cur.execute(
        "SELECT greatest(coalesce(max(srid) + 1, %s), %s) FROM spatial_ref_sys WHERE srid >= %s",
        (CUSTOM_SRID_MIN, CUSTOM_SRID_MIN, CUSTOM_SRID_MIN),
    )
    new = cur.fetchone()
    assert new is not None
    srid = int(new[0])
    try:
        with cur.connection.transaction():
            cur.execute(
                "INSERT INTO spatial_ref_sys (srid, auth_name, auth_srid, srtext, proj4text) "
                "VALUES (%s, 'gisserver', %s, %s, %s)",
                (srid, srid, wkt, proj4),
            )
    except psycopg.errors.InsufficientPrivilege as exc:
        raise InvalidParameter(
            "file",
            f"its CRS has no EPSG code and the database role may not add one to spatial_ref_sys "
            f"({crs.name})",
            "a raster in an EPSG CRS, or a role allowed to insert into spatial_ref_sys",
        ) from exc
    log.info("registered custom CRS %r as srid %d", crs.name, srid)
    return srid
