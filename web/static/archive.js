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
