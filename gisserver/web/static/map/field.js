// Field mode (/map?view=field, a phone): report an incident where the phone is, see the nearest
// shelters by drive time (/api/nearest?by=drive_time&route=true) and draw the route to the one
// chosen. Big touch targets; the phone's position comes from navigator.geolocation.

import { incidentForm, output, reportIncident } from "./desk.js";
import { distanceText } from "./nearest.js";
import { valueLabel } from "./layers.js";

const SOURCE = "field";
const EMPTY = { type: "FeatureCollection", features: [] };

function locate() {
  return new Promise((resolve, reject) => {
    if (!navigator.geolocation) { reject(new Error("geolocation")); return; }
    navigator.geolocation.getCurrentPosition(
      (position) => resolve({ lng: position.coords.longitude, lat: position.coords.latitude, accuracy: position.coords.accuracy }),
      (error) => reject(error),
      { enableHighAccuracy: true, timeout: 20000, maximumAge: 10000 },
    );
  });
}

// Where the phone is and the route chosen, drawn above everything else.
function draw(ctx, here, route) {
  const { map } = ctx;
  const features = [];
  if (route) features.push({ type: "Feature", properties: { kind: "route" }, geometry: route });
  if (here) features.push({ type: "Feature", properties: { kind: "here" }, geometry: { type: "Point", coordinates: [here.lng, here.lat] } });
  const data = { type: "FeatureCollection", features };
  if (map.getSource(SOURCE)) { map.getSource(SOURCE).setData(data); return; }
  map.addSource(SOURCE, { type: "geojson", data: data || EMPTY });
  map.addLayer({ id: "field-route-casing", type: "line", source: SOURCE, filter: ["==", ["get", "kind"], "route"],
    layout: { "line-cap": "round", "line-join": "round" }, paint: { "line-color": "#ffffff", "line-width": 9 } });
  map.addLayer({ id: "field-route", type: "line", source: SOURCE, filter: ["==", ["get", "kind"], "route"],
    layout: { "line-cap": "round", "line-join": "round" }, paint: { "line-color": "#0b57d0", "line-width": 5 } });
  map.addLayer({ id: "field-here", type: "circle", source: SOURCE, filter: ["==", ["get", "kind"], "here"],
    paint: { "circle-color": "#0b57d0", "circle-radius": 8, "circle-stroke-color": "#ffffff", "circle-stroke-width": 3 } });
}

function minutes(ctx, seconds) {
  return seconds < 60 ? ctx.t("field.under_a_minute") : ctx.t("field.minutes", { n: Math.round(seconds / 60) });
}

export function init(ctx) {
  const { el, t, map } = ctx;
  const section = document.getElementById("section-field");
  const box = document.getElementById("field");
  if (!box) return;
  if (ctx.config.mode !== "field") { if (section) section.hidden = true; return; }
  if (section) section.open = true;

  const where = el("p", { id: "field-where", className: "note", textContent: t("field.note") });
  const report = el("button", { type: "button", id: "field-report", className: "big editing", textContent: t("field.report_here") });
  const formPlace = el("div", { id: "field-form" });
  const find = el("button", { type: "button", id: "field-find", className: "big", textContent: t("field.shelters") });
  const list = el("ol", { id: "field-shelters" });
  const out = output(ctx, "field-out");
  let here = null;
  let route = null;
  const tell = (text, failed = false) => { out.textContent = text; out.classList.toggle("failed", failed); };

  async function position() {
    tell(t("field.locating"));
    try {
      here = await locate();
    } catch (error) {
      tell(t("field.no_location", { message: error.message || String(error.code) }), true);
      return null;
    }
    where.textContent = t("field.here", { lat: here.lat.toFixed(5), lon: here.lng.toFixed(5), accuracy: Math.round(here.accuracy) });
    draw(ctx, here, route);
    tell("");
    return here;
  }

  report.addEventListener("click", async () => {
    const at = await position();
    if (!at) return;
    map.easeTo({ center: [at.lng, at.lat], zoom: Math.max(map.getZoom(), 16) });
    const key = window.crypto && crypto.randomUUID ? crypto.randomUUID() : undefined;
    const form = await incidentForm(ctx, {
      className: "field-report",
      onCancel: () => formPlace.replaceChildren(),
      onSend: async (fields) => {
        const result = await reportIncident(ctx, at, fields, key);
        if (!result.ok) { tell(t("field.failed", { message: ctx.problem(result) }), true); return; }
        formPlace.replaceChildren();
        tell(t("field.reported", { id: result.data.id }));
        ctx.emit("feature-written", { layer: "incidents", id: result.data.id, feature: result.data });
      },
    });
    formPlace.replaceChildren(form);
    form.querySelector("select").focus();
  });

  find.addEventListener("click", async () => {
    const at = await position();
    if (!at) return;
    list.replaceChildren();
    tell(t("field.asking"));
    const result = await ctx.api(`/api/nearest?layer=shelters&by=drive_time&k=3&route=true` +
      `&lon=${at.lng.toFixed(6)}&lat=${at.lat.toFixed(6)}`);
    if (!result.ok) { tell(t("field.failed", { message: ctx.problem(result) }), true); return; }
    const shelters = result.data.features;
    tell(shelters.length ? t("field.choose") : t("field.none"));
    for (const shelter of shelters) {
      const p = shelter.properties;
      const free = p.free_capacity === null || p.free_capacity === undefined
        ? t("field.free_unknown") : t("field.free", { n: p.free_capacity });
      const button = el("button", { type: "button", className: "big shelter", textContent: t("field.shelter", {
        name: p.name || t("field.unnamed", { id: shelter.id }),
        time: minutes(ctx, p.travel_time_s),
        distance: distanceText(ctx, p.length_m ?? p.distance_m),
        status: valueLabel(ctx, "status", p.status), free }) });
      button.setAttribute("aria-pressed", "false");
      button.dataset.id = String(shelter.id);
      button.addEventListener("click", () => {
        for (const other of list.querySelectorAll("button")) other.setAttribute("aria-pressed", "false");
        button.setAttribute("aria-pressed", "true");
        route = p.route || null;
        draw(ctx, here, route);
        const points = route ? route.coordinates : [[at.lng, at.lat], shelter.geometry.coordinates];
        const bounds = points.reduce((b, c) => b.extend(c), new maplibregl.LngLatBounds(points[0], points[0]));
        map.fitBounds(bounds, { padding: { top: 60, bottom: Math.round(window.innerHeight * 0.5), left: 30, right: 30 }, maxZoom: 17 });
        tell(route ? t("field.route", { name: p.name || shelter.id, time: minutes(ctx, p.travel_time_s) }) : t("field.no_route"));
      });
      list.append(el("li", {}, button));
    }
  });

  box.append(where, report, formPlace, find, list, out);
}
