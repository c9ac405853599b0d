// @mentions: typing "@" (and the start of a name) in a textarea marked data-mentions lists the people
// who may see that card (the server decides: GET <data-mentions>?q=…); picking one writes "@Name ".
// Delegated on the document, so textareas swapped in by htmx work without setup.
(function () {
  "use strict";
  var box = null, target = null, items = [], active = 0, timer = null, asked = 0;

  function typed(area) {
    var before = area.value.slice(0, area.selectionStart);
    var match = /(^|[\s(])@([^\s@]{0,30})$/.exec(before);
    return match ? { query: match[2], start: before.length - match[2].length - 1 } : null;
  }

  function close() {
    if (box) box.remove();
    box = null; items = []; target = null;
  }

  function pick(person) {
    var area = target, found = typed(area);
    if (!found) return close();
    var end = area.selectionStart, text = "@" + person.name + " ";
    area.value = area.value.slice(0, found.start) + text + area.value.slice(end);
    var caret = found.start + text.length;
    area.setSelectionRange(caret, caret);
    close();
    area.focus();
  }

  function draw(area, people) {
    close();
    if (!people.length) return;
    target = area; items = people; active = 0;
    box = document.createElement("ul");
    box.className = "mention-list";
    box.setAttribute("role", "listbox");
    people.forEach(function (person, i) {
      var li = document.createElement("li");
      li.setAttribute("role", "option");
      li.id = "mention-" + person.id;
      li.textContent = person.name;
      if (i === 0) li.setAttribute("aria-selected", "true");
      li.addEventListener("mousedown", function (event) { event.preventDefault(); pick(person); });
      box.appendChild(li);
    });
    area.insertAdjacentElement("afterend", box);
  }

  function highlight(step) {
    if (!box) return;
    active = (active + step + items.length) % items.length;
    Array.prototype.forEach.call(box.children, function (li, i) {
      li.setAttribute("aria-selected", i === active ? "true" : "false");
    });
  }

  document.addEventListener("input", function (event) {
    var area = event.target;
    if (!(area instanceof HTMLTextAreaElement) || !area.dataset.mentions) return;
    var found = typed(area);
    if (!found) return close();
    clearTimeout(timer);
    timer = setTimeout(function () {
      var mine = ++asked;
      fetch(area.dataset.mentions + "?q=" + encodeURIComponent(found.query), { credentials: "same-origin" })
        .then(function (response) { return response.ok ? response.json() : []; })
        .then(function (people) { if (mine === asked) draw(area, people); })
        .catch(close);
    }, 120);
  });

  document.addEventListener("keydown", function (event) {
    if (!box || event.target !== target) return;
    if (event.key === "ArrowDown") { event.preventDefault(); highlight(1); }
    else if (event.key === "ArrowUp") { event.preventDefault(); highlight(-1); }
    else if (event.key === "Enter" || event.key === "Tab") { event.preventDefault(); pick(items[active]); }
    else if (event.key === "Escape") { close(); }
  });

  document.addEventListener("focusout", function (event) {
    if (event.target === target) setTimeout(close, 150);
  });
})();
