"""Loading road networks (``gisserver etl load roads``): the Cambridge centrelines and the Helsinki
OpenStreetMap extract, checked against independent computations: junctions clustered in Python
(geodesic distances, NetworkX components), lengths with pyproj.Geod, noding against a separate
pyosmium pass. The tests' sources are deleted afterwards and the junctions built again; rows of
other sources (other tests') are never touched.
"""

from __future__ import annotations

import csv
import json
import uuid
from collections import Counter, defaultdict
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import networkx as nx
import numpy as np
import osmium
import psycopg
import pytest
import shapely
import yaml
from click.testing import CliRunner
from pyproj import Geod

from gisserver.cli import main
from gisserver.errors import ConfigError, InvalidParameter
from gisserver.etl.roads import delete_road_sources, load_roads
from gisserver.etl.runs import LoadAborted
from gisserver.settings import PROJECT_ROOT, Settings

DATA = PROJECT_ROOT / "etl" / "data"
CAMBRIDGE = DATA / "cambridge" / "TRANS_Centerlines.geojson"
CAMBRIDGE_MAPPING = PROJECT_ROOT / "etl" / "mappings" / "cambridge_centerlines.yaml"
HELSINKI = DATA / "osm" / "helsinki_centre.osm.pbf"
PROFILE = PROJECT_ROOT / "gisserver" / "routing" / "profile.yaml"
GEOD = Geod(ellps="WGS84")
TOLERANCE_M = 1.0


@pytest.fixture()
def writer(settings: Settings, database_url: str) -> Iterator[psycopg.Connection[Any]]:
    """A connection as the ETL's role, which the CLI loads with."""
    with psycopg.connect(settings.write_database_url or database_url) as connection:
        yield connection


@pytest.fixture()
def road_sources(writer: psycopg.Connection[Any], settings: Settings) -> Iterator[Any]:
    made: list[str] = []

    def make(label: str) -> str:
        made.append(f"test-roads-{label}-{uuid.uuid4().hex[:8]}")
        return made[-1]

    yield make
    writer.rollback()
    delete_road_sources(writer, made, settings=settings)


def features(path: Path) -> list[dict[str, Any]]:
    return json.loads(path.read_text())["features"]


def network_state(conn: psycopg.Connection[Any]) -> tuple[Any, ...]:
    row = conn.execute(
        "SELECT (SELECT version FROM road_network), (SELECT count(*) FROM roads), "
        "(SELECT md5(string_agg(id || ':' || ST_AsText(geom), ',' ORDER BY id)) FROM road_nodes), "
        "(SELECT md5(string_agg(concat_ws(':', id, source, from_node, to_node), ',' ORDER BY id)) "
        "FROM roads)"
    ).fetchone()
    conn.commit()
    assert row is not None
    return tuple(row)


def cluster_geodesic(points: list[tuple[float, float]], tol_m: float) -> list[int]:
    """Cluster of each point: points within tol_m (geodesic) of each other, transitively."""
    arr = np.array(points)
    geoms = shapely.points(arr)
    i, j = shapely.STRtree(geoms).query(geoms, predicate="dwithin", distance=3 * tol_m / 1e5)
    keep = i < j
    i, j = i[keep], j[keep]
    dist = GEOD.inv(arr[i, 0], arr[i, 1], arr[j, 0], arr[j, 1])[2] if len(i) else np.array([])
    graph = nx.Graph()
    graph.add_nodes_from(range(len(points)))
    graph.add_edges_from(zip(i[dist <= tol_m], j[dist <= tol_m], strict=True))
    label = [0] * len(points)
    for k, members in enumerate(nx.connected_components(graph)):
        for m in members:
            label[m] = k
    return label


