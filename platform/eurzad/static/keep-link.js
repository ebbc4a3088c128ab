// Progressive enhancement only: with JavaScript, "Copy the link" and "Print" buttons appear. Without it the
// link stays text to select, and the slip page is printed with the browser's own Print command.
(function () {
  var status = document.querySelector("[data-copy-status]");
  function say(text) {
    if (status) { status.textContent = text; }
  }
  function select(target) {
    var range = document.createRange();
    range.selectNodeContents(target);
    var selection = window.getSelection();
    selection.removeAllRanges();
    selection.addRange(range);
  }
  Array.prototype.forEach.call(document.querySelectorAll("[data-copy]"), function (button) {
    var target = document.getElementById(button.getAttribute("data-copy"));
    if (!target) { return; }
    button.hidden = false;
    button.addEventListener("click", function () {
      var text = target.textContent.trim();
      var copied = button.getAttribute("data-copied");
      var selected = button.getAttribute("data-select");
      if (navigator.clipboard && navigator.clipboard.writeText) {
        navigator.clipboard.writeText(text).then(function () { say(copied); },
          function () { select(target); say(selected); });
      } else {
        select(target);
        say(selected);
      }
    });
  });
  Array.prototype.forEach.call(document.querySelectorAll("[data-print]"), function (button) {
    button.hidden = false;
    button.addEventListener("click", function () { window.print(); });
  });
})();
