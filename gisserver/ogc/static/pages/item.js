// The map of pygeoapi's item page, as a file; the feature comes from a JSON block of the page.
"use strict";
(function () {
  const read = (id) => JSON.parse(document.getElementById(id).textContent);
  const basemap = read("basemap");
  const map = L.map("items-map").setView([45, -75], 10);
  map.addLayer(new L.TileLayer(basemap.url, { maxZoom: 18, attribution: basemap.attribution }));
  const item = new L.GeoJSON(read("item-data"));
  map.addLayer(item);
  map.fitBounds(item.getBounds(), { maxZoom: 15 });
})();
