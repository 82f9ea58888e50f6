// The posts and budget pages: a change made elsewhere shows a notice to refresh.
(function () {
  "use strict";
  var notice = document.querySelector("[data-live-kinds]");
  if (!notice) return;
  var prefixes = notice.dataset.liveKinds.split(" ");
  document.addEventListener("accord:event", function (event) {
    var kind = (event.detail && event.detail.kind) || "";
    var mine = prefixes.some(function (prefix) { return kind.indexOf(prefix) === 0; });
    if (!mine) return;
    var link = notice.querySelector("a");
    if (link) link.href = window.location.pathname + window.location.search;
    notice.hidden = false;
  });
})();
