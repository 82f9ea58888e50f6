// Council pages: countdowns to silence deadlines, and a notice when a shown decision changes.
(function () {
  "use strict";

  function left(ms, word) {
    var s = Math.floor(ms / 1000);
    var d = Math.floor(s / 86400), h = Math.floor((s % 86400) / 3600);
    var m = Math.floor((s % 3600) / 60), sec = s % 60;
    var text = (d ? d + " d " : "") + (d || h ? h + " h " : "") + m + " min " + sec + " s";
    return text + " " + word;
  }

  function tick() {
    var now = Date.now();
    document.querySelectorAll(".countdown[data-deadline]").forEach(function (node) {
      var remaining = Date.parse(node.dataset.deadline) - now;
      if (remaining <= 0) {
        node.textContent = node.dataset.ended;
        node.classList.add("ended");
      } else {
        node.textContent = left(remaining, node.dataset.left);
      }
    });
  }

  if (document.querySelector(".countdown[data-deadline]")) {
    tick();
    setInterval(tick, 1000);
  }

  var article = document.querySelector("[data-live-decision]");
  var notice = document.getElementById("decision-changed");
  document.addEventListener("accord:event", function (event) {
    var data = event.detail || {};
    if (!data.kind || data.kind.indexOf("decision.") !== 0) return;
    if (article && notice && data.subject === article.dataset.liveDecision) notice.hidden = false;
  });
})();
