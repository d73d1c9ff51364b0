"""PostGIS raster WKB (format version 0): one single-band tile written and read in numpy.

Shared by the population loader (which writes tiles) and the affected-population analysis
(which reads them back); neither imports the other.
"""

from __future__ import annotations

import struct
from dataclasses import dataclass
from typing import Literal

import numpy as np

# numpy dtype -> PostGIS raster pixel type code (raster WKB spec, "pixtype").
PIXTYPES: dict[str, int] = {
    "int8": 3,
    "uint8": 4,
    "int16": 5,
    "uint16": 6,
    "int32": 7,
    "uint32": 8,
    "float32": 10,
    "float64": 11,
}
BAND_HAS_NODATA = 0x40


def raster_wkb(
    data: np.ndarray,
    *,
    upper_left: tuple[float, float],
    scale: tuple[float, float],
    srid: int,
    nodata: float | None,
) -> bytes:
    """One single-band tile as PostGIS raster WKB."""
    height, width = data.shape
    pixtype = PIXTYPES[data.dtype.name]
    header = struct.pack(
        "<BHHddddddiHH",
        1,  # little endian (NDR)
        0,  # format version
        1,  # bands
        scale[0],
        scale[1],
        upper_left[0],
        upper_left[1],
        0.0,  # skew x: rotated rasters are refused at load
        0.0,
        srid,
        width,
        height,
    )
    flags = pixtype | (BAND_HAS_NODATA if nodata is not None else 0)
    le = data.dtype.newbyteorder("<")
    nodata_bytes = np.array([0 if nodata is None else nodata], dtype=le).tobytes()
    return header + bytes([flags]) + nodata_bytes + np.ascontiguousarray(data, dtype=le).tobytes()


@dataclass(frozen=True)
class RasterTile:
    """A decoded tile: its grid position and its cells."""

    upper_left: tuple[float, float]
    scale: tuple[float, float]
    srid: int
    nodata: float | None
    data: np.ndarray


WKB_DTYPES = {code: name for name, code in PIXTYPES.items()}


def decode_raster_wkb(wkb: bytes) -> RasterTile:
    """Read a single-band raster WKB written by :func:`raster_wkb` (or by PostGIS)."""
    endian: Literal["<", ">"] = "<" if wkb[0] == 1 else ">"
    (_, _, nbands, sx, sy, ulx, uly, _, _, srid, width, height) = struct.unpack_from(
        endian + "BHHddddddiHH", wkb, 0
    )
    if nbands < 1:
        raise ValueError("raster tile has no band")
    offset = struct.calcsize("<BHHddddddiHH")
    flags = wkb[offset]
    if flags & 0x80:
        raise ValueError("out-of-database raster bands are not supported")
    dtype = np.dtype(WKB_DTYPES[flags & 0x0F]).newbyteorder(endian)
    offset += 1
    nodata_value = np.frombuffer(wkb, dtype=dtype, count=1, offset=offset)[0]
    offset += dtype.itemsize
    data = np.frombuffer(wkb, dtype=dtype, count=width * height, offset=offset)
    return RasterTile(
        upper_left=(ulx, uly),
        scale=(sx, sy),
        srid=srid,
        nodata=float(nodata_value) if flags & BAND_HAS_NODATA else None,
        data=data.reshape(height, width),
    )
