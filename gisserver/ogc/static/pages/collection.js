// The map of pygeoapi's collection page, as a file: the collection's extent, its map
// representation if any, and a bbox drawn with Ctrl + drag shown as a bbox= parameter.
"use strict";
(function () {
  const read = (id) => JSON.parse(document.getElementById(id).textContent);
  const basemap = read("basemap");
  const collection = read("collection-data");
  const map = L.map("collection-map").setView([0, 0], 1);
  map.addLayer(new L.TileLayer(basemap.url, { maxZoom: 18, attribution: basemap.attribution }));
  for (const href of collection.map_links) {
    L.tileLayer.wms(href, { opacity: 0.7, transparent: true, crs: L.CRS.EPSG4326 }).addTo(map);
  }
  const [west, south, east, north] = collection.bbox;
  const extent = L.polygon([[south, west], [north, west], [north, east], [south, east]]);
  map.addLayer(extent);
  map.fitBounds(extent.getBounds(), { maxZoom: 10 });

  let firstCorner = null;
  let currentBoundingBox = null;
  let boundingBox = null;
  let drawingBoundingBox = false;

  map.on("click", () => {
    if (boundingBox && map.hasLayer(boundingBox)) {
      L.popup({ maxWidth: "auto" })
        .setLatLng(boundingBox.getBounds().getCenter())
        .setContent(`bbox=${boundingBox.getBounds().toBBoxString()}`)
        .addTo(map);
    }
  });
  map.on("mousedown", (event) => {
    if (event.originalEvent.ctrlKey) {
      if (boundingBox && map.hasLayer(boundingBox)) map.removeLayer(boundingBox);
      map.dragging.disable();
      firstCorner = event.latlng;
      drawingBoundingBox = true;
    } else if (boundingBox && map.hasLayer(boundingBox) &&
               !boundingBox.getBounds().contains(event.latlng)) {
      map.removeLayer(boundingBox);
    }
  });
  map.on("mouseup", (event) => {
    if (currentBoundingBox && map.hasLayer(currentBoundingBox)) map.removeLayer(currentBoundingBox);
    if (event.originalEvent.ctrlKey && drawingBoundingBox) {
      boundingBox = L.rectangle([firstCorner, event.latlng], { color: "#ff7800", weight: 1 });
      boundingBox.addTo(map);
    }
    drawingBoundingBox = false;
    map.dragging.enable();
  });
  map.on("mousemove", (event) => {
    if (!drawingBoundingBox) return;
    if (currentBoundingBox && map.hasLayer(currentBoundingBox)) map.removeLayer(currentBoundingBox);
    currentBoundingBox = L.rectangle([firstCorner, event.latlng], { dashArray: "4 1", weight: 0.4 });
    currentBoundingBox.addTo(map);
  });
})();
