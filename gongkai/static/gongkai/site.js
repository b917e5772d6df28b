// Elder/accessibility mode switch (remembered), print buttons and confirmation of destructive actions.
(function () {
  var KEY = "gongkai-elder";
  function apply(on) {
    document.body.classList.toggle("elder", on);
    var b = document.getElementById("elder-toggle");
    if (b) b.setAttribute("aria-pressed", on ? "true" : "false");
  }
  document.addEventListener("DOMContentLoaded", function () {
    apply(localStorage.getItem(KEY) === "1");
    var b = document.getElementById("elder-toggle");
    if (b) b.addEventListener("click", function () {
      var on = !document.body.classList.contains("elder");
      localStorage.setItem(KEY, on ? "1" : "0");
      apply(on);
    });
    // Print buttons (no inline handlers: the Content-Security-Policy allows no inline script).
    document.querySelectorAll("[data-print]").forEach(function (btn) {
      btn.addEventListener("click", function () { window.print(); });
    });
    document.querySelectorAll("form[data-confirm]").forEach(function (f) {
      f.addEventListener("submit", function (e) {
        if (!window.confirm(f.getAttribute("data-confirm"))) e.preventDefault();
      });
    });
  });
})();
