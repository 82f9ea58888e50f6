// The crisis page, live: when an event about this crisis (or its assistance and reports)
// arrives, the page is fetched again and its live parts are swapped in; the map is drawn
// with the member states' outlines only (no tile server) and redrawn from the new points.
(function () {
  "use strict";
  var COLOURS = { extreme: "#7f0000", severe: "#c62828", moderate: "#e08a00", minor: "#1565c0",
    unknown: "#616161" };
  var DEPLOYMENT = "#1b7f3b";

  var listNotice = document.getElementById("crisis-live-notice");
  if (listNotice) {
    document.addEventListener("accord:event", function (event) {
      var kind = (event.detail || {}).kind || "";
      if (kind.indexOf("crisis.") === 0) listNotice.hidden = false;
    });
  }

  var article = document.querySelector("[data-live-crisis]");
  if (!article) return;
  var crisisId = article.dataset.liveCrisis;
  var mapElement = document.getElementById("crisis-map");
  var map = null;
  var layer = null;

  function drawMap() {
    if (!mapElement || !window.L) return;
    if (!map) {
      map = L.map(mapElement, { attributionControl: false, worldCopyJump: true, minZoom: 2 })
        .setView([40, 68], 4);
      fetch(mapElement.dataset.outlines, { credentials: "same-origin" })
        .then(function (response) { return response.ok ? response.json() : null; })
        .then(function (outlines) {
          if (!outlines) return;
          L.geoJSON(outlines, { interactive: false,
            style: { color: "#5b6470", weight: 1, fillColor: "#fbfbf6", fillOpacity: 1 } })
            .addTo(map).bringToBack();
        })
        .catch(function () { /* a plain background still works */ });
      layer = L.featureGroup().addTo(map);
    }
    layer.clearLayers();
    var holder = document.querySelector("[data-map-points]");
    var points = holder ? JSON.parse(holder.dataset.mapPoints) : [];
    points.forEach(function (point) {
      var deployment = point.kind === "deployment";
      var marker = L.circleMarker([point.lat, point.lng], {
        radius: deployment ? 7 : 9, color: "#000", weight: 2, fillOpacity: 0.9,
        fillColor: deployment ? DEPLOYMENT : (COLOURS[point.severity] || COLOURS.unknown),
        className: deployment ? "map-deployment" : "map-incident"
      });
      var text = point.title + (point.state ? " · " + point.state : "") +
        (point.status ? " · " + point.status : "");
      marker.bindTooltip(text);
      marker.addTo(layer);
    });
    if (points.length) map.fitBounds(layer.getBounds(), { maxZoom: 7, padding: [30, 30] });
  }

  var pending = null;
  function refresh() {
    if (pending) return;
    pending = setTimeout(function () {
      pending = null;
      fetch(window.location.pathname, { credentials: "same-origin" })
        .then(function (response) { return response.ok ? response.text() : null; })
        .then(function (html) {
          if (!html) return;
          var fresh = new DOMParser().parseFromString(html, "text/html");
          fresh.querySelectorAll("[data-live-part]").forEach(function (part) {
            var here = document.querySelector('[data-live-part="' + part.dataset.livePart + '"]');
            // Leave a part alone while someone is typing in it.
            if (here && !here.contains(document.activeElement)) here.replaceWith(part);
          });
          var banner = fresh.querySelector(".banner");
          if (banner) {
            document.querySelectorAll(".banner").forEach(function (node) {
              node.className = banner.className;
              node.dataset.classification = banner.dataset.classification;
              node.textContent = banner.textContent;
            });
          }
          drawMap();
        })
        .catch(function () { /* the next event tries again */ });
    }, 300);
  }

  function concerns(data) {
    if (data.subject === crisisId) return true;
    var payload = data.payload || {};
    return payload.crisis_id === crisisId;
  }

  document.addEventListener("accord:event", function (event) {
    var data = event.detail || {};
    var kind = data.kind || "";
    if (kind.indexOf("crisis.") === 0 || kind.indexOf("sitrep.") === 0) {
      if (concerns(data)) refresh();
      return;
    }
    // Assistance events may not name the crisis: any of them may change its panel.
    if (/^(assistance|request|offer|deployment)\./.test(kind)) refresh();
  });
  drawMap();
})();
