"""A per-process cache of low-zoom tiles, keyed by ETag (the layers' change versions + z/x/y).

Low-zoom tiles are the expensive ones (every feature of a region is sorted for the thinning
rule) and the ones every wall map and tablet asks for. Keying on the change versions means an
entry can never be stale: after any write the next request computes a new ETag, misses, and
renders; nothing expires on time. The versions lookup that a hit costs is one index read.
"""

from __future__ import annotations

from dataclasses import dataclass

from gisserver.lru import ByteLRU


@dataclass(frozen=True)
class CachedTile:
    content: bytes
    thinned: tuple[str, ...]


def _size(tile: CachedTile) -> int:
    return len(tile.content) + 200  # and the entry itself, so empty tiles count too


def tile_cache(max_bytes: int) -> ByteLRU[tuple[str | None, str], CachedTile]:
    """The cache of one app's tiles, keyed by (collection or None for the combined set, ETag)."""
    return ByteLRU(max_bytes, _size)
