"""Scenario "tiles": MVT tiles at z14, z10 and z5 of the points and of the polygons.

Our server runs with its low-zoom tile cache off for the main rows (every request renders, as
the raw SQL and tipg do); z10 and z5 are measured again with the cache on (its default).

Latency: ``/ogc/collections/{id}/tiles/WebMercatorQuad/{z}/{y}/{x}`` with wrk on one connection
beside the very statement the server runs, run the way it runs it (``Tileset.fetch`` of
gisserver.tiles.mvt, from gisserver/sql/tiles/*.sql: unprepared, binary) through psycopg on one
connection, same tiles. Throughput: the same
tiles with 8 connections, ours beside tipg's ``/collections/{id}/tiles/WebMercatorQuad/{z}/{x}/{y}``
(note tipg's x/y order) over the ``bench_alt`` views. The two sides of each comparison take
turns (two rounds each). The average response size is shown, since
each server applies its own per-tile feature limit (ours: gisserver.tiles.grid.feature_limit;
tipg: 10,000 by default).
"""

from __future__ import annotations

import math
from collections.abc import Callable
from typing import Any

from bench.data import CAMBRIDGE, CLUSTER_CENTRES, REGION
from bench.environment import BenchRun
from bench.measure import (
    LoadFailed,
    LoadResult,
    Timing,
    check_status,
    round_robin,
    run_wrk,
    time_calls,
)
from bench.results import Comparison, Figure, Target, not_available
from bench.servers import ALT_SCHEMA, ServerFailed

SCENARIO = "tiles"
ZOOMS = (14, 10, 5)
LAYERS = ("shelters", "hazard_zones")
# Our server caches tiles up to this zoom by default (Settings.tiles_cache_max_zoom); the
# main rows are measured with the cache off, and these zooms again with it on.
CACHED_MAX_ZOOM = 10


def tile_of(lon: float, lat: float, z: int) -> tuple[int, int]:
    """The WebMercatorQuad (x, y) of the tile holding lon/lat at zoom z (row 0 at the north)."""
    n = 2**z
    x = int((lon + 180.0) / 360.0 * n)
    y = int((1.0 - math.asinh(math.tan(math.radians(lat))) / math.pi) / 2.0 * n)
    return min(max(x, 0), n - 1), min(max(y, 0), n - 1)


def tiles_for_zoom(z: int) -> list[tuple[int, int, int]]:
    """The tiles a map of the city asks for: where the data is dense (z14), the region (z10, z5)."""
    if z >= 12:
        points = [(float(x), float(y)) for x, y in CLUSTER_CENTRES]
    else:
        west, south, east, north = REGION
        points = [(west, south), (west, north), (east, south), (east, north), CAMBRIDGE]
    return sorted({(z, *tile_of(lon, lat, z)) for lon, lat in points})


def _ours_path(layer: str, z: int, x: int, y: int) -> str:
    return f"/ogc/collections/{layer}/tiles/WebMercatorQuad/{z}/{y}/{x}"


def _tipg_path(layer: str, z: int, x: int, y: int) -> str:
    return f"/collections/{ALT_SCHEMA}.{layer}/tiles/WebMercatorQuad/{z}/{x}/{y}"


def scenario(run: BenchRun) -> list[Comparison]:
    rows: list[Comparison] = []
    try:
        from gisserver.layers import load_layers
        from gisserver.settings import Settings
        from gisserver.tiles.mvt import Tileset
    except ImportError as exc:
        why = f"no tiles module yet ({exc})"
        return [not_available(SCENARIO, "tile latency and throughput", "tipg", why)]
    layers = load_layers(Settings().layers_dir)
    for layer in LAYERS:
        tileset = Tileset([layers[layer]])
        for z in ZOOMS:
            rows.extend(_zoom(run, tileset, layer, z))
    return rows


