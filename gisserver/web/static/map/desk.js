// The duty desk: sign in with an API key, report an incident by clicking the map, change a
// shelter's status and occupancy, move an incident through its phases, ask for the nearest
// units and send them. Every change goes through the APIs other systems use (OGC API -
// Features writes, /api/incidents); what the server refuses is shown in words. Editing
// controls carry the class "editing" (the wall hides them).

import { valueLabel } from "./layers.js";

// layers/incidents.yaml, lifecycle.transitions: the moves offered from each phase (the server
// checks each move again; one it refuses is a 409 shown in words). tests/test_cop_desk.py
// compares this table with the layer's configuration.
export const MOVES = {
  reported: ["verified", "responding", "cancelled"],
  verified: ["responding", "contained", "resolved", "cancelled"],
  responding: ["contained", "resolved"],
  contained: ["responding", "resolved"],
  resolved: ["closed", "responding"],
  closed: [],
  cancelled: [],
};
const NAME_KEY = "gisserver.keyname";
const ITEMS = (layer) => `/ogc/collections/${encodeURIComponent(layer)}/items`;
const schemas = {};

// The values a layer's fields take ({field: [values]}), from the layer's published schema
// (/ogc/collections/{id}/schema): the page copies no enumeration of layers/*.yaml.
export async function enums(ctx, layer) {
  if (!schemas[layer]) {
    schemas[layer] = ctx.api(`/ogc/collections/${layer}/schema?f=json`).then((result) => {
      const found = {};
      for (const [name, field] of Object.entries((result.ok && result.data.properties) || {})) {
        // pygeoapi's schema names them "values"; a list field's are its items' "enum"
        const values = field.enum || field.values || (field.items && (field.items.enum || field.items.values));
        if (values) found[name] = values;
      }
      return found;
    });
  }
  return schemas[layer];
}

export function select(ctx, field, values, chosen) {
  const node = ctx.el("select", { name: field });
  for (const value of values) {
    node.append(ctx.el("option", { value, textContent: valueLabel(ctx, field, value), selected: value === chosen }));
  }
  return node;
}

function labelled(ctx, text, control) {
  return ctx.el("label", { className: "desk-field" }, ctx.el("span", { textContent: text }), control);
}

// A line of words under a form: role=status, so a screen reader says it.
export function output(ctx, className = "desk-out") {
  return ctx.el("p", { className, role: "status" });
}

function tell(node, text, failed = false) {
  node.textContent = text;
  node.classList.toggle("failed", failed);
}

// --- signing in -------------------------------------------------------------------------------

// A valid key gets a stream token (POST /api/events/token, any role); its payload names the key.
async function whoIs(ctx) {
  const result = await ctx.api("/api/events/token", { method: "POST" });
  if (!result.ok) return { error: ctx.problem(result) };
  try {
    const payload = result.data.token.split(".")[0].replace(/-/g, "+").replace(/_/g, "/");
    return { name: JSON.parse(atob(payload)).key };
  } catch (error) {
    return { name: "?" };
  }
}

function renderAccount(ctx) {
  const { el, t } = ctx;
  const box = document.getElementById("account");
  if (!box) return;
  box.classList.add("editing");
  const name = ctx.apiKey() && sessionStorage.getItem(NAME_KEY);
  if (name) {
    const out = el("button", { type: "button", id: "sign-out", textContent: t("desk.sign_out") });
    out.addEventListener("click", () => {
      ctx.setApiKey(null);
      sessionStorage.removeItem(NAME_KEY);
      renderAccount(ctx);
      ctx.say(t("desk.signed_out"));
      ctx.emit("signed-out", {});
    });
    box.replaceChildren(el("span", { id: "who", textContent: t("desk.signed_in", { name }) }), " ", out);
    return;
  }
  const input = el("input", { type: "password", id: "api-key", autocomplete: "off", placeholder: t("desk.key") });
  input.setAttribute("aria-label", t("desk.key"));
  const form = el("form", { id: "sign-in" }, input,
    el("button", { type: "submit", textContent: t("desk.sign_in") }));
  form.addEventListener("submit", async (event) => {
    event.preventDefault();
    const key = input.value.trim();
    input.value = "";
    if (!key) return;
    ctx.setApiKey(key);
    const who = await whoIs(ctx);
    if (who.error) {
      ctx.setApiKey(null);
      ctx.say(t("desk.sign_in_failed", { message: who.error }));
      return;
    }
    sessionStorage.setItem(NAME_KEY, who.name);
    ctx.say("");
    renderAccount(ctx);
    ctx.emit("signed-in", { name: who.name });
  });
  box.replaceChildren(form);
}

