"""Reading source files in batches: whatever GDAL reads (through pyogrio), plus JSON records.

Every reader yields :class:`SourceBatch` objects of at most ``batch_size`` rows, so memory stays
bounded by the batch, not the file. GDAL formats stream through ``pyogrio.raw.open_arrow`` (one
forward pass, columns as Arrow arrays that the mapping converts without a Python loop when their
type already fits the layer's field).
"""

from __future__ import annotations

import csv
import math
import warnings
from collections.abc import Iterator, Mapping, Sequence
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import numpy as np
import pyarrow as pa
import pyogrio
import shapely

from gisserver.errors import InvalidParameter
from gisserver.etl.json_records import iter_records

# Coordinate column names tried in this order (case-insensitive) for CSV and JSON records.
X_NAMES = ("longitude", "lon", "lng", "long", "x", "geox", "x_coord", "xcoord", "easting")
Y_NAMES = ("latitude", "lat", "y", "geoy", "y_coord", "ycoord", "northing")

OGR_SUFFIXES = (
    ".geojson",
    ".topojson",
    ".gpkg",
    ".shp",
    ".zip",
    ".fgb",
    ".csv",
    ".json",
    ".gml",
    ".kml",
)


class ArrowColumns(Mapping[str, list[Any]]):
    """A batch's source fields as Arrow arrays (``arrays``), and as Python lists converted
    only when a field is first asked for: the mapping converts typed columns in Arrow and asks
    for the others."""

    def __init__(self, arrays: Mapping[str, pa.Array]) -> None:
        self.arrays = arrays
        self._lists: dict[str, list[Any]] = {}

    def __getitem__(self, name: str) -> list[Any]:
        found = self._lists.get(name)
        if found is None:
            found = self._lists[name] = self.arrays[name].to_pylist()
        return found

    def __iter__(self) -> Iterator[str]:
        return iter(self.arrays)

    def __len__(self) -> int:
        return len(self.arrays)


@dataclass
class SourceBatch:
    """Consecutive rows of a file, column by column: the source fields' values and the
    geometries in the file's CRS."""

    first_row: int  # 1-based number of the first row in the file
    size: int
    columns: Mapping[str, Sequence[Any]]  # source field -> one value per row (missing: None)
    geometries: np.ndarray  # shapely geometries or None, one per row
    # the file's own WKB (bytes), one per row (None for readers that build geometries
    # themselves): a geometry that needs no change is passed on as read, not encoded again
    wkb: np.ndarray | None = None


@dataclass
class SourceFile:
    """An opened source: its CRS (None when the file declares none), fields and row count."""

    path: Path
    crs: str | None
    fields: tuple[str, ...]
    total: int | None
    coordinate_fields: tuple[str, ...] = ()

    def batches(self, batch_size: int) -> Iterator[SourceBatch]:
        raise NotImplementedError


def open_source(
    path: Path,
    *,
    layer: str | None = None,
    coordinates: tuple[str, str] | None = None,
) -> SourceFile:
    """Open ``path`` with the reader its format needs.

    ``layer`` names the layer inside multi-layer files (GeoPackage, TopoJSON object);
    ``coordinates`` names the (x, y) columns of CSV files and JSON records when the
    usual names (longitude/latitude, lon/lat, x/y, ...) are not used.
    """
    if not path.is_file():
        raise InvalidParameter(str(path), "file not found")
    suffix = path.suffix.lower()
    if suffix == ".csv":
        return _open_csv(path, coordinates)
    if suffix == ".json" and _json_kind(path) != "ogr":
        return JsonRecordsFile.open(path, coordinates)
    if suffix not in OGR_SUFFIXES:
        raise InvalidParameter(
            str(path),
            f"unknown file type {suffix!r}",
            "GeoJSON, TopoJSON, GeoPackage, Shapefile (.shp or zipped), FlatGeobuf, CSV with "
            "coordinate columns, JSON arrays of records with coordinate fields",
        )
    return OgrFile.open(path, layer=layer)


