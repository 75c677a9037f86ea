// Gatehouse console: Elastic Container Registry pages. Copy buttons and the
// "type delete to confirm" field; the pages work without it (the server
// checks the confirmation itself).
(function () {
  "use strict";
  function copied(button, text) {
    var label = button.textContent;
    button.textContent = text;
    setTimeout(function () { button.textContent = label; }, 1500);
  }
  document.addEventListener("click", function (event) {
    var button = event.target.closest ? event.target.closest("button[data-copy]") : null;
    if (!button) return;
    event.preventDefault();
    var value = button.getAttribute("data-copy");
    if (navigator.clipboard && window.isSecureContext) {
      navigator.clipboard.writeText(value).then(function () { copied(button, "Copied"); }, function () { copied(button, "Copy failed"); });
      return;
    }
    var area = document.createElement("textarea");
    area.value = value;
    area.setAttribute("readonly", "");
    area.className = "visually-hidden";
    document.body.appendChild(area);
    area.select();
    var ok = false;
    try { ok = document.execCommand("copy"); } catch (e) { ok = false; }
    document.body.removeChild(area);
    copied(button, ok ? "Copied" : "Copy failed");
  });
  // The delete button waits for the word "delete", as AWS's confirmation does.
  function confirmations() {
    document.querySelectorAll("input[data-confirm]").forEach(function (input) {
      var button = input.form && input.form.querySelector("button[data-confirmed]");
      if (!button) return;
      var update = function () { button.disabled = input.value.trim() !== input.getAttribute("data-confirm"); };
      input.addEventListener("input", update);
      update();
    });
  }
  if (document.readyState === "loading") document.addEventListener("DOMContentLoaded", confirmations); else confirmations();
})();
