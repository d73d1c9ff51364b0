// The basemap: the map must be readable with no internet, so it is drawn from this server's own
// data (/tiles/basemap: the streets of the road network, the city boundary, water and parks
// where loaded), quietly, under every feature layer. An external raster basemap
// (GISSERVER_BASEMAP_URL, config.basemap_url) is drawn under it when configured.
//
// No street names: the situation style has no glyphs and this server serves no fonts (MapLibre
// draws text only from glyph files), and fonts are not fetched from the internet.

const SOURCE = "basemap";
const EXTERNAL = "basemap-external";
// The external tiles are loaded as images (CSP img-src, which allows the basemap's origin),
// not with fetch (connect-src stays 'self'): through a protocol of ours.
const PROTOCOL = "gisserver-basemap";

const ROAD_COLOUR = [
  "match", ["get", "road_class"],
  ["motorway", "trunk", "primary"], "#a3a19b",
  ["secondary", "tertiary"], "#b4b2ac",
  "#c6c4be",
];
const ROAD_RANK = [
  "match", ["get", "road_class"],
  ["motorway", "trunk", "primary"], 3,
  ["secondary", "tertiary"], 2,
  1,
];
// Width by zoom, main roads thicker.
const ROAD_WIDTH = [
  "interpolate", ["exponential", 1.6], ["zoom"],
  10, ["*", 0.5, ROAD_RANK],
  14, ["+", 0.5, ["*", 1.2, ROAD_RANK]],
  18, ["*", 6, ROAD_RANK],
];

// Our layers, bottom to top (their ids are the basemap's; the legend names them in words).
export const LAYERS = [
  {
    id: "basemap-water", type: "fill", source: SOURCE, "source-layer": "areas",
    filter: ["==", ["get", "kind"], "water"],
    paint: { "fill-color": "#cfdde8" },
  },
  {
    id: "basemap-parks", type: "fill", source: SOURCE, "source-layer": "areas",
    filter: ["==", ["get", "kind"], "park"],
    paint: { "fill-color": "#dfe8d5" },
  },
  {
    id: "basemap-roads", type: "line", source: SOURCE, "source-layer": "roads",
    layout: { "line-cap": "round", "line-join": "round", "line-sort-key": ROAD_RANK },
    paint: { "line-color": ROAD_COLOUR, "line-width": ROAD_WIDTH },
  },
  {
    id: "basemap-boundary", type: "line", source: SOURCE, "source-layer": "areas",
    filter: ["==", ["get", "kind"], "boundary"],
    paint: { "line-color": "#6f6d68", "line-width": 1.5, "line-dasharray": [4, 3] },
  },
];

// The protocol's URL for an http(s) template: gisserver-basemap://https/host/path...
function protocolUrl(template) {
  return template.replace(/^(https?):\/\//, `${PROTOCOL}://$1/`);
}

function loadImage(params, abortController) {
  const rest = params.url.slice(`${PROTOCOL}://`.length);
  const slash = rest.indexOf("/");
  const url = `${rest.slice(0, slash)}://${rest.slice(slash + 1)}`;
  return new Promise((resolve, reject) => {
    const image = new Image();
    image.crossOrigin = "anonymous"; // drawn by WebGL: the tile server must allow CORS
    abortController.signal.addEventListener("abort", () => {
      image.src = "";
      reject(new Error("aborted"));
    });
    image.onload = () => resolve({ data: image });
    image.onerror = () => reject(new Error(`basemap tile ${url} did not load`));
    image.src = url;
  });
}

// Where our layers go: above the style's background, below its first feature layer.
function firstFeatureLayer(map) {
  const layer = map.getStyle().layers.find((l) => l.type !== "background");
  return layer ? layer.id : undefined;
}

function toggle(ctx, label, layerIds) {
  const { map, el } = ctx;
  const box = el("input", { type: "checkbox", checked: true });
  box.addEventListener("change", () => {
    for (const id of layerIds) map.setLayoutProperty(id, "visibility", box.checked ? "visible" : "none");
  });
  return el("label", {}, box, " ", label);
}

function legend(ctx) {
  const { el } = ctx;
  const item = (text, colour, dashed) => {
    const swatch = el("span", { className: "swatch" });
    if (dashed) swatch.style.border = `2px dashed ${colour}`;
    else swatch.style.background = colour;
    return el("li", {}, swatch, text);
  };
  return el(
    "ul", { className: "legend" },
    item(ctx.t("basemap.main_roads"), "#a3a19b"),
    item(ctx.t("basemap.streets"), "#c6c4be"),
    item(ctx.t("basemap.boundary"), "#6f6d68", true),
  );
}

export async function init(ctx) {
  const { map, config, el } = ctx;  // main.js starts the parts once the style has loaded
  const before = firstFeatureLayer(map);
  const entries = [];

  if (config.basemap_url) {
    maplibregl.addProtocol(PROTOCOL, loadImage);
    map.addSource(EXTERNAL, {
      type: "raster", tiles: [protocolUrl(config.basemap_url)], tileSize: 256, maxzoom: 19,
    });
    map.addLayer({ id: EXTERNAL, type: "raster", source: EXTERNAL }, before);
    const host = new URL(config.basemap_url.replace(/[{}]/g, "")).host;
    const external = el("div", { className: "basemap" }, toggle(ctx, ctx.t("basemap.external", { host }), [EXTERNAL]));
    external.style.marginBottom = "6px";
    entries.push(external);
  }

  map.addSource(SOURCE, { type: "vector", url: new URL(config.basemap_tiles, window.location.href).href });
  for (const layer of LAYERS) map.addLayer(layer, before);
  entries.unshift(el(
    "div", { className: "basemap" },
    toggle(ctx, ctx.t("basemap.title"), LAYERS.map((l) => l.id)),
    legend(ctx),
    el("p", { className: "note", textContent: ctx.t("basemap.note") }),
  ));
  const container = document.getElementById("layers");
  if (container) container.append(...entries);
}
