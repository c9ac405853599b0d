// Small behaviour shared by every page: the header timer ticks once a second; a toast (the board's
// and the planning page's refusals) shows for six seconds.
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
  function showToast() {
    const toast = document.getElementById("toast");
    if (toast && toast.textContent.trim()) {
      toast.hidden = false;
      clearTimeout(toast._timer);
      toast._timer = setTimeout(() => (toast.hidden = true), 6000);
    }
  }

  setInterval(tick, 1000);
  document.addEventListener("htmx:load", tick);
  document.addEventListener("htmx:load", showToast);
})();
