"""A thread-safe least-recently-used cache bounded by the total size of its values, in bytes.

One implementation for the two per-process caches: low-zoom vector tiles
(``gisserver.tiles.routes``) and decoded population raster tiles
(``gisserver.analyses.population``). Neither can serve stale data: both key their entries on a
version (the layers' change versions, a source's ``loaded_at``), so nothing expires on time.
"""

from __future__ import annotations

import threading
from collections import OrderedDict
from collections.abc import Callable, Hashable, Iterable
from typing import Generic, TypeVar

K = TypeVar("K", bound=Hashable)
V = TypeVar("V")


class ByteLRU(Generic[K, V]):
    """Values by key, least recently used out first, at most ``max_bytes`` in all.

    ``size`` gives a value's size in bytes; a value larger than the whole cache is not kept.
    """

    def __init__(self, max_bytes: int, size: Callable[[V], int]) -> None:
        self.max_bytes = max_bytes
        self._size = size
        self._entries: OrderedDict[K, V] = OrderedDict()
        self._bytes = 0
        self._lock = threading.Lock()

    def get(self, key: K) -> V | None:
        with self._lock:
            value = self._entries.get(key)
            if value is not None:
                self._entries.move_to_end(key)
            return value

    def get_many(self, keys: Iterable[K]) -> dict[K, V]:
        """The values found among ``keys`` (one lock for all of them)."""
        with self._lock:
            found = {}
            for key in keys:
                value = self._entries.get(key)
                if value is not None:
                    self._entries.move_to_end(key)
                    found[key] = value
            return found

    def put(self, key: K, value: V) -> V:
        """Keep ``value`` (unless it is larger than the cache) and return it."""
        size = self._size(value)
        if size > self.max_bytes:
            return value
        with self._lock:
            old = self._entries.pop(key, None)
            if old is not None:
                self._bytes -= self._size(old)
            self._entries[key] = value
            self._bytes += size
            while self._bytes > self.max_bytes:
                _, evicted = self._entries.popitem(last=False)
                self._bytes -= self._size(evicted)
        return value

    def clear(self) -> None:
        with self._lock:
            self._entries.clear()
            self._bytes = 0

    def __len__(self) -> int:
        return len(self._entries)
