/* Troika calendar view: drag an event to another day or hour.
 *
 * Without this script events link to their form and the toolbar's links
 * navigate. With it: HTML5 drag and drop of an event onto a day (month
 * view, all-day row: the time of day is kept) or an hour (week and day
 * views) POSTs the new start to /web/json/calendar_move (X-CSRF-Token),
 * then reloads the period; a refused move (a constraint, a rule) shows why.
 */
(function () {
  "use strict";

  var DAY = 24 * 3600 * 1000;

  function dayNumber(text) {
    var parts = text.slice(0, 10).split("-");
    return Date.UTC(+parts[0], +parts[1] - 1, +parts[2]) / DAY;
  }
  function isoDay(number) { return new Date(number * DAY).toISOString().slice(0, 10); }

  // web.js (loaded before, in order) posts with the session's CSRF token
  var postJson = window.troika.postJson;

  function init(calendar) {
    if (!calendar.getAttribute("data-editable")) { return; }
    var dragged = null;
    var error = calendar.querySelector(".o-view-error");

    calendar.addEventListener("dragstart", function (event) {
      var item = event.target.closest && event.target.closest(".o-cal-event[draggable]");
      if (!item) { return; }
      var cell = item.closest("[data-date]");
      dragged = {item: item, id: parseInt(item.getAttribute("data-id"), 10),
                 start: item.getAttribute("data-start"),
                 from: cell ? cell.getAttribute("data-date") : item.getAttribute("data-start")};
      event.dataTransfer.effectAllowed = "move";
      event.dataTransfer.setData("text/plain", String(dragged.id));
      item.classList.add("o-dragging");
    });
    calendar.addEventListener("dragend", function () {
      if (dragged) { dragged.item.classList.remove("o-dragging"); }
      calendar.querySelectorAll(".o-drop-target").forEach(function (c) { c.classList.remove("o-drop-target"); });
    });
    calendar.addEventListener("dragover", function (event) {
      var target = event.target.closest && event.target.closest(".o-cal-drop");
      if (!dragged || !target) { return; }
      event.preventDefault();
      calendar.querySelectorAll(".o-drop-target").forEach(function (c) {
        if (c !== target) { c.classList.remove("o-drop-target"); } });
      target.classList.add("o-drop-target");
    });
    calendar.addEventListener("drop", function (event) {
      var target = event.target.closest && event.target.closest(".o-cal-drop");
      if (!dragged || !target) { return; }
      event.preventDefault();
      var moving = dragged;
      dragged = null;
      var date = target.getAttribute("data-date");
      var start;
      if (date.length > 10) {
        start = date;                       /* an hour of the week or day view */
      } else {                              /* a day: shift by as many days */
        start = isoDay(dayNumber(moving.start) + dayNumber(date) - dayNumber(moving.from));
      }
      if (start === moving.start && moving.from.length === date.length) { return; }
      moving.item.classList.add("o-busy");
      target.appendChild(moving.item);
      var action = calendar.getAttribute("data-action");
      postJson("/web/json/calendar_move", {
        action_id: action ? parseInt(action, 10) : null, model: calendar.getAttribute("data-model"),
        id: moving.id, start: start
      }).then(function () {
        window.location.reload();
      }).catch(function (err) {
        error.textContent = calendar.getAttribute("data-error-title") + ": " + err.message;
        error.hidden = false;
        moving.item.classList.remove("o-busy");
        var home = calendar.querySelector('[data-date="' + moving.from + '"]');
        if (home) { home.appendChild(moving.item); }
      });
    });
  }

  document.querySelectorAll(".o-calendar").forEach(init);
}());
