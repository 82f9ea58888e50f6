// Press and programme pages: when the live stream reports a change to what the page shows
// (made by someone else), show the page's reload notice instead of silently going stale.
(function () {
  "use strict";
  var watched = document.querySelector("[data-live-watch]");
  var notice = document.getElementById("live-notice");
  if (!watched || !notice) return;
  var prefix = watched.dataset.liveWatch;
  var subject = watched.dataset.liveSubject || "";
  var me = watched.dataset.me || "";
  document.addEventListener("accord:event", function (event) {
    var data = event.detail || {};
    if (!data.kind || data.kind.indexOf(prefix) !== 0) return;
    if (subject && data.subject !== subject) return;
    if (me && data.actor === me) return;
    notice.hidden = false;
  });
})();
