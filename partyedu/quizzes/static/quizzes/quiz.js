// 答题页: the countdown from the server's remaining seconds, the answered count, and the automatic hand-in.
// The server decides (answers after deadline + grace are refused); this only shows the time and, at zero,
// posts the paper so that what was saved is handed in. No clock of the phone is trusted: the page counts
// down from the seconds the server said were left when it rendered the page.
(function () {
  "use strict";
  const bar = document.getElementById("quiz-bar");
  const form = document.getElementById("quiz-paper");
  if (!bar || !form) return;

  function updateAnswered() {
    const count = form.querySelectorAll("fieldset.quiz-q.answered").length;
    const slot = bar.querySelector("[data-answered]");
    if (slot) slot.textContent = String(count);
  }
  form.addEventListener("change", (event) => {
    const fs = event.target.closest("fieldset.quiz-q");
    if (!fs) return;
    const filled = Array.from(fs.querySelectorAll("input")).some(
      (i) => (i.type === "radio" || i.type === "checkbox" ? i.checked : i.type === "text" && i.value.trim() !== "")
    );
    fs.classList.toggle("answered", filled);
    updateAnswered();
  });
  updateAnswered();

  if (bar.dataset.remaining === undefined) return;
  const total = parseInt(bar.dataset.remaining, 10) || 0;
  const started = performance.now();
  const left = bar.querySelector("[data-left]");
  const clock = bar.querySelector("[data-clock]");
  let submitted = false;

  function fmt(s) {
    const m = Math.floor(s / 60);
    const r = s % 60;
    return (m > 0 ? m + "分" : "") + String(r).padStart(m > 0 ? 2 : 1, "0") + "秒";
  }
  function tick() {
    const remaining = Math.max(0, total - Math.floor((performance.now() - started) / 1000));
    left.textContent = fmt(remaining);
    clock.classList.toggle("urgent", remaining <= 60);
    if (remaining === 0 && !submitted) {
      submitted = true;
      left.textContent = "时间到，正在交卷";
      form.submit();
      return;
    }
    window.setTimeout(tick, 250);
  }
  tick();
})();
