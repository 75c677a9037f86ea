// Gatehouse console: small behaviours every page shares. Pages work without
// them except where noted; nothing here builds markup from data.
(function () {
  "use strict";
  // A filter select applies as soon as it changes (the Policies list's "Filter by Type").
  document.addEventListener("change", function (event) {
    var el = event.target;
    if (el.matches && el.matches("select[data-autosubmit]") && el.form) el.form.submit();
  });
  // The account menu closes on Escape and on a click elsewhere, as a menu does.
  document.addEventListener("keydown", function (event) {
    if (event.key !== "Escape") return;
    document.querySelectorAll("details.account-menu[open], details.region-menu[open]").forEach(function (menu) {
      menu.open = false;
      menu.querySelector("summary").focus();
    });
  });
  document.addEventListener("click", function (event) {
    document.querySelectorAll("details.account-menu[open], details.region-menu[open]").forEach(function (menu) {
      if (!menu.contains(event.target)) menu.open = false;
    });
  });
  // A form posts once: its submit button is disabled after the first click.
  document.addEventListener("submit", function (event) {
    var form = event.target;
    if (form.dataset.submitted === "true") { event.preventDefault(); return; }
    form.dataset.submitted = "true";
    // Sign out takes effect at the click: without this marker the server ends the
    // session at the next request, even if the browser left before the post went.
    if (form.getAttribute("action") === "/console/signout") {
      document.cookie = "gatehouse-console-signed-in=; Path=/console; SameSite=Strict; Max-Age=0";
    }
  });
})();
// "Copy" beside a text to copy (the statement an access-denied explanation proposes).
(function () {
  "use strict";
  document.addEventListener("click", function (event) {
    var button = event.target.closest && event.target.closest("button[data-copy]");
    if (!button) return;
    var source = document.getElementById(button.dataset.copy);
    if (!source) return;
    source.select();
    var done = function () { button.textContent = "Copied"; };
    if (navigator.clipboard && navigator.clipboard.writeText) {
      navigator.clipboard.writeText(source.value).then(done, function () { document.execCommand("copy"); done(); });
    } else {
      document.execCommand("copy");
      done();
    }
  });
})();
