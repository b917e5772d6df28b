/* Progressive enhancement of the application form: show the section for the applicant type,
   filter the agency list, and stop a second submission while the first is on its way (the
   server makes submissions idempotent anyway). Everything works without this script. */
(function () {
  "use strict";
  function onReady(fn) { if (document.readyState !== "loading") { fn(); } else { document.addEventListener("DOMContentLoaded", fn); } }
  onReady(function () {
    var form = document.querySelector("form.apply-form[data-apply]");
    if (!form) { return; }
    var radios = form.querySelectorAll("input[name=applicant_kind]");
    function sync() {
      var kind = (form.querySelector("input[name=applicant_kind]:checked") || {}).value || "PERSON";
      form.querySelectorAll("[data-for-kind]").forEach(function (el) {
        el.hidden = el.getAttribute("data-for-kind") !== kind;
      });
    }
    radios.forEach(function (r) { r.addEventListener("change", sync); });
    sync();
    var filter = document.getElementById("agency-filter");
    var select = document.getElementById("id_agency");
    if (filter && select) {
      filter.hidden = false;
      var label = document.querySelector("label[for=agency-filter]");
      if (label) { label.hidden = false; }
      filter.addEventListener("input", function () {
        var q = filter.value.trim();
        Array.prototype.forEach.call(select.options, function (o) {
          o.hidden = !!q && o.value !== "" && o.text.indexOf(q) === -1;
        });
      });
    }
    form.addEventListener("submit", function () {
      var button = form.querySelector("button[type=submit]");
      if (button) {
        window.setTimeout(function () { button.disabled = true; button.textContent = button.getAttribute("data-busy") || button.textContent; }, 0);
      }
    });
  });
})();
