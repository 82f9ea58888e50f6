// The incident map: country outlines drawn from the server (no tile server needed), incidents
// as markers coloured by severity and clustered when dense, the list's filters, live additions.
(function () {
  "use strict";
  var element = document.getElementById("incident-map");
  if (!element || !window.L || !L.markerClusterGroup) return;

  var SVG = "http://www.w3.org/2000/svg";
  var LEVELS = ["PUBLIC", "RESTRICTED", "CONFIDENTIAL", "SECRET"];
  var FILTERS = ["area", "owner", "country", "severity", "status", "mode"];
  var LIVE_KINDS = ["incident.reported", "incident.updated", "incident.status_changed",
                    "incident.duplicate_linked"];
  var config = JSON.parse(element.dataset.config);
  var labels = config.labels;
  var form = document.getElementById("map-filters");
  var statusLine = document.getElementById("map-status");
  var banner = document.querySelector(".banner");
  var marking = banner ? banner.dataset.classification : "PUBLIC";

  // Sizes and the sea colour are set here: the page's policy admits no inline style attributes.
  element.style.height = "70vh";
  element.style.minHeight = "24rem";
  element.style.background = config.tileUrl ? "#ffffff" : "#dce9f2";

  var map = L.map(element, { minZoom: 2, maxZoom: 18 }).setView([48, 68], 3);
  if (config.tileUrl) L.tileLayer(config.tileUrl, { maxZoom: 18 }).addTo(map);
  var outlines = L.geoJSON(null, { interactive: false, style: outlineStyle }).addTo(map);
  var shapes = L.layerGroup().addTo(map);
  var cluster = L.markerClusterGroup({ maxClusterRadius: 45, showCoverageOnHover: false });
  cluster.addTo(map);
  var placed = {};
  var unplaced = {};
  var generation = 0;
  var reloadTimer = null;

  function outlineStyle(feature) {
    var member = !!feature.properties.status;
    var fill = config.tileUrl ? 0.08 : 1;
    return {
      color: member ? "#6b5200" : "#8c96a0",
      weight: member ? 1.5 : 0.6,
      fillColor: member ? "#f3e6bf" : "#eceeef",
      fillOpacity: fill
    };
  }

  function say(text) {
    if (statusLine) statusLine.textContent = text;
  }

  function counted() {
    var text = labels.shown.replace("{count}", Object.keys(placed).length);
    var without = Object.keys(unplaced).length;
    if (without) text += "; " + labels.unplaced.replace("{count}", without);
    say(text);
  }

  function setMarking(level, replaceLower) {
    if (LEVELS.indexOf(level) < 0) return;
    if (!replaceLower && LEVELS.indexOf(level) <= LEVELS.indexOf(marking)) return;
    marking = level;
    document.querySelectorAll(".banner").forEach(function (node) {
      node.className = "banner banner-" + level.toLowerCase();
      node.dataset.classification = level;
      node.textContent = level;
    });
  }

  function asUtc(value) {
    return /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}$/.test(value) ? value + ":00+00:00" : value;
  }

  function filterParams() {
    var params = new URLSearchParams();
    if (!form) return params;
    new FormData(form).forEach(function (value, name) {
      if (value === "") return;
      params.append(name, name === "since" || name === "until" ? asUtc(value) : value);
    });
    return params;
  }

  function centre(geometry) {
    if (!geometry) return null;
    if (geometry.type === "Point") {
      return L.latLng(geometry.coordinates[1], geometry.coordinates[0]);
    }
    if (geometry.type === "Polygon") {
      var ring = geometry.coordinates[0].slice(0, -1);
      var lng = 0, lat = 0;
      ring.forEach(function (position) { lng += position[0]; lat += position[1]; });
      return L.latLng(lat / ring.length, lng / ring.length);
    }
    return null;
  }

  function svgNode(name, attributes) {
    var node = document.createElementNS(SVG, name);
    Object.keys(attributes).forEach(function (key) { node.setAttribute(key, attributes[key]); });
    return node;
  }

  function icon(properties) {
    var colour = config.colours[properties.severity] || config.colours.Unknown;
    var real = properties.mode === "actual";
    var svg = svgNode("svg", { width: 20, height: 20, viewBox: "0 0 20 20" });
    var circle = svgNode("circle", { cx: 10, cy: 10, r: 8, fill: colour, stroke: "#222",
                                     "stroke-width": real ? 1.5 : 2 });
    if (!real) {
      circle.setAttribute("stroke-dasharray", "3 2");
      circle.setAttribute("fill-opacity", "0.45");
    }
    svg.appendChild(circle);
    if (!real) {
      var letter = svgNode("text", { x: 10, y: 14, "text-anchor": "middle", "font-size": 11,
                                     "font-weight": "bold", fill: "#111" });
      letter.textContent = properties.mode === "test" ? "T" : "E";
      svg.appendChild(letter);
    }
    var holder = document.createElement("div");
    holder.appendChild(svg);
    return L.divIcon({
      html: holder,
      className: "incident-marker incident-" + properties.mode,
      iconSize: [20, 20],
      iconAnchor: [10, 10],
      popupAnchor: [0, -10]
    });
  }

  function line(parent, tag, text) {
    var node = document.createElement(tag);
    node.textContent = text;
    parent.appendChild(node);
    return node;
  }

  function popup(id, properties) {
    var box = document.createElement("div");
    line(box, "strong", properties.title);
    var when = String(properties.occurred_at || "").replace("T", " ").slice(0, 16) + " UTC";
    line(box, "div", when);
    line(box, "div", labels.severity[properties.severity] || properties.severity);
    if (properties.mode !== "actual") {
      line(box, "div", (labels.mode[properties.mode] || properties.mode).toUpperCase());
    }
    var link = line(box, "a", labels.open);
    link.href = element.dataset.incidentPage + encodeURIComponent(id);
    return box;
  }

  function remove(id) {
    var entry = placed[id];
    if (entry) {
      cluster.removeLayer(entry.marker);
      if (entry.shape) shapes.removeLayer(entry.shape);
    }
    delete placed[id];
    delete unplaced[id];
  }

  function place(id, properties, geometry) {
    remove(id);
    var position = centre(geometry);
    if (!position) {
      unplaced[id] = true;
      return false;
    }
    var marker = L.marker(position, { icon: icon(properties), title: properties.title });
    marker.bindPopup(popup(id, properties));
    var shape = null;
    if (geometry.type === "Polygon") {
      shape = L.geoJSON(geometry, { interactive: false, style: {
        color: config.colours[properties.severity] || config.colours.Unknown,
        weight: 1.5, fillOpacity: 0.15, dashArray: properties.mode === "actual" ? null : "4 4"
      } });
      shapes.addLayer(shape);
    }
    cluster.addLayer(marker);
    placed[id] = { marker: marker, shape: shape };
    return true;
  }

  function clearAll() {
    cluster.clearLayers();
    shapes.clearLayers();
    placed = {};
    unplaced = {};
  }

  function errorText(body) {
    return labels.failed.replace("{reason}", body && body.error ? body.error.message : "");
  }

  function load() {
    var mine = ++generation;
    var params = filterParams();
    say(labels.loading);
    fetch(element.dataset.geojson + "?" + params.toString(), { credentials: "same-origin" })
      .then(function (response) {
        return response.json().then(function (body) { return { ok: response.ok, body: body }; });
      })
      .then(function (answer) {
        if (mine !== generation) return;
        if (!answer.ok) { say(errorText(answer.body)); return; }
        clearAll();
        answer.body.features.forEach(function (feature) {
          place(feature.id, feature.properties, feature.geometry);
        });
        setMarking(answer.body.classification || "PUBLIC", true);
        counted();
      })
      .catch(function (error) { if (mine === generation) say(errorText(null) + String(error)); });
  }

  function updateLinks(params) {
    var query = params.toString() ? "?" + params.toString() : "";
    var csv = document.getElementById("export-csv");
    var geojson = document.getElementById("export-geojson");
    if (csv) csv.href = "/api/v1/incidents.csv" + query;
    if (geojson) geojson.href = element.dataset.geojson + query;
    history.replaceState(null, "", "/map" + query);
  }

  function chosen(name) {
    return form ? new FormData(form).getAll(name).filter(function (value) { return value; }) : [];
  }

  function matches(incident) {
    for (var i = 0; i < FILTERS.length; i++) {
      var wanted = chosen(FILTERS[i]);
      if (wanted.length && wanted.indexOf(incident[FILTERS[i]]) < 0) return false;
    }
    var at = Date.parse(incident.occurred_at);
    var since = chosen("since")[0], until = chosen("until")[0];
    if (since && at < Date.parse(asUtc(since))) return false;
    if (until && at >= Date.parse(asUtc(until))) return false;
    return true;
  }

  function reloadSoon() {
    clearTimeout(reloadTimer);
    reloadTimer = setTimeout(load, 500);
  }

  function refresh(id) {
    // Text search runs on the server: with a search term the whole layer is asked for again.
    if (chosen("q").length) { reloadSoon(); return; }
    fetch(element.dataset.incidentApi + encodeURIComponent(id), { credentials: "same-origin" })
      .then(function (response) { return response.ok ? response.json() : null; })
      .then(function (incident) {
        if (!incident || !matches(incident)) {
          remove(id);
        } else {
          var geometry = incident.location;
          if (place(incident.id, incident, geometry)) setMarking(incident.classification, false);
        }
        counted();
      })
      .catch(function () { /* the next reload shows it */ });
  }

  document.addEventListener("accord:event", function (event) {
    var data = event.detail;
    if (data && data.subject && LIVE_KINDS.indexOf(data.kind) >= 0) refresh(data.subject);
  });

  if (form) {
    form.addEventListener("submit", function (event) {
      event.preventDefault();
      updateLinks(filterParams());
      load();
    });
  }

  fetch(element.dataset.outlines, { credentials: "same-origin" })
    .then(function (response) { return response.ok ? response.json() : null; })
    .then(function (collection) {
      if (collection) {
        outlines.addData(collection);
        outlines.bringToBack();
      }
    })
    .catch(function () { /* markers still show on the plain background */ });
  load();
})();
