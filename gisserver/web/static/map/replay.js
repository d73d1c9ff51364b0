// Replay: the situation at a past instant. A slider over the last 24 hours (and a date-and-time
// field for any instant) sets ctx.asOf; the live vector-tile layers are hidden and the same
// layers are drawn from the items pages as they were then (/ogc/collections/{id}/items?bbox=
// <view>&as_of=..., see docs/replay.md), each style layer copied onto a GeoJSON source so that
// the colours are the style's own. "Back to live" puts the tiles back. Other parts hear
// "replay-start" {asOf} (each instant shown) and "replay-end".

import { valueLabel } from "./layers.js";

const PREFIX = "replay-";
const PAGE = 5000; // features per items page (the server's maximum is 10,000)
const MAX_PER_LAYER = 20000; // beyond this a layer is drawn in part, and the page says so
const WINDOW_MIN = 24 * 60; // the slider's reach, minutes back from now

let shown = null; // { asOf, hidden: {styleLayerId: visibility}, generation }
let generation = 0;

function localPath(href) {
  const url = new URL(href, window.location.href);
  return url.pathname + url.search;
}

// The view's bounding box, clamped to the world.
function viewBbox(map) {
  const b = map.getBounds();
  const clamp = (v, lim) => Math.max(-lim, Math.min(lim, v)).toFixed(6);
  return [clamp(b.getWest(), 180), clamp(b.getSouth(), 90), clamp(b.getEast(), 180), clamp(b.getNorth(), 90)].join(",");
}

// A layer's features in the box as of the instant, page after page up to MAX_PER_LAYER.
async function fetchLayer(ctx, layer, bbox, asOf) {
  let url = `/ogc/collections/${encodeURIComponent(layer)}/items?f=json&bbox=${bbox}` +
    `&as_of=${encodeURIComponent(asOf)}&limit=${PAGE}`;
  const features = [];
  while (url && features.length < MAX_PER_LAYER) {
    const result = await ctx.api(url);
    if (!result.ok) throw new Error(ctx.problem(result));
    for (const feature of result.data.features) {
      // The tiles carry the id as a property; so do these (popups and tests read it there).
      features.push({ ...feature, properties: { ...feature.properties, id: feature.id } });
    }
    const next = (result.data.links || []).find((link) => link.rel === "next");
    url = next && result.data.features.length === PAGE ? localPath(next.href) : null;
  }
  return { features, partial: Boolean(url) };
}

// Which layers the style draws (its metadata) and their style layers, as loaded.
function styleLayers(ctx) {
  const style = ctx.map.getStyle();
  const ids = (style.metadata || {})["gisserver:layers"] || [];
  return { ids, layers: style.layers.filter((l) => ids.includes(l["source-layer"]) && ctx.featureLayerIds.includes(l.id)) };
}

function addCopies(ctx, drawn) {
  const { map } = ctx;
  const { ids, layers } = styleLayers(ctx);
  for (const id of ids) {
    if (!map.getSource(PREFIX + id)) map.addSource(PREFIX + id, { type: "geojson", data: { type: "FeatureCollection", features: [] } });
  }
  for (const layer of layers) {
    if (map.getLayer(PREFIX + layer.id)) continue;
    const copy = { ...layer, id: PREFIX + layer.id, source: PREFIX + layer["source-layer"] };
    delete copy["source-layer"];
    copy.metadata = { ...(layer.metadata || {}), "gisserver:layer": layer["source-layer"] };
    copy.layout = { ...(layer.layout || {}), visibility: drawn[layer.id] || "visible" };
    map.addLayer(copy, layer.id); // just under the tile layer it copies: the same order
  }
}

function replayLayerIds(ctx) {
  return styleLayers(ctx).layers.map((l) => PREFIX + l.id).filter((id) => ctx.map.getLayer(id));
}

function timeText(ctx, date) {
  return new Intl.DateTimeFormat(ctx.language(), { dateStyle: "medium", timeStyle: "medium" }).format(date);
}

function localInput(date) {
  const pad = (n) => String(n).padStart(2, "0");
  return `${date.getFullYear()}-${pad(date.getMonth() + 1)}-${pad(date.getDate())}T` +
    `${pad(date.getHours())}:${pad(date.getMinutes())}:${pad(date.getSeconds())}`;
}

