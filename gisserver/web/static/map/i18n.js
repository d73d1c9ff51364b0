// The page's words, in English and Simplified Chinese: every label, legend and message comes
// from locales/<lang>/<part>.json (one file per part of the page, so that the parts can be
// written apart); none is written in the code. ?lang=en|zh-CN forces a language, else the
// switch's last choice (localStorage), else the browser's languages.

export const LANGUAGES = { en: "English", "zh-CN": "简体中文" };
// One file per part of the page: a part's strings live beside no other part's.
const PARTS = [
  "common", "layers", "nearest", "live", "alerts", "situation", "desk", "replay", "field",
  "wall", "basemap",
];
const STORAGE_KEY = "gisserver.lang";

let current = "en";
let strings = {};

export function chooseLanguage(forced) {
  const wanted = [forced, localStorage.getItem(STORAGE_KEY), ...(navigator.languages || [])];
  for (const candidate of wanted) {
    if (!candidate) continue;
    if (candidate in LANGUAGES) return candidate;
    if (candidate.toLowerCase().startsWith("zh")) return "zh-CN";
    if (candidate.toLowerCase().startsWith("en")) return "en";
  }
  return "en";
}

export function remember(lang) {
  localStorage.setItem(STORAGE_KEY, lang);
}

export async function loadLanguage(base, lang) {
  const loaded = await Promise.all(PARTS.map(async (part) => {
    try {
      const response = await fetch(`${base}locales/${lang}/${part}.json`);
      return response.ok ? await response.json() : {};
    } catch (error) {
      return {};
    }
  }));
  strings = Object.assign({}, ...loaded);
  current = lang;
  document.documentElement.lang = lang;
}

export function language() {
  return current;
}

// The text of `key` with {name} placeholders filled in; a missing key shows as the key itself
// (a test looks for untranslated keys), never as another language's text.
export function t(key, vars) {
  let text = strings[key];
  if (text === undefined) return key;
  for (const [name, value] of Object.entries(vars || {})) {
    text = text.split(`{${name}}`).join(String(value));
  }
  return text;
}

// Whether a key has a translation (for values that may have none, e.g. a data enum).
export function has(key) {
  return key in strings;
}

// Elements carrying data-i18n (text), data-i18n-title, data-i18n-aria-label,
// data-i18n-placeholder get their words.
export function translatePage(root = document) {
  for (const node of root.querySelectorAll("[data-i18n]")) node.textContent = t(node.dataset.i18n);
  for (const node of root.querySelectorAll("[data-i18n-title]")) node.title = t(node.dataset.i18nTitle);
  for (const node of root.querySelectorAll("[data-i18n-aria-label]")) {
    node.setAttribute("aria-label", t(node.dataset.i18nAriaLabel));
  }
  for (const node of root.querySelectorAll("[data-i18n-placeholder]")) {
    node.placeholder = t(node.dataset.i18nPlaceholder);
  }
}
