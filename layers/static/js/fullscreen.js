/* Full screen: the browser's own where allowed, a fixed full-window map otherwise (iframes). */
(function (TA) {
  "use strict";
  function toggleFullscreen() {
    var doc = document;
    var root = doc.documentElement;
    if (doc.fullscreenElement) {
      doc.exitFullscreen();
    } else if (root.requestFullscreen && doc.fullscreenEnabled) {
      root.requestFullscreen().catch(function () { doc.body.classList.toggle("ta-fullscreen"); });
    } else {
      doc.body.classList.toggle("ta-fullscreen");
    }
    setTimeout(function () { TA.map.invalidateSize(); }, 200);
  }
  TA.toggleFullscreen = toggleFullscreen;
  TA.control("fullscreen", 32, function (map, data) {
    TA.buttonControl("topleft", data.buttons.fullscreen, "Full screen", toggleFullscreen, "ta-fullscreen-button").addTo(map);
  });
})(window.TumenAtlas);
