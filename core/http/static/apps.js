/* The Apps page: run an install, upgrade or uninstall and show its progress.
 *
 * An operation form (.o-apps-op) is posted with fetch; the answer is a
 * stream of JSON lines (application/x-ndjson) that the worker doing the
 * operation writes as it goes: {"message", "step", "steps"} ... then
 * {"state": "done"} or {"state": "failed", "error"}. Without this script
 * the forms post normally and the server redirects back to the page.
 */
(function () {
  "use strict";

  var csrf = (document.querySelector('meta[name="csrf-token"]') || {}).content || "";
  var panel = document.getElementById("o-apps-progress");
  if (!panel) { return; }

  function part(cls) { return panel.querySelector("." + cls); }

  function setBusy(busy) {
    Array.prototype.forEach.call(document.querySelectorAll(".o-apps-op button"),
      function (button) { button.disabled = busy; });
  }

  function show(event) {
    if (event.message) {
      part("o-apps-step").textContent = event.message;
      var line = document.createElement("li");
      line.textContent = event.message;
      part("o-apps-log").appendChild(line);
    }
    if (event.steps) {
      var bar = part("o-apps-bar");
      bar.max = event.steps;
      bar.value = event.step - 0.5;
    }
  }

  function finish(event, form) {
    var result = part("o-apps-result");
    if (event.state === "done") {
      part("o-apps-bar").value = part("o-apps-bar").max;
      result.className = "o-apps-result o-ok";
      result.textContent = (panel.dataset.doneText || "Done") + ": " +
        ((event.modules || []).join(", ") || "-");
      setTimeout(function () {
        window.location.assign(form.dataset.done || window.location.href);
      }, 800);
    } else {
      result.className = "o-apps-result o-failed";
      result.textContent = event.error || "The operation failed.";
      setBusy(false);
    }
  }

  function readLines(response, onEvent) {
    var reader = response.body.getReader();
    var decoder = new TextDecoder();
    var buffer = "";
    function pump() {
      return reader.read().then(function (chunk) {
        buffer += decoder.decode(chunk.value || new Uint8Array(), {stream: !chunk.done});
        var lines = buffer.split("\n");
        buffer = lines.pop();
        lines.forEach(function (line) { if (line.trim()) { onEvent(JSON.parse(line)); } });
        if (!chunk.done) { return pump(); }
        if (buffer.trim()) { onEvent(JSON.parse(buffer)); }
      });
    }
    return pump();
  }

  function run(form) {
    var kind = form.action.split("/").pop();
    panel.hidden = false;
    part("o-apps-progress-title").textContent = (panel.dataset[kind] || kind) + " " + form.dataset.module;
    part("o-apps-result").textContent = "";
    part("o-apps-log").textContent = "";
    part("o-apps-bar").removeAttribute("value");
    setBusy(true);
    var ended = false;
    fetch(form.action, {
      method: "POST", credentials: "same-origin", body: new FormData(form),
      headers: {"Accept": "application/x-ndjson", "X-CSRF-Token": csrf}
    }).then(function (response) {
      if (!response.ok) {
        throw new Error(response.status === 403 ? "Access denied (" + response.status + ")"
                        : "The server answered " + response.status);
      }
      return readLines(response, function (event) {
        show(event);
        if (event.state === "done" || event.state === "failed") {
          ended = true;
          finish(event, form);
        }
      });
    }).then(function () {
      if (!ended) { finish({state: "failed", error: "The connection ended early; reload the page."}, form); }
    }).catch(function (error) {
      finish({state: "failed", error: error.message}, form);
    });
  }

  document.addEventListener("submit", function (event) {
    var form = event.target;
    if (!form.classList || !form.classList.contains("o-apps-op") || !window.fetch) { return; }
    event.preventDefault();
    run(form);
  });
}());
