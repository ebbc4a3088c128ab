// Progressive enhancement only: two minutes before the session ends for inactivity, the note at the
// top of the page becomes a warning that screen readers announce. Without JavaScript the note stays.
(function () {
  var note = document.getElementById("session-note");
  if (!note) { return; }
  var minutes = parseInt(note.getAttribute("data-minutes"), 10) || 15;
  var warning = note.getAttribute("data-warning");  // translated by the page
  window.setTimeout(function () {
    note.textContent = warning;
    note.className = "session-note session-note--warning";
    note.setAttribute("role", "alert");
  }, Math.max(0, minutes - 2) * 60 * 1000);
})();
