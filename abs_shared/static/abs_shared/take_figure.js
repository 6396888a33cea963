/* « Reprendre ce chiffre » on a DOMIC value form (abs_shared/local/views.py, _offer_figure).
   Without a script, the link reloads the form with the activity report's figure typed in, and
   whatever else was typed (year, source, comment…) is lost. With this one, the figure is typed
   into the value field in place: focus goes to the field and the status line says so.
   The link is still followed when the form is no longer about the indicator and year the figure
   belongs to (a new value whose year was changed): the reloaded form then shows the right ones.
   A file of its own: the site's policy runs no inline script (SECURE_CSP, script-src 'self'). */
(function () {
  "use strict";

  function stillAbout(form, link) {
    // A new value's indicator and year are fields; a change's are fixed (no fields).
    var indicator = form.elements.namedItem("indicator");
    var year = form.elements.namedItem("year");
    return (!indicator || indicator.value === link.dataset.takeIndicator) &&
      (!year || year.value.trim() === link.dataset.takeYear);
  }

  function take(event) {
    var link = event.currentTarget;
    var field = document.getElementById(link.dataset.takeField);
    var status = document.getElementById(link.dataset.takeStatus);
    if (!field || !status || !field.form || !stillAbout(field.form, link)) {
      return;  // the link's own way: the form reloaded with the figure
    }
    event.preventDefault();
    field.value = link.dataset.takeFigure;
    field.focus();
    // Emptied first, so that a second click is announced again.
    status.textContent = "";
    window.setTimeout(function () {
      status.textContent = link.dataset.takeAnnounce;
    }, 100);
  }

  document.querySelectorAll("a[data-take-figure]").forEach(function (link) {
    link.addEventListener("click", take);
  });
})();
