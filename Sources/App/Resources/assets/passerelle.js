// Passerelle: an enhancement only; every page works without it. Focuses the error summary of a form
// shown again, so that a screen reader announces it.
document.addEventListener("DOMContentLoaded", function () {
  var summary = document.querySelector(".resume-erreurs");
  if (summary) { summary.focus(); }
});

// A console batch that runs: its progress region is refreshed in place every two seconds, from the
// same page, until the batch ends (the region is announced politely). Without the script, a link.
document.addEventListener("DOMContentLoaded", function () {
  var region = document.getElementById("suivi-lot");
  if (!region || !region.hasAttribute("data-suivi") || !window.fetch || !window.DOMParser) { return; }
  var refresh = function () {
    fetch(window.location.href, { credentials: "same-origin" }).then(function (response) {
      return response.ok ? response.text() : Promise.reject(response.status);
    }).then(function (text) {
      var fresh = new DOMParser().parseFromString(text, "text/html").getElementById("suivi-lot");
      if (!fresh) { return; }
      region.innerHTML = fresh.innerHTML;
      if (fresh.hasAttribute("data-suivi")) { window.setTimeout(refresh, 2000); } else { region.removeAttribute("data-suivi"); }
    }).catch(function () { window.setTimeout(refresh, 5000); });
  };
  window.setTimeout(refresh, 1000);
});
