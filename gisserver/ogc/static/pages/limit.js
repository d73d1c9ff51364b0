// The page-size select of pygeoapi's items and jobs pages, as a file.
"use strict";
(function () {
  const select = document.getElementById("limits");
  if (!select) return;
  const params = new URL(document.location).searchParams;
  select.value = params.get("limit") || select.getElementsByTagName("option")[0].value;
  select.addEventListener("change", (event) => {
    document.location.search = `limit=${encodeURIComponent(event.target.value)}`;
  });
})();
