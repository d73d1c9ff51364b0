// The situation panel (#situation): the figures of GET /api/situation (docs/analyses.md): open
// incidents by phase and by type, free shelter places, stock, people living in the hazard zones
// in force; refreshed when the live feed says a layer changed (debounced: a burst of changes is
// one request). A click on a hazard zone asks POST /api/affected-population {hazard_zone_id}
// and shows the people affected in its popup and here.

import { valueLabel } from "./layers.js";

const REFRESH_MS = 800;
const CLOSED = ["resolved", "closed", "cancelled"]; // phases that are no longer open
const LAYERS = ["incidents", "shelters", "stockpiles", "hazard_zones"]; // what the figures read

function number(ctx, n) {
  return Number(n).toLocaleString(ctx.language(), { maximumFractionDigits: 0 });
}

// "label: n" pairs of a {value: count} object, labels translated (layers.json).
function counts(ctx, field, byValue) {
  return Object.entries(byValue || {})
    .map(([value, n]) => ctx.t("situation.pair", { label: valueLabel(ctx, field, value), n: number(ctx, n) }))
    .join(ctx.t("situation.separator"));
}

function row(ctx, label, value, name, title) {
  const tr = ctx.el("tr", {}, ctx.el("th", { scope: "row", textContent: label }),
    ctx.el("td", { textContent: value, title: title || "" }));
  if (name) tr.dataset.figure = name;
  return tr;
}

function peopleText(ctx, answer) {
  if (!answer) return "";
  if (answer.population === null || answer.population === undefined) {
    return ctx.t("situation.population_unknown"); // the server's reason: in the title
  }
  return ctx.t("situation.people", { n: number(ctx, answer.population) });
}

export function init(ctx) {
  const { el, t } = ctx;
  const container = document.getElementById("situation");
  const table = el("table", { className: "situation-figures" });
  const updated = el("p", { className: "situation-updated" });
  const zone = el("div", { className: "situation-zone", hidden: true });
  container.append(table, updated, zone);
  let timer = null;
  let asked = 0; // the newest request: an older answer arriving late is dropped

  function render(report) {
    const rows = [];
    const open = report.open_incidents || {};
    const phases = Object.fromEntries(Object.entries(((report.layers || {}).incidents || {}).by_status || {})
      .filter(([status]) => !CLOSED.includes(status)));
    rows.push(row(ctx, t("situation.open_incidents"), number(ctx, open.total || 0), "open_incidents"));
    if (Object.keys(phases).length) rows.push(row(ctx, t("situation.by_phase"), counts(ctx, "status", phases), "by_phase"));
    if (Object.keys(open.by_type || {}).length) {
      rows.push(row(ctx, t("situation.by_type"), counts(ctx, "incident_type", open.by_type), "by_type"));
    }
    const shelters = report.shelters || {};
    rows.push(row(ctx, t("situation.free_places"), t("situation.free_places_value", {
      n: number(ctx, shelters.free_places || 0),
      open: number(ctx, (shelters.open || {}).free_places || 0),
    }), "free_places"));
    if (shelters.over_capacity) {
      rows.push(row(ctx, t("situation.over_capacity"), t("situation.over_capacity_value", {
        n: number(ctx, shelters.over_capacity), people: number(ctx, shelters.people_over_capacity || 0),
      }), "over_capacity"));
    }
    const stock = Object.entries(report.stock || {}).flatMap(([item, units]) => units.map((u) => (
      t("situation.stock_item", { item, quantity: number(ctx, u.quantity), unit: u.unit || "" }).trim())));
    rows.push(row(ctx, t("situation.stock"), stock.length ? stock.join(t("situation.separator")) : t("situation.none"), "stock"));
    const zones = (report.layers || {}).hazard_zones || {};
    rows.push(row(ctx, t("situation.zones_in_force"), number(ctx, zones.in_force || 0), "zones_in_force"));
    const risk = report.population_in_hazard_zones || {};
    rows.push(row(ctx, t("situation.people_at_risk"),
      risk.zones_in_force ? peopleText(ctx, risk) : t("situation.no_zone"), "people_at_risk",
      risk.reason));
    table.replaceChildren(...rows);
    updated.textContent = t("situation.updated", {
      time: new Date(report.as_of || report.at).toLocaleTimeString(ctx.language(), { hour12: false }),
    });
  }

  async function refresh() {
    const mine = ++asked;
    const asOf = ctx.asOf ? `?as_of=${encodeURIComponent(ctx.asOf)}` : "";
    const result = await ctx.api(`/api/situation${asOf}`);
    if (mine !== asked) return;
    if (!result.ok) { updated.textContent = t("situation.unavailable", { problem: ctx.problem(result) }); return; }
    render(result.data);
    container.dataset.refreshed = String(Number(container.dataset.refreshed || 0) + 1);
    ctx.emit("situation", result.data);
  }

  function soon() {
    clearTimeout(timer);
    timer = setTimeout(refresh, REFRESH_MS);
  }

  // A hazard zone clicked: its affected population, in the popup (kept when popup.js fills the
  // popup again with the zone's record) and in the panel.
  let shown = null; // { popup, line }
  ctx.on("feature-clicked", async ({ layer, feature, popup, content }) => {
    if (layer !== "hazard_zones") return;
    const id = feature.properties.id ?? feature.id;
    const line = el("p", { className: "affected", textContent: t("situation.affected_asking") });
    content.append(line);
    shown = { popup, line };
    const body = { hazard_zone_id: Number(id) };
    if (ctx.asOf) body.as_of = ctx.asOf;
    const result = await ctx.api("/api/affected-population", { method: "POST", body });
    const text = result.ok
      ? t("situation.affected", { n: peopleText(ctx, result.data), source: result.data.source || "" })
      : t("situation.affected_failed", { problem: ctx.problem(result) });
    line.textContent = text;
    line.dataset.population = result.ok ? String(result.data.population) : "";
    line.title = (result.ok && result.data.reason) || "";
    zone.replaceChildren(el("strong", { textContent: t("situation.zone", { name: feature.properties.name || id }) }),
      el("p", { textContent: text }));
    zone.hidden = false;
    zone.dataset.zone = String(id);
    zone.dataset.population = line.dataset.population;
  });
  ctx.on("feature-record", ({ popup, content }) => {
    if (shown && shown.popup === popup && !content.contains(shown.line)) content.append(shown.line);
  });

  ctx.on("feature-changed", (event) => { if (LAYERS.includes(event.layer)) soon(); });
  ctx.on("live", ({ state }) => { if (state === "live") soon(); });
  // replay (replay.js) sets ctx.asOf and says so: the figures follow the instant shown
  ctx.on("replay-start", () => soon());
  ctx.on("replay-end", () => soon());
  ctx.situation = { refresh };
  return refresh();
}
