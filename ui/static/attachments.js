// Files on cards: drop files anywhere on the open card dialog, or pick them; each goes in its own
// request with its own progress bar (XHR upload progress), and the dialog's file list is redrawn from
// the server's answer. No framework; the list itself is server-rendered (attachments/_section.html).
(() => {
  if (window.boardroomAttachments) return; // loaded again by a swap: the listeners are already there
  window.boardroomAttachments = true;

  const rows = []; // uploads in flight (and failed ones) as <li>, kept across redraws of the list
  const section = () => document.querySelector("#dialog #card-attachments[data-task-id]");

  function csrf() {
    try {
      return JSON.parse(document.body.getAttribute("hx-headers") || "{}")["x-csrftoken"] || "";
    } catch (_e) {
      return "";
    }
  }

  // Put the progress rows of the open card back into its (possibly just redrawn) list.
  function place() {
    const s = section();
    const list = s?.querySelector(".att-progress");
    if (!list) return;
    rows.forEach((row) => {
      if (row.dataset.taskId === s.dataset.taskId && row.parentNode !== list) list.appendChild(row);
    });
  }

  function forget(row) {
    rows.splice(rows.indexOf(row), 1);
    row.remove();
  }

  function fail(row, message) {
    row.classList.add("att-upload-failed");
    row.querySelector(".att-upload-status").textContent = message;
    row.querySelector("progress").remove();
    const close = document.createElement("button");
    close.type = "button";
    close.className = "cd-icon";
    close.textContent = "×";
    close.setAttribute("aria-label", section()?.dataset.dismiss || "×");
    close.addEventListener("click", () => forget(row));
    row.appendChild(close);
  }

  function redraw(html) {
    const s = section();
    const template = document.createElement("template");
    template.innerHTML = html.trim();
    const fresh = template.content.querySelector("#card-attachments");
    if (!s || !fresh) return;
    s.replaceWith(fresh);
    htmx.process(fresh);
    place();
  }

  function errorOf(xhr) {
    const template = document.createElement("template");
    template.innerHTML = xhr.responseText || "";
    const shown = template.content.querySelector(".att-error, .error, h1");
    return (shown?.textContent || "").trim() || `${xhr.status} ${xhr.statusText}`;
  }

  function upload(s, file) {
    const taskId = s.dataset.taskId;
    const row = document.createElement("li");
    row.className = "att-upload";
    row.dataset.taskId = taskId;
    row.innerHTML = '<span class="att-upload-name"></span><progress max="100" value="0"></progress><span class="att-upload-status"></span>';
    row.querySelector(".att-upload-name").textContent = file.name;
    row.querySelector("progress").setAttribute("aria-label", file.name);
    rows.push(row);
    place();
    if (file.size > parseInt(s.dataset.limitMb, 10) * 1024 * 1024) {
      fail(row, s.dataset.tooLarge); // the server would refuse it too (413): do not send it
      return;
    }
    const chosen = s.querySelector('input[name="visibility"]:checked');
    const data = new FormData();
    data.append("visibility", chosen ? chosen.value : "internal");
    data.append("file", file, file.name);
    const xhr = new XMLHttpRequest();
    xhr.open("POST", `/tasks/${taskId}/attachments`);
    xhr.setRequestHeader("x-csrftoken", csrf());
    xhr.setRequestHeader("HX-Request", "true");
    xhr.upload.addEventListener("progress", (e) => {
      if (e.lengthComputable) row.querySelector("progress").value = Math.round((100 * e.loaded) / e.total);
    });
    xhr.addEventListener("load", () => {
      if (xhr.status >= 400) return fail(row, errorOf(xhr));
      forget(row);
      if (section()?.dataset.taskId === taskId) redraw(xhr.responseText);
    });
    xhr.addEventListener("error", () => fail(row, s.dataset.failed || "×"));
    xhr.send(data);
  }

  function send(files) {
    const s = section();
    if (!s || !s.querySelector(".att-drop")) return; // this person may not add files here
    [...files].forEach((file) => upload(s, file));
  }

  const carriesFiles = (e) => [...(e.dataTransfer?.types || [])].includes("Files");
  const overDialog = (e) => e.target.closest?.("#dialog dialog") && section()?.querySelector(".att-drop");

  document.addEventListener("dragover", (e) => {
    if (!carriesFiles(e) || !overDialog(e)) return;
    e.preventDefault();
    e.dataTransfer.dropEffect = "copy";
    section().classList.add("att-dragging");
  });
  document.addEventListener("dragleave", (e) => {
    if (e.target.closest?.("#dialog dialog") && !e.relatedTarget) section()?.classList.remove("att-dragging");
  });
  document.addEventListener("drop", (e) => {
    if (!carriesFiles(e) || !overDialog(e)) return;
    e.preventDefault();
    section()?.classList.remove("att-dragging");
    send(e.dataTransfer.files);
  });
  document.addEventListener("change", (e) => {
    if (!e.target.matches?.("#card-attachments .att-input")) return;
    send(e.target.files);
    e.target.value = "";
  });
  // The list was redrawn (loaded with the dialog, a live refresh, an htmx action): keep the progress rows.
  document.addEventListener("htmx:afterSettle", place);
})();
