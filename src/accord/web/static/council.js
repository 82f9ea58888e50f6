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

  // Live: positions, the outcome and status changes show without a reload. The facts and the
  // positions are swapped in place; when the status moved, the whole decision is, as the forms
  // that fit the old status no longer apply.
  var article = document.querySelector("[data-live-decision]");
  var pending = null;

  function showNotice() {
    var notice = document.getElementById("decision-changed");
    if (notice) notice.hidden = false;
  }

  function swap(fresh, selector) {
    var old = article.querySelector(selector);
    var next = fresh.querySelector(selector);
    if (old && next) old.replaceWith(next);
  }

  function statusOf(root) {
    var node = root.querySelector("[data-testid=decision-status]");
    return node ? node.dataset.status : "";
  }

  function refreshDecision() {
    pending = null;
    fetch(window.location.pathname, { credentials: "same-origin" })
      .then(function (response) { return response.ok ? response.text() : null; })
      .then(function (html) {
        var fresh = html && new DOMParser().parseFromString(html, "text/html")
          .querySelector("[data-live-decision]");
        if (!fresh || fresh.dataset.liveDecision !== article.dataset.liveDecision) {
          showNotice();
          return;
        }
        if (statusOf(fresh) !== statusOf(article)) {
          article.innerHTML = fresh.innerHTML;
        } else {
          swap(fresh, "dl.facts");
          swap(fresh, "#positions tbody");
        }
        article.dataset.refreshed = String(parseInt(article.dataset.refreshed || "0", 10) + 1);
      })
      .catch(showNotice);
  }

  document.addEventListener("accord:event", function (event) {
    var data = event.detail || {};
    if (!article || !data.kind || data.kind.indexOf("decision.") !== 0) return;
    if (data.subject !== article.dataset.liveDecision) return;
    if (pending) clearTimeout(pending);
    pending = setTimeout(refreshDecision, 250);
  });
})();