def _zoom(run: BenchRun, tileset: Any, layer: str, z: int) -> list[Comparison]:
    """Latency beside the raw SQL and throughput beside tipg for one layer at one zoom."""
    tiles = tiles_for_zoom(z)
    ours_paths = [_ours_path(layer, *t) for t in tiles]
    tipg_paths = [_tipg_path(layer, *t) for t in tiles]
    label = f"{layer} z{z} ({len(tiles)} tiles)"
    latency = Comparison(
        SCENARIO,
        f"{label}, p50 latency (1 connection)",
        "raw ST_AsMVT SQL through psycopg",
        target=Target("at_most", 1.3, text="≤ 1.3× raw SQL"),
    )
    throughput = Comparison(
        SCENARIO,
        f"{label}, throughput",
        "tipg 1.6.1",
        target=Target("at_least", 1.0, text="≥ tipg"),
    )
    try:
        server = run.server("gisserver")
        check_status(server.base_url, ours_paths[0], (200, 204))
    except (ServerFailed, LoadFailed) as exc:
        latency.note = throughput.note = f"not available: {exc}"
        return [latency, throughput]

    def ours(connections: int) -> Callable[[int, bool], LoadResult]:
        def measure(seconds: int, first: bool) -> LoadResult:
            return run_wrk(
                server.base_url,
                ours_paths,
                duration_s=seconds,
                connections=connections,
                threads=min(2, connections),
                warmup_s=2 if first else 0,
            )

        return measure

    def tipg(seconds: int, first: bool) -> LoadResult:
        alt = run.server("tipg")
        if first:
            check_status(alt.base_url, tipg_paths[0], (200, 204))
        return run_wrk(alt.base_url, tipg_paths, duration_s=seconds, warmup_s=2 if first else 0)

    with run.connect(autocommit=True) as conn:

        def raw_sql(seconds: int, first: bool) -> Timing:
            def render(tile: tuple[int, int, int]) -> None:
                # As the server runs it: Tileset.fetch (unprepared, binary results).
                if hasattr(tileset, "fetch"):
                    tileset.fetch(conn, *tile)
                else:
                    params = tileset.parameters(*tile)
                    conn.execute(tileset.statement, params, prepare=False, binary=True).fetchone()

            return time_calls(
                render, tiles, calls=100_000, warmup=len(tiles) if first else 0, max_seconds=seconds
            )

        timed = round_robin({"http": ours(1), "sql": raw_sql}, seconds=run.duration_s)
    http, sql_runs = timed["http"], timed["sql"]
    if isinstance(http, RuntimeError):
        latency.note = f"not available: {http}"
    else:
        merged = LoadResult.merge([r for r in http if isinstance(r, LoadResult)])
        latency.ours = Figure(merged.p50_ms, "ms", merged.summary())
    if isinstance(sql_runs, RuntimeError):
        raise sql_runs
    raw = Timing.merge([r for r in sql_runs if isinstance(r, Timing)])
    latency.theirs = Figure(raw.p50_ms, "ms", raw.summary())

    loaded = round_robin({"ours": ours(8), "tipg": tipg}, seconds=run.duration_s)
    for side, results in loaded.items():
        if isinstance(results, RuntimeError):
            throughput.note = f"{side} not measured: {results}"
            continue
        merged = LoadResult.merge([r for r in results if isinstance(r, LoadResult)])
        figure = Figure(merged.requests_per_s, "req/s", merged.summary())
        if side == "ours":
            throughput.ours = figure
        else:
            throughput.theirs = figure
    rows = [latency, throughput]
    if z <= CACHED_MAX_ZOOM:
        rows.append(_with_tile_cache(run, throughput, ours_paths))
    return rows


def _with_tile_cache(run: BenchRun, uncached: Comparison, paths: list[str]) -> Comparison:
    """The same tiles from a server with its default low-zoom tile cache (a repeated tile is a
    cache hit after its first request, as on a wall map that many clients watch)."""
    row = Comparison(
        SCENARIO,
        uncached.name.replace(", throughput", ", throughput, our tile cache on (default)"),
        uncached.alternative,
        theirs=uncached.theirs,
        note="informational (no target): repeated tiles are cache hits",
    )
    try:
        server = run.server("gisserver-tile-cache")
        result = run_wrk(server.base_url, paths, duration_s=run.duration_s)
        row.ours = Figure(result.requests_per_s, "req/s", result.summary())
    except (ServerFailed, LoadFailed) as exc:
        row.note = f"not available: {exc}"
    return row