def _json_kind(path: Path) -> str:
    """'records' for a JSON array (or an object holding one), 'ogr' for GeoJSON/TopoJSON."""
    with path.open("rb") as fh:
        head = fh.read(4096).lstrip()
    if head.startswith(b"["):
        return "records"
    text = head.decode("utf-8", "replace")
    if any(f'"{t}"' in text for t in ("FeatureCollection", "Topology", "Feature")):
        return "ogr"
    return "records"


@contextmanager
def _measures_dropped() -> Iterator[None]:
    """pyogrio warns that it drops M values; the layers are 2D, so that is what we want."""
    with warnings.catch_warnings():
        warnings.filterwarnings(
            "ignore",
            message=r"Measured \(M\) geometry types are not supported",
            category=UserWarning,
        )
        yield


class OgrFile(SourceFile):
    """Anything GDAL reads, through pyogrio."""

    dataset: str
    layer: str | None
    open_options: dict[str, str]
    datetimes_as_text: bool
    _field_set: set[str]

    @classmethod
    def open(
        cls,
        path: Path,
        *,
        layer: str | None = None,
        open_options: Mapping[str, str] | None = None,
        coordinate_fields: tuple[str, ...] = (),
    ) -> OgrFile:
        dataset = f"/vsizip/{path}" if path.suffix.lower() == ".zip" else str(path)
        options = dict(open_options or {})
        try:
            with _measures_dropped():
                layers = pyogrio.list_layers(dataset)
            if layer is None and len(layers) > 1 and path.suffix.lower() == ".zip":
                # a zip of one shapefile lists one layer; more is ambiguous
                names = ", ".join(str(n) for n, _ in layers)
                raise InvalidParameter(
                    str(path), f"holds several layers ({names})", "a mapping with 'layer: NAME'"
                )
            if layer is not None and layer not in {str(n) for n, _ in layers}:
                names = ", ".join(str(n) for n, _ in layers)
                raise InvalidParameter(str(path), f"has no layer {layer!r}", names)
            with _measures_dropped():
                info = pyogrio.read_info(dataset, layer=layer, force_feature_count=True, **options)
        except pyogrio.errors.DataSourceError as exc:
            raise InvalidParameter(str(path), f"cannot be read ({exc})") from exc
        crs = info.get("crs")
        total = int(info.get("features", -1))
        instance = cls(
            path=path,
            crs=str(crs) if crs else None,
            fields=tuple(str(f) for f in info["fields"]),
            total=total if total >= 0 else None,
            coordinate_fields=coordinate_fields,
        )
        instance.dataset = dataset
        instance.layer = layer
        instance.open_options = options
        # GDAL's Arrow timestamps drop the offsets of a field whose values have different ones
        # (GeoJSON, CSV): read date-times as written. A GeoPackage's are UTC by its
        # specification, which only the typed form says (the text has no offset).
        instance.datetimes_as_text = info.get("driver") != "GPKG"
        instance._field_set = set(instance.fields)
        return instance

    def batches(self, batch_size: int) -> Iterator[SourceBatch]:
        """One forward pass through GDAL's Arrow stream: memory bounded by the batch."""
        done = 0
        with (
            _measures_dropped(),
            pyogrio.raw.open_arrow(
                self.dataset,
                layer=self.layer,
                batch_size=batch_size,
                use_pyarrow=True,
                datetime_as_string=self.datetimes_as_text,
                **self.open_options,
            ) as (meta, reader),
        ):
            geometry_name = meta.get("geometry_name") or "wkb_geometry"
            for batch in reader:
                count = batch.num_rows
                if count == 0:
                    continue
                names = batch.schema.names
                columns = ArrowColumns(
                    {
                        name: batch.column(i)
                        for i, name in enumerate(names)
                        if name != geometry_name and name in self._field_set
                    }
                )
                wkb = None
                if geometry_name in names:
                    wkb = batch.column(names.index(geometry_name)).to_numpy(zero_copy_only=False)
                    geoms = shapely.from_wkb(wkb, on_invalid="ignore")
                else:
                    geoms = np.full(count, None, dtype=object)
                yield SourceBatch(
                    first_row=done + 1, size=count, columns=columns, geometries=geoms, wkb=wkb
                )
                done += count


