// The small maps of the report form and an incident's page, drawn by Leaflet with no tile
// server: the member states' outlines are the only background. On the form a click places the
// point and fills latitude and longitude; typing them moves the point.
(function () {
  "use strict";
  if (!window.L) return;
  var HOME = [48, 60];
  var COLOURS = { extreme: "#7f0000", severe: "#c62828", moderate: "#e08a00", minor: "#1565c0",
    unknown: "#616161" };

  // The outlines arrive after the map is drawn; ``ready`` is called with a code → layer table.
  function baseMap(element, ready) {
    var map = L.map(element, { attributionControl: false, worldCopyJump: true, minZoom: 2 })
      .setView(HOME, 3);
    var url = element.dataset.outlines;
    if (!url) return map;
    fetch(url, { credentials: "same-origin" })
      .then(function (response) { return response.ok ? response.json() : null; })
      .then(function (outlines) {
        if (!outlines) return;
        var states = {};
        L.geoJSON(outlines, {
          interactive: false,
          style: { color: "#5b6470", weight: 1, fillColor: "#fbfbf6", fillOpacity: 1 },
          onEachFeature: function (feature, layer) {
            states[feature.properties.code] = layer;
            if (feature.properties.name) {
              layer.bindTooltip(feature.properties.name, { permanent: true, direction: "center",
                className: "state-label", interactive: false });
            }
          },
        }).addTo(map).bringToBack();
        if (ready) ready(states);
      })
      .catch(function () { /* a plain background still works */ });
    return map;
  }

  function geometryLayer(geometry, colour) {
    if (geometry.type === "Point") {
      var c = geometry.coordinates;
      return L.circleMarker([c[1], c[0]], { radius: 9, color: "#000", weight: 2,
        fillColor: colour, fillOpacity: 0.9 });
    }
    return L.geoJSON(geometry, { style: { color: colour, weight: 2, fillOpacity: 0.25 } });
  }

  function showMap(element) {
    var map = baseMap(element);
    var geometry = JSON.parse(element.dataset.geometry);
    var layer = geometryLayer(geometry, COLOURS[element.dataset.severity] || COLOURS.unknown)
      .addTo(map);
    if (geometry.type === "Point") map.setView(layer.getLatLng(), 6);
    else map.fitBounds(layer.getBounds(), { maxZoom: 8 });
  }

  function number(input) {
    var value = parseFloat(String(input.value).replace(",", "."));
    return isFinite(value) ? value : null;
  }

  function pickMap(element) {
    var fields = element.closest("[data-location-fields]");
    var latitude = fields.querySelector("[data-latitude]");
    var longitude = fields.querySelector("[data-longitude]");
    var polygon = fields.querySelector("[data-polygon]");
    var country = element.closest("form").querySelector("select[name=country]");
    var marker = null;
    var area = null;
    var states = {};
    var map = baseMap(element, function (loaded) {
      states = loaded;
      if (!marker && !area) showCountry(country.value || element.dataset.home);
    });

    function showCountry(code) {
      if (states[code]) map.fitBounds(states[code].getBounds(), { maxZoom: 7 });
    }

    function place(lat, lng, pan) {
      if (marker) marker.setLatLng([lat, lng]);
      else marker = geometryLayer({ type: "Point", coordinates: [lng, lat] }, "#0b4f8a").addTo(map);
      if (pan) map.setView([lat, lng], Math.max(map.getZoom(), 5));
    }

    function fromInputs(pan) {
      var lat = number(latitude);
      var lng = number(longitude);
      if (lat === null || lng === null || Math.abs(lat) > 90 || Math.abs(lng) > 180) return;
      place(lat, lng, pan);
    }

    function drawPolygon() {
      if (area) { map.removeLayer(area); area = null; }
      if (!polygon || !polygon.value.trim()) return;
      try {
        area = geometryLayer(JSON.parse(polygon.value), "#0b4f8a").addTo(map);
        map.fitBounds(area.getBounds(), { maxZoom: 8 });
      } catch (error) { /* the server names what is wrong when the form is sent */ }
    }

    map.on("click", function (event) {
      var at = event.latlng.wrap();
      latitude.value = at.lat.toFixed(5);
      longitude.value = at.lng.toFixed(5);
      place(at.lat, at.lng, false);
    });
    latitude.addEventListener("change", function () { fromInputs(true); });
    longitude.addEventListener("change", function () { fromInputs(true); });
    if (polygon) polygon.addEventListener("change", drawPolygon);
    country.addEventListener("change", function () { if (!marker) showCountry(country.value); });
    fromInputs(true);
    drawPolygon();
    // A map drawn inside a closed <details> has no size yet: measure again when it opens.
    var details = element.closest("details");
    if (details) details.addEventListener("toggle", function () { map.invalidateSize(); });
    return map;
  }

  document.querySelectorAll("[data-show-map]").forEach(showMap);
  document.querySelectorAll("[data-pick-map]").forEach(pickMap);
})();
