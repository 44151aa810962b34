/* Active study time on a module page: a heartbeat about every 30 s, only while the page is
   visible and the trainee has scrolled, typed, clicked or touched in the last 2 minutes; after
   3 idle minutes it asks "还在学习吗？" (times scale with LMS_STUDY_BEAT_SECONDS). The server decides what each beat credits (never more
   than the time since the person's last beat). It also remembers how far down the trainee read
   and returns there on the next visit. */
(function () {
  "use strict";
  var article = document.querySelector("[data-study-beat]");
  if (!article) return;
  var BEAT_MS = 1000 * (parseFloat(article.dataset.beatSeconds) || 30);
  var ACTIVE_MS = 4 * BEAT_MS, ASK_MS = 6 * BEAT_MS;
  var url = article.dataset.studyBeat;
  var csrf = document.querySelector('meta[name="csrf-token"]').content;
  var ask = document.getElementById("still-studying");
  var status = document.getElementById("study-status");
  var tab = randomTab(), seq = 0, lastActive = Date.now(), asking = false;

  function randomTab() {
    var bytes = new Uint8Array(12);
    (window.crypto || window.msCrypto).getRandomValues(bytes);
    return Array.prototype.map.call(bytes, function (b) { return ("0" + b.toString(16)).slice(-2); }).join("");
  }

  function position() {
    var top = article.offsetTop, height = article.offsetHeight - window.innerHeight;
    if (height <= 0) return 1;
    return Math.max(0, Math.min(1, (window.scrollY - top) / height));
  }

  function restore() {
    var saved = parseFloat(article.dataset.position);
    if (!(saved > 0) || window.location.hash) return;
    var height = article.offsetHeight - window.innerHeight;
    if (height > 0) window.scrollTo(0, article.offsetTop + saved * height);
  }

  function active() {
    lastActive = Date.now();
    if (asking) { asking = false; if (ask) ask.hidden = true; }
  }

  function beat() {
    if (document.visibilityState !== "visible") return;
    var idle = Date.now() - lastActive;
    if (idle >= ASK_MS && ask && !asking) {
      asking = true; ask.hidden = false;
      ask.querySelector("button").focus({preventScroll: true});  // screen readers announce it
    }
    if (idle >= ACTIVE_MS) return;
    seq += 1;
    fetch(url, {
      method: "POST", credentials: "same-origin",
      headers: {"Content-Type": "application/json", "X-CSRFToken": csrf},
      body: JSON.stringify({tab: tab, seq: seq, sent_at: Date.now(), position: position()})
    }).then(function (response) { return response.ok ? response.json() : null; })
      .then(function (result) {
        if (result && status) {
          status.textContent = status.dataset.template.replace("__MIN__", Math.floor(result.seconds_active / 60));
        }
      }).catch(function () { /* offline: the next beat tries again */ });
  }

  ["scroll", "keydown", "pointerdown", "touchstart", "wheel"].forEach(function (name) {
    window.addEventListener(name, active, {passive: true});
  });
  document.addEventListener("visibilitychange", function () {
    if (document.visibilityState === "visible") active();
  });
  if (ask) ask.querySelector("button").addEventListener("click", active);
  restore();
  beat();  // starts the clock for this module; it credits nothing by itself
  window.setInterval(beat, BEAT_MS);
})();