// --- reporting an incident ----------------------------------------------------------------------

// POST /ogc/collections/incidents/items: a new incident at lngLat, reported now. One
// Idempotency-Key per form, so that a retried send never makes a second incident.
export function reportIncident(ctx, lngLat, fields, idempotencyKey) {
  const properties = {
    incident_type: fields.incident_type,
    severity: fields.severity,
    reported_at: new Date().toISOString(),
  };
  if (fields.description) properties.description = fields.description;
  const body = {
    type: "Feature",
    geometry: { type: "Point", coordinates: [+lngLat.lng.toFixed(7), +lngLat.lat.toFixed(7)] },
    properties,
  };
  const headers = idempotencyKey ? { "Idempotency-Key": idempotencyKey } : {};
  return ctx.api(ITEMS("incidents"), { method: "POST", body, headers, contentType: "application/geo+json" });
}

// The report form (type, severity, description): onSend(fields) is called with its values.
export async function incidentForm(ctx, { onSend, onCancel, className = "desk-report" }) {
  const { el, t } = ctx;
  const values = await enums(ctx, "incidents");
  const type = select(ctx, "incident_type", values.incident_type || [], null);
  type.prepend(el("option", { value: "", textContent: t("desk.choose"), selected: true, disabled: true }));
  type.required = true;
  const severity = select(ctx, "severity", values.severity || [], "moderate");
  const description = el("textarea", { name: "description", rows: 3 });
  const send = el("button", { type: "submit", className: "primary", textContent: t("desk.send") });
  const form = el("form", { className: `editing ${className}` },
    labelled(ctx, t("field.incident_type"), type),
    labelled(ctx, t("field.severity"), severity),
    labelled(ctx, t("field.description"), description), send);
  if (onCancel) {
    const cancel = el("button", { type: "button", textContent: t("desk.cancel") });
    cancel.addEventListener("click", onCancel);
    form.append(cancel);
  }
  form.addEventListener("submit", async (event) => {
    event.preventDefault();
    send.disabled = true;
    try {
      await onSend({ incident_type: type.value, severity: severity.value, description: description.value.trim() });
    } finally {
      send.disabled = false;
    }
  });
  return form;
}

function reporting(ctx, box) {
  const { el, t, map } = ctx;
  const button = el("button", { type: "button", id: "report", textContent: t("desk.report") });
  button.setAttribute("aria-pressed", "false");
  const place = el("div", { id: "report-form" });
  const out = output(ctx);
  let marker = null;
  const clear = () => { if (marker) marker.remove(); marker = null; place.replaceChildren(); };
  const mode = {
    click: async (lngLat) => {
      clear();
      marker = new maplibregl.Marker({ color: "#b00020" }).setLngLat(lngLat).addTo(map);
      const key = window.crypto && crypto.randomUUID ? crypto.randomUUID() : undefined;
      const form = await incidentForm(ctx, {
        onCancel: () => { clear(); tell(out, ""); },
        onSend: async (fields) => {
          const result = await reportIncident(ctx, lngLat, fields, key);
          if (!result.ok) { tell(out, t("desk.failed", { message: ctx.problem(result) }), true); return; }
          tell(out, t("desk.reported", { id: result.data.id }));
          clear();
          ctx.emit("feature-written", { layer: "incidents", id: result.data.id, feature: result.data });
        },
      });
      place.replaceChildren(el("p", { className: "desk-where", textContent: t("desk.at", {
        lon: lngLat.lng.toFixed(5), lat: lngLat.lat.toFixed(5) }) }), form);
      form.querySelector("select").focus();
    },
    cancel: () => { button.setAttribute("aria-pressed", "false"); button.textContent = t("desk.report"); },
  };
  button.addEventListener("click", () => {
    const on = ctx.clickMode() !== mode;
    ctx.setClickMode(on ? mode : null);
    if (!on) { mode.cancel(); clear(); return; }
    button.setAttribute("aria-pressed", "true");
    button.textContent = t("desk.reporting");
  });
  box.append(el("p", { className: "note", textContent: t("desk.report_note") }), button, place, out);
}

