// Indents the JSON text of the page's <pre class="gisserver-json"> blocks (pygeoapi's job pages),
// as text: what the server escaped stays text.
"use strict";
(function () {
  for (const block of document.querySelectorAll("pre.gisserver-json")) {
    try {
      let value = JSON.parse(block.textContent);
      if (typeof value === "string") value = JSON.parse(value);  // a job's parameters: JSON text
      block.textContent = JSON.stringify(value, undefined, 2);
    } catch (error) { /* not JSON: shown as it is */ }
  }
})();
