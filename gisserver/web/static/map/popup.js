// A click on a feature: a popup with its public attributes, first those its tile carries, then
// the feature's whole public record from /ogc/collections/{layer}/items/{id}.

import { valueLabel } from "./layers.js";

let shown = null;

function attributeTable(ctx, properties) {
  const table = ctx.el("table");
  for (const [name, value] of Object.entries(properties)) {
    if (value === null || value === undefined || typeof value === "object") continue;
    const text = typeof value === "string" ? valueLabel(ctx, name, value) : String(value);
    table.append(ctx.el("tr", {}, ctx.el("th", { textContent: ctx.t(`field.${name}`) }),
      ctx.el("td", { textContent: text })));
  }
  return table;
}

export function close() {
  if (shown) shown.remove();
  shown = null;
}

export async function click(ctx, event) {
  const [feature] = ctx.map.queryRenderedFeatures(event.point, { layers: ctx.featureLayerIds });
  if (!feature) return;
  const layer = feature.sourceLayer;
  const { el } = ctx;
  const content = el("div", { className: "popup" },
    el("strong", { textContent: ctx.t(`layer.${layer}`) }), attributeTable(ctx, feature.properties));
  close();
  const popup = new maplibregl.Popup({ maxWidth: "340px" }).setLngLat(event.lngLat)
    .setDOMContent(content).addTo(ctx.map);
  shown = popup;
  ctx.emit("feature-clicked", { layer, feature, lngLat: event.lngLat, popup, content });
  const id = feature.properties.id ?? feature.id;
  if (id === undefined) return;
  const asOf = ctx.asOf ? `&as_of=${encodeURIComponent(ctx.asOf)}` : "";
  const result = await ctx.api(
    `/ogc/collections/${encodeURIComponent(layer)}/items/${encodeURIComponent(id)}?f=json${asOf}`);
  if (!result.ok || shown !== popup) return;
  content.replaceChildren(el("strong", { textContent: `${ctx.t(`layer.${layer}`)} ${id}` }),
    attributeTable(ctx, { id, ...result.data.properties }));
  popup.setDOMContent(content);
  ctx.emit("feature-record", { layer, id, record: result.data, popup, content });
}

export function init() {}
