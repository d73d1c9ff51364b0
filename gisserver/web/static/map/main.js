// The common operating picture: one page for the command centre's wall (view=wall), the duty
// desk (the default) and the field (view=field). It boots the map and hands a shared context
// to each part of the page (one module per part: layers, live, alerts, situation, desk,
// replay, field, wall, basemap, nearest), so the parts stay apart.

import { api, apiKey, problem, setApiKey } from "./api.js";
import { el, say } from "./dom.js";
import * as i18n from "./i18n.js";
import * as alerts from "./alerts.js";
import * as basemap from "./basemap.js";
import * as desk from "./desk.js";
import * as field from "./field.js";
import * as layers from "./layers.js";
import * as live from "./live.js";
import * as nearest from "./nearest.js";
import * as popup from "./popup.js";
import * as replay from "./replay.js";
import * as situation from "./situation.js";
import * as wall from "./wall.js";

const config = JSON.parse(document.getElementById("config").textContent);
// Keeps a view's bounds clear of the panel on the left (none on the wall).
const PADDING = config.mode === "wall"
  ? { top: 60, bottom: 20, right: 20, left: 20 }
  : { top: 60, bottom: 20, right: 20, left: 300 };

async function boot() {
  const lang = i18n.chooseLanguage(config.lang);
  await i18n.loadLanguage(config.static, lang);
  i18n.translatePage();
  document.title = i18n.t("app.title");

  const area = config.areas[config.area];
  const map = new maplibregl.Map({
    container: "map",
    style: config.style,
    bounds: area.bounds,
    fitBoundsOptions: { padding: PADDING },
    hash: true, // #zoom/lat/lon: a view can be shared, a wall screen bookmarked
    attributionControl: { compact: true },
  });
  window.map = map; // for the browser tests and for a curious duty officer's console
  map.addControl(new maplibregl.NavigationControl(), "top-right");
  map.addControl(new maplibregl.ScaleControl({ unit: "metric" }), "bottom-right");
  map.on("error", (event) => say(i18n.t("map.error", { message: event.error && event.error.message })));
  // The parts start once the style has loaded (its "load" event fires once: a part that adds a
  // source makes isStyleLoaded() false again for a while, so none of them waits on it).
  await new Promise((resolve) => {
    if (map.loaded()) resolve();
    else map.once("load", resolve);
  });

  // One click mode at a time (asking for nearest shelters, placing a report...); without
  // one, a click opens the feature's popup.
  let clickMode = null;
  const ctx = {
    map, config, padding: PADDING, bus: new EventTarget(),
    t: i18n.t, has: i18n.has, language: i18n.language, translatePage: i18n.translatePage,
    el, say, api, apiKey, setApiKey, problem,
    featureLayerIds: [],
    setClickMode(mode) {
      if (clickMode && clickMode !== mode && clickMode.cancel) clickMode.cancel();
      clickMode = mode;
      map.getCanvas().classList.toggle("asking", Boolean(mode));
    },
    clickMode: () => clickMode,
    emit(type, detail) { ctx.bus.dispatchEvent(new CustomEvent(type, { detail })); },
    on(type, handler) { ctx.bus.addEventListener(type, (event) => handler(event.detail)); },
  };

  map.on("click", (event) => {
    if (clickMode) { clickMode.click(event.lngLat, event); return; }
    popup.click(ctx, event);
  });
  map.on("mousemove", (event) => {
    if (clickMode || !ctx.featureLayerIds.length) return;
    const hit = map.queryRenderedFeatures(event.point, { layers: ctx.featureLayerIds }).length > 0;
    map.getCanvas().style.cursor = hit ? "pointer" : "";
  });

  // Areas of interest: jump buttons (the wall cycles through them).
  const areas = document.getElementById("areas");
  for (const [id, view] of Object.entries(config.areas)) {
    const button = el("button", { type: "button", textContent: i18n.t(`area.${id}`) });
    button.addEventListener("click", () => map.fitBounds(view.bounds, { padding: PADDING }));
    areas.append(button);
  }

  // The language switch: the choice is remembered, the page reloads in it (same view: hash).
  const switcher = document.getElementById("lang");
  for (const [code, name] of Object.entries(i18n.LANGUAGES)) {
    switcher.append(el("option", { value: code, textContent: name, selected: code === lang }));
  }
  switcher.addEventListener("change", () => {
    i18n.remember(switcher.value);
    const url = new URL(window.location.href);
    url.searchParams.set("lang", switcher.value);
    window.location.assign(url.toString());
  });

  const start = async (part) => {
    try {
      await part.init(ctx);
    } catch (error) {
      say(i18n.t("part.failed", { message: error.message }));
      console.error(error);
    }
  };
  // The map's own parts in turn (the layers list reads what the basemap added; the popup and the
  // feed need the layers), then the panels side by side: none waits for another's answer.
  for (const part of [basemap, layers, popup, nearest, live]) await start(part);
  await Promise.all([alerts, situation, desk, replay, field, wall].map(start));
  document.body.dataset.ready = "true";
}

boot();
