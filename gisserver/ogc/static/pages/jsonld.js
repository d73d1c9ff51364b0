// pygeoapi's _base.html script, as a file: requests the page's JSON-LD and embeds it in <head>
// for search engines.
"use strict";
(function () {
  const xhr = new XMLHttpRequest();
  xhr.open("GET", `${window.location.origin}${window.location.pathname}?f=jsonld`);
  xhr.onload = function () {
    if (xhr.status === 200) {
      const block = document.createElement("script");
      block.type = "application/ld+json";
      // The full context path is removed: search engines don't expect it, pyld requires it.
      block.textContent = xhr.responseText.replace("docs/jsonldcontext.jsonld", "");
      document.head.appendChild(block);
    }
  };
  xhr.send();
})();
