/* cimon dashboard: draws every chart whose ECharts option the page put into a
   <script type="application/json" id="…"> element (no inline script: the CSP forbids it).
   <div class="chart" data-chart="ID"> is the chart's box. Options may carry two cimon keys:
   cimonTiles {cols, rows[, em]} — a tile grid: squares sized to the box, kept square on resize
   (em: the widest square label in ems, to fit long English names);
   cimonLinks {code: url} — clicking a data item with that code opens the url.
   Waits for the bundled web font first: ECharts draws on a canvas with the font named in
   textStyle.fontFamily, which must be loaded or Chinese shows as boxes. */
(function () {
  "use strict";
  var FONT = '"cimon sans"';

  function read(id) {
    var el = document.getElementById(id);
    return el ? JSON.parse(el.textContent) : null;
  }

  function tileSize(el, tiles) {
    var w = el.clientWidth / tiles.cols, h = el.clientHeight / tiles.rows;
    return Math.max(8, Math.floor(Math.min(w, h) * 0.92));
  }

  function tileFont(size, tiles) {
    var fs = Math.max(9, Math.min(12, Math.floor(size / 4)));
    // tiles.em (English names): the widest label in ems; a smaller font so that it fits
    if (tiles.em) { fs = Math.max(7, Math.min(fs, Math.floor((size - 2) / tiles.em))); }
    return fs;
  }

  function autoHeight(el, option) {
    var y = option.yAxis;
    if (el.classList.contains("chart-auto") && y && y.data) {
      el.style.height = Math.max(200, y.data.length * 22 + 50) + "px";
    }
    if (option.cimonTiles) {
      var t = option.cimonTiles;
      var side = Math.min(64, el.clientWidth / t.cols);
      el.style.height = Math.max(160, Math.ceil(side * t.rows)) + "px";
    }
  }

  function draw(el) {
    var option = read(el.getAttribute("data-chart"));
    if (!option || !window.echarts) { return null; }
    var tiles = option.cimonTiles, links = option.cimonLinks;
    delete option.cimonTiles;
    delete option.cimonLinks;
    autoHeight(el, { yAxis: option.yAxis, cimonTiles: tiles });
    var chart = window.echarts.init(el, null, { renderer: "canvas" });
    if (tiles) {
      option.series[0].symbolSize = tileSize(el, tiles);
      option.series[0].label.fontSize = tileFont(option.series[0].symbolSize, tiles);
    }
    chart.setOption(option);
    if (links) {
      chart.on("click", function (p) {
        var code = p.data && p.data.code;
        if (code && links[code]) { window.location.href = links[code]; }
      });
    }
    el.setAttribute("data-drawn", "1");
    return { el: el, chart: chart, tiles: tiles };
  }

  function start() {
    var drawn = [];
    document.querySelectorAll(".chart[data-chart]").forEach(function (el) {
      var d = draw(el);
      if (d) { drawn.push(d); }
    });
    var timer = null;
    window.addEventListener("resize", function () {
      clearTimeout(timer);
      timer = setTimeout(function () {
        drawn.forEach(function (d) {
          if (d.tiles) {
            autoHeight(d.el, { cimonTiles: d.tiles });
            d.chart.resize();
            d.chart.setOption({ series: [{ symbolSize: tileSize(d.el, d.tiles) }] });
          } else {
            d.chart.resize();
          }
        });
      }, 150);
    });
  }

  function ready() {
    if (document.fonts && document.fonts.load) {
      document.fonts.load("14px " + FONT, "县域科技").then(start, start);
    } else {
      start();
    }
  }

  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", ready);
  } else {
    ready();
  }
})();
