// Wall mode (/map?view=wall): the command centre's big screen. Large type and no editing (the
// CSS hides .editing under body.mode-wall); the alerts and the situation stay open; the map
// cycles between the areas of interest (config.areas) every N seconds (?cycle=N, at least 5;
// 60 by default), which a button in the bar (or the space bar) pauses and resumes.

const DEFAULT_CYCLE_S = 60;
const MIN_CYCLE_S = 5;

function cycleSeconds() {
  const wanted = Number(new URLSearchParams(window.location.search).get("cycle"));
  return Number.isFinite(wanted) && wanted >= MIN_CYCLE_S ? wanted : DEFAULT_CYCLE_S;
}

export function init(ctx) {
  if (ctx.config.mode !== "wall") return;
  const { el, t, map, config } = ctx;
  const ids = Object.keys(config.areas);
  let index = Math.max(0, ids.indexOf(config.area));
  let timer = null;
  let paused = false;
  const seconds = cycleSeconds();

  // The panels a wall shows; the others are folded away (a wall is watched, not worked).
  for (const details of document.querySelectorAll("#panel details")) {
    details.open = ["section-alerts", "section-situation"].includes(details.id);
  }

  const where = el("span", { className: "wall-area" });
  where.setAttribute("aria-live", "polite");
  const button = el("button", { type: "button", className: "wall-pause" });
  const bar = document.getElementById("bar");
  bar.insertBefore(el("span", { className: "wall-cycle" }, where, " ", button),
    document.getElementById("live-status"));

  function label() {
    where.textContent = t("wall.area", { name: t(`area.${ids[index]}`) });
    button.textContent = paused ? t("wall.resume") : t("wall.pause", { n: seconds });
    button.setAttribute("aria-pressed", String(paused));
    document.body.dataset.wallArea = ids[index];
    document.body.dataset.wallPaused = String(paused);
  }

  function show(next) {
    index = (next + ids.length) % ids.length;
    map.fitBounds(config.areas[ids[index]].bounds, { padding: ctx.padding, duration: 2000 });
    label();
    ctx.emit("wall-area", { area: ids[index] });
  }

  function schedule() {
    clearInterval(timer);
    timer = null;
    if (!paused && ids.length > 1) timer = setInterval(() => show(index + 1), seconds * 1000);
  }

  function toggle() {
    paused = !paused;
    schedule();
    label();
  }

  button.addEventListener("click", toggle);
  document.addEventListener("keydown", (event) => {
    if (event.key === " " && event.target === document.body) { event.preventDefault(); toggle(); }
  });
  ctx.wall = { next: () => show(index + 1), toggle, paused: () => paused, area: () => ids[index] };
  label();
  schedule();
}
