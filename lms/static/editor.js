/* The course editor: a live preview from the server's own renderer (the text trainees will
   see, sanitized there), and a copy of unsaved text kept on this device so a long edit
   survives a closed tab or an expired session. */
(function () {
  "use strict";
  var form = document.getElementById("editor-form");
  if (!form) return;
  var text = document.getElementById("text");
  var preview = document.getElementById("preview");
  var status = document.getElementById("editor-status");
  var csrf = document.querySelector('meta[name="csrf-token"]').content;
  var key = form.dataset.storeKey, timer = null, asked = 0;
  var revision = form.querySelector('[name="revision"]').value;

  // Restore only text typed over the revision shown now: over someone else's newer save it
  // would be saved without the conflict check ever seeing it.
  var kept = JSON.parse(localStorage.getItem(key) || "null");
  if (kept && kept.text === text.value) {
    localStorage.removeItem(key);  // saved: this page shows it
  } else if (kept && kept.revision === revision && !document.querySelector("[role=alert]")) {
    text.value = kept.text;
    if (status) status.textContent = status.dataset.restored;
  }

  function refresh() {
    if (!preview) return;
    var mine = ++asked, body = new FormData();
    body.append("text", text.value);
    body.append("csrf_token", csrf);
    fetch(form.dataset.previewUrl, { method: "POST", credentials: "same-origin", body: body })
      .then(function (response) { return response.ok ? response.json() : null; })
      .then(function (data) { if (data && mine === asked) preview.innerHTML = data.html; })
      .catch(function () { /* offline: the preview waits for the next change */ });
  }

  // Autosave to the server every 20 s while the text changes, with the revision this page
  // holds: someone else's newer save is never overwritten (the server answers 409).
  var saved = text.value, saving = false, stopped = false;
  var revisionField = form.querySelector('[name="revision"]');
  function autosave() {
    if (saving || stopped || text.value === saved || !form.dataset.autosaveUrl) return;
    var sending = text.value, body = new FormData();
    body.append("text", sending);
    body.append("revision", revisionField.value);
    body.append("csrf_token", csrf);
    saving = true;
    fetch(form.dataset.autosaveUrl, { method: "POST", credentials: "same-origin", body: body })
      .then(function (response) {
        return response.json().then(function (data) { return { ok: response.ok, data: data }; });
      })
      .then(function (result) {
        if (result.ok) {
          saved = sending;
          revision = revisionField.value = String(result.data.revision);
          localStorage.setItem(key, JSON.stringify({ revision: revision, text: text.value }));
          if (status) status.textContent = status.dataset.autosaved.replace(
            "__TIME__", new Date().toLocaleTimeString());
        } else {
          stopped = true;  // a conflict or an expired form: the Save button shows what to do
          if (status) status.textContent = result.data.error || "";
        }
      })
      .catch(function () { /* offline: the copy on this device keeps the text */ })
      .finally(function () { saving = false; });
  }
  setInterval(autosave, 20000);

  text.addEventListener("input", function () {
    localStorage.setItem(key, JSON.stringify({ revision: revision, text: text.value }));
    clearTimeout(timer);
    timer = setTimeout(refresh, 400);
  });
})();
