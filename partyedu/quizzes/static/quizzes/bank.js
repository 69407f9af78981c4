// The question form shows options A–H only for single and multiple choice questions.
(function () {
  var type = document.getElementById("id_qtype");
  var options = document.querySelector("fieldset.options");
  if (!type || !options) return;
  function sync() {
    options.hidden = !(type.value === "single" || type.value === "multiple");
  }
  type.addEventListener("change", sync);
  sync();
})();
