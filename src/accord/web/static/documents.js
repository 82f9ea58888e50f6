// Documents in the browser. Signing: an Ed25519 key pair made here with WebCrypto, its private
// half non-extractable and kept in IndexedDB; only the public key and the signatures reach the
// server. The signing keys page makes and rotates such keys. The document page refreshes its
// signatures when the live stream says the document changed.
(function () {
  "use strict";
  var meta = document.querySelector('meta[name="csrf-token"]');
  var csrf = meta ? meta.content : "";
  var KEY_ERRORS = { key_id: true };

  function request(store, mode, action) {
    return new Promise(function (resolve, reject) {
      var opening = indexedDB.open("accord-signing", 1);
      opening.onupgradeneeded = function () { opening.result.createObjectStore("keys"); };
      opening.onerror = function () { reject(opening.error); };
      opening.onsuccess = function () {
        var db = opening.result;
        var call = action(db.transaction(store, mode).objectStore(store));
        call.onsuccess = function () { resolve(call.result); db.close(); };
        call.onerror = function () { reject(call.error); db.close(); };
      };
    });
  }
  function stored(user) { return request("keys", "readonly", function (s) { return s.get(user); }); }
  function keep(user, value) {
    return request("keys", "readwrite", function (s) { return s.put(value, user); });
  }

  function base64(buffer) {
    var bytes = new Uint8Array(buffer);
    var text = "";
    for (var i = 0; i < bytes.length; i++) text += String.fromCharCode(bytes[i]);
    return btoa(text);
  }

  function api(path, body) {
    return fetch(path, {
      method: "POST",
      credentials: "same-origin",
      headers: { "Content-Type": "application/json", "X-CSRF-Token": csrf },
      body: JSON.stringify(body)
    }).then(function (response) {
      return response.json().then(function (answer) {
        if (response.ok) return answer;
        var error = new Error(answer.error ? answer.error.message : String(response.status));
        error.field = answer.error ? answer.error.field : null;
        throw error;
      });
    });
  }

  function canSign() {
    return !!(window.crypto && crypto.subtle && window.indexedDB);
  }

  // A new key pair here; with ``replaces``, the server revokes that key (rotation).
  async function newKey(user, replaces) {
    var pair = await crypto.subtle.generateKey({ name: "Ed25519" }, false, ["sign", "verify"]);
    var raw = await crypto.subtle.exportKey("raw", pair.publicKey);
    var body = {
      public_key: base64(raw),
      label: "browser " + new Date().toISOString().slice(0, 10)
    };
    if (replaces) body.replaces = replaces;
    var registered = await api("/api/v1/signing-keys", body);
    var record = { keyId: registered.id, privateKey: pair.privateKey, publicKey: pair.publicKey };
    await keep(user, record);
    return record;
  }

  // Signing on the document page

  var article = document.querySelector("article.document[data-document]");
  var signing = false;

  async function signWith(box, key) {
    var documentId = box.dataset.document;
    var version = parseInt(box.dataset.version, 10);
    var response = await fetch(
      "/api/v1/documents/" + documentId + "/manifest?version=" + version,
      { credentials: "same-origin" }
    );
    if (!response.ok) throw new Error("manifest " + response.status);
    var manifest = await response.arrayBuffer();
    var signature = await crypto.subtle.sign({ name: "Ed25519" }, key.privateKey, manifest);
    return api("/api/v1/documents/" + documentId + "/signatures", {
      version: version,
      key_id: key.keyId,
      signature: base64(signature)
    });
  }

  async function signDocument(box) {
    var user = box.dataset.user;
    var key = await stored(user);
    if (!key) key = await newKey(user);
    try {
      return await signWith(box, key);
    } catch (error) {
      // A key revoked or expired since it was kept here: make a new one, once.
      if (!KEY_ERRORS[error.field]) throw error;
      return signWith(box, await newKey(user));
    }
  }

  document.addEventListener("click", function (event) {
    var button = event.target.closest ? event.target.closest("#sign-button") : null;
    var box = document.getElementById("signing");
    if (!button || !box) return;
    var status = document.getElementById("signing-status");
    var say = function (text) { status.textContent = text; };
    if (!canSign()) {
      say(status.dataset.unsupported);
      return;
    }
    button.disabled = true;
    signing = true;
    say(status.dataset.working);
    signDocument(box).then(function () {
      say(status.dataset.done);
      window.location.assign("/documents/" + box.dataset.document + "?saved=signed");
    }, function (error) {
      signing = false;
      say(status.dataset.failed + " " + error.message);
      button.disabled = false;
    });
  });

  // Live: another state's signature, entry into force or a new version shows without a reload.

  var pending = null;

  function refreshDocument() {
    pending = null;
    if (signing || !article) return;
    fetch(window.location.pathname, { credentials: "same-origin" })
      .then(function (response) { return response.ok ? response.text() : null; })
      .then(function (html) {
        if (!html || signing) return;
        var fresh = new DOMParser().parseFromString(html, "text/html")
          .querySelector("article.document[data-document]");
        if (!fresh || fresh.dataset.document !== article.dataset.document) return;
        article.innerHTML = fresh.innerHTML;
        article.dataset.refreshed = String(parseInt(article.dataset.refreshed || "0", 10) + 1);
      })
      .catch(function () { /* the next event tries again */ });
  }

  if (article) {
    document.addEventListener("accord:event", function (event) {
      var data = event.detail || {};
      if (!data.kind || data.kind.indexOf("document.") !== 0) return;
      if (data.subject !== article.dataset.document) return;
      // Several events of one change arrive together: fetch the page once.
      if (pending) clearTimeout(pending);
      pending = setTimeout(refreshDocument, 250);
    });
  }

  // The signing keys page

  var tools = document.getElementById("key-tools");
  if (tools) {
    var status = document.getElementById("key-status");
    var makeKey = function (replaces, button) {
      if (!canSign()) {
        status.textContent = tools.dataset.unsupported;
        return;
      }
      button.disabled = true;
      status.textContent = tools.dataset.working;
      newKey(tools.dataset.user, replaces).then(function () {
        window.location.assign("/documents/keys?saved=" + (replaces ? "rotated" : "registered"));
      }, function (error) {
        status.textContent = tools.dataset.failed + " " + error.message;
        button.disabled = false;
      });
    };
    document.getElementById("new-key-in-browser").addEventListener("click", function (event) {
      makeKey(null, event.currentTarget);
    });
    document.querySelectorAll(".rotate-in-browser").forEach(function (button) {
      button.hidden = false;
      button.addEventListener("click", function () { makeKey(button.dataset.replaces, button); });
    });
  }
})();
