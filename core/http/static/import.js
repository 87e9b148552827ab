/* Troika web client: the import preview. While a test or an import runs (the
 * page waits for the server's answer), the buttons are disabled and a status
 * line counts the rows and the seconds. Works without it: the form posts. */
(function () {
  "use strict";
  function init() {
    var form = document.querySelector(".o-import-form");
    var status = document.querySelector(".o-import-progress");
    if (!form || !status) { return; }
    form.addEventListener("submit", function (e) {
      var op = e.submitter && e.submitter.value;
      if (op !== "test" && op !== "import") { return; }
      var text = status.dataset[op], started = Date.now();
      status.hidden = false;
      status.textContent = text;
      window.setInterval(function () {
        status.textContent = text + " " + Math.round((Date.now() - started) / 1000) + " s";
      }, 1000);
      // keep the submitter's value: disable the buttons once the form data is taken
      window.setTimeout(function () {
        form.querySelectorAll("button").forEach(function (b) { b.disabled = true; });
      }, 0);
    });
  }
  if (document.readyState === "loading") { document.addEventListener("DOMContentLoaded", init); } else { init(); }
})();