def whole_network(conn: psycopg.Connection[Any]) -> dict[str, Any]:
    """Junctions and pieces of everything in ``roads``, computed in Python from the geometry,
    checked against the stored from_node/to_node (the same partition of the ends)."""
    rows = conn.execute(
        "SELECT id, from_node, to_node, ST_AsBinary(geom) FROM roads ORDER BY id"
    ).fetchall()
    conn.commit()
    ends: list[tuple[float, float]] = []
    stored: list[int] = []
    for _, from_node, to_node, wkb in rows:
        coords = shapely.from_wkb(bytes(wkb)).coords
        ends += [coords[0], coords[-1]]
        stored += [from_node, to_node]
    label = cluster_geodesic(ends, TOLERANCE_M)
    pairs = set(zip(label, stored, strict=True))
    assert len(pairs) == len(set(label)) == len(set(stored)), "a different partition of the ends"
    graph = nx.MultiGraph()
    graph.add_edges_from((label[2 * k], label[2 * k + 1]) for k in range(len(rows)))
    sizes = sorted(
        (sum(1 for _ in graph.subgraph(c).edges) for c in nx.connected_components(graph)),
        reverse=True,
    )
    return {"nodes": len(set(label)), "pieces": len(sizes), "outside": sum(sizes[1:])}


def line_features(lines: list[Any], **extra: Any) -> dict[str, Any]:
    return {
        "type": "FeatureCollection",
        "features": [
            {
                "type": "Feature",
                "geometry": g,
                "properties": {"ID": f"s{k}", "Street": f"Street {k}", "Kind": "R", **extra},
            }
            for k, g in enumerate(lines)
        ],
    }


def grid(n: int, lon0: float = -30.0, lat0: float = 40.0) -> list[dict[str, Any]]:
    """n east-west streets of one block each, in the Atlantic (far from every real network)."""
    step = 0.001
    return [
        {
            "type": "LineString",
            "coordinates": [[lon0 + k * step, lat0], [lon0 + (k + 1) * step, lat0]],
        }
        for k in range(n)
    ]


GRID_MAPPING = {
    "source_id": "ID",
    "name": "Street",
    "class": {"from": "Kind", "values": {"R": "residential"}},
}


# ---------------------------------------------------------------------------------------------
# Cambridge street centrelines


def test_cambridge_segments_junctions_and_pieces_agree_with_python(
    writer: psycopg.Connection[Any], settings: Settings, road_sources: Any
):
    source = road_sources("cambridge")
    report = load_roads(
        writer, CAMBRIDGE, source=source, mapping=CAMBRIDGE_MAPPING, settings=settings
    )
    file = features(CAMBRIDGE)
    parts = sum(
        len(f["geometry"]["coordinates"]) if f["geometry"]["type"] == "MultiLineString" else 1
        for f in file
    )
    assert (report.status, report.read, report.rejected) == ("succeeded", 2643, 0)
    assert parts == 2644 and report.extra["segments"] == report.inserted == parts
    count = writer.execute("SELECT count(*) FROM roads WHERE source = %s", (source,)).fetchone()
    assert count == (parts,)
    expected = whole_network(writer)
    assert report.extra["nodes"] == expected["nodes"]
    assert report.extra["connected pieces"] == expected["pieces"]
    assert report.extra["segments outside the largest piece"] == expected["outside"]
    # the file on its own (other tests' networks may share the table)
    ends = []
    for f in file:
        g = shapely.geometry.shape(f["geometry"])
        for part in g.geoms if g.geom_type == "MultiLineString" else [g]:
            ends += [part.coords[0], part.coords[-1]]
    mine = writer.execute(
        "SELECT count(DISTINCT n) FROM roads, LATERAL (VALUES (from_node), (to_node)) v(n) "
        "WHERE source = %s",
        (source,),
    ).fetchone()
    assert mine == (len(set(cluster_geodesic(ends, TOLERANCE_M))),)
    # every junction is within the tolerance of every end that meets there
    far = writer.execute(
        "SELECT max(ST_Distance(n.geom::geography, ST_StartPoint(r.geom)::geography)) "
        "FROM roads r JOIN road_nodes n ON n.id = r.from_node WHERE r.source = %s",
        (source,),
    ).fetchone()
    assert far is not None and far[0] <= TOLERANCE_M