// --- a shelter's status and occupancy -------------------------------------------------------------

// The form reads the shelter afresh (its ETag: the version the officer sees) and writes with
// If-Match: a change made meanwhile by someone else is a 412, never overwritten.
async function shelterForm(ctx, id, holder) {
  const { el, t } = ctx;
  const url = `${ITEMS("shelters")}/${encodeURIComponent(id)}`;
  const read = await ctx.api(`${url}?f=json`);
  if (!read.ok) { holder.replaceChildren(el("p", { className: "failed", textContent: ctx.problem(read) })); return; }
  let etag = read.headers.get("ETag");
  const p = read.data.properties;
  const values = await enums(ctx, "shelters");
  const status = select(ctx, "status", values.status || [p.status], p.status);
  const occupancy = el("input", { type: "number", name: "occupancy", min: 0, step: 1, value: p.occupancy ?? "" });
  const save = el("button", { type: "submit", className: "primary", textContent: t("desk.save") });
  const out = output(ctx);
  const form = el("form", { className: "editing desk-shelter" },
    el("strong", { textContent: t("desk.shelter_edit") }),
    labelled(ctx, t("field.status"), status), labelled(ctx, t("field.occupancy"), occupancy), save, out);
  form.addEventListener("submit", async (event) => {
    event.preventDefault();
    const properties = { status: status.value };
    if (occupancy.value !== "") properties.occupancy = Number(occupancy.value);
    save.disabled = true;
    const result = await ctx.api(url, {
      method: "PATCH", body: { properties }, contentType: "application/merge-patch+json",
      headers: etag ? { "If-Match": etag } : {},
    });
    save.disabled = false;
    if (result.ok) {
      etag = result.headers.get("ETag") || etag;
      tell(out, t("desk.saved"));
      ctx.emit("feature-written", { layer: "shelters", id, feature: result.data });
    } else if (result.status === 412) {
      tell(out, t("desk.stale"), true);
      const reload = el("button", { type: "button", textContent: t("desk.reload") });
      reload.addEventListener("click", () => shelterForm(ctx, id, holder));
      out.append(" ", reload);
    } else if (result.status === 409) {
      tell(out, t("desk.over_capacity", { capacity: p.capacity ?? "?" }), true);
      out.title = ctx.problem(result);
    } else {
      tell(out, t("desk.failed", { message: ctx.problem(result) }), true);
    }
  });
  holder.replaceChildren(form);
}

// --- an incident's phases and its units ------------------------------------------------------------

function etaText(ctx, seconds) {
  return seconds < 90 ? ctx.t("desk.eta_s", { n: Math.round(seconds) })
    : ctx.t("desk.eta_min", { n: Math.round(seconds / 60) });
}

