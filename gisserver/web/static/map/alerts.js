// The alerts panel (#alerts): the open alerts (GET /api/alerts: active and acknowledged),
// newest first, each with its severity in colour and in words, what the rule found and when;
// a click (or Enter) zooms to it; acknowledge and resolve (operator key) through the same API
// other systems use, a refusal (401, 403, 409) said in words. Refreshed on every alert event of
// the live feed. A new extreme alert flashes the panel and, if switched on (remembered in
// localStorage), beeps (WebAudio: no sound file).

const SOUND_KEY = "gisserver.alerts.sound";
const SEVERITIES = ["extreme", "severe", "moderate", "minor", "unknown"];
const REFRESH_MS = 150; // alert events close together refresh the list once

let audio = null;

// A short two-tone beep; browsers allow sound only after the page had a user gesture (the
// switch is one), else this stays silent and the flash alone shows the alert.
function beep() {
  try {
    audio = audio || new AudioContext();
    if (audio.state === "suspended") audio.resume();
    const now = audio.currentTime;
    for (const [offset, frequency] of [[0, 880], [0.25, 660]]) {
      const tone = audio.createOscillator();
      const gain = audio.createGain();
      tone.frequency.value = frequency;
      gain.gain.setValueAtTime(0.2, now + offset);
      gain.gain.exponentialRampToValueAtTime(0.001, now + offset + 0.2);
      tone.connect(gain).connect(audio.destination);
      tone.start(now + offset);
      tone.stop(now + offset + 0.22);
    }
    return true;
  } catch (error) {
    return false;
  }
}

function clock(ctx, iso) {
  if (!iso) return "";
  const date = new Date(iso);
  return Number.isNaN(date.getTime()) ? ""
    : date.toLocaleTimeString(ctx.language(), { hour: "2-digit", minute: "2-digit", hour12: false });
}

// [west, south, east, north] of a GeoJSON geometry.
function bounds(geometry) {
  const box = [Infinity, Infinity, -Infinity, -Infinity];
  const walk = (coords) => {
    if (typeof coords[0] === "number") {
      box[0] = Math.min(box[0], coords[0]); box[1] = Math.min(box[1], coords[1]);
      box[2] = Math.max(box[2], coords[0]); box[3] = Math.max(box[3], coords[1]);
    } else {
      coords.forEach(walk);
    }
  };
  if (geometry && geometry.coordinates) walk(geometry.coordinates);
  return box[0] === Infinity ? null : box;
}

export function zoomTo(ctx, geometry) {
  const box = bounds(geometry);
  if (!box) return;
  if (box[0] === box[2] && box[1] === box[3]) {
    ctx.map.flyTo({ center: [box[0], box[1]], zoom: Math.max(ctx.map.getZoom(), 16) });
  } else {
    ctx.map.fitBounds([[box[0], box[1]], [box[2], box[3]]], { padding: ctx.padding, maxZoom: 16 });
  }
}

// "incidents/12" in words: the layer's title (layers.json) and the id.
function subjectText(ctx, subject) {
  const [layer, id] = String(subject || "").split("/");
  return ctx.has(`layer.${layer}`) ? ctx.t("alerts.subject", { layer: ctx.t(`layer.${layer}`), id }) : subject;
}

// Names of what the rule found (zones, shelter, stockpile, camera): data, shown as it is.
function names(details) {
  const found = [];
  for (const zone of (details && details.zones) || []) if (zone && zone.name) found.push(zone.name);
  for (const key of ["shelter", "stockpile", "camera", "zone"]) {
    const thing = details && details[key];
    if (thing && thing.name) found.push(thing.name);
  }
  return found;
}

