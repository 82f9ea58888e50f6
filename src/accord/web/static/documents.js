// Signing in the browser: an Ed25519 key pair made here with WebCrypto, its private half
// non-extractable and kept in IndexedDB; only the public key and the signatures reach the server.
(function () {
  "use strict";
  var box = document.getElementById("signing");
  if (!box) return;
  var button = document.getElementById("sign-button");
  var status = document.getElementById("signing-status");
  var meta = document.querySelector('meta[name="csrf-token"]');
  var csrf = meta ? meta.content : "";
  var documentId = box.dataset.document;
  var version = parseInt(box.dataset.version, 10);
  var KEY_ERRORS = { key_id: true };

  function say(text) { status.textContent = text; }

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

  async function newKey(user) {
    var pair = await crypto.subtle.generateKey({ name: "Ed25519" }, false, ["sign", "verify"]);
    var raw = await crypto.subtle.exportKey("raw", pair.publicKey);
    var registered = await api("/api/v1/signing-keys", {
      public_key: base64(raw),
      label: "browser " + new Date().toISOString().slice(0, 10)
    });
    var record = { keyId: registered.id, privateKey: pair.privateKey, publicKey: pair.publicKey };
    await keep(user, record);
    return record;
  }

  async function signWith(key) {
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

  async function signDocument() {
    var user = box.dataset.user;
    var key = await stored(user);
    if (!key) key = await newKey(user);
    try {
      return await signWith(key);
    } catch (error) {
      // A key revoked or expired since it was kept here: make a new one, once.
      if (!KEY_ERRORS[error.field]) throw error;
      return signWith(await newKey(user));
    }
  }

  button.addEventListener("click", function () {
    if (!window.crypto || !crypto.subtle || !window.indexedDB) {
      say(status.dataset.unsupported);
      return;
    }
    button.disabled = true;
    say(status.dataset.working);
    signDocument().then(function () {
      say(status.dataset.done);
      window.location.assign("/documents/" + documentId + "?saved=signed");
    }, function (error) {
      say(status.dataset.failed + " " + error.message);
      button.disabled = false;
    });
  });
})();
