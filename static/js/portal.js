// What the pages ask for by data attributes: the Content-Security-Policy runs no inline script or handler.
//   data-confirm="问题"  on a link or a button: asks before following the link or submitting the form
//   data-print          on a button: prints the page
//   data-autosubmit     on a select: submits its form when the choice changes
//   data-progress="40"  on a progress bar: its width in per cent (also in content htmx swaps in)
(function () {
  "use strict";

  document.addEventListener("click", function (event) {
    const asking = event.target.closest("[data-confirm]");
    if (asking && !window.confirm(asking.dataset.confirm)) {
      event.preventDefault();
      event.stopImmediatePropagation();
      return;
    }
    if (event.target.closest("[data-print]")) window.print();
  });

  document.addEventListener("change", function (event) {
    const select = event.target.closest("[data-autosubmit]");
    if (select && select.form) select.form.submit();
  });

  function showProgress(root) {
    const bars = Array.from(root.querySelectorAll("[data-progress]"));
    if (root.matches && root.matches("[data-progress]")) bars.push(root);
    bars.forEach(function (bar) {
      const percent = Math.min(Math.max(parseInt(bar.dataset.progress, 10) || 0, 0), 100);
      bar.style.width = percent + "%"; // CSSOM, which the policy allows (a style attribute it refuses)
    });
  }

  if (window.htmx) {
    window.htmx.onLoad(showProgress); // the page when htmx starts, then each swapped-in fragment
  } else {
    document.addEventListener("DOMContentLoaded", function () { showProgress(document); });
  }
})();

// data-check-all="household" on a checkbox: ticks or clears every checkbox named "household" in its form (全选本页)
document.addEventListener("change", function (event) {
  "use strict";
  const all = event.target.closest("[data-check-all]");
  if (!all || !all.form) return;
  all.form.querySelectorAll('input[type=checkbox][name="' + all.dataset.checkAll + '"]').forEach(function (box) {
    box.checked = all.checked;
  });
});
