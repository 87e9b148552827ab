/* Troika kanban view: drag cards between columns, load more cards.
 *
 * Without this script every card links to its form and "load more" reloads
 * the page with more cards. With it: HTML5 drag and drop moves a card; the
 * move is POSTed to /web/json/kanban_move (X-CSRF-Token) and a refused move
 * (a workflow, a rule, a constraint) puts the card back and shows why.
 */
(function () {
  "use strict";

  // web.js (loaded before, in order) posts with the session's CSRF token
  var postJson = window.troika.postJson;

  function showError(board, message) {
    var box = board.querySelector(".o-kanban-error");
    if (!box) { return; }
    box.textContent = board.getAttribute("data-error-title") + ": " + message;
    box.hidden = false;
  }

  function setCount(column, delta) {
    var count = column.querySelector(".o-kanban-count");
    if (count) { count.textContent = String(parseInt(count.textContent, 10) + delta); }
  }

  function initBoard(board) {
    if (!board.getAttribute("data-draggable")) { return; }
    var dragged = null, origin = null, next = null;

    board.addEventListener("dragstart", function (event) {
      var card = event.target.closest && event.target.closest(".o-kanban-card[draggable]");
      if (!card) { return; }
      dragged = card; origin = card.closest(".o-kanban-column"); next = card.nextElementSibling;
      event.dataTransfer.effectAllowed = "move";
      event.dataTransfer.setData("text/plain", card.getAttribute("data-id"));
      card.classList.add("o-dragging");
    });
    board.addEventListener("dragend", function () {
      if (dragged) { dragged.classList.remove("o-dragging"); }
      board.querySelectorAll(".o-drop-target").forEach(function (c) { c.classList.remove("o-drop-target"); });
    });
    board.addEventListener("dragover", function (event) {
      var column = event.target.closest && event.target.closest(".o-kanban-column");
      if (!dragged || !column) { return; }
      event.preventDefault();
      event.dataTransfer.dropEffect = "move";
      board.querySelectorAll(".o-drop-target").forEach(function (c) {
        if (c !== column) { c.classList.remove("o-drop-target"); } });
      column.classList.add("o-drop-target");
    });
    board.addEventListener("drop", function (event) {
      var column = event.target.closest && event.target.closest(".o-kanban-column");
      if (!dragged || !column) { return; }
      event.preventDefault();
      column.classList.remove("o-drop-target");
      var card = dragged, from = origin, before = next;
      dragged = null;
      if (column === from) { return; }
      move(board, card, from, before, column);
    });
  }

  function move(board, card, from, before, column) {
    var list = column.querySelector(".o-kanban-cards");
    if (list) { list.insertBefore(card, list.firstChild); } else { card.hidden = true; }
    setCount(from, -1); setCount(column, 1);
    card.classList.add("o-busy");
    var action = board.getAttribute("data-action");
    postJson("/web/json/kanban_move", {
      action_id: action ? parseInt(action, 10) : null, model: board.getAttribute("data-model"),
      id: parseInt(card.getAttribute("data-id"), 10), field: board.getAttribute("data-field"),
      value: JSON.parse(column.getAttribute("data-key"))
    }).then(function (result) {
      card.classList.remove("o-busy");
      if (!result.moved) { throw new Error(result.message || ""); }
      board.querySelector(".o-kanban-error").hidden = true;
    }).catch(function (err) {
      card.classList.remove("o-busy");
      card.hidden = false;
      from.querySelector(".o-kanban-cards").insertBefore(card, before && before.parentNode ? before : null);
      setCount(from, 1); setCount(column, -1);
      showError(board, err.message);
    });
  }

  function initMore(board) {
    board.addEventListener("click", function (event) {
      var link = event.target.closest && event.target.closest("a.o-kanban-more");
      if (!link) { return; }
      event.preventDefault();
      var column = link.closest(".o-kanban-column");
      var list = column.querySelector(".o-kanban-cards");
      var url = new URL(window.location.href);
      url.searchParams.set("fragment", "kanban_cards");
      url.searchParams.set("column", column.getAttribute("data-key"));
      url.searchParams.set("offset", String(list.querySelectorAll(".o-kanban-card").length));
      fetch(url.toString(), {credentials: "same-origin"}).then(function (response) {
        if (!response.ok) { throw new Error(response.statusText); }
        return response.text();
      }).then(function (html) {
        list.insertAdjacentHTML("beforeend", html);
        var shown = list.querySelectorAll(".o-kanban-card").length;
        var total = parseInt(column.querySelector(".o-kanban-count").textContent, 10);
        if (shown >= total) { link.remove(); }
      }).catch(function (err) { showError(board, err.message); });
    });
  }

  document.querySelectorAll(".o-kanban").forEach(function (board) {
    initBoard(board);
    initMore(board);
  });
}());
