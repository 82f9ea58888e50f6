// The unread count in the navigation follows new notifications: a live event may bring one,
// so each burst of events asks the server for the count once.
(function () {
  "use strict";
  var link = document.querySelector("[data-testid=notifications-link]");
  if (!link || !window.fetch) return;
  var timer = null;

  function show(count) {
    var badge = link.querySelector("[data-testid=unread-count]");
    if (!count) {
      if (badge) badge.remove();
      return;
    }
    if (!badge) {
      badge = document.createElement("span");
      badge.className = "count";
      badge.dataset.testid = "unread-count";
      link.appendChild(document.createTextNode(" "));
      link.appendChild(badge);
    }
    badge.textContent = String(count);
  }

  function refresh() {
    timer = null;
    fetch("/api/v1/notifications/unread-count", {
      credentials: "same-origin",
      headers: { Accept: "application/json" }
    })
      .then(function (response) { return response.ok ? response.json() : null; })
      .then(function (body) { if (body) show(body.unread); })
      .catch(function () { /* the next event tries again */ });
  }

  function soon() {
    if (!timer) timer = setTimeout(refresh, 250);
  }

  document.addEventListener("accord:event", soon);
  document.addEventListener("visibilitychange", function () {
    if (document.visibilityState === "visible") soon();
  });
})();
