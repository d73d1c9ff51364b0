// Calls to this server's APIs, the same ones other systems use. A signed-in user's API key is
// kept in the tab's sessionStorage (never in a URL, never in localStorage) and sent as a
// Bearer token.

const KEY = "gisserver.key";

export function apiKey() {
  return sessionStorage.getItem(KEY);
}

export function setApiKey(key) {
  if (key) sessionStorage.setItem(KEY, key);
  else sessionStorage.removeItem(KEY);
}

// { ok, status, data, headers }: data is the JSON answer (or null). Network failures come back
// as { ok: false, status: 0, data: null, error }.
export async function api(path, { method = "GET", body, headers = {}, contentType } = {}) {
  const sent = { ...headers };
  const key = apiKey();
  if (key) sent.Authorization = `Bearer ${key}`;
  if (body !== undefined) sent["Content-Type"] = contentType || "application/json";
  try {
    const response = await fetch(path, {
      method,
      // No credentials of the browser's own: the key goes as a header. With them, a 401 (the
      // server challenges Basic too) makes the browser prompt for a password, and the call
      // hangs until the prompt is answered (headless: forever).
      credentials: "omit",
      headers: sent,
      body: body === undefined ? undefined : JSON.stringify(body),
    });
    let data = null;
    const type = response.headers.get("Content-Type") || "";
    if (type.includes("json")) data = await response.json();
    return { ok: response.ok, status: response.status, data, headers: response.headers };
  } catch (error) {
    return { ok: false, status: 0, data: null, error };
  }
}

// The server's own words for a failed call (its errors name the input and what is accepted).
export function problem(result) {
  if (result.data && result.data.description) return result.data.description;
  if (result.status === 0) return String(result.error && result.error.message || result.error);
  return `HTTP ${result.status}`;
}
