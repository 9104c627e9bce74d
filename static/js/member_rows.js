// "添加一行" on the household form: copies the formset's empty form with the next index.
(function () {
  const button = document.getElementById("add-member");
  if (!button) return;
  const total = document.getElementById("id_members-TOTAL_FORMS");
  const template = document.getElementById("empty-member-row");
  const rows = document.querySelector("#member-rows tbody");
  button.addEventListener("click", function () {
    const index = parseInt(total.value, 10);
    rows.insertAdjacentHTML("beforeend", template.innerHTML.replace(/__prefix__/g, String(index)));
    total.value = String(index + 1);
  });
})();
