// The map of pygeoapi's items page, as a file. Its data come from JSON blocks of the page; each
// feature's popup is built as DOM nodes, so a feature's title is shown as text, never as HTML.
"use strict";
(function () {
  const read = (id) => JSON.parse(document.getElementById(id).textContent);
  const basemap = read("basemap");
  const page = read("items-data");
  const map = L.map("items-map").setView([45, -75], 5);
  map.addLayer(new L.TileLayer(basemap.url, { maxZoom: 18, attribution: basemap.attribution }));
  const items = new L.GeoJSON(page.features, {
    onEachFeature(feature, layer) {
      const link = document.createElement("a");
      link.href = `${page.items_path}/${encodeURIComponent(feature.id)}?f=html`;
      const title = page.title_field ? feature.properties[page.title_field] : feature.id;
      link.textContent = String(title ?? feature.id);
      const popup = document.createElement("span");
      popup.append(link);
      layer.bindPopup(popup);
    },
  });
  const markers = L.markerClusterGroup({
    disableClusteringAtZoom: 9,
    chunkedLoading: true,
    chunkInterval: 500,
  });
  markers.clearLayers().addLayer(items);
  map.addLayer(markers);
  map.fitBounds(items.getBounds());
})();
