// Small behaviours that the CSP forbids inline: confirmation prompts and auto-submitting filters.
document.addEventListener("click", (event) => {
  const el = event.target.closest("[data-confirm]");
  if (el && !window.confirm(el.dataset.confirm)) {
    event.preventDefault();
    event.stopImmediatePropagation();
  }
});
document.addEventListener("change", (event) => {
  const el = event.target.closest("[data-autosubmit]");
  if (el && el.form) el.form.requestSubmit();
});
// Organisation tree: the first click loads the children (htmx), later clicks fold and unfold them.
document.addEventListener("htmx:afterSwap", (event) => {
  const trigger = event.detail.requestConfig && event.detail.requestConfig.elt;
  if (trigger && trigger.classList.contains("toggle")) {
    trigger.classList.add("open");
    trigger.textContent = "−";
  }
});
document.addEventListener("click", (event) => {
  const toggle = event.target.closest(".tree .toggle.open");
  if (!toggle) return;
  const list = toggle.closest("li").querySelector(":scope > ul");
  list.hidden = !list.hidden;
  toggle.textContent = list.hidden ? "+" : "−";
});
// Meetings sign-in: the printable attendance sheet's 打印 button.
document.addEventListener("click", (event) => {
  if (event.target.closest("[data-print]")) window.print();
});