def _pick(names: Sequence[str], candidates: Sequence[str]) -> str | None:
    lowered = {n.lower(): n for n in names}
    for cand in candidates:
        if cand in lowered:
            return lowered[cand]
    return None


def coordinate_columns(
    names: Sequence[str], coordinates: tuple[str, str] | None, path: Path
) -> tuple[str, str]:
    """The (x, y) columns: the named ones, or the first usual pair found."""
    if coordinates is not None:
        missing = [c for c in coordinates if c not in names]
        if missing:
            raise InvalidParameter(
                str(path), f"coordinate column(s) {missing} not found", ", ".join(names)
            )
        return coordinates
    x, y = _pick(names, X_NAMES), _pick(names, Y_NAMES)
    if x is None or y is None:
        raise InvalidParameter(
            str(path),
            "no coordinate columns found",
            f"columns named {'/'.join(X_NAMES)} and {'/'.join(Y_NAMES)}, or a mapping with "
            "'coordinates: {x: COLUMN, y: COLUMN}'",
        )
    return x, y


def _open_csv(path: Path, coordinates: tuple[str, str] | None) -> OgrFile:
    with path.open(newline="", encoding="utf-8-sig") as fh:
        header = next(csv.reader(fh), [])
    x, y = coordinate_columns(header, coordinates, path)
    options = {
        "X_POSSIBLE_NAMES": x,
        "Y_POSSIBLE_NAMES": y,
        "KEEP_GEOM_COLUMNS": "NO",
        "EMPTY_STRING_AS_NULL": "YES",
    }
    return OgrFile.open(path, open_options=options, coordinate_fields=(x, y))


class JsonRecordsFile(SourceFile):
    """A JSON array of flat records with coordinate fields (FEMA NSS), or an object holding
    one such array (the NYC DOT cameras ``{"markers": [...]}``, coordinates as strings).
    Streamed twice: once for the field names and count, once for the rows."""

    xy: tuple[str, str]

    @classmethod
    def open(cls, path: Path, coordinates: tuple[str, str] | None) -> JsonRecordsFile:
        names: dict[str, None] = {}
        total = 0
        for record in iter_records(path):
            names.update(dict.fromkeys(record))
            total += 1
        x, y = coordinate_columns(list(names), coordinates, path)
        instance = cls(
            path=path,
            crs=None,
            fields=tuple(n for n in names if n not in (x, y)),
            total=total,
            coordinate_fields=(x, y),
        )
        instance.xy = (x, y)
        return instance

    def batches(self, batch_size: int) -> Iterator[SourceBatch]:
        first = 1
        chunk: list[dict[str, Any]] = []
        for record in iter_records(self.path):
            chunk.append(record)
            if len(chunk) == batch_size:
                yield self._batch(first, chunk)
                first += len(chunk)
                chunk = []
        if chunk:
            yield self._batch(first, chunk)

    def _batch(self, first_row: int, chunk: list[dict[str, Any]]) -> SourceBatch:
        x, y = self.xy
        geoms = np.full(len(chunk), None, dtype=object)
        for i, record in enumerate(chunk):
            point = _point(record.get(x), record.get(y))
            if point is not None:
                geoms[i] = point
        columns = {name: [r.get(name) for r in chunk] for name in self.fields}
        return SourceBatch(first_row=first_row, size=len(chunk), columns=columns, geometries=geoms)


def _point(x: Any, y: Any) -> shapely.Point | None:
    try:
        fx, fy = float(x), float(y)
    except (TypeError, ValueError):
        return None
    if not (math.isfinite(fx) and math.isfinite(fy)):
        return None
    return shapely.Point(fx, fy)