def test_cambridge_attributes_lengths_and_file_node_ids(
    writer: psycopg.Connection[Any], settings: Settings, road_sources: Any
):
    source = road_sources("cambridge-attrs")
    report = load_roads(
        writer, CAMBRIDGE, source=source, mapping=CAMBRIDGE_MAPPING, settings=settings
    )
    rows = writer.execute(
        "SELECT source_id, name, road_class, one_way, length_m, ST_AsBinary(geom) FROM roads "
        "WHERE source = %s",
        (source,),
    ).fetchall()
    stored = {r[0]: r for r in rows}
    by_direction: dict[Any, list[dict[str, Any]]] = defaultdict(list)
    for f in features(CAMBRIDGE):
        by_direction[f["properties"].get("Direction")].append(f["properties"])
    expected_one_way = {"0": 0, "1": 1, "-1": -1, None: 0}
    for direction, one_way in expected_one_way.items():
        for props in by_direction[direction][:5]:
            assert stored[props["ID"]][3] == one_way, (props["ID"], direction)
    named = {r[1]: r[2] for r in rows if r[1] in ("Massachusetts Ave", "Broadway")}
    assert named == {"Massachusetts Ave": "primary", "Broadway": "secondary"}
    props = next(
        f["properties"] for f in features(CAMBRIDGE) if f["properties"].get("MajorRoad") is None
    )
    assert stored[props["ID"]][2] == "residential"
    # the one MultiLineString: two segments, ids ID:0 and ID:1
    assert {"Chauncy_St_2:0", "Chauncy_St_2:1"} <= set(stored)
    # geodesic lengths
    worst = 0.0
    for *_, length_m, wkb in rows:
        lon, lat = np.array(shapely.from_wkb(bytes(wkb)).coords).T
        geod = GEOD.line_length(lon, lat)
        worst = max(worst, abs(length_m - geod) / geod)
    assert worst < 0.001
    # the file's node ids against the junctions: computed in Python from the file
    ends: list[tuple[tuple[float, float], str]] = []
    for f in features(CAMBRIDGE):
        g = shapely.geometry.shape(f["geometry"])
        first, last = (g.geoms[0], g.geoms[-1]) if g.geom_type == "MultiLineString" else (g, g)
        p = f["properties"]
        if p.get("FromNode") is not None:
            ends.append((first.coords[0], str(int(p["FromNode"]))))
        if p.get("ToNode") is not None:
            ends.append((last.coords[-1], str(int(p["ToNode"]))))
    label = cluster_geodesic([pt for pt, _ in ends], TOLERANCE_M)
    places_of: dict[str, set[int]] = defaultdict(set)
    ids_at: dict[int, set[str]] = defaultdict(set)
    for (_, node_id), place in zip(ends, label, strict=True):
        places_of[node_id].add(place)
        ids_at[place].add(node_id)
    split = {i for i, places in places_of.items() if len(places) > 1}
    merged = {p for p, ids in ids_at.items() if len(ids) > 1}
    disagreeing = merged | {p for p, ids in ids_at.items() if ids & split}
    assert report.extra["file node ids at several junctions"] == len(split) == 79
    assert report.extra["junctions with several file node ids"] == len(merged) == 75
    assert report.extra["junctions disagreeing with the file's node ids"] == len(disagreeing)


def test_reload_of_the_same_file_changes_nothing(
    writer: psycopg.Connection[Any], settings: Settings, road_sources: Any, database_url: str
):
    source = road_sources("cambridge-twice")
    load_roads(writer, CAMBRIDGE, source=source, mapping=CAMBRIDGE_MAPPING, settings=settings)
    before = network_state(writer)
    again = load_roads(
        writer, CAMBRIDGE, source=source, mapping=CAMBRIDGE_MAPPING, settings=settings
    )
    assert (again.inserted, again.unchanged, again.retired) == (0, 2644, 0)
    assert network_state(writer) == before


# ---------------------------------------------------------------------------------------------
# Sources side by side, bad input, aborted loads


