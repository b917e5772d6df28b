/* Redaction marks on page images: place the existing marks, drag a box to add one.
   No inline script (CSP): this file is loaded with defer. The box is sent in pixels of the
   displayed image together with its displayed width; the server turns it into PDF points. */
(function () {
  "use strict";

  function place(el) {
    el.style.left = el.dataset.left + "%";
    el.style.top = el.dataset.top + "%";
    el.style.width = el.dataset.width + "%";
    el.style.height = el.dataset.height + "%";
  }

  function setup(figure) {
    var canvas = figure.querySelector(".rd-canvas");
    var form = figure.querySelector(".rd-box-form");
    var img = canvas.querySelector("img");
    if (!canvas.dataset.markable || !form || !img) return;
    var start = null;
    var box = null;

    function point(ev) {
      var r = img.getBoundingClientRect();
      return {
        x: Math.min(Math.max(ev.clientX - r.left, 0), r.width),
        y: Math.min(Math.max(ev.clientY - r.top, 0), r.height),
      };
    }

    canvas.addEventListener("pointerdown", function (ev) {
      if (ev.button !== 0) return;
      ev.preventDefault();
      start = point(ev);
      if (!box) {
        box = document.createElement("span");
        box.className = "rd-mark rd-new";
        canvas.appendChild(box);
      }
      box.style.left = start.x + "px";
      box.style.top = start.y + "px";
      box.style.width = "0px";
      box.style.height = "0px";
      canvas.setPointerCapture(ev.pointerId);
    });

    canvas.addEventListener("pointermove", function (ev) {
      if (!start) return;
      var p = point(ev);
      box.style.left = Math.min(p.x, start.x) + "px";
      box.style.top = Math.min(p.y, start.y) + "px";
      box.style.width = Math.abs(p.x - start.x) + "px";
      box.style.height = Math.abs(p.y - start.y) + "px";
    });

    canvas.addEventListener("pointerup", function (ev) {
      if (!start) return;
      var p = point(ev);
      var x0 = Math.min(p.x, start.x), x1 = Math.max(p.x, start.x);
      var y0 = Math.min(p.y, start.y), y1 = Math.max(p.y, start.y);
      start = null;
      if (x1 - x0 < 3 || y1 - y0 < 3) {
        box.remove();
        box = null;
        form.hidden = true;
        return;
      }
      form.elements.x0.value = x0.toFixed(2);
      form.elements.y0.value = y0.toFixed(2);
      form.elements.x1.value = x1.toFixed(2);
      form.elements.y1.value = y1.toFixed(2);
      form.elements.width.value = img.getBoundingClientRect().width.toFixed(2);
      form.hidden = false;
      form.elements.reason.focus();
    });

    form.querySelector(".rd-cancel").addEventListener("click", function () {
      if (box) box.remove();
      box = null;
      form.hidden = true;
    });
  }

  document.addEventListener("DOMContentLoaded", function () {
    document.querySelectorAll(".rd-mark[data-left]").forEach(place);
    document.querySelectorAll(".rd-page").forEach(setup);
    document.documentElement.dataset.marking = "ready";
  });
})();
