// The webmap scenario's probe (bench/webmap.py), run in the page before any of its scripts
// (Playwright's init script; not subject to the page's CSP). It watches every animation frame
// and notes, in performance.now() milliseconds (from the navigation's start), the first frame at
// which:
//   map      window.map exists (the page's script has created the MapLibre map)
//   features a feature layer of the style (metadata "gisserver:layers") has a rendered feature
//   drawn    features, and map.loaded(): every tile of the view (every source) has loaded
//   ready    body[data-ready=true] (/map: every part of the page has started)
//   fmp      drawn and ready at the same frame: the first meaningful paint
// The queryRenderedFeatures calls it makes are timed (probeMs: what the observer costs). The
// requests' times come from Playwright (they include the tiles MapLibre's worker fetches, which
// the page's Resource Timing does not see).
(() => {
  if (window.__bench) return;
  const probe = (window.__bench = { marks: {}, longTasks: [], probeMs: 0, frames: 0 });
  try {
    new PerformanceObserver((list) => {
      for (const e of list.getEntries()) probe.longTasks.push([e.startTime, e.duration]);
    }).observe({ type: "longtask", buffered: true });
  } catch (error) {
    probe.longTasks = null; // not supported: reported as unknown
  }
  let featureLayers = null;
  probe.layersOf = (map, only) => {
    const style = map.getStyle();
    const names = new Set(((style && style.metadata) || {})["gisserver:layers"] || []);
    return style.layers
      .filter((l) => names.has(l["source-layer"]) && (!only || l["source-layer"] === only))
      .map((l) => l.id);
  };
  const mark = (name, now) => { if (probe.marks[name] === undefined) probe.marks[name] = now; };
  function frame() {
    const now = performance.now();
    probe.frames += 1;
    // Not the element <div id="map"> (a named property of window) before the map is made.
    const map = window.maplibregl && window.map instanceof maplibregl.Map ? window.map : null;
    const ready = Boolean(document.body && document.body.dataset.ready === "true");
    if (ready) mark("ready", now);
    if (map) {
      mark("map", now);
      if (probe.marks.features === undefined) {
        const started = performance.now();
        try { // before the style has loaded, there is nothing to ask
          if (!featureLayers || !featureLayers.length) featureLayers = probe.layersOf(map);
          if (featureLayers.length && map.queryRenderedFeatures({ layers: featureLayers }).length) {
            mark("features", now);
          }
        } catch (error) { featureLayers = null; }
        probe.probeMs += performance.now() - started;
      }
      if (probe.marks.features !== undefined && map.loaded()) {
        mark("drawn", now);
        if (ready) mark("fmp", now);
      }
    }
    if (probe.marks.fmp === undefined) requestAnimationFrame(frame);
  }
  requestAnimationFrame(frame);
})();