def test_sources_coexist_and_a_reload_replaces_only_its_own(
    writer: psycopg.Connection[Any], settings: Settings, road_sources: Any, tmp_path: Path
):
    a, b = road_sources("grid-a"), road_sources("grid-b")
    file_a, file_b = tmp_path / "a.geojson", tmp_path / "b.geojson"
    file_a.write_text(json.dumps(line_features(grid(6))))
    file_b.write_text(json.dumps(line_features(grid(4, lat0=40.01))))
    load_roads(writer, file_a, source=a, mapping=GRID_MAPPING, settings=settings)
    report_b = load_roads(writer, file_b, source=b, mapping=GRID_MAPPING, settings=settings)
    a_rows = writer.execute(
        "SELECT id, source_id FROM roads WHERE source = %s ORDER BY id", (a,)
    ).fetchall()
    assert len(a_rows) == 6 and report_b.inserted == 4
    version = network_state(writer)[0]
    file_b.write_text(json.dumps(line_features(grid(2, lat0=40.01))))
    report = load_roads(writer, file_b, source=b, mapping=GRID_MAPPING, settings=settings)
    assert (report.inserted, report.unchanged, report.retired) == (0, 2, 2)
    assert (
        writer.execute(
            "SELECT id, source_id FROM roads WHERE source = %s ORDER BY id", (a,)
        ).fetchall()
        == a_rows
    )
    assert writer.execute("SELECT count(*) FROM roads WHERE source = %s", (b,)).fetchone() == (2,)
    assert network_state(writer)[0] == version + 1
    # grid a: 6 blocks in a row, 7 junctions, one piece of its own; b: 2 blocks, 3 junctions
    nodes = writer.execute(
        "SELECT source, count(DISTINCT n) FROM roads, LATERAL (VALUES (from_node), (to_node)) "
        "v(n) WHERE source IN (%s, %s) GROUP BY source",
        (a, b),
    ).fetchall()
    assert dict(nodes) == {a: 7, b: 3}


@pytest.mark.parametrize(("tolerance_m", "junctions"), [(1.0, 3), (0.5, 4)])
def test_ends_within_the_snap_tolerance_are_one_junction(
    writer: psycopg.Connection[Any],
    settings: Settings,
    road_sources: Any,
    tmp_path: Path,
    tolerance_m: float,
    junctions: int,
):
    """Two streets at 60° N whose ends are 0.8 m apart east-west (a degree of longitude is
    half as long there as one of latitude)."""
    lon, lat = -30.0, 60.0
    gap = GEOD.fwd(lon, lat, 90, 0.8)[0] - lon
    lines = [
        {"type": "LineString", "coordinates": [[lon - 0.001, lat], [lon, lat]]},
        {"type": "LineString", "coordinates": [[lon + gap, lat], [lon + 0.001, lat]]},
    ]
    path = tmp_path / "gap.geojson"
    path.write_text(json.dumps(line_features(lines)))
    source = road_sources("gap")
    tuned = settings.model_copy(update={"road_snap_tolerance_m": tolerance_m})
    load_roads(writer, path, source=source, mapping=GRID_MAPPING, settings=tuned)
    nodes = writer.execute(
        "SELECT count(DISTINCT n) FROM roads, LATERAL (VALUES (from_node), (to_node)) v(n) "
        "WHERE source = %s",
        (source,),
    ).fetchone()
    assert nodes == (junctions,)


def test_bad_geometries_are_rejected_with_their_reason(
    writer: psycopg.Connection[Any], settings: Settings, road_sources: Any, tmp_path: Path
):
    source = road_sources("bad-rows")
    lines = grid(12)
    lines[3] = {"type": "Point", "coordinates": [-30.0, 40.0]}
    lines[7] = {"type": "LineString", "coordinates": [[-30.0, 40.0], [-30.0, 40.0]]}
    lines[9] = None
    path = tmp_path / "bad.geojson"
    path.write_text(json.dumps(line_features(lines)))
    with pytest.raises(LoadAborted, match="3 of 12 features rejected"):
        load_roads(writer, path, source=source, mapping=GRID_MAPPING, settings=settings)
    report = load_roads(
        writer, path, source=source, mapping=GRID_MAPPING, max_reject_ratio=0.3, settings=settings
    )
    assert (report.read, report.rejected, report.inserted) == (12, 3, 9)
    assert report.rejects_file is not None
    with report.rejects_file.open() as fh:
        rejects = {int(r["row"]): (r["source_id"], r["reason"]) for r in csv.DictReader(fh)}
    assert rejects[4][0] == "s3" and "Point" in rejects[4][1]
    assert rejects[8][0] == "s7" and "invalid" in rejects[8][1]
    assert rejects[10][0] == "s9" and "missing" in rejects[10][1]


