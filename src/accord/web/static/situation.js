// The live situation page: on every incident event the picture is fetched again as JSON and the
// numbers, the chart and the lists are redrawn in place. The server computes every figure and
// the chart's geometry; this only puts them on the page.
(function () {
  "use strict";
  var root = document.getElementById("situation");
  if (!root || !window.fetch) return;
  var SVG = "http://www.w3.org/2000/svg";
  var windowKey = root.dataset.window;
  var texts = root.querySelector("[data-empty-texts]").dataset;
  var pending = null;

  function setText(selector, value) {
    root.querySelectorAll(selector).forEach(function (node) {
      node.textContent = String(value);
      if (node.tagName === "TD") node.classList.toggle("zero", !value);
    });
  }

  function drawCounts(view) {
    var counts = view.windows[windowKey];
    ["total", "severe", "exercise", "test"].forEach(function (name) {
      setText('[data-count="' + name + '"]', counts[name]);
    });
    setText('[data-count="unverified"]', view.unverified_count);
    root.querySelector(".tile-severe").classList.toggle("alert", counts.severe > 0);
    root.querySelector(".tile-unverified").classList.toggle("warn", view.unverified_count > 0);
    view.areas.forEach(function (area) {
      var cells = counts.cells[area.code] || {};
      view.columns.forEach(function (column) {
        setText('[data-cell="' + area.code + "|" + column.code + '"]', cells[column.code] || 0);
      });
      setText('[data-area-total="' + area.code + '"]', counts.by_area[area.code] || 0);
    });
    view.columns.forEach(function (column) {
      setText('[data-country-total="' + column.code + '"]', counts.by_country[column.code] || 0);
    });
  }

  function svgNode(name, attributes, text) {
    var node = document.createElementNS(SVG, name);
    Object.keys(attributes).forEach(function (key) { node.setAttribute(key, attributes[key]); });
    if (text !== undefined) node.textContent = text;
    return node;
  }

  function drawTrend(chart) {
    var svg = document.getElementById("trend-chart");
    var bars = svg.querySelector(".bars");
    var grid = svg.querySelector(".grid-lines");
    bars.replaceChildren();
    grid.replaceChildren();
    chart.grid.forEach(function (line) {
      grid.appendChild(svgNode("line", { x1: chart.left, x2: chart.right, y1: line.y, y2: line.y,
        stroke: "#d6dbe1", "stroke-width": 1 }));
      grid.appendChild(svgNode("text", { x: chart.left - 6, y: line.y + 4, "text-anchor": "end",
        "font-size": 11, fill: "#5b6470" }, line.label));
    });
    chart.bars.forEach(function (bar) {
      var rect = svgNode("rect", { "class": "bar bar-" + bar.band, x: bar.x, y: bar.y,
        width: bar.w, height: bar.h });
      rect.appendChild(svgNode("title", {}, bar.title));
      bars.appendChild(rect);
    });
  }

  function badge(className, text) {
    var span = document.createElement("span");
    span.className = className;
    span.textContent = text;
    return span;
  }

  function drawList(id, items, emptyText, waiting) {
    var list = document.getElementById(id);
    list.replaceChildren();
    if (!items.length) {
      var empty = document.createElement("li");
      empty.className = "empty";
      empty.textContent = emptyText;
      list.appendChild(empty);
      return;
    }
    items.forEach(function (item) {
      var row = document.createElement("li");
      row.className = "sev-row-" + item.severity.toLowerCase() + " mode-row-" + item.mode;
      if (waiting) {
        var age = badge("waiting", item.waiting);
        age.title = texts.since;
        row.appendChild(age);
      }
      row.appendChild(badge("sev sev-" + item.severity.toLowerCase(), item.severity_name));
      if (item.mode !== "actual") row.appendChild(badge("mode-badge mode-" + item.mode, item.mode_name));
      var link = document.createElement("a");
      link.href = item.url;
      link.textContent = item.title;
      row.appendChild(document.createTextNode(" "));
      row.appendChild(link);
      var when = waiting ? texts.reported + " " + item.reported_at_text : item.occurred_at_text;
      row.appendChild(badge("meta", [item.area_name, item.country_name,
        waiting ? null : item.status_name, when].filter(Boolean).join(" · ")));
      list.appendChild(row);
    });
  }

  function drawBanners(level) {
    document.querySelectorAll(".banner").forEach(function (banner) {
      banner.className = "banner banner-" + level.toLowerCase();
      banner.dataset.classification = level;
      banner.textContent = level;
    });
  }

  function draw(view) {
    drawCounts(view);
    drawTrend(view.trend);
    drawList("newest", view.newest, texts.noNewest, false);
    drawList("unverified", view.unverified, texts.noUnverified, true);
    drawBanners(view.classification);
    setText("[data-generated]", view.generated_at_text);
    root.dataset.updated = view.generated_at;
  }

  function refresh() {
    pending = null;
    fetch(root.dataset.source, { credentials: "same-origin", headers: { Accept: "application/json" } })
      .then(function (response) { return response.ok ? response.json() : null; })
      .then(function (view) { if (view) draw(view); })
      .catch(function () { /* the next event tries again */ });
  }

  document.addEventListener("accord:event", function (event) {
    var kind = (event.detail && event.detail.kind) || "";
    if (kind.indexOf("incident.") !== 0) return;
    // Several events often arrive together (a batch, a CAP import): fetch once for them.
    if (!pending) pending = setTimeout(refresh, 400);
  });
  // Ages grow while nobody reports anything: refresh them every minute.
  setInterval(refresh, 60000);
})();
