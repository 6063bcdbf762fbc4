// Small progressive enhancements of the console; every page works without
// them. The new-campaign form previews the invitation as it is typed, and
// the campaign overview refreshes its sending figures while sending.
(function () {
  "use strict";

  function setText(id, value) {
    var el = document.getElementById(id);
    if (el) { el.textContent = value; }
  }

  // Live preview of the invitation.
  var form = document.getElementById("campaign-form");
  if (form && window.fetch) {
    var timer = null;
    var update = function () {
      var body = new URLSearchParams(new FormData(form));
      fetch("/campaigns/preview", { method: "POST", body: body, credentials: "same-origin" })
        .then(function (r) { return r.ok ? r.json() : null; })
        .then(function (p) {
          if (!p) { return; }
          setText("preview-text", p.text);
          setText("preview-chars", String(p.characters));
          setText("preview-encoding", p.encoding);
          setText("preview-segments", String(p.segments));
          var list = document.getElementById("preview-warnings");
          if (list) {
            list.textContent = "";
            (p.warnings || []).concat(p.error ? [p.error] : []).forEach(function (w) {
              var li = document.createElement("li");
              li.textContent = w;
              list.appendChild(li);
            });
          }
        })
        .catch(function () {});
    };
    form.addEventListener("input", function () {
      clearTimeout(timer);
      timer = setTimeout(update, 250);
    });
  }

  // decimal writes n with one decimal, with a comma in bokmål.
  function decimal(n) {
    var s = n.toFixed(1);
    return document.documentElement.lang === "nb" ? s.replace(".", ",") : s;
  }

  // Live sending progress: one cheap request every two seconds. The rate
  // shown is the one measured between two answers.
  var box = document.getElementById("progress");
  if (box && window.fetch && box.dataset.state === "sending") {
    var prev = null;
    var poll = function () {
      fetch(box.dataset.url, { credentials: "same-origin", cache: "no-store" })
        .then(function (r) { return r.ok ? r.json() : null; })
        .then(function (p) {
          if (!p) { return; }
          setText("progress-queued", String(p.queued));
          setText("progress-sent", String(p.sent));
          setText("progress-delivered", String(p.delivered));
          setText("progress-failed", String(p.failed));
          var bar = document.getElementById("progress-bar");
          if (bar) { bar.max = Math.max(p.total, 1); bar.value = p.done; }
          setText("progress-pct", (p.total ? Math.floor(p.done * 100 / p.total) : 0) + " %");
          var now = Date.now();
          var rate = 0;
          if (prev && now > prev.at && p.done >= prev.done) {
            rate = (p.done - prev.done) * 1000 / (now - prev.at);
            setText("progress-rate", box.dataset.measured.replace("%s", decimal(rate)));
          }
          prev = { done: p.done, at: now };
          if (p.queued === 0) {
            setText("progress-eta", "–");
          } else {
            var secs = rate > 0 ? p.queued / rate : p.eta_seconds;
            setText("progress-eta", box.dataset.etaMinutes.replace("%d", String(Math.max(1, Math.ceil(secs / 60)))));
          }
        })
        .catch(function () {})
        .finally(function () { setTimeout(poll, 2000); });
    };
    setTimeout(poll, 2000);
  }
})();

// The draw ceremony: steps that cannot be undone (commit, seed, notify)
// ask once more in a dialog; without script the ticked box is the
// confirmation. The commitment notice gets a print button.
(function () {
  "use strict";
  document.querySelectorAll("input[data-confirm]").forEach(function (box) {
    var form = box.form;
    if (!form) { return; }
    form.addEventListener("submit", function (e) {
      if (!window.confirm(box.getAttribute("data-confirm"))) { e.preventDefault(); }
    });
  });
  document.querySelectorAll(".print-button").forEach(function (b) {
    b.hidden = false;
    b.addEventListener("click", function () { window.print(); });
  });
})();
