// Sprint planning: drag cards between the backlog and the sprint. The server answers (and tells every
// other planning page over the board's socket) with the two lists and the totals, swapped by id.
(function () {
  "use strict";

  const plan = () => document.getElementById("plan");

  function wire(root) {
    if (!window.Sortable || !plan() || plan().dataset.readonly === "true") return;
    plan().querySelectorAll(".plan-list").forEach((list) => {
      if (list._sortable) return;
      list._sortable = Sortable.create(list, {
        group: "plan",
        sort: false, // the order is the board's; planning only says which list
        animation: 120,
        delay: 120,
        delayOnTouchOnly: true,
        draggable: ".plan-card",
        // Only the buttons are not handles: a card is grabbed by its title too, as on the board (a click
        // without a drag still opens the card).
        filter: "button",
        preventOnFilter: false,
        ghostClass: "card-ghost",
        onAdd(evt) {
          htmx.ajax("POST", `/tasks/${evt.item.dataset.taskId}/sprint`, {
            source: evt.item,
            swap: "none",
            values: { sprint_id: evt.to.dataset.sprintId || "" },
          });
        },
      });
    });
  }

  htmx.onLoad((root) => {
    wire(root);
  });
})();
