// Live updates. The stream names each event by its kind, and EventSource has no way to hear
// every name, so the stream is read with fetch and parsed here; it resumes with Last-Event-ID.
(function () {
  "use strict";
  if (!document.body || !document.body.dataset.live || !window.fetch) return;
  var dot = document.querySelector(".live-dot");
  var lastId = null;

  function deliver(message) {
    if (message.id) lastId = message.id;
    if (!message.data) return;
    var data = JSON.parse(message.data);
    document.dispatchEvent(new CustomEvent("accord:event", { detail: data }));
  }

  function parse(block) {
    var message = { id: null, event: "message", data: "" };
    block.split("\n").forEach(function (line) {
      if (!line || line.charAt(0) === ":") return;
      var colon = line.indexOf(":");
      var field = colon < 0 ? line : line.slice(0, colon);
      var value = colon < 0 ? "" : line.slice(colon + 1).replace(/^ /, "");
      if (field === "data") message.data += (message.data ? "\n" : "") + value;
      else if (field === "id") message.id = value;
      else if (field === "event") message.event = value;
    });
    return message;
  }

  function connect(delay) {
    var headers = { Accept: "text/event-stream" };
    if (lastId) headers["Last-Event-ID"] = lastId;
    fetch("/api/v1/events/stream", { headers: headers, credentials: "same-origin" })
      .then(function (response) {
        if (!response.ok || !response.body) throw new Error("stream " + response.status);
        if (dot) dot.classList.add("on");
        var reader = response.body.getReader();
        var decoder = new TextDecoder();
        var buffer = "";
        function pump() {
          return reader.read().then(function (chunk) {
            if (chunk.done) return;
            buffer += decoder.decode(chunk.value, { stream: true });
            var cut;
            while ((cut = buffer.indexOf("\n\n")) >= 0) {
              deliver(parse(buffer.slice(0, cut)));
              buffer = buffer.slice(cut + 2);
            }
            return pump();
          });
        }
        return pump();
      })
      .catch(function () { /* reconnect below */ })
      .then(function () {
        if (dot) dot.classList.remove("on");
        setTimeout(function () { connect(Math.min((delay || 1000) * 2, 15000)); }, delay || 1000);
      });
  }

  var table = document.querySelector("[data-live-events] tbody");
  if (table) {
    document.addEventListener("accord:event", function (event) {
      var data = event.detail;
      var row = document.createElement("tr");
      row.className = "fresh";
      row.dataset.seq = data.seq;
      [data.seq, data.at.replace("T", " ").slice(0, 19) + " UTC", data.actor, data.state,
       data.kind, data.subject, data.classification, JSON.stringify(data.payload), ""]
        .forEach(function (text) {
          var cell = document.createElement("td");
          cell.textContent = text;
          row.appendChild(cell);
        });
      table.insertBefore(row, table.firstChild);
    });
  }
  connect(1000);
})();
