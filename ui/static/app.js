// Small behaviour shared by every page: the header timer ticks once a second; the header's menu on
// narrow screens; a toast (the board's and the planning page's refusals) shows for six seconds.
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

  // The header's menu (narrow screens): opened by its button, closed by Escape, a click elsewhere
  // or following a link.
  function setMenu(topbar, open) {
    topbar.classList.toggle("nav-open", open);
    topbar.querySelector(".nav-toggle")?.setAttribute("aria-expanded", String(open));
  }
  document.addEventListener("click", (e) => {
    const toggle = e.target.closest?.(".nav-toggle");
    const topbar = document.querySelector(".topbar");
    if (!topbar) return;
    if (toggle) setMenu(topbar, !topbar.classList.contains("nav-open"));
    else if (topbar.classList.contains("nav-open") && !e.target.closest?.(".mainnav form")) setMenu(topbar, false);
  });
  document.addEventListener("keydown", (e) => {
    const topbar = document.querySelector(".topbar.nav-open");
    if (e.key !== "Escape" || !topbar) return;
    setMenu(topbar, false);
    topbar.querySelector(".nav-toggle")?.focus();
  });

  // The personal socket (job progress, the client's review news): htmx's ws extension reconnects
  // only after a dropped connection, so one the server closed for falling behind (4408, "catch
  // up") is opened again here, a second later; news it missed meanwhile was transient.
  const PERSONAL_CATCH_UP = 4408;
  document.addEventListener("htmx:wsClose", (e) => {
    const socket = e.target;
    if (socket.id !== "personal-live" || e.detail.event?.code !== PERSONAL_CATCH_UP) return;
    setTimeout(() => {
      if (!socket.isConnected) return;
      const fresh = socket.cloneNode(false);
      socket.replaceWith(fresh);
      htmx.process(fresh);
    }, 1000);
  });

  setInterval(tick, 1000);
  document.addEventListener("htmx:load", tick);
  document.addEventListener("htmx:load", showToast);
})();