def test_mapping_errors_name_what_is_wrong(tmp_path: Path, settings: Settings, writer: Any):
    bad_field = {**GRID_MAPPING, "name": "Strasse"}
    with pytest.raises(InvalidParameter) as exc:
        load_roads(
            writer,
            CAMBRIDGE,
            source="x",
            mapping={**bad_field, "source_id": "ID"},
            settings=settings,
        )
    assert "Strasse" in str(exc.value) and "Kind" in str(exc.value)
    assert "MajorRoad" in str(exc.value) and "Direction" in str(exc.value)
    with pytest.raises(ConfigError) as config:
        load_roads(
            writer,
            CAMBRIDGE,
            source="x",
            mapping={**GRID_MAPPING, "oneway": "Direction", "class": {"values": {"1": "fast"}}},
            settings=settings,
        )
    text = str(config.value)
    assert "oneway: unknown key" in text and "one_way" in text
    assert "'fast' is not a class value" in text and "residential" in text
    with pytest.raises(InvalidParameter, match="needs a roads mapping"):
        load_roads(writer, CAMBRIDGE, source="x", settings=settings)


def test_an_aborted_or_failed_load_leaves_the_network_as_it_was(
    writer: psycopg.Connection[Any], settings: Settings, road_sources: Any, tmp_path: Path
):
    source = road_sources("kept")
    good = tmp_path / "good.geojson"
    good.write_text(json.dumps(line_features(grid(5))))
    load_roads(writer, good, source=source, mapping=GRID_MAPPING, settings=settings)
    before = network_state(writer)
    bad = tmp_path / "bad.geojson"
    bad.write_text(json.dumps(line_features([None, None, *grid(3)])))
    with pytest.raises(LoadAborted):
        load_roads(writer, bad, source=source, mapping=GRID_MAPPING, settings=settings)
    assert network_state(writer) == before
    with pytest.raises(InvalidParameter, match="NoSuchField"):
        load_roads(
            writer,
            bad,
            source=source,
            mapping={**GRID_MAPPING, "name": "NoSuchField"},
            settings=settings,
        )
    assert network_state(writer) == before
    # a class value the mapping does not know and no default: every row rejected
    unknown = tmp_path / "unknown.geojson"
    unknown.write_text(json.dumps(line_features(grid(3), Kind="Z")))
    with pytest.raises(LoadAborted):
        load_roads(writer, unknown, source=source, mapping=GRID_MAPPING, settings=settings)
    assert network_state(writer) == before
    runs = writer.execute(
        "SELECT status FROM etl_runs WHERE source = %s ORDER BY id", (source,)
    ).fetchall()
    assert [r[0] for r in runs] == ["succeeded", "aborted", "failed", "aborted"]


# ---------------------------------------------------------------------------------------------
# OpenStreetMap


def profile_classes() -> set[str]:
    return set(yaml.safe_load(PROFILE.read_text())["speeds_kmh"])


class RoutableWays(osmium.SimpleHandler):
    """An independent pass: the routable ways, their node ids, locations and tags."""

    def __init__(self) -> None:
        super().__init__()
        self.classes = profile_classes()
        self.ways: dict[int, dict[str, Any]] = {}

    def way(self, w: Any) -> None:
        tags = dict(w.tags)
        if tags.get("highway") not in self.classes or tags.get("area") == "yes":
            return
        if tags.get("access") in ("no", "private"):
            return
        self.ways[w.id] = {
            "tags": tags,
            "nodes": [n.ref for n in w.nodes],
            "locations": [(n.lon, n.lat) if n.location.valid() else None for n in w.nodes],
        }


