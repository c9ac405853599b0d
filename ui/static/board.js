// Boardroom board: SortableJS wiring, the sequence-number bookkeeping of the live connection,
// the polling fallback, client-side filters, and the card dialog. htmx does all the swapping.
(function () {
  "use strict";

  const POLL_MS = 4000;
  // htmx's ws extension backs off up to 64 s between attempts ("full-jitter"): a board would stay
  // offline for tens of seconds after the server is back. Retry within 0.5-2 s instead, with jitter.
  htmx.config.wsReconnectDelay = (retries) => Math.min(2000, 500 * 2 ** retries) * (0.5 + Math.random() / 2);
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
    // Offline, the explanation floats over the page: the board does not move down for it.
    const banner = document.getElementById("offline-banner");
    if (banner) banner.hidden = state !== "offline";
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

  // A write's answer (a move, a quick add) is its board event, unnumbered; X-Board-Event says which.
  // If the websocket already brought that event, and maybe later ones, applying it again could undo them.
  document.addEventListener("htmx:beforeSwap", (e) => {
    const event = parseInt(e.detail.xhr?.getResponseHeader("X-Board-Event") || "0", 10);
    if (event && event <= lastSeq()) e.detail.shouldSwap = false;
  });

  // A column's counter arrives alone (by its id) when a card joins or leaves the column; the column
  // itself carries the at-limit / over-limit look.
  function syncColumnState(counter) {
    const column = counter.closest(".column");
    if (!column) return;
    column.classList.toggle("at-limit", counter.dataset.wip === "at-limit");
    column.classList.toggle("over-limit", counter.dataset.wip === "over-limit");
  }

  const TOUCH_DELAY = 300; // ms of pressing before a drag starts on a touch screen

  // ---- the phone: columns one at a time ------------------------------------------------------
  // A narrow screen shows one column (they snap, CSS); the board opens on the first column that
  // has a card in the current filter, not on an empty Backlog.
  const narrow = () => window.matchMedia("(max-width: 820px)").matches;
  const shows = (card) => !card.hidden && card.getClientRects().length > 0;

  function showFirstColumnWithCards() {
    const scroller = board();
    if (!scroller || !narrow()) return;
    const first = [...scroller.querySelectorAll(".column")].find((c) => [...c.querySelectorAll(".card")].some(shows));
    if (!first) return;
    const left = first.getBoundingClientRect().left - scroller.getBoundingClientRect().left + scroller.scrollLeft;
    scroller.scrollTo({ left: Math.max(0, left - (parseFloat(getComputedStyle(scroller).scrollPaddingLeft) || 0)), behavior: "instant" });
  }

  function wireLists(root) {
    if (!window.Sortable || !board() || board().dataset.readonly === "true") return;
    root.querySelectorAll(".card-list").forEach((list) => {
      if (list._sortable) return;
      list._sortable = Sortable.create(list, {
        group: "cards",
        animation: 120,
        // On a touch screen a card is dragged after a long press; a swipe scrolls the columns.
        delay: TOUCH_DELAY,
        delayOnTouchOnly: true,
        touchStartThreshold: 6,
        ghostClass: "card-ghost",
        chosenClass: "card-chosen",
        filter: "details, input, button",
        preventOnFilter: false,
        onStart(evt) {
          dragging = true; // no sorting under the pointer (applySort)
          evt.item._origin = { list: evt.from, next: evt.item.nextElementSibling };
        },
        onEnd(evt) {
          dragging = false;
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
      delay: TOUCH_DELAY,
      delayOnTouchOnly: true,
      touchStartThreshold: 6,
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
  // The server's heartbeat (every ~15 s, and at once when realtime goes down or comes back): the
  // board's latest number, and whether live updates flow between the server's processes.
  const HEARTBEAT = /^<!--board-heartbeat seq=(\d+) realtime=(up|down)-->/;
  // The answer to askForMissed: applied whatever its number (a live event past a gap is not).
  const CAUGHT_UP = /^<!--board-catch-up after=-?\d+-->/;
  // Close codes (docs/deploy.md): this socket fell too far behind; reconnect and catch up.
  const CATCH_UP = 4408;
  // ...and the final ones: the session ended (signed out, a new password, deactivated), or this
  // person may no longer see this board. The page says so, and neither reconnects nor polls.
  const ENDED = { 4401: "signed-out", 4403: "signed-out", 4404: "no-access" };
  let ended = false;
  let askedAt = 0;

  function endLiveBoard(reason) {
    ended = true;
    stopPolling();
    setConnection("closed");
    const notice = document.getElementById("board-ended");
    if (notice) {
      notice.querySelectorAll("[data-reason]").forEach((p) => (p.hidden = p.dataset.reason !== reason));
      notice.hidden = false;
    }
    // Nothing more can be saved from this page: no dragging.
    document.querySelectorAll("#board .card-list, #board-columns").forEach((el) => el._sortable?.option("disabled", true));
  }

  function askForMissed() {
    // One question at a time: events arriving past the gap before the answer need no more asking.
    if (!socket || Date.now() - askedAt < 3000) return;
    askedAt = Date.now();
    socket.send(JSON.stringify({ after: lastSeq() }));
  }

  function onHeartbeat(latest, up) {
    if (up) {
      setConnection("online");
      stopPolling();
    } else {
      setConnection("polling"); // the socket is open but Redis is not: poll until it is back
      startPolling();
    }
    if (latest > lastSeq()) {
      askedAt = 0; // a heartbeat is rare: always worth asking (an earlier question may have found nothing)
      askForMissed();
    }
  }

  function poll() {
    if (!projectId()) return stopPolling();
    htmx.ajax("GET", `/projects/${projectId()}/changes?after=${lastSeq()}`, { swap: "none", source: board() });
  }

  function startPolling() {
    if (!pollTimer && !ended) pollTimer = setInterval(poll, POLL_MS);
  }

  // A poll refused (signed out, or the board taken away while the socket was down) ends it too.
  document.addEventListener("htmx:responseError", (e) => {
    if (!e.detail.requestConfig?.path?.startsWith(`/projects/${projectId()}/changes`)) return;
    const status = e.detail.xhr?.status;
    if (status === 401 || status === 403) endLiveBoard("signed-out");
    else if (status === 404) endLiveBoard("no-access");
  });

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
    askedAt = 0;
    askForMissed(); // anything that happened between page render (or the drop) and now
  });

  document.addEventListener("htmx:wsClose", (e) => {
    if (e.target !== board()) return;
    socket = null;
    const reason = ENDED[e.detail.event.code];
    if (reason) return endLiveBoard(reason); // htmx's ws extension does not reconnect after these
    setConnection("offline"); // until a poll or the socket's return says the server answers
    startPolling();
    // htmx's ws extension reconnects by itself only after 1006/1011/1012/1013; a laggard is told to
    // come back at once (spread over a second, so many are not back in the same instant).
    if (e.detail.event.code === CATCH_UP) {
      const wrapper = e.detail.socketWrapper;
      setTimeout(() => wrapper.reconnect(), 200 + Math.random() * 800);
    }
  });

  document.addEventListener("htmx:wsBeforeMessage", (e) => {
    if (e.target !== board()) return;
    const beat = HEARTBEAT.exec(e.detail.message);
    if (beat) {
      e.preventDefault(); // nothing to swap
      onHeartbeat(parseInt(beat[1], 10), beat[2] === "up");
      return;
    }
    const match = /data-seq="(\d+)"/.exec(e.detail.message.slice(0, 200));
    if (!match) return; // presence and other unnumbered news
    const seq = parseInt(match[1], 10);
    const last = lastSeq();
    if (CAUGHT_UP.test(e.detail.message)) askedAt = 0;
    if (seq <= last) {
      e.preventDefault(); // already applied (or newer state already shown)
    } else if (seq > last + 1 && !CAUGHT_UP.test(e.detail.message)) {
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
      priority: params.get("priority") || "",
      important: params.get("important") || "",
      sort: params.get("sort") === "priority" ? "priority" : "",
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
      if (f.priority && card.dataset.priority !== f.priority) show = false;
      if (f.important && card.dataset.important !== "true") show = false;
      card.hidden = !show;
    });
    const form = document.getElementById("board-filters");
    if (form) {
      form.q.value = f.q;
      if (form.mine) form.mine.checked = !!f.mine;
      form.label.value = f.label;
      form.due.value = f.due;
      if (form.priority) form.priority.value = f.priority;
      if (form.important) form.important.checked = !!f.important;
      if (form.sort) form.sort.checked = !!f.sort;
    }
    applySort(f.sort === "priority");
  }

  // ---- "Sort by priority": the most pressing cards first in each column, then the board's order --
  // Only the page's order changes; ranks stay as stored. Live events place a card by rank
  // (afterend:#task-N), so the columns are sorted again after every swap. A card dropped while
  // sorted goes to the server above the card it was dropped on, as always: a rank is stored, and
  // the card takes its place by priority again. The note under the filters says so.
  const LEVELS = { urgent: 4, high: 3, normal: 2, low: 1, none: 0 };
  let dragging = false;

  function byRank(a, b) {
    const ra = a.dataset.rank || "";
    const rb = b.dataset.rank || "";
    if (ra !== rb) return ra < rb ? -1 : 1;
    return parseInt(a.dataset.taskId, 10) - parseInt(b.dataset.taskId, 10);
  }

  function byPriority(a, b) {
    const pa = LEVELS[a.dataset.priority] || 0;
    const pb = LEVELS[b.dataset.priority] || 0;
    return pa !== pb ? pb - pa : byRank(a, b);
  }

  function applySort(sorted) {
    const b = board();
    if (!b || dragging) return;
    const wasSorted = b.dataset.sorted === "priority";
    b.dataset.sorted = sorted ? "priority" : "";
    const note = document.getElementById("sorted-note");
    if (note) note.hidden = !sorted;
    if (!sorted && !wasSorted) return; // the server's order is the board's: nothing to undo
    b.querySelectorAll(".card-list").forEach((list) => {
      const cards = [...list.children].filter((el) => el.matches(".card"));
      const ordered = [...cards].sort(sorted ? byPriority : byRank);
      if (ordered.every((card, i) => card === cards[i])) return;
      const focused = list.contains(document.activeElement) ? document.activeElement : null;
      ordered.forEach((card) => list.appendChild(card));
      focused?.focus({ preventScroll: true });
    });
  }

  function onFilterChange() {
    const form = document.getElementById("board-filters");
    const params = new URLSearchParams();
    if (form.q.value) params.set("q", form.q.value);
    if (form.mine && form.mine.checked) params.set("mine", form.mine.value);
    if (form.label.value) params.set("label", form.label.value);
    if (form.due.value) params.set("due", form.due.value);
    if (form.priority && form.priority.value) params.set("priority", form.priority.value);
    if (form.important && form.important.checked) params.set("important", "1");
    if (form.sort && form.sort.checked) params.set("sort", "priority");
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

  // ---- the open dialog is live ---------------------------------------------------------------
  // A board event that touches the open card (its HTML, or its removal, arrives over the board's
  // socket) refreshes the dialog's body from the server. Fields being edited (focused, or changed
  // since they were drawn: value vs defaultValue) keep what the person typed; if someone else saved
  // a different value meanwhile, a notice beside the field shows it, with "Use theirs" / "Keep mine".
  // The rest, hidden versions included, is the server's: the next save does not answer 409.
  const dialogBody = () => document.querySelector("#dialog #card-dialog-body");
  let refreshing = false;
  let refreshAgain = false;

  function fieldKey(el) {
    const form = el.closest("form");
    const key = `${form?.getAttribute("hx-post") || ""}|${el.name}`;
    return el.type === "radio" ? `${key}|${el.value}` : key;
  }

  function fieldsOf(root) {
    const found = new Map();
    root.querySelectorAll("input[name]:not([type=hidden]):not([type=checkbox]), textarea[name]").forEach((el) => {
      found.set(fieldKey(el), el);
    });
    return found;
  }

  function showTheirs(field, theirs) {
    const template = field.closest("#card-dialog-body")?.querySelector("template.cd-theirs-template");
    if (!template) return;
    const notice = template.content.firstElementChild.cloneNode(true);
    notice.querySelector(".cd-theirs-text").textContent = theirs;
    notice._field = field;
    notice._theirs = theirs;
    field.insertAdjacentElement("afterend", notice);
    field.closest("details")?.setAttribute("open", "");
  }

  // `answered`: the form whose own answer this is; its fields show the answer (saved value, errors).
  function mergeDialog(old, html, answered) {
    const parsed = new DOMParser().parseFromString(html, "text/html");
    const fresh = parsed.getElementById("card-dialog-body");
    if (!fresh) return;
    const focused = old.contains(document.activeElement) ? document.activeElement : null;
    const caret = focused && "selectionStart" in focused ? [focused.selectionStart, focused.selectionEnd] : null;
    const scroller = old.closest("dialog");
    const scrolled = scroller ? scroller.scrollTop : 0;
    const opened = [...old.querySelectorAll("details")].map((d) => d.open);
    const kept = [];
    const freshFields = fieldsOf(fresh);
    fieldsOf(old).forEach((mine, key) => {
      const theirs = freshFields.get(key);
      if (!theirs || answered?.contains(mine)) return;
      if (mine.type === "radio") {
        if (mine.checked !== mine.defaultChecked) kept.push([theirs, () => (theirs.checked = mine.checked)]);
        return;
      }
      const pending = mine.nextElementSibling?.classList.contains("cd-theirs");
      if (mine !== focused && mine.value === mine.defaultValue && !pending) return;
      const base = mine.defaultValue;
      const next = theirs.defaultValue;
      kept.push([
        theirs,
        (placed) => {
          placed.value = mine.value;
          placed._kept = true; // typed before the refresh: the browser no longer counts it as a change
          if (next !== mine.value && (next !== base || pending)) showTheirs(placed, next);
          else placed.closest("details")?.setAttribute("open", "");
        },
      ]);
    });
    fresh.querySelectorAll("details").forEach((d, i) => {
      if (opened.length === fresh.querySelectorAll("details").length && opened[i]) d.setAttribute("open", "");
    });
    const adopted = document.importNode(fresh, true);
    // importNode keeps order: map the fresh fields to their adopted copies by key
    const adoptedFields = fieldsOf(adopted);
    old.replaceWith(adopted);
    kept.forEach(([theirs, apply]) => apply(adoptedFields.get(fieldKey(theirs))));
    htmx.process(adopted);
    wireChecklist();
    if (scroller) scroller.scrollTop = scrolled;
    if (focused) {
      const again = focused.name ? adoptedFields.get(fieldKey(focused)) : focused.id && document.getElementById(focused.id);
      if (again) {
        again.focus({ preventScroll: true });
        try {
          if (caret) again.setSelectionRange(caret[0], caret[1]);
        } catch (_e) {
          /* a date input has no caret */
        }
      }
    }
  }

  const busy = (body) => body.classList.contains("htmx-request") || !!body.querySelector(".htmx-request");

  async function refreshDialog() {
    const body = dialogBody();
    if (!body) return;
    // An edit of this person's own in flight: its answer redraws the dialog; look again after it.
    if (refreshing || busy(body)) {
      refreshAgain = true;
      if (!refreshing) setTimeout(refreshDialog, 300);
      return;
    }
    refreshing = true;
    refreshAgain = false;
    const taskId = body.dataset.taskId;
    try {
      const response = await fetch(`/tasks/${taskId}`, {
        headers: { "HX-Request": "true", "HX-Target": "card-dialog-body" },
        credentials: "same-origin",
      });
      const html = response.ok ? await response.text() : "";
      const now = dialogBody();
      if (now && busy(now)) refreshAgain = true; // an edit went out meanwhile: this may predate it
      else if (html && now && now.dataset.taskId === taskId) mergeDialog(now, html);
    } finally {
      refreshing = false;
      if (refreshAgain) setTimeout(refreshDialog, 100);
    }
  }

  // This person's own edits answer with the dialog's body too: drawn the same way, so saving one
  // field (or ticking an item) does not wipe what is being typed in another.
  document.addEventListener("htmx:beforeSwap", (e) => {
    const target = e.detail.target;
    if (!e.detail.shouldSwap || target?.id !== "card-dialog-body" || !target.closest("#dialog")) return;
    const html = e.detail.serverResponse || "";
    if (!html.includes('id="card-dialog-body"') || html.includes("hx-swap-oob")) return; // htmx does those
    e.detail.shouldSwap = false;
    const source = e.detail.requestConfig?.elt;
    mergeDialog(target, html, source?.closest?.("form") || null);
  });

  document.addEventListener("htmx:wsAfterMessage", (e) => {
    if (e.target !== board()) return;
    const body = dialogBody();
    if (body && e.detail.message.includes(`id="task-${body.dataset.taskId}"`)) refreshDialog();
  });

  document.addEventListener("click", (e) => {
    const choice = e.target.closest(".cd-theirs [data-choice]");
    if (!choice) return;
    const notice = choice.closest(".cd-theirs");
    const field = notice._field;
    notice.remove();
    if (!field) return;
    if (choice.dataset.choice === "theirs") {
      field.value = notice._theirs;
      field.focus();
      return;
    }
    field.focus();
    // A form that saves on change (the title, the details) saves "mine" now, with the current version.
    const form = field.closest("form");
    if (form && /change/.test(form.getAttribute("hx-trigger") || "")) htmx.trigger(form, "change");
  });

  // A field kept through a refresh saves on leaving it as it would have (the title, the details).
  document.addEventListener("change", (e) => (e.target._kept = false), true);
  document.addEventListener("focusout", (e) => {
    const field = e.target;
    if (!field._kept || field.value === field.defaultValue || field.nextElementSibling?.classList.contains("cd-theirs")) return;
    field._kept = false;
    field.dispatchEvent(new Event("change", { bubbles: true }));
  });

  // While a notice waits for a choice, leaving the field does not save it behind the person's back.
  document.addEventListener("htmx:confirm", (e) => {
    if (e.detail.triggeringEvent?.type === "change" && e.detail.elt.querySelector?.(".cd-theirs")) e.preventDefault();
  });

  // ---- offline: an edit that cannot reach the server is refused where it was made, and says so --
  // Nothing is queued: the typed text stays in its field (a form only resets after a success), a
  // dragged card goes back where it was, and a note beside the form (or a toast) says it was not
  // saved. The note goes once the same form is saved.
  const UNREACHABLE = [0, 502, 503, 504];

  function toast(text) {
    const el = document.getElementById("toast");
    if (!el) return;
    el.textContent = text;
    el.hidden = false;
    clearTimeout(el._timer);
    el._timer = setTimeout(() => (el.hidden = true), 8000);
  }

  function refuseEdit(elt) {
    const form = elt.closest?.("form");
    const label = board()?.dataset.labelUnsaved || "Not saved";
    if (!form && !elt.closest?.("dialog")) return toast(label);
    const host = form || elt;
    let note = form ? form.querySelector(":scope > .offline-note") : host.nextElementSibling;
    if (!note?.classList.contains("offline-note")) {
      note = document.createElement("p");
      note.className = "offline-note";
      note.setAttribute("role", "alert");
      if (form) form.append(note);
      else host.after(note);
    }
    note.textContent = label;
  }

  function putBack(card) {
    const origin = card._origin;
    card._origin = null;
    if (!origin || !origin.list.isConnected) return;
    origin.list.insertBefore(card, origin.next && origin.next.parentNode === origin.list ? origin.next : null);
    toast(board()?.dataset.labelNotMoved || "Not moved");
  }

  const isPoll = (config) => !!config?.path?.startsWith(`/projects/${projectId()}/changes`);

  function onUnreachable(e) {
    const config = e.detail.requestConfig || {};
    if ((config.verb || "get").toLowerCase() === "get") {
      if (isPoll(config) && !socket && !ended) setConnection("offline");
      return;
    }
    if (!socket) setConnection("offline");
    const elt = config.elt || e.detail.elt;
    if (!elt) return;
    if (focusAfterMove && elt.id === focusAfterMove.id) focusAfterMove = null;
    if (elt.matches?.(".card") && config.path?.endsWith("/move") && elt._origin) return putBack(elt);
    refuseEdit(elt);
  }

  document.addEventListener("htmx:sendError", onUnreachable);
  document.addEventListener("htmx:responseError", (e) => {
    if (UNREACHABLE.includes(e.detail.xhr?.status ?? 0)) onUnreachable(e);
  });
  document.addEventListener("htmx:afterRequest", (e) => {
    if (!e.detail.successful) return;
    if (isPoll(e.detail.requestConfig) && !socket && !ended) setConnection("polling"); // the server answers again
    const elt = e.detail.requestConfig?.elt || e.detail.elt;
    if (elt) elt._origin = null;
    const form = elt?.closest?.("form");
    (form ? form.querySelector(":scope > .offline-note") : elt?.nextElementSibling?.matches(".offline-note") && elt.nextElementSibling)?.remove();
  });

  // ---- "Move to…": one menu for the whole board, for keyboard and touch users --------------------
  // Enter (or Space, or ↓) on a card's ⋯ opens it; ↑/↓ pick a column, Enter moves there, Escape or
  // Tab closes it. The moved card comes back from the server as a new element with the same id
  // (an out-of-band swap): focus follows it there instead of falling to the page.
  let focusAfterMove = null; // { id, column, until }

  function menuItems() {
    return [...document.querySelectorAll("#move-menu button[data-column-id]:not(:disabled)")];
  }

  function closeMoveMenu(refocus = true) {
    const menu = document.getElementById("move-menu");
    if (!menu || menu.hidden) return;
    menu.hidden = true;
    const card = document.getElementById(`task-${menu.dataset.taskId}`);
    const trigger = card?.querySelector(".move-btn");
    trigger?.removeAttribute("aria-expanded");
    if (refocus) trigger?.focus();
  }

  function openMoveMenu(button) {
    const menu = document.getElementById("move-menu");
    const card = button.closest(".card");
    if (!menu || !card) return;
    if (!menu.hidden) closeMoveMenu(false);
    menu.dataset.taskId = card.dataset.taskId;
    menu.querySelectorAll("button").forEach((item) => {
      item.disabled = item.dataset.columnId === card.dataset.columnId;
      item.tabIndex = -1;
    });
    const rect = button.getBoundingClientRect();
    menu.style.top = `${window.scrollY + rect.bottom + 4}px`;
    menu.style.left = `${Math.max(8, window.scrollX + rect.right - 176)}px`;
    menu.hidden = false;
    button.setAttribute("aria-expanded", "true");
    menuItems()[0]?.focus();
  }

  function moveByMenu(item) {
    const menu = document.getElementById("move-menu");
    const card = document.getElementById(`task-${menu.dataset.taskId}`);
    menu.hidden = true;
    if (!card) return;
    card.querySelector(".move-btn")?.removeAttribute("aria-expanded");
    const columnId = item.dataset.columnId;
    focusAfterMove = { id: card.id, column: columnId, until: Date.now() + 10000 };
    card.querySelector(".card-link")?.focus(); // until the server's card replaces this one
    htmx.ajax("POST", `/tasks/${card.dataset.taskId}/move`, {
      source: card,
      swap: "none",
      values: { column_id: columnId, before_id: "", version: card.dataset.version },
    });
  }

  // After any swap (the move's answer, or the same event over the socket): focus the moved card
  // once it stands in its new column, unless the person has gone elsewhere meanwhile.
  function refocusMovedCard() {
    if (!focusAfterMove) return;
    if (Date.now() > focusAfterMove.until) return (focusAfterMove = null);
    const card = document.getElementById(focusAfterMove.id);
    if (!card || card.dataset.columnId !== focusAfterMove.column) return;
    const active = document.activeElement;
    focusAfterMove = null;
    if (active && active !== document.body && !card.contains(active) && active.isConnected) return;
    card.querySelector(".card-link")?.focus();
    card.scrollIntoView({ block: "nearest", inline: "nearest" });
  }

  document.addEventListener("click", (e) => {
    const trigger = e.target.closest(".move-btn");
    if (trigger) return openMoveMenu(trigger);
    const item = e.target.closest("#move-menu button[data-column-id]");
    if (item) return moveByMenu(item);
    if (!e.target.closest("#move-menu")) closeMoveMenu(false);
  });

  // ---- keyboard: arrows between cards (↑/↓) and columns (←/→) ----------------------------------
  const visibleCards = (column) =>
    [...column.querySelectorAll(".card")].filter((card) => card.offsetParent !== null);

  function focusCard(card) {
    const link = card?.querySelector(".card-link");
    if (!link) return false;
    link.focus();
    card.scrollIntoView({ block: "nearest", inline: "nearest" });
    return true;
  }

  function arrowFromCard(card, key) {
    const column = card.closest(".column");
    if (!column) return false;
    const cards = visibleCards(column);
    const index = cards.indexOf(card);
    if (key === "ArrowUp") return focusCard(cards[index - 1]);
    if (key === "ArrowDown") return focusCard(cards[index + 1]);
    // ←/→: the card at the same height in the nearest column that shows cards
    const columns = [...document.querySelectorAll("#board-columns > .column")];
    const step = key === "ArrowLeft" ? -1 : 1;
    const top = card.getBoundingClientRect().top;
    for (let i = columns.indexOf(column) + step; i >= 0 && i < columns.length; i += step) {
      const there = visibleCards(columns[i]);
      if (!there.length) continue;
      const nearest = there.reduce((best, c) =>
        Math.abs(c.getBoundingClientRect().top - top) < Math.abs(best.getBoundingClientRect().top - top) ? c : best,
      );
      return focusCard(nearest);
    }
    return false;
  }

  function menuKeys(e, menu) {
    const items = menuItems();
    const index = items.indexOf(document.activeElement);
    if (e.key === "ArrowDown" || e.key === "ArrowUp") {
      const step = e.key === "ArrowDown" ? 1 : -1;
      items[(index + step + items.length) % items.length]?.focus();
    } else if (e.key === "Home") items[0]?.focus();
    else if (e.key === "End") items[items.length - 1]?.focus();
    else if (e.key === "Enter" || e.key === " ") {
      if (index >= 0) moveByMenu(items[index]);
    } else if (e.key === "Escape") closeMoveMenu();
    else if (e.key === "Tab") return closeMoveMenu(false); // let Tab go on from the card
    else return;
    e.preventDefault();
  }

  document.addEventListener("keydown", (e) => {
    if (e.altKey || e.ctrlKey || e.metaKey) return;
    const menu = document.getElementById("move-menu");
    if (menu && !menu.hidden && menu.contains(document.activeElement)) return menuKeys(e, menu);
    if (e.key === "Escape") return closeMoveMenu();
    const target = e.target;
    if (!(target instanceof Element) || target.closest("input, textarea, select, dialog, [contenteditable]")) return;
    if (target.matches(".move-btn") && (e.key === "Enter" || e.key === " " || e.key === "ArrowDown")) {
      e.preventDefault(); // not a click: a click's Enter would also reach the menu's first item
      return openMoveMenu(target);
    }
    const card = target.closest("#board .card");
    if (card && ["ArrowUp", "ArrowDown", "ArrowLeft", "ArrowRight"].includes(e.key)) {
      if (arrowFromCard(card, e.key) || e.key === "ArrowUp" || e.key === "ArrowDown") e.preventDefault();
    }
  });

  htmx.onLoad((root) => {
    if (root.matches?.(".wip[data-wip]")) syncColumnState(root);
    refocusMovedCard();
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
      form.addEventListener("change", showFirstColumnWithCards);
      showFirstColumnWithCards();
    }
  });
})();
