// Assistance pages follow the live stream: when a request, offer or deployment changes, the
// live part of the page is fetched again and swapped in place (forms being typed into are kept).
(function () {
  "use strict";
  var region = document.querySelector("[data-live-assistance]");
  if (!region || !window.fetch || !window.DOMParser) return;
  var pending = null;

  function relevant(kind) {
    return /^(assistance|deployment|capability)\./.test(kind || "");
  }

  function busy() {
    var active = document.activeElement;
    return active && region.contains(active) && /INPUT|TEXTAREA|SELECT/.test(active.tagName);
  }

  function refresh() {
    pending = null;
    if (busy()) { pending = setTimeout(refresh, 2000); return; }
    fetch(window.location.pathname + window.location.search, { credentials: "same-origin" })
      .then(function (response) { return response.ok ? response.text() : null; })
      .then(function (html) {
        if (!html) return;
        var next = new DOMParser().parseFromString(html, "text/html").querySelector("[data-live-assistance]");
        if (!next) return;
        region.replaceChildren.apply(region, Array.prototype.slice.call(next.childNodes));
        region.classList.add("fresh");
      })
      .catch(function () { /* the next event tries again */ });
  }

  document.addEventListener("accord:event", function (event) {
    var data = event.detail || {};
    if (!relevant(data.kind)) return;
    if (pending) clearTimeout(pending);
    pending = setTimeout(refresh, 300);
  });
})();
