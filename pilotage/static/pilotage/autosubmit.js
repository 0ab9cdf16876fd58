// A choice marked data-autosubmit (language, year, period) submits its form at once: the page's
// only behaviour that was an inline handler, which the Content-Security-Policy forbids.
document.addEventListener("change", (event) => {
  if (event.target.matches("[data-autosubmit]") && event.target.form) {
    event.target.form.requestSubmit();
  }
});
