/* Copy buttons for the SHA-256 and the citation. Without JavaScript (or without a clipboard, as on
   plain-HTTP addresses other than localhost) the buttons stay hidden and the text stays selectable. */
"use strict";
document.addEventListener("DOMContentLoaded", function () {
  if (!navigator.clipboard) return;
  document.querySelectorAll("button[data-copy]").forEach(function (button) {
    const label = button.textContent;
    button.hidden = false;
    button.addEventListener("click", function () {
      const source = document.querySelector(button.dataset.copy);
      navigator.clipboard.writeText(source.textContent.trim()).then(function () {
        button.textContent = button.dataset.copied;
        setTimeout(function () { button.textContent = label; }, 2000);
      });
    });
  });
});

/* A search's address keeps only what the reader chose: empty dates and the default order add nothing. */
document.addEventListener("htmx:configRequest", function (event) {
  if (event.detail.elt.id !== "search-form") return;
  const parameters = event.detail.parameters;
  ["from", "to"].forEach(function (name) { if (!parameters[name]) delete parameters[name]; });
  if (parameters.sort === "relevance") delete parameters.sort;
});
