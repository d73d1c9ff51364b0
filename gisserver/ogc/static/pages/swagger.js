// Starts Swagger UI on the page's OpenAPI document (pygeoapi's swagger.html script, as a file).
// No validator badge: it would send the document's URL to validator.swagger.io.
"use strict";
window.addEventListener("load", () => {
  const container = document.getElementById("swagger-ui");
  window.ui = SwaggerUIBundle({
    url: container.dataset.url,
    dom_id: "#swagger-ui",
    deepLinking: true,
    validatorUrl: null,
    presets: [SwaggerUIBundle.presets.apis, SwaggerUIStandalonePreset],
    plugins: [SwaggerUIBundle.plugins.DownloadUrl],
    layout: "StandaloneLayout",
  });
});
