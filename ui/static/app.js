// Small behaviour shared by every page: the header timer ticks once a second.
(function () {
  "use strict";
  function tick() {
    document.querySelectorAll(".elapsed[data-started]").forEach((el) => {
      const seconds = Math.max(0, Math.floor((Date.now() - Date.parse(el.dataset.started)) / 1000));
      const h = Math.floor(seconds / 3600);
      const m = Math.floor((seconds % 3600) / 60);
      const s = seconds % 60;
      el.textContent = `${h}:${String(m).padStart(2, "0")}:${String(s).padStart(2, "0")}`;
    });
  }
  setInterval(tick, 1000);
  document.addEventListener("htmx:load", tick);
})();