async function unitsBlock(ctx, id, refresh) {
  const { el, t } = ctx;
  const values = await enums(ctx, "units");
  const capabilities = values.capabilities || [];
  const capability = select(ctx, "capability", capabilities, capabilities.includes("ambulance") ? "ambulance" : capabilities[0]);
  const ask = el("button", { type: "button", className: "desk-recommend", textContent: t("desk.recommend") });
  const list = el("ul", { className: "desk-units" });
  const assign = el("button", { type: "button", className: "desk-assign primary", textContent: t("desk.assign"), hidden: true });
  const out = output(ctx);
  ask.addEventListener("click", async () => {
    list.replaceChildren();
    assign.hidden = true;
    tell(out, t("desk.asking"));
    const result = await ctx.api(`/api/incidents/${encodeURIComponent(id)}/recommend?capability=${encodeURIComponent(capability.value)}&k=3`);
    if (!result.ok) { tell(out, t("desk.failed", { message: ctx.problem(result) }), true); return; }
    tell(out, result.data.features.length ? "" : t("desk.no_units"));
    for (const unit of result.data.features) {
      const p = unit.properties;
      const box = el("input", { type: "checkbox", value: String(unit.id) });
      box.dataset.name = p.name;
      list.append(el("li", {}, el("label", {}, box, " ", t("desk.unit", {
        name: p.name, type: valueLabel(ctx, "unit_type", p.unit_type), eta: etaText(ctx, p.eta_s),
        how: t(p.travel === "drive_time" ? "desk.by_road" : "desk.straight_line"),
        distance: p.distance_m < 1000 ? t("unit.m", { n: Math.round(p.distance_m) }) : t("unit.km", { n: (p.distance_m / 1000).toFixed(1) }),
      }))));
    }
    assign.hidden = !result.data.features.length;
  });
  assign.addEventListener("click", async () => {
    const chosen = [...list.querySelectorAll("input:checked")];
    if (!chosen.length) { tell(out, t("desk.choose_units"), true); return; }
    const result = await ctx.api(`/api/incidents/${encodeURIComponent(id)}/assignments`, {
      method: "POST", body: { unit_ids: chosen.map((box) => Number(box.value)) },
    });
    if (!result.ok) { tell(out, t("desk.failed", { message: ctx.problem(result) }), true); return; }
    const names = chosen.map((box) => box.dataset.name);
    list.replaceChildren();
    assign.hidden = true;
    tell(out, t("desk.assigned", { n: chosen.length, names: names.join(", ") }));
    ctx.emit("units-assigned", { incident: id, units: chosen.map((box) => Number(box.value)) });
    refresh(out.textContent);
  });
  return el("div", { className: "desk-dispatch" }, el("strong", { textContent: t("desk.units") }),
    labelled(ctx, t("field.capabilities"), capability), ask, list, assign, out);
}

async function incidentActions(ctx, id, status, holder, said = "") {
  const { el, t } = ctx;
  const note = el("input", { type: "text", name: "note", maxLength: 500, placeholder: t("desk.note") });
  note.setAttribute("aria-label", t("desk.note"));
  const out = output(ctx);
  tell(out, said);
  const refresh = async (text) => {
    const read = await ctx.api(`${ITEMS("incidents")}/${encodeURIComponent(id)}?f=json`);
    if (read.ok) incidentActions(ctx, id, read.data.properties.status, holder, text);
  };
  const moves = el("div", { className: "desk-moves" });
  for (const to of MOVES[status] || []) {
    const button = el("button", { type: "button", textContent: valueLabel(ctx, "status", to) });
    button.dataset.to = to;
    button.addEventListener("click", async () => {
      const body = { to };
      if (note.value.trim()) body.note = note.value.trim();
      const result = await ctx.api(`/api/incidents/${encodeURIComponent(id)}/transition`, { method: "POST", body });
      if (!result.ok) { tell(out, t("desk.failed", { message: ctx.problem(result) }), true); return; }
      ctx.emit("feature-written", { layer: "incidents", id });
      incidentActions(ctx, id, result.data.to, holder, t("desk.moved", {
        id, from: valueLabel(ctx, "status", result.data.from), to: valueLabel(ctx, "status", result.data.to) }));
    });
    moves.append(button);
  }
  const parts = [el("strong", { textContent: t("desk.phase", { status: valueLabel(ctx, "status", status) }) })];
  if ((MOVES[status] || []).length) parts.push(el("p", { className: "desk-move-to", textContent: t("desk.move_to") }), moves, note);
  parts.push(out);
  if (!["resolved", "closed", "cancelled"].includes(status)) parts.push(await unitsBlock(ctx, id, refresh));
  holder.replaceChildren(el("div", { className: "editing desk-incident" }, ...parts));
}

// --- the page ------------------------------------------------------------------------------------

export function init(ctx) {
  if (ctx.config.mode === "wall") return;
  renderAccount(ctx);
  const box = document.getElementById("desk");
  const section = document.getElementById("section-desk");
  if (ctx.config.mode === "field" && section) section.hidden = true;
  if (box) reporting(ctx, box);
  ctx.on("feature-record", ({ layer, id, record, content }) => {
    if (ctx.asOf || (layer !== "shelters" && layer !== "incidents")) return;
    const holder = ctx.el("div", { className: "editing desk-popup" });
    content.append(holder);
    if (layer === "shelters") shelterForm(ctx, id, holder);
    else incidentActions(ctx, id, record.properties.status, holder);
  });
}
