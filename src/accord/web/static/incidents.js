// Live hints on the incident list and an incident's page. The list does not insert rows itself
// (filters, sort and paging decide what belongs on it): it counts what arrived and offers a
// refresh, and marks rows on the page that someone changed.
(function () {
  "use strict";
  var notice = document.getElementById("live-notice");
  if (!notice) return;
  var list = document.querySelector("[data-live-incidents]");
  var single = document.querySelector("[data-live-incident]");
  var counter = notice.querySelector("[data-live-count]");
  var seen = {};
  var count = 0;

  function show() {
    notice.hidden = false;
    if (counter) counter.textContent = String(count);
  }

  document.addEventListener("accord:event", function (event) {
    var data = event.detail || {};
    var kind = data.kind || "";
    if (kind.indexOf("incident.") !== 0) return;
    if (single) {
      if (data.subject !== single.dataset.liveIncident) return;
      if (data.actor && data.actor === single.dataset.me) return;
      var version = data.payload && data.payload.version;
      if (version && String(version) === single.dataset.version) return;
      show();
      return;
    }
    if (!list) return;
    var row = document.getElementById("incident-" + data.subject);
    if (row) row.classList.add("changed");
    if (!seen[data.subject]) {
      seen[data.subject] = true;
      count += 1;
    }
    show();
  });
})();
