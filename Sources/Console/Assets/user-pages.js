// Gatehouse console: IAM users, user groups and account settings. Pages
// work without this script (every part is then shown); with it, a part marked
// data-show-when="Name=value" shows only while that radio or checkbox is
// chosen, and a search box marked data-filter="TABLE-ID" filters that
// table's rows as one types. Nothing here builds markup from data.
(function () {
  "use strict";
  function chosen(form, rule) {
    var at = rule.indexOf("=");
    var name = rule.slice(0, at), value = rule.slice(at + 1);
    return Array.prototype.some.call(form.querySelectorAll("input"), function (input) {
      return input.name === name && input.value === value && input.checked;
    });
  }
  function update() {
    document.querySelectorAll("[data-show-when]").forEach(function (part) {
      var form = part.closest("form") || document;
      part.hidden = !chosen(form, part.getAttribute("data-show-when"));
    });
  }
  document.addEventListener("change", function (event) {
    if (event.target.matches("input[type=radio], input[type=checkbox]")) update();
  });
  document.addEventListener("input", function (event) {
    var box = event.target;
    if (!box.matches("input[data-filter]")) return;
    var table = document.getElementById(box.getAttribute("data-filter"));
    if (!table) return;
    var wanted = box.value.trim().toLowerCase();
    table.querySelectorAll("tbody tr").forEach(function (row) {
      row.hidden = wanted !== "" && row.textContent.toLowerCase().indexOf(wanted) < 0;
    });
  });
  // Enter in a filter box filters; it does not send the form around it.
  document.addEventListener("keydown", function (event) {
    if (event.key === "Enter" && event.target.matches("input[data-filter]")) event.preventDefault();
  });
  update();
})();
