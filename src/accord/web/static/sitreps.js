// Situation reports: the crisis page's list follows the live stream, and an open report says
// when someone else changed it.
(function () {
  "use strict";
  if (window.accordSitreps) return;  // the script may be named by a page and by a panel in it
  window.accordSitreps = true;
  var OVERDUE_KINDS = ["sitrep.issued", "sitrep.cadence_set", "crisis.escalated", "crisis.opened"];

  function item(row, panel) {
    var li = document.createElement("li");
    var link = document.createElement("a");
    link.href = "/sitreps/" + row.id;
    link.textContent = row.title;
    li.appendChild(link);
    var status = document.createElement("span");
    status.className = "status status-" + row.status;
    status.textContent = row.status === "issued" ? panel.dataset.issuedLabel : panel.dataset.draftLabel;
    li.appendChild(document.createTextNode(" "));
    li.appendChild(status);
    var marking = document.createElement("span");
    marking.className = "marking marking-" + row.classification.toLowerCase();
    marking.textContent = row.classification;
    li.appendChild(document.createTextNode(" "));
    li.appendChild(marking);
    return li;
  }

  function fill(section) {
    var list = section.querySelector("[data-sitreps-list]");
    var source = "/api/v1/sitreps?limit=20&crisis_id=" + encodeURIComponent(section.dataset.sitrepsCrisis);
    fetch(source, { credentials: "same-origin", headers: { Accept: "application/json" } })
      .then(function (response) { return response.ok ? response.json() : null; })
      .then(function (body) {
        if (!body || !list) return;
        while (list.firstChild) list.removeChild(list.firstChild);
        body.items.forEach(function (row) { list.appendChild(item(row, list)); });
        if (!body.items.length) {
          var empty = document.createElement("li");
          empty.className = "empty";
          empty.textContent = list.dataset.empty;
          list.appendChild(empty);
        }
      })
      .catch(function () { /* the list stays as it was */ });
  }

  function fillOverdue(panel) {
    var list = panel.querySelector("[data-overdue-list]");
    fetch(panel.dataset.overdueSource, { credentials: "same-origin", headers: { Accept: "application/json" } })
      .then(function (response) { return response.ok ? response.json() : null; })
      .then(function (body) {
        if (!body || !list) return;
        while (list.firstChild) list.removeChild(list.firstChild);
        body.items.forEach(function (row) {
          var li = document.createElement("li");
          li.className = "overdue";
          var link = document.createElement("a");
          link.href = "/crises/" + row.crisis_id;
          link.textContent = row.title;
          li.appendChild(link);
          var meta = document.createElement("span");
          meta.className = "meta";
          meta.textContent = " " + list.dataset.every.replace("{hours}", row.interval_hours) + " · " +
            list.dataset.due + " " + row.due_at.replace("T", " ").slice(0, 19) + " UTC";
          li.appendChild(meta);
          list.appendChild(li);
        });
        if (!body.items.length) {
          var empty = document.createElement("li");
          empty.className = "empty";
          empty.textContent = list.dataset.none;
          list.appendChild(empty);
        }
        panel.dataset.count = body.items.length;
      })
      .catch(function () { /* the panel stays as it was */ });
  }

  function start() {
    document.querySelectorAll("[data-sitreps-crisis]").forEach(function (section) {
      if (section.dataset.sitrepsWired) return;
      section.dataset.sitrepsWired = "1";
      if (section.dataset.sitrepsSource) fill(section);
    });
  }

  document.addEventListener("accord:event", function (event) {
    var data = event.detail || {};
    if (!data.kind) return;
    if (OVERDUE_KINDS.indexOf(data.kind) >= 0) {
      document.querySelectorAll("[data-overdue-source]").forEach(fillOverdue);
    }
    if (data.kind.indexOf("sitrep.") !== 0) return;
    var payload = data.payload || {};
    document.querySelectorAll("[data-sitreps-crisis]").forEach(function (section) {
      if (payload.crisis_id === section.dataset.sitrepsCrisis) fill(section);
    });
    var open = document.querySelector("[data-live-sitrep]");
    if (open && open.dataset.liveSitrep === data.subject &&
        String(payload.version) !== open.dataset.version) {
      var notice = open.querySelector("[data-sitrep-changed]");
      if (notice) notice.hidden = false;
    }
  });

  // A page may swap the panel for a freshly rendered one (the crisis page's live refresh).
  function watch() {
    start();
    if (window.MutationObserver) new MutationObserver(start).observe(document.body, { childList: true, subtree: true });
  }

  if (document.readyState === "loading") document.addEventListener("DOMContentLoaded", watch);
  else watch();
})();
