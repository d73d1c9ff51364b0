// pygeoapi's tiles page scripts, as a file: the tile matrix set select and a map of the tiles.
// The tile set's data come from a JSON block of the page.
"use strict";
(function () {
  const read = (id) => JSON.parse(document.getElementById(id).textContent);
  const basemap = read("basemap");
  const tiles = read("tiles-data");
  const select = document.getElementById("tilingScheme");
  const metadataLink = document.getElementById("metadata_link");
  const scheme = new URL(document.location).searchParams.get("scheme") ?? select.value;
  const metadataUrl = (name) =>
    `${tiles.url}/collections/${encodeURIComponent(tiles.id)}/tiles/${encodeURIComponent(name)}/metadata`;
  if (scheme) {
    select.value = scheme;
    metadataLink.href = metadataUrl(scheme);
  }
  select.addEventListener("change", (event) => {
    document.location.search = `scheme=${encodeURIComponent(event.target.value)}`;
    metadataLink.href = metadataUrl(event.target.value);
  });

  const options = { maxZoom: tiles.maxzoom, attribution: basemap.attribution };
  let map;
  if (scheme !== "WorldCRS84Quad") {
    map = L.map("items-map").setView([45, -75], 10);
    map.addLayer(new L.TileLayer(basemap.url, options));
  } else {
    map = L.map("items-map", { crs: L.CRS.EPSG4326 }).setView([45, -75], 10);
    map.addLayer(new L.TileLayer(basemap.url, { ...options, tileSize: L.point(512, 256) }));
    const warning = document.createElement("div");
    warning.style.marginTop = "1rem";
    warning.style.textAlign = "center";
    warning.textContent = tiles.projection_warning;
    document.getElementById("items-map").after(warning);
  }

  const url = String(tiles.tiles_url)
    .replace("{dataset}", tiles.id)
    .replace("{tileMatrixSetId}", scheme)
    .replace("tileMatrix", "z")
    .replace("tileRow", "y")
    .replace("tileCol", "x");
  if (tiles.tile_type === "raster") {
    map.addLayer(new L.TileLayer(url, { maxZoom: tiles.maxzoom, crs: "EPSG:3857" }));
  } else if (tiles.tile_type === "vector") {
    const featureId = (properties) => properties.id || properties.fid || properties.uri;
    let highlight = null;
    const layer = L.vectorGrid.protobuf(url, {
      interactive: true,
      rendererFactory: L.canvas.tile,
      maxZoom: tiles.maxzoom,
      indexMaxZoom: 5,
      getFeatureId: (feature) => featureId(feature.properties),
    });
    const clearHighlight = () => {
      if (highlight) layer.resetFeatureStyle(highlight);
      highlight = null;
    };
    layer.on("click", (event) => {
      clearHighlight();
      highlight = featureId(event.layer.properties);
      layer.setFeatureStyle(highlight, {
        weight: 2, color: "red", opacity: 1, fillColor: "red", fill: false, radius: 6, fillOpacity: 1,
      });
      L.DomEvent.stop(event);
    });
    layer.addTo(map);
    map.on("click", clearHighlight);
  }
  const [west, south, east, north] = tiles.bounds;
  map.fitBounds(L.latLngBounds([[south, west], [north, east]]), { maxZoom: tiles.maxzoom });
})();
