"""Scenario "features": a 100-feature bbox page and a CQL2-filtered page of shelters over HTTP.

Ours (``/ogc/collections/shelters/items``, our pygeoapi provider) beside tipg and pygeoapi's stock
PostgreSQL provider, both reading the same table through the ``bench_alt`` views (the layer's
public columns). Throughput with wrk, 8 connections, the same worker count everywhere, the
three servers taking turns (two rounds each); each server's first answer is checked (status 200,
100 features) before it is timed.
"""

from __future__ import annotations

import json
from collections.abc import Callable
from dataclasses import dataclass
from functools import partial
from urllib.parse import quote, urlencode

from bench.data import sample_bboxes
from bench.environment import BenchRun
from bench.measure import LoadFailed, LoadResult, check_status, round_robin, run_wrk
from bench.results import Comparison, Figure, Target
from bench.servers import ALT_SCHEMA

SCENARIO = "features"
LIMIT = 100
CQL2 = "status = 'open' AND capacity >= 500"
# The bboxes are small city blocks where the points are dense: each holds more than LIMIT.
BBOX_COUNT = 64


@dataclass(frozen=True)
class Side:
    """One server's way of asking the same question."""

    server: str
    label: str
    items_path: str
    extra: dict[str, str]  # always-added query parameters
    filter_lang: str

    def paths(self, bboxes: list[tuple[float, ...]], cql: str | None) -> list[str]:
        out = []
        for bbox in bboxes:
            params = {"bbox": ",".join(f"{v:.5f}" for v in bbox), "limit": str(LIMIT)}
            if cql is not None:
                params |= {"filter": cql, "filter-lang": self.filter_lang}
            out.append(f"{self.items_path}?{urlencode(params | self.extra, quote_via=quote)}")
        return out


OURS = Side("gisserver", "gisserver", "/ogc/collections/shelters/items", {"f": "json"}, "cql2-text")
TIPG = Side(
    "tipg", "tipg 1.6.1", f"/collections/{ALT_SCHEMA}.shelters/items", {"f": "geojson"}, "cql2-text"
)
# pygeoapi 0.21's stock provider takes the filter as cql-text (the expression is the same here).
STOCK = Side(
    "pygeoapi-stock",
    "pygeoapi 0.21 stock PostgreSQL provider",
    "/collections/shelters/items",
    {"f": "json"},
    "cql-text",
)


def check_answer(base_url: str, path: str) -> None:
    """The page must be a 200 FeatureCollection of LIMIT features: else timing it means nothing."""
    count = len(json.loads(check_status(base_url, path)).get("features", []))
    if count != LIMIT:
        raise LoadFailed(f"GET {path} returned {count} features, not {LIMIT}")


def measure(run: BenchRun, side: Side, cql: str | None, seconds: int, first: bool) -> LoadResult:
    server = run.server(side.server)
    paths = side.paths(sample_bboxes(BBOX_COUNT, seed=run.size.seed), cql)
    if first:
        check_answer(server.base_url, paths[0])
    return run_wrk(server.base_url, paths, duration_s=seconds, warmup_s=2 if first else 0)


def _figure(results: list[LoadResult] | RuntimeError) -> Figure | RuntimeError:
    if isinstance(results, RuntimeError):
        return results
    merged = LoadResult.merge(results)
    return Figure(merged.requests_per_s, "req/s", merged.summary())


def scenario(run: BenchRun) -> list[Comparison]:
    rows: list[Comparison] = []
    queries = {
        f"{LIMIT}-feature bbox page, throughput": None,
        f"{LIMIT}-feature bbox + CQL2 filter page, throughput": CQL2,
    }
    targets = {
        TIPG.label: Target("at_least", 1.5, text="≥ 1.5× tipg"),
        STOCK.label: Target("at_least", 3.0, text="≥ 3× stock provider"),
    }
    for name, cql in queries.items():
        contenders: dict[str, Callable[[int, bool], LoadResult]] = {
            side.label: partial(measure, run, side, cql) for side in (OURS, TIPG, STOCK)
        }
        # The alternatives are measured even when ours is missing: their figures stand alone.
        found = round_robin(contenders, seconds=run.duration_s)
        ours = _figure(found[OURS.label])
        missing = f"not available: {ours}" if isinstance(ours, RuntimeError) else ""
        for alt in (TIPG, STOCK):
            row = Comparison(SCENARIO, name, alt.label, target=targets[alt.label], note=missing)
            if isinstance(ours, Figure):
                row.ours = ours
            theirs = _figure(found[alt.label])
            if isinstance(theirs, Figure):
                row.theirs = theirs
            else:
                row.note = (
                    missing + "; " if missing else ""
                ) + f"{alt.label} not measured: {theirs}"
            rows.append(row)
    return rows
