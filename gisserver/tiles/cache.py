"""A per-process cache of low-zoom tiles, keyed by ETag (the layers' change versions + z/x/y).

Low-zoom tiles are the expensive ones (every feature of a region is sorted for the thinning
rule) and the ones every wall map and tablet asks for. Keying on the change versions means an
entry can never be stale: after any write the next request computes a new ETag, misses, and
renders; nothing expires on time. The versions lookup that a hit costs is one index read.
"""

from __future__ import annotations

import threading
from collections import OrderedDict
from dataclasses import dataclass

from pydantic import Field
from pydantic_settings import BaseSettings, SettingsConfigDict


class TileSettings(BaseSettings):
    """Tile settings from the environment (prefix ``GISSERVER_TILES_``)."""

    model_config = SettingsConfigDict(env_prefix="GISSERVER_TILES_", extra="ignore")

    cache_mb: int = Field(default=64, ge=0, description="per process; 0 turns the cache off")
    cache_max_zoom: int = Field(default=10, ge=-1, le=22, description="cache tiles up to here")


@dataclass(frozen=True)
class CachedTile:
    content: bytes
    thinned: tuple[str, ...]


def _size(tile: CachedTile) -> int:
    return len(tile.content) + 200  # and the entry itself, so empty tiles count too


class TileCache:
    """A thread-safe LRU of tile bytes bounded by their total size."""

    def __init__(self, max_bytes: int) -> None:
        self.max_bytes = max_bytes
        self._entries: OrderedDict[tuple[str | None, str], CachedTile] = OrderedDict()
        self._bytes = 0
        self._lock = threading.Lock()

    def get(self, collection: str | None, etag: str) -> CachedTile | None:
        with self._lock:
            entry = self._entries.get((collection, etag))
            if entry is not None:
                self._entries.move_to_end((collection, etag))
            return entry

    def put(self, collection: str | None, etag: str, tile: CachedTile) -> None:
        size = _size(tile)
        if size > self.max_bytes:
            return
        with self._lock:
            old = self._entries.pop((collection, etag), None)
            if old is not None:
                self._bytes -= _size(old)
            self._entries[(collection, etag)] = tile
            self._bytes += size
            while self._bytes > self.max_bytes:
                _, evicted = self._entries.popitem(last=False)
                self._bytes -= _size(evicted)

    def __len__(self) -> int:
        return len(self._entries)
