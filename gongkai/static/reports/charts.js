/* Draw the annual report's charts with ECharts from the JSON in #report-charts.
   Each chart's container already carries its text alternative (aria-label and figcaption). */
(function () {
  "use strict";
  /* Characters of all category labels (a CJK character counts as two). */
  function labelLength(categories) {
    return categories.reduce(function (n, c) { return n + String(c).replace(/[^\x00-\xff]/g, "xx").length; }, 0);
  }
  /* Bar charts of more than six categories, or of long names, are drawn lying down. */
  function horizontal(chart) {
    return chart.kind === "bar" && (chart.categories.length > 6 || labelLength(chart.categories) > 60);
  }
  function draw() {
    var source = document.getElementById("report-charts");
    if (!source || !window.echarts) { return; }
    var charts = JSON.parse(source.textContent);
    var colours = ["#8c1c13", "#1f4e79", "#c58b1a", "#4f7942", "#6b4c9a", "#7a7a7a"];
    charts.forEach(function (chart) {
      var el = document.querySelector('.echart[data-chart="' + chart.key + '"]');
      if (!el) { return; }
      var option = { color: colours, title: { text: chart.title, left: "center", textStyle: { fontSize: 14 } },
                     tooltip: { trigger: chart.kind === "pie" ? "item" : "axis" }, aria: { enabled: true, label: { description: chart.alt } } };
      if (chart.kind === "pie") {
        option.series = [{ type: "pie", radius: "60%", top: 30,
          data: chart.categories.map(function (c, i) { return { name: c, value: chart.series[0].values[i] }; }),
          label: { formatter: "{b} {c}" } }];
      } else if (horizontal(chart)) {
        /* Many units: one row per unit, names on the left, read top to bottom like the table. */
        var top = chart.series.length > 1 ? 64 : 40;
        el.style.height = Math.max(300, top + 30 + chart.categories.length * 22 * Math.min(chart.series.length, 2)) + "px";
        option.grid = { left: 10, right: 40, top: top, bottom: 20, containLabel: true };
        option.yAxis = { type: "category", data: chart.categories, inverse: true,
                         axisLabel: { interval: 0, width: 140, overflow: "truncate" } };
        option.xAxis = { type: "value", minInterval: 1 };
        if (chart.series.length > 1) { option.legend = { top: 30 }; }
        option.series = chart.series.map(function (s) {
          return { name: s.name, type: "bar", data: s.values, label: { show: true, position: "right" } };
        });
      } else {
        var crowded = labelLength(chart.categories) > 40;
        option.grid = { left: 40, right: 20, top: 50, bottom: 40, containLabel: true };
        option.xAxis = { type: "category", data: chart.categories,
                         axisLabel: { interval: 0, rotate: crowded ? 40 : 0, width: crowded ? 110 : 80, overflow: crowded ? "truncate" : "break" } };
        option.yAxis = { type: "value", minInterval: 1 };
        if (chart.series.length > 1) { option.legend = { top: 24 }; }
        option.series = chart.series.map(function (s) {
          return { name: s.name, type: chart.kind, data: s.values, label: { show: true, position: "top" } };
        });
      }
      var instance = window.echarts.init(el, null, { renderer: "svg" });
      instance.setOption(option);
      window.addEventListener("resize", function () { instance.resize(); });
    });
  }
  if (document.readyState === "loading") { document.addEventListener("DOMContentLoaded", draw); } else { draw(); }
}());