// A click while replaying: the feature as it was (the popup's record as of the instant).
function popupAt(ctx, event) {
  const [feature] = ctx.map.queryRenderedFeatures(event.point, { layers: replayLayerIds(ctx) });
  if (!feature) return;
  const { el, t } = ctx;
  const layer = feature.layer.metadata["gisserver:layer"];
  const table = el("table");
  for (const [name, value] of Object.entries(feature.properties)) {
    if (value === null || value === undefined || (typeof value === "string" && /^[[{]/.test(value))) continue;
    const text = typeof value === "string" ? valueLabel(ctx, name, value) : String(value);
    table.append(el("tr", {}, el("th", { textContent: t(`field.${name}`) }), el("td", { textContent: text })));
  }
  const content = el("div", { className: "popup" },
    el("strong", { textContent: `${t(`layer.${layer}`)} ${feature.properties.id ?? ""}` }),
    el("p", { className: "replay-when", textContent: t("replay.as_of", { when: timeText(ctx, new Date(ctx.asOf)) }) }), table);
  new maplibregl.Popup({ maxWidth: "340px" }).setLngLat(event.lngLat).setDOMContent(content).addTo(ctx.map);
}

export function init(ctx) {
  const { el, t, map } = ctx;
  const box = document.getElementById("replay");
  const section = document.getElementById("section-replay");
  if (!box) return;
  if (ctx.config.mode === "field") { if (section) section.hidden = true; return; }

  const slider = el("input", { type: "range", id: "replay-slider", min: -WINDOW_MIN, max: 0, step: 1, value: 0 });
  slider.setAttribute("aria-label", t("replay.slider"));
  const when = el("output", { id: "replay-when", textContent: t("replay.live") });
  const at = el("input", { type: "datetime-local", id: "replay-at", step: 1 });
  const show = el("button", { type: "button", id: "replay-show", textContent: t("replay.show") });
  const live = el("button", { type: "button", id: "replay-live", textContent: t("replay.back_to_live"), hidden: true });
  const status = el("p", { id: "replay-status", role: "status" });
  const mode = { click: (lngLat, event) => popupAt(ctx, event), cancel: () => {} };

  const instantOf = () => new Date(Date.now() + Number(slider.value) * 60000);
  const say = (text, failed = false) => { status.textContent = text; status.classList.toggle("failed", failed); };

  async function draw(instant) {
    const mine = ++generation;
    const asOf = instant.toISOString();
    if (!shown) {
      const drawn = {};
      for (const id of ctx.featureLayerIds) {
        drawn[id] = map.getLayoutProperty(id, "visibility") || "visible";
        map.setLayoutProperty(id, "visibility", "none");
      }
      shown = { hidden: drawn };
      addCopies(ctx, drawn);
      document.body.classList.add("replaying");
      ctx.setClickMode(mode);
    }
    shown.asOf = asOf;
    ctx.asOf = asOf;
    live.hidden = false;
    when.textContent = timeText(ctx, instant);
    say(t("replay.loading"));
    ctx.emit("replay-start", { asOf });
    const bbox = viewBbox(map);
    try {
      const { ids } = styleLayers(ctx);
      const answers = await Promise.all(ids.map((id) => fetchLayer(ctx, id, bbox, asOf)));
      if (mine !== generation || !shown) return;
      let count = 0;
      let partial = false;
      ids.forEach((id, i) => {
        map.getSource(PREFIX + id).setData({ type: "FeatureCollection", features: answers[i].features });
        count += answers[i].features.length;
        partial = partial || answers[i].partial;
      });
      say(t(partial ? "replay.showing_part" : "replay.showing", { when: timeText(ctx, instant), n: count }));
      box.dataset.asOf = asOf; // for the tests: the instant whose features are drawn
    } catch (error) {
      if (mine === generation) say(t("replay.failed", { message: error.message }), true);
    }
  }

  function backToLive() {
    generation += 1;
    if (!shown) return;
    for (const id of replayLayerIds(ctx)) map.removeLayer(id);
    for (const id of styleLayers(ctx).ids) if (map.getSource(PREFIX + id)) map.removeSource(PREFIX + id);
    for (const [id, visibility] of Object.entries(shown.hidden)) map.setLayoutProperty(id, "visibility", visibility);
    shown = null;
    ctx.asOf = null;
    delete box.dataset.asOf;
    document.body.classList.remove("replaying");
    if (ctx.clickMode() === mode) ctx.setClickMode(null);
    slider.value = 0;
    at.value = "";
    when.textContent = t("replay.live");
    live.hidden = true;
    say(t("replay.live_again"));
    ctx.emit("replay-end", {});
  }

  slider.addEventListener("input", () => {
    when.textContent = Number(slider.value) === 0 ? t("replay.live") : timeText(ctx, instantOf());
  });
  slider.addEventListener("change", () => {
    if (Number(slider.value) === 0) backToLive();
    else draw(instantOf());
  });
  const showTyped = () => {
    if (!at.value) { say(t("replay.no_instant"), true); return; }
    const instant = new Date(at.value); // the field's local time
    if (Number.isNaN(instant.getTime())) { say(t("replay.no_instant"), true); return; }
    if (instant.getTime() >= Date.now()) { say(t("replay.future"), true); return; }
    const back = Math.round((instant.getTime() - Date.now()) / 60000);
    slider.value = Math.max(-WINDOW_MIN, Math.min(-1, back));
    draw(instant);
  };
  show.addEventListener("click", showTyped);
  at.addEventListener("keydown", (event) => { if (event.key === "Enter") showTyped(); });
  at.addEventListener("focus", () => { at.max = localInput(new Date()); });
  live.addEventListener("click", backToLive);
  let moved = null;
  map.on("moveend", () => {
    if (!shown) return;
    clearTimeout(moved);
    moved = setTimeout(() => { if (shown) draw(new Date(shown.asOf)); }, 300);
  });

  box.append(
    el("p", { className: "note", textContent: t("replay.note") }),
    el("div", { className: "replay-scale" }, el("span", { textContent: t("replay.ago") }), slider, el("span", { textContent: t("replay.now") })),
    when,
    el("label", { className: "desk-field" }, el("span", { textContent: t("replay.instant") }), at),
    show, live, status,
  );
}
