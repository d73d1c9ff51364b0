"""A pygeoapi tile provider for our layers, so that pygeoapi's collection links, OpenAPI document
and HTML pages know the tiles. It renders with the same Tileset as our routes, which answer the
tile URLs first (they add ETag, 304 and X-Tile-Thinned, which pygeoapi's tile view cannot).
"""

from __future__ import annotations

from typing import Any

from pygeoapi.models.provider.base import TileMatrixSetEnum
from pygeoapi.provider.base import ProviderInvalidQueryError
from pygeoapi.provider.base_mvt import BaseMVTProvider
from pygeoapi.provider.tile import ProviderTileNotFoundError

from gisserver.errors import InvalidParameter, NotFound
from gisserver.tiles import metadata
from gisserver.tiles.grid import parse_tile


class GisServerTileProvider(BaseMVTProvider):
    """MVT tiles of one gisserver layer (``data`` is the layer id) in WebMercatorQuad."""

    def __init__(self, provider_def: dict[str, Any]) -> None:
        super().__init__(provider_def)
        self.layer_id = str(provider_def["data"])

    def __repr__(self) -> str:
        return f"<GisServerTileProvider> {self.layer_id}"

    def get_layer(self) -> str:
        return self.layer_id

    def get_tiling_schemes(self) -> list[Any]:
        return [TileMatrixSetEnum.WEBMERCATORQUAD.value]

    def get_tiles_service(
        self,
        baseurl: str | None = None,
        servicepath: str | None = None,
        dirpath: str | None = None,
        tile_type: str | None = None,
    ) -> dict[str, Any]:
        self._service_url = servicepath
        return self.get_tms_links()

    def get_tiles(
        self,
        layer: str | None = None,
        tileset: str | None = None,
        z: Any = None,
        y: Any = None,
        x: Any = None,
        format_: str | None = None,
    ) -> bytes | None:
        from gisserver.context import state
        from gisserver.tiles.routes import tilesets

        try:
            tile = parse_tile(str(tileset), str(z), str(y), str(x))
        except InvalidParameter as exc:
            raise ProviderInvalidQueryError(user_msg=exc.message) from exc
        except NotFound as exc:
            raise ProviderTileNotFoundError(user_msg=exc.message) from exc
        rendered = tilesets().get(self.layer_id).render(state().database(), tile.z, tile.x, tile.y)
        return rendered.content or None  # None: pygeoapi answers 204

    def _layers(self) -> list[Any]:
        from gisserver.tiles.routes import tilesets

        return tilesets().layers_of(self.layer_id)

    def get_default_metadata(
        self, dataset: str, server_url: str, layer: Any, tileset: Any, *args: Any, **kwargs: Any
    ) -> dict[str, Any]:
        return metadata.tileset(server_url.rstrip("/"), self._layers(), self.layer_id)

    def get_vendor_metadata(
        self, dataset: str, server_url: str, layer: Any, tileset: Any, *args: Any, **kwargs: Any
    ) -> dict[str, Any]:
        return metadata.tilejson(server_url.rstrip("/"), self._layers(), self.layer_id)

    def get_html_metadata(
        self, dataset: str, server_url: str, layer: Any, tileset: Any, *args: Any, **kwargs: Any
    ) -> dict[str, Any]:
        base = server_url.rstrip("/")
        path = f"{base}/collections/{dataset}/tiles/{tileset}"
        return {
            "id": dataset,
            "title": kwargs.get("title") or dataset,
            "tileset": tileset,
            "collections_path": f"{path}/{{tileMatrix}}/{{tileRow}}/{{tileCol}}?f=mvt",
            "json_url": f"{path}?f=json",
        }
