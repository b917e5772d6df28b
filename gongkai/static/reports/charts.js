/* Draw the annual report's charts with ECharts from the JSON in #report-charts.
   Each chart's container already carries its text alternative (aria-label and figcaption). */
(function () {
  "use strict";
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
      } else {
        option.grid = { left: 40, right: 20, top: 50, bottom: 40, containLabel: true };
        option.xAxis = { type: "category", data: chart.categories, axisLabel: { interval: 0 } };
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
