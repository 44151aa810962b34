/* Save quiz answers as the trainee gives them, keep a copy on the device for weak
   connections, and show the time left. The server grades; nothing here knows the answers. */
(function () {
  "use strict";
  var form = document.getElementById("quiz-form");
  if (!form) return;
  var status = document.getElementById("save-status");
  var csrf = document.querySelector('meta[name="csrf-token"]').content;
  var storeKey = "lms-draft-" + form.dataset.attempt;
  var timer = null, saving = false, again = false, closed = false;

  function collect() {
    var answers = {};
    form.querySelectorAll("[name^=q]").forEach(function (el) {
      if (!/^q\d+$/.test(el.name)) return;
      answers[el.name] = answers[el.name] || [];
      if ((el.type === "radio" || el.type === "checkbox") && !el.checked) return;
      answers[el.name].push(el.value);
    });
    return answers;
  }

  function apply(answers) {
    Object.keys(answers).forEach(function (name) {
      var values = answers[name], fields = form.querySelectorAll('[name="' + name + '"]');
      fields.forEach(function (el, i) {
        if (el.type === "radio" || el.type === "checkbox") el.checked = values.indexOf(el.value) !== -1;
        else if (values[i] !== undefined) el.value = values[i];
      });
    });
  }

  function show(kind, time) {
    if (!status) return;
    var text = status.dataset[kind] || "";
    status.textContent = time ? text.replace("__TIME__", time) : text;
    status.classList.toggle("is-warning", kind !== "saved");
  }

  function save() {
    if (closed) return;
    if (saving) { again = true; return; }
    var answers = collect();
    localStorage.setItem(storeKey, JSON.stringify({ at: Date.now(), answers: answers }));
    saving = true;
    fetch(form.dataset.draftUrl, {
      method: "POST", credentials: "same-origin",
      headers: { "Content-Type": "application/json", "X-CSRFToken": csrf },
      body: JSON.stringify({ answers: answers })
    }).then(function (response) {
      if (response.status === 409) { closed = true; show("closed"); return; }
      if (!response.ok) throw new Error(response.status);
      return response.json().then(function () {
        localStorage.removeItem(storeKey);
        show("saved", new Date().toLocaleTimeString());
      });
    }).catch(function () {
      show("offline");
      setTimeout(save, 10000);
    }).finally(function () {
      saving = false;
      if (again) { again = false; save(); }
    });
  }

  function soon() { clearTimeout(timer); timer = setTimeout(save, 600); }
  form.addEventListener("change", soon);
  form.addEventListener("input", soon);
  window.addEventListener("online", save);
  form.addEventListener("submit", function () { localStorage.removeItem(storeKey); });

  // Answers kept on this device but never saved (a dropped connection) win over the server's.
  var kept = localStorage.getItem(storeKey);
  if (kept) {
    try {
      var draft = JSON.parse(kept);
      var savedAt = form.dataset.savedAt ? Date.parse(form.dataset.savedAt) : 0;
      if (draft.at > savedAt) { apply(draft.answers); save(); }
    } catch (e) { localStorage.removeItem(storeKey); }
  }

  var clock = document.getElementById("quiz-timer");
  if (clock) {
    var deadline = Date.parse(clock.dataset.deadline), left = clock.querySelector(".timer-left");
    var tick = function () {
      var seconds = Math.max(0, Math.round((deadline - Date.now()) / 1000));
      left.textContent = Math.floor(seconds / 60) + ":" + String(seconds % 60).padStart(2, "0");
      if (seconds === 0) { clearInterval(handle); form.requestSubmit ? form.requestSubmit() : form.submit(); }
    };
    var handle = setInterval(tick, 1000);
    tick();
  }
})();