def test_helsinki_is_noded_at_every_shared_node(
    writer: psycopg.Connection[Any], settings: Settings, road_sources: Any
):
    source = road_sources("helsinki")
    report = load_roads(writer, HELSINKI, source=source, settings=settings)
    osm = RoutableWays()
    osm.apply_file(str(HELSINKI), locations=True)
    assert report.read == len(osm.ways) and report.rejected == 0
    ways_of: dict[int, set[int]] = defaultdict(set)
    for way_id, way in osm.ways.items():
        for node in way["nodes"]:
            ways_of[node].add(way_id)
    located = {
        n: loc
        for w in osm.ways.values()
        for n, loc in zip(w["nodes"], w["locations"], strict=True)
        if loc
    }

    def in_a_piece(way_id: int, node: int) -> bool:
        """The node and a neighbour along the way are in the file (a piece of way is left)."""
        locs = osm.ways[way_id]["locations"]
        i = osm.ways[way_id]["nodes"].index(node)
        return locs[i] is not None and any(
            0 <= k < len(locs) and locs[k] is not None for k in (i - 1, i + 1)
        )

    shared = [(w, n) for n, ws in ways_of.items() if len(ws) > 1 for w in ws if in_a_piece(w, n)]
    assert len(shared) > 1000
    # each way through a shared node has a segment ending there, at a junction
    missing = writer.execute(
        """
        SELECT count(*) FROM unnest(%s::text[], %s::float8[], %s::float8[]) AS s(way, lon, lat)
        WHERE NOT EXISTS (
            SELECT 1 FROM roads r JOIN road_nodes n ON n.id IN (r.from_node, r.to_node)
            WHERE r.source = %s AND split_part(r.source_id, ':', 1) = s.way
              AND ST_DWithin(n.geom, ST_SetSRID(ST_MakePoint(s.lon, s.lat), 4326), 1e-6))
        """,
        (
            [str(w) for w, _ in shared],
            [located[n][0] for _, n in shared],
            [located[n][1] for _, n in shared],
            source,
        ),
    ).fetchone()
    assert missing == (0,)
    # the segments of a way add up to the way's located length
    lengths = dict(
        writer.execute(
            "SELECT split_part(source_id, ':', 1)::bigint, sum(length_m) FROM roads "
            "WHERE source = %s GROUP BY 1",
            (source,),
        ).fetchall()
    )
    for way_id, way in list(osm.ways.items())[:200]:
        locs = way["locations"]
        steps = zip(locs[:-1], locs[1:], strict=True)
        expected = sum(GEOD.inv(*a, *b)[2] for a, b in steps if a is not None and b is not None)
        assert lengths.get(way_id, 0.0) == pytest.approx(expected, rel=1e-3, abs=1e-6)
    # one-way as tagged
    one_way = dict(
        writer.execute(
            "SELECT DISTINCT split_part(source_id, ':', 1)::bigint, one_way FROM roads "
            "WHERE source = %s",
            (source,),
        ).fetchall()
    )
    tagged = Counter(
        (w["tags"].get("oneway"), one_way[i]) for i, w in osm.ways.items() if i in one_way
    )
    assert tagged[("yes", 1)] > 100 and not tagged[("yes", 0)] and not tagged[("no", 1)]


