// Nearest shelters: pick a status, press the button, click the map: the three nearest shelters
// from /api/nearest, with geodesic distance, compass direction, status and free places, and
// dashed lines to them.

export function distanceText(ctx, metres) {
  return metres < 1000
    ? ctx.t("unit.m", { n: Math.round(metres) })
    : ctx.t("unit.km", { n: (metres / 1000).toFixed(2) });
}

function compass(ctx, bearing) {
  if (bearing === null || bearing === undefined) return "";
  return ctx.t(`compass.${["N", "NE", "E", "SE", "S", "SW", "W", "NW"][Math.round(bearing / 45) % 8]}`);
}

async function ask(ctx, lngLat) {
  const { el, map, t } = ctx;
  const list = document.getElementById("nearest-list");
  list.replaceChildren();
  const status = document.getElementById("shelter-status").value;
  ctx.say(t("nearest.asking"));
  const url = `/api/nearest?layer=shelters&k=3&lon=${lngLat.lng.toFixed(6)}&lat=${lngLat.lat.toFixed(6)}` +
    (status ? `&status=${status}` : "");
  const result = await ctx.api(url);
  if (!result.ok) { ctx.say(ctx.problem(result)); return; }
  const answer = result.data;
  ctx.say(answer.features.length ? "" : t("nearest.none"));
  const lines = [];
  for (const feature of answer.features) {
    const p = feature.properties;
    const free = p.free_capacity === null || p.free_capacity === undefined
      ? t("nearest.free_unknown") : t("nearest.free", { n: p.free_capacity });
    const item = el("li", {
      textContent: t("nearest.item", {
        name: p.name || t("nearest.unnamed", { id: feature.id }),
        distance: distanceText(ctx, p.distance_m),
        direction: compass(ctx, p.bearing_deg),
        status: t(`value.status.${p.status}`),
        free,
      }),
      tabIndex: 0,
    });
    item.title = p.address || "";
    const go = () => map.flyTo({ center: feature.geometry.coordinates, zoom: Math.max(map.getZoom(), 15) });
    item.addEventListener("click", go);
    item.addEventListener("keydown", (event) => { if (event.key === "Enter") go(); });
    list.append(item);
    lines.push({ type: "Feature", properties: {}, geometry: { type: "LineString", coordinates: [[lngLat.lng, lngLat.lat], feature.geometry.coordinates] } });
  }
  const data = { type: "FeatureCollection", features: [...lines, { type: "Feature", properties: {}, geometry: { type: "Point", coordinates: [lngLat.lng, lngLat.lat] } }] };
  if (map.getSource("nearest")) {
    map.getSource("nearest").setData(data);
  } else {
    map.addSource("nearest", { type: "geojson", data });
    map.addLayer({ id: "nearest-lines", type: "line", source: "nearest", filter: ["==", ["geometry-type"], "LineString"],
                   paint: { "line-color": "#1a9641", "line-width": 2, "line-dasharray": [2, 2] } });
    map.addLayer({ id: "nearest-point", type: "circle", source: "nearest", filter: ["==", ["geometry-type"], "Point"],
                   paint: { "circle-color": "#000", "circle-radius": 5, "circle-stroke-color": "#fff", "circle-stroke-width": 2 } });
  }
}

export function init(ctx) {
  const button = document.getElementById("ask");
  if (!button) return;
  const mode = {
    click: (lngLat) => ask(ctx, lngLat),
    cancel: () => { button.setAttribute("aria-pressed", "false"); button.textContent = ctx.t("nearest.ask"); },
  };
  button.addEventListener("click", () => {
    const on = ctx.clickMode() !== mode;
    ctx.setClickMode(on ? mode : null);
    if (!on) mode.cancel();
    button.setAttribute("aria-pressed", String(on));
    button.textContent = on ? ctx.t("nearest.asking_click") : ctx.t("nearest.ask");
  });
}
