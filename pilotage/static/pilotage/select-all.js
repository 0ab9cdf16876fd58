// A "tick all" box: <input type="checkbox" data-select-all="measurement" form="review"> ticks
// every box of that name belonging to the same form (boxes may sit in table rows, via form=).
document.addEventListener("change", (event) => {
  const all = event.target.closest("[data-select-all]");
  if (!all) return;
  const form = all.getAttribute("form");
  document.querySelectorAll(`input[type=checkbox][name="${all.dataset.selectAll}"]`).forEach((box) => {
    if (!box.disabled && box.getAttribute("form") === form) box.checked = all.checked;
  });
});
