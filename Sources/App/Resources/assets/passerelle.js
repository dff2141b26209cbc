// Passerelle: an enhancement only; every page works without it. Focuses the error summary of a form
// shown again, so that a screen reader announces it.
document.addEventListener("DOMContentLoaded", function () {
  var summary = document.querySelector(".resume-erreurs");
  if (summary) { summary.focus(); }
});
