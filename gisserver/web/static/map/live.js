// Live updates: the change feed (/api/events, Server-Sent Events; docs/feed.md) keeps the map
// current without a reload. A feature event redraws the vector tiles of its layer (the tiles'
// ETags follow layer_versions, so the browser revalidates each one: unchanged tiles cost a 304),
// a positions event redraws the units; every event is passed on to the other parts of the page
// as ctx events: "feature-changed", "alert-changed", "positions" (the event as the feed sent it).
//
// The stream reconnects by itself and catches up from the last event it handled (EventSource
// sends Last-Event-ID; a stream opened anew gets ?lastEventId=). Where reads need a key, a
// signed-in page opens the stream with a stream token (POST /api/events/token), fresh for each
// connection. #live-status says "live", "reconnecting" or "offline since 14:05", in words and
// colour; ctx.emit("live", {state, since}) tells the other parts (they refresh on "live").

// The styles of the live parts (indicator, alerts, situation, wall) in their own sheet.
document.head.append(Object.assign(document.createElement("link"), {
  rel: "stylesheet", href: new URL("live.css", import.meta.url).href,
}));

const EVENT_TYPES = ["feature", "alert", "positions"];
const OFFLINE_AFTER_MS = 8000; // reconnecting longer than this: offline (since the loss)
const RETRY_MS = [1000, 2000, 5000, 10000, 20000]; // reopening a stream the browser gave up on
const REDRAW_MS = 100; // events this close together redraw once
const POSITIONS_REDRAW_MS = 500; // a fleet reports often: its layer redraws at most this often

function clock(ctx, date) {
  return date.toLocaleTimeString(ctx.language(), { hour: "2-digit", minute: "2-digit", hour12: false });
}

// The sources (of the style) that draw a layer: the feature layers' vector source(s).
function sourcesOf(map, layer) {
  const style = map.getStyle();
  return [...new Set(style.layers.filter((l) => l["source-layer"] === layer).map((l) => l.source))];
}

// Redraws a layer's sources, coalescing events that come close together.
function redrawer(ctx) {
  const pending = new Map(); // source id -> timer
  return (layer, delay) => {
    if (ctx.asOf) return; // replay shows a past instant: the present does not redraw it
    for (const source of sourcesOf(ctx.map, layer)) {
      if (pending.has(source)) continue;
      pending.set(source, setTimeout(() => {
        pending.delete(source);
        if (!ctx.map.getSource(source)) return;
        // MapLibre 5: reloads every tile of the source in place (the old tile stays drawn
        // until the new one arrives); the browser revalidates it with its ETag.
        ctx.map.refreshTiles(source);
        ctx.emit("tiles-refreshed", { layer, source });
      }, delay));
    }
  };
}

export function init(ctx) {
  const indicator = document.getElementById("live-status");
  const redraw = redrawer(ctx);
  let events = null; // the EventSource
  let lastId = null; // the id of the last event handled
  let lostAt = null; // when the stream was lost (null while live)
  let offlineTimer = null;
  let retryTimer = null;
  let attempt = 0;
  let state = null;
  let opened = false; // has a stream been open once (the first opening redraws everything)

  function show(next) {
    state = next;
    const since = lostAt ? clock(ctx, lostAt) : "";
    indicator.textContent = next === "offline"
      ? ctx.t("live.offline_since", { time: since })
      : ctx.t(`live.${next}`);
    indicator.className = `live-status live-${next}`;
    indicator.dataset.state = next;
    indicator.title = lastId === null ? "" : ctx.t("live.last_event", { id: lastId });
    ctx.emit("live", { state: next, since: lostAt });
  }

  function lost() {
    if (!lostAt) lostAt = new Date();
    if (state !== "offline") show("reconnecting");
    if (!offlineTimer) {
      offlineTimer = setTimeout(() => { offlineTimer = null; if (lostAt) show("offline"); },
        OFFLINE_AFTER_MS);
    }
  }

  function handle(type, message) {
    let event;
    try { event = JSON.parse(message.data); } catch (error) { return; }
    if (message.lastEventId) lastId = message.lastEventId;
    if (type === "feature") {
      redraw(event.layer, REDRAW_MS);
      ctx.emit("feature-changed", event);
    } else if (type === "alert") {
      ctx.emit("alert-changed", event);
    } else if (type === "positions") {
      redraw(event.layer || "units", POSITIONS_REDRAW_MS);
      ctx.emit("positions", event);
    }
  }

  // The stream's URL: with a key, a fresh stream token's (a key never goes into a URL).
  async function streamUrl() {
    const resume = lastId === null ? "" : `lastEventId=${encodeURIComponent(lastId)}`;
    if (ctx.apiKey()) {
      const answer = await ctx.api("/api/events/token", { method: "POST" });
      if (answer.ok && answer.data && answer.data.token) {
        const url = `/api/events?token=${encodeURIComponent(answer.data.token)}`;
        return resume ? `${url}&${resume}` : url;
      }
      if (answer.status === 0) return null; // the server is away: try again later
      // A key refused (revoked, signed out elsewhere): try without it, as an anonymous reader.
    }
    return resume ? `/api/events?${resume}` : "/api/events";
  }

  function retryLater() {
    clearTimeout(retryTimer);
    const delay = RETRY_MS[Math.min(attempt, RETRY_MS.length - 1)];
    attempt += 1;
    retryTimer = setTimeout(connect, delay);
  }

  async function connect() {
    clearTimeout(retryTimer);
    if (events) { events.close(); events = null; }
    const url = await streamUrl();
    if (url === null) { lost(); retryLater(); return; }
    const source = new EventSource(url);
    events = source;
    source.onopen = () => {
      if (events !== source) return;
      attempt = 0;
      lostAt = null;
      clearTimeout(offlineTimer);
      offlineTimer = null;
      if (!opened || lastId === null) {
        // What changed between the page's first tiles and this stream (or, before any event
        // came, while it was away: there is no id to resume from): redraw it all.
        opened = true;
        for (const layer of (ctx.map.getStyle().metadata || {})["gisserver:layers"] || []) {
          redraw(layer, REDRAW_MS);
        }
      }
      show("live");
    };
    source.onerror = () => {
      if (events !== source) return;
      lost();
      // CONNECTING: the browser retries by itself (sending Last-Event-ID). CLOSED: it gave up
      // (an answer that was not a stream: a token expired, 401, 503): open a new one.
      if (source.readyState === EventSource.CLOSED) { source.close(); events = null; retryLater(); }
    };
    for (const type of EVENT_TYPES) {
      source.addEventListener(type, (message) => { if (events === source) handle(type, message); });
    }
  }

  show("connecting");
  // A stream opened with a token cannot take a new key: signing in or out reopens it.
  ctx.live = {
    reconnect: () => { attempt = 0; connect(); },
    state: () => state,
    lastEventId: () => lastId,
    // For the tests and for a curious duty officer: drop the stream as a network failure would.
    drop: () => { if (events) { events.close(); events = null; } lost(); retryLater(); },
  };
  ctx.on("signed-in", () => ctx.live.reconnect());
  ctx.on("signed-out", () => ctx.live.reconnect());
  window.addEventListener("online", () => { if (state !== "live") ctx.live.reconnect(); });
  connect();
}