def write_osm(path: Path) -> None:
    """A small OSM file: a cross of two streets, and ways with the tags one-way cares about."""
    nodes = {k: (24.0 + 0.001 * (k % 10), 60.0 + 0.001 * (k // 10)) for k in range(1, 40)}
    ways = [
        (1, [1, 2, 3], {"highway": "residential", "name": "East"}),  # crosses way 2 at node 2
        (2, [12, 2, 22], {"highway": "residential", "oneway": "yes", "maxspeed": "30 mph"}),
        (3, [31, 32], {"highway": "tertiary", "oneway": "-1", "maxspeed": "none"}),
        (4, [33, 34, 35, 33], {"highway": "primary", "junction": "roundabout"}),
        (5, [3, 4], {"highway": "motorway", "maxspeed": "100"}),
        (6, [4, 5], {"highway": "motorway", "oneway": "no"}),
        (7, [5, 6], {"highway": "footway"}),
        (8, [6, 7], {"highway": "service", "access": "private"}),
        (9, [7, 8, 9, 7], {"highway": "service", "area": "yes"}),
        (10, [22, 23], {"highway": "residential", "oneway": "reversible"}),
    ]
    with osmium.SimpleWriter(str(path)) as out:
        for k, (lon, lat) in nodes.items():
            out.add_node(osmium.osm.mutable.Node(id=k, location=(lon, lat)))
        for way_id, refs, tags in ways:
            out.add_way(osmium.osm.mutable.Way(id=way_id, nodes=refs, tags=tags))


def test_osm_tags_one_way_speeds_and_noding(
    writer: psycopg.Connection[Any], settings: Settings, road_sources: Any, tmp_path: Path
):
    path = tmp_path / "small.osm.pbf"
    write_osm(path)
    source = road_sources("osm-small")
    report = load_roads(writer, path, source=source, settings=settings)
    rows = writer.execute(
        "SELECT source_id, road_class, one_way, maxspeed_kmh, name FROM roads WHERE source = %s",
        (source,),
    ).fetchall()
    got = {r[0]: r[1:] for r in rows}
    assert set(got) == {"1:0", "1:1", "2:0", "2:1", "3:0", "4:0", "5:0", "6:0", "10:0"}
    assert got["1:0"][2:] == (None, "East") and got["1:0"][1] == 0
    assert got["2:0"][1] == 1 and got["2:0"][2] == pytest.approx(30 * 1.609344, rel=1e-6)
    assert got["3:0"][1:3] == (-1, None)
    assert got["4:0"][1] == 1  # roundabout
    assert got["5:0"][1:3] == (1, 100.0)  # motorway
    assert got["6:0"][1] == 0  # motorway, oneway=no
    assert got["10:0"][1] == 0
    assert report.skipped == 2  # the private service road and the service area
    assert report.extra["maxspeed values ignored"] == 1
    assert report.extra["oneway values not understood (taken as both ways)"] == 1
    # the cross: node 2 is one junction of four segment ends
    ends = writer.execute(
        "SELECT n, count(*) FROM roads, LATERAL (VALUES (from_node), (to_node)) v(n) "
        "WHERE source = %s GROUP BY n ORDER BY 2 DESC LIMIT 1",
        (source,),
    ).fetchone()
    assert ends is not None and ends[1] == 4


# ---------------------------------------------------------------------------------------------
# The command line and manifests


def test_cli_and_a_manifest_run_twice(settings: Settings, road_sources: Any, tmp_path: Path):
    env = {
        "DATABASE_URL": settings.database_url or "",
        "GISSERVER_WRITE_DATABASE_URL": settings.write_database_url or "",
        "GISSERVER_DATA_DIR": str(settings.data_dir),
    }
    source = road_sources("cli")
    result = CliRunner().invoke(
        main, ["etl", "load", "roads", str(HELSINKI), "--source", source], env=env
    )
    assert result.exit_code == 0, result.output
    assert f"roads <- {HELSINKI} [source {source}]: succeeded" in result.output
    assert "connected pieces" in result.output
    refused = CliRunner().invoke(
        main, ["etl", "load", "roads", str(HELSINKI), "--replace"], env=env
    )
    assert refused.exit_code != 0 and "--replace" in refused.output
    manifest = tmp_path / "roads.yaml"
    other = road_sources("manifest")
    manifest.write_text(
        f"- layer: roads\n  file: {CAMBRIDGE}\n  source: {other}\n  mapping: {CAMBRIDGE_MAPPING}\n"
    )
    first = CliRunner().invoke(main, ["etl", "run", str(manifest)], env=env)
    assert first.exit_code == 0, first.output
    assert "1 loads, 2644 rows changed, 0 rejected" in first.output
    second = CliRunner().invoke(main, ["etl", "run", str(manifest)], env=env)
    assert second.exit_code == 0, second.output
    assert "1 loads, 0 rows changed, 0 rejected" in second.output
    manifest.write_text(f"- layer: roads\n  file: {CAMBRIDGE}\n  replace: true\n")
    bad = CliRunner().invoke(main, ["etl", "run", str(manifest)], env=env)
    assert bad.exit_code == 1 and "loads[0].replace: unknown key" in bad.output
