// Boardroom board: SortableJS wiring, the sequence-number bookkeeping of the live connection,
// the polling fallback, client-side filters, and the card dialog. htmx does all the swapping.
(function () {
  "use strict";

  const POLL_MS = 4000;
  let pollTimer = null;
  let socket = null;

  const board = () => document.getElementById("board");
  const lastSeq = () => parseInt((document.getElementById("board-seq") || {}).dataset?.seq || "0", 10);
  const projectId = () => board()?.dataset.projectId;

  function setConnection(state) {
    const el = document.getElementById("connection");
    const b = board();
    if (!el || !b) return;
    el.dataset.state = state;
    el.textContent = b.dataset["label" + state.charAt(0).toUpperCase() + state.slice(1)] || state;
  }

  // ---- drag and drop -------------------------------------------------------------------------
  function sendMove(item, columnId) {
    const next = item.nextElementSibling;
    htmx.ajax("POST", `/tasks/${item.dataset.taskId}/move`, {
      source: item,
      swap: "none",
      values: {
        column_id: columnId,
        before_id: next && next.dataset.taskId ? next.dataset.taskId : "",
        version: item.dataset.version,
      },
    });
  }

  function wireLists(root) {
    if (!window.Sortable || !board() || board().dataset.readonly === "true") return;
    root.querySelectorAll(".card-list").forEach((list) => {
      if (list._sortable) return;
      list._sortable = Sortable.create(list, {
        group: "cards",
        animation: 120,
        delay: 120,
        delayOnTouchOnly: true,
        ghostClass: "card-ghost",
        chosenClass: "card-chosen",
        filter: "details, input, button",
        preventOnFilter: false,
        onEnd(evt) {
          if (evt.from === evt.to && evt.oldIndex === evt.newIndex) return;
          sendMove(evt.item, evt.to.dataset.columnId);
        },
      });
    });
  }

  function wireColumns() {
    const row = document.getElementById("board-columns");
    if (!window.Sortable || !row || row._sortable || board().dataset.readonly === "true") return;
    row._sortable = Sortable.create(row, {
      animation: 150,
      draggable: ".column",
      handle: ".column-name",
      onEnd(evt) {
        if (evt.oldIndex === evt.newIndex) return;
        const next = evt.item.nextElementSibling;
        htmx.ajax("POST", `/columns/${evt.item.dataset.columnId}/move`, {
          source: evt.item,
          swap: "none",
          values: { before_id: next && next.dataset.columnId ? next.dataset.columnId : "" },
        });
      },
    });
  }

  // ---- live connection: sequence numbers, catch-up, polling fallback -------------------------
  function askForMissed() {
    if (socket) socket.send(JSON.stringify({ after: lastSeq() }));
  }

  function poll() {
    if (!projectId()) return stopPolling();
    htmx.ajax("GET", `/projects/${projectId()}/changes?after=${lastSeq()}`, { swap: "none", source: board() });
  }

  function startPolling() {
    if (!pollTimer) pollTimer = setInterval(poll, POLL_MS);
  }

  function stopPolling() {
    clearInterval(pollTimer);
    pollTimer = null;
  }

  // Every page also holds the personal socket (base.html): only the board's own socket counts here.
  document.addEventListener("htmx:wsOpen", (e) => {
    if (e.target !== board()) return;
    socket = e.detail.socketWrapper;
    setConnection("online");
    stopPolling();
    askForMissed(); // anything that happened between page render (or the drop) and now
  });

  document.addEventListener("htmx:wsClose", (e) => {
    if (e.target !== board()) return;
    socket = null;
    setConnection("polling");
    startPolling();
  });

  document.addEventListener("htmx:wsBeforeMessage", (e) => {
    if (e.target !== board()) return;
    const match = /data-seq="(\d+)"/.exec(e.detail.message.slice(0, 200));
    if (!match) return; // presence and other unnumbered news
    const seq = parseInt(match[1], 10);
    const last = lastSeq();
    if (seq <= last) {
      e.preventDefault(); // already applied (or newer state already shown)
    } else if (seq > last + 1) {
      e.preventDefault(); // a gap: ask for what was missed instead of applying out of order
      askForMissed();
    }
  });

  // ---- filters (kept in the URL) -------------------------------------------------------------
  function filters() {
    const params = new URLSearchParams(location.search);
    return {
      q: (params.get("q") || "").toLowerCase(),
      mine: params.get("mine") || "",
      label: params.get("label") || "",
      due: params.get("due") || "",
    };
  }

  function isoDate(d) {
    return d.toISOString().slice(0, 10);
  }

  function applyFilters() {
    const f = filters();
    const today = new Date();
    const monday = new Date(today);
    monday.setDate(today.getDate() - ((today.getDay() + 6) % 7));
    const sunday = new Date(monday);
    sunday.setDate(monday.getDate() + 6);
    document.querySelectorAll(".card").forEach((card) => {
      const due = card.dataset.due;
      let show = true;
      if (f.q && !card.dataset.text.includes(f.q)) show = false;
      if (f.mine && !card.dataset.assignees.includes(` ${f.mine} `)) show = false;
      if (f.label && !card.dataset.labels.includes(` ${f.label} `)) show = false;
      if (f.due === "overdue" && !(due && due < isoDate(today))) show = false;
      if (f.due === "week" && !(due && due >= isoDate(monday) && due <= isoDate(sunday))) show = false;
      card.hidden = !show;
    });
    const form = document.getElementById("board-filters");
    if (form) {
      form.q.value = f.q;
      if (form.mine) form.mine.checked = !!f.mine;
      form.label.value = f.label;
      form.due.value = f.due;
    }
  }

  function onFilterChange() {
    const form = document.getElementById("board-filters");
    const params = new URLSearchParams();
    if (form.q.value) params.set("q", form.q.value);
    if (form.mine && form.mine.checked) params.set("mine", form.mine.value);
    if (form.label.value) params.set("label", form.label.value);
    if (form.due.value) params.set("due", form.due.value);
    if (form.sprint && form.sprint.value) params.set("sprint", form.sprint.value); // the sprint filter (server-side)
    const query = params.toString();
    history.replaceState(history.state, "", location.pathname + (query ? "?" + query : ""));
    applyFilters();
  }

  // ---- card dialog ---------------------------------------------------------------------------
  function openDialog() {
    const dialog = document.querySelector("#dialog dialog");
    if (dialog && !dialog.open) {
      dialog.showModal();
      dialog.addEventListener("close", () => {
        document.getElementById("dialog").innerHTML = "";
        if (location.pathname.startsWith("/tasks/") && projectId()) {
          history.pushState({}, "", `/projects/${projectId()}`);
        }
      });
    }
  }

  // Checklist items in the dialog reorder by drag too (the arrows do the same without a mouse).
  function wireChecklist() {
    const list = document.querySelector("#dialog .cd-checklist[data-sortable]");
    if (!window.Sortable || !list || list._sortable) return;
    list._sortable = Sortable.create(list, {
      handle: ".cd-drag",
      animation: 120,
      onEnd(evt) {
        if (evt.oldIndex === evt.newIndex) return;
        htmx.ajax("POST", `/checklist/${evt.item.dataset.itemId}/move`, {
          source: evt.item,
          target: "#card-dialog-body",
          swap: "outerHTML",
          values: { position: evt.newIndex },
        });
      },
    });
  }

  // ---- "Move to…": one menu for the whole board, for keyboard and touch users --------------------
  function closeMoveMenu() {
    const menu = document.getElementById("move-menu");
    if (menu && !menu.hidden) {
      menu.hidden = true;
      const card = document.getElementById(`task-${menu.dataset.taskId}`);
      card?.querySelector(".move-btn")?.focus();
    }
  }

  function openMoveMenu(button) {
    const menu = document.getElementById("move-menu");
    const card = button.closest(".card");
    if (!menu || !card) return;
    menu.dataset.taskId = card.dataset.taskId;
    menu.querySelectorAll("button").forEach((item) => {
      item.disabled = item.dataset.columnId === card.dataset.columnId;
    });
    const rect = button.getBoundingClientRect();
    menu.style.top = `${window.scrollY + rect.bottom + 4}px`;
    menu.style.left = `${Math.max(8, window.scrollX + rect.right - 176)}px`;
    menu.hidden = false;
    menu.querySelector("button:not(:disabled)")?.focus();
  }

  document.addEventListener("click", (e) => {
    const trigger = e.target.closest(".move-btn");
    if (trigger) return openMoveMenu(trigger);
    const item = e.target.closest("#move-menu button[data-column-id]");
    if (item) {
      const menu = document.getElementById("move-menu");
      const card = document.getElementById(`task-${menu.dataset.taskId}`);
      menu.hidden = true;
      if (card) {
        htmx.ajax("POST", `/tasks/${card.dataset.taskId}/move`, {
          source: card,
          swap: "none",
          values: { column_id: item.dataset.columnId, before_id: "", version: card.dataset.version },
        });
      }
      return;
    }
    if (!e.target.closest("#move-menu")) closeMoveMenu();
  });

  document.addEventListener("keydown", (e) => {
    if (e.key === "Escape") closeMoveMenu();
  });

  htmx.onLoad((root) => {
    wireLists(document);
    wireColumns();
    applyFilters();
    openDialog();
    wireChecklist();
    const form = document.getElementById("board-filters");
    if (form && !form._wired) {
      form._wired = true;
      form.addEventListener("input", onFilterChange);
      form.addEventListener("change", onFilterChange);
    }
  });
})();
