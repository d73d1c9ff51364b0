// The layer list: a checkbox per layer that shows or hides all its style layers, and under each
// its legend, read from the style's own `match` expressions so that it cannot disagree with what
// is drawn. Titles and legend values are translated (locales/<lang>/layers.json).

const COLOUR_PROPERTIES = ["fill-color", "circle-color", "line-color"];

function legendEntries(ctx, layerId, styleLayer) {
  const paint = styleLayer.paint || {};
  const key = COLOUR_PROPERTIES.find((k) => k in paint);
  if (!key) return [];
  const colour = paint[key];
  const shape = styleLayer.type === "circle" ? "swatch circle" : "swatch";
  if (typeof colour === "string") return [{ label: "", colour, shape }];
  // ["match", ["get", attribute], value1, colour1, ..., fallback]
  if (Array.isArray(colour) && colour[0] === "match" && Array.isArray(colour[1])) {
    const field = colour[1][1];
    const entries = [{ by: ctx.t("legend.by", { field: ctx.t(`field.${field}`) }) }];
    for (let i = 2; i + 1 < colour.length; i += 2) {
      entries.push({ label: valueLabel(ctx, field, colour[i]), colour: colour[i + 1], shape });
    }
    return entries;
  }
  return [];
}

export function valueLabel(ctx, field, value) {
  const key = `value.${field}.${value}`;
  return ctx.has(key) ? ctx.t(key) : String(value).replace(/_/g, " ");
}

export async function init(ctx) {
  const { map, el } = ctx;
  const style = map.getStyle();
  const ids = (style.metadata || {})["gisserver:layers"] || [];
  ctx.featureLayerIds.push(
    ...style.layers.filter((l) => ids.includes(l["source-layer"])).map((l) => l.id),
  );
  const container = document.getElementById("layers");
  for (const id of ids) {
    const styleLayers = style.layers.filter((l) => l["source-layer"] === id);
    if (!styleLayers.length) continue;
    const box = el("input", { type: "checkbox", checked: true });
    box.addEventListener("change", () => {
      for (const l of styleLayers) {
        map.setLayoutProperty(l.id, "visibility", box.checked ? "visible" : "none");
      }
    });
    const seen = new Set();
    const legend = el("ul", { className: "legend" });
    for (const entry of styleLayers.flatMap((l) => legendEntries(ctx, id, l))) {
      const key = entry.by || entry.label;
      if (seen.has(key)) continue;
      seen.add(key);
      if (entry.by) { legend.append(el("li", { className: "by", textContent: entry.by })); continue; }
      const swatch = el("span", { className: entry.shape });
      swatch.style.background = entry.colour;
      legend.append(el("li", {}, swatch, entry.label));
    }
    container.append(
      el("div", { className: "layer" }, el("label", {}, box, " ", ctx.t(`layer.${id}`)), legend),
    );
  }
}
