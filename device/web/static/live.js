// The Device page's picture of the screen: fetched again every 2 s while the page is in view.
// Static (the Content-Security-Policy allows no inline script); without it the picture stays as loaded.
(function () {
  "use strict";
  var screen = document.getElementById("screen");
  if (!screen) { return; }
  var base = screen.getAttribute("src");
  var timer = null;
  function refresh() {
    var next = new Image();
    next.onload = function () { screen.src = next.src; };
    next.src = base + "?at=" + Date.now();
  }
  function follow() {
    if (document.visibilityState === "visible") {
      if (timer === null) { refresh(); timer = window.setInterval(refresh, 2000); }
    } else if (timer !== null) {
      window.clearInterval(timer);
      timer = null;
    }
  }
  document.addEventListener("visibilitychange", follow);
  follow();
}());