export function init(ctx) {
  const { el, t } = ctx;
  const container = document.getElementById("alerts");
  const section = document.getElementById("section-alerts");
  const summary = section && section.querySelector("summary");
  const list = el("ol", { className: "alert-list" });
  const empty = el("p", { className: "alert-empty", textContent: t("alerts.loading") });
  const sound = el("input", { type: "checkbox", checked: localStorage.getItem(SOUND_KEY) !== "off" });
  sound.addEventListener("change", () => {
    localStorage.setItem(SOUND_KEY, sound.checked ? "on" : "off");
    if (sound.checked) beep(); // a gesture: unlocks the sound, and lets the officer hear it
  });
  const soundLabel = el("label", { className: "alert-sound" }, sound, " ", t("alerts.sound"));
  container.append(soundLabel, empty, list);
  container.dataset.beeps = "0";
  container.dataset.flashes = "0";

  const seen = new Set(); // alert ids already shown (a new one is news)
  let loaded = false;
  let timer = null;

  function flash() {
    container.dataset.flashes = String(Number(container.dataset.flashes) + 1);
    if (section) {
      section.open = true;
      section.classList.remove("alert-flash");
      void section.offsetWidth; // restarts the animation
      section.classList.add("alert-flash");
    }
    if (sound.checked && beep()) container.dataset.beeps = String(Number(container.dataset.beeps) + 1);
  }

  async function act(alert, action, button) {
    button.disabled = true;
    const result = await ctx.api(`/api/alerts/${encodeURIComponent(alert.id)}/${action}`, {
      method: "POST", body: {},
    });
    button.disabled = false;
    if (!result.ok) {
      const key = `alerts.refused.${result.status}`;
      const words = ctx.has(key) ? t(key) : t("alerts.refused.other");
      ctx.say(`${words} ${ctx.problem(result)}`);
      return;
    }
    ctx.say(t(`alerts.done.${action}`, { id: alert.id }));
    refresh();
  }

  function item(alert) {
    const p = alert.properties;
    const severity = SEVERITIES.includes(p.severity) ? p.severity : "unknown";
    const rule = ctx.has(`alerts.rule.${p.rule}`) ? t(`alerts.rule.${p.rule}`) : p.rule;
    const found = names(p.details);
    const zoom = el("button", { type: "button", className: "alert-zoom", title: t("alerts.zoom") },
      el("span", { className: `alert-severity severity-${severity}`, textContent: t(`alerts.severity.${severity}`) }),
      " ",
      el("span", { className: "alert-rule", textContent: rule }));
    zoom.addEventListener("click", () => zoomTo(ctx, alert.geometry));
    const facts = el("div", { className: "alert-facts" },
      el("span", { textContent: subjectText(ctx, p.subject) }),
      found.length ? el("span", { className: "alert-names", textContent: found.join(", ") }) : null,
      el("span", { textContent: t("alerts.raised_at", { time: clock(ctx, p.raised_at) }) }),
      el("span", { className: `alert-status status-${p.status}`, textContent: t(`alerts.status.${p.status}`) }));
    const actions = el("div", { className: "alert-actions editing" });
    if (p.status === "active") {
      const ack = el("button", { type: "button", className: "alert-ack", textContent: t("alerts.ack") });
      ack.addEventListener("click", () => act(alert, "ack", ack));
      actions.append(ack);
    }
    const resolve = el("button", { type: "button", className: "alert-resolve", textContent: t("alerts.resolve") });
    resolve.addEventListener("click", () => act(alert, "resolve", resolve));
    actions.append(resolve);
    const li = el("li", { className: `alert severity-${severity} status-${p.status}` }, zoom, facts, actions);
    li.dataset.id = alert.id;
    li.dataset.rule = p.rule;
    li.dataset.subject = p.subject;
    li.dataset.status = p.status;
    li.dataset.severity = severity;
    return li;
  }

  async function refresh() {
    const result = await ctx.api("/api/alerts?status=active,acknowledged&limit=100");
    if (!result.ok) {
      empty.textContent = t("alerts.unavailable", { problem: ctx.problem(result) });
      empty.hidden = false;
      return;
    }
    const alerts = result.data.features || [];
    // Newest first: the server's order (raised_at descending); kept explicit here.
    alerts.sort((a, b) => String(b.properties.raised_at).localeCompare(String(a.properties.raised_at)));
    let news = false;
    for (const alert of alerts) {
      if (!seen.has(alert.id)) {
        seen.add(alert.id);
        if (loaded && alert.properties.status === "active" && alert.properties.severity === "extreme") news = true;
      }
    }
    loaded = true;
    list.replaceChildren(...alerts.map(item));
    empty.textContent = t("alerts.none");
    empty.hidden = alerts.length > 0;
    const active = alerts.filter((a) => a.properties.status === "active").length;
    if (summary) summary.textContent = active ? t("alerts.title_count", { n: active }) : t("alerts.title");
    container.dataset.count = String(alerts.length);
    if (news) flash();
    ctx.emit("alerts-shown", { alerts });
  }

  function soon() {
    clearTimeout(timer);
    timer = setTimeout(refresh, REFRESH_MS);
  }

  ctx.on("alert-changed", (event) => {
    const p = event.alert && event.alert.properties;
    // An extreme alert raised while the list is open: flash at once, before the refresh.
    if (p && loaded && event.operation === "create" && p.status === "active" && p.severity === "extreme"
        && !seen.has(event.featureId)) {
      seen.add(event.featureId);
      flash();
    }
    soon();
  });
  ctx.on("live", ({ state }) => { if (state === "live") soon(); });
  ctx.alerts = { refresh, zoomTo: (geometry) => zoomTo(ctx, geometry) };
  return refresh();
}
