// The review site's only script: filters for the index, kept in the URL's fragment so that a
// filtered view can be linked, and the button that shows easily missed characters. Without
// it, every claim is listed and every page reads as it is.
"use strict";

function filterClaims() {
  const form = document.getElementById("filters");
  if (!form) return;
  const wanted = {};
  for (const control of form.elements) {
    if (control.name && control.value) wanted[control.name] = control.value;
  }
  const query = (wanted.q || "").toLowerCase();
  let shown = 0;
  const rows = document.querySelectorAll("#claims tbody tr");
  for (const row of rows) {
    const matches = Object.entries(wanted).every(([name, value]) => {
      if (name === "q") return row.textContent.toLowerCase().includes(query);
      const field = row.dataset[name] || "";
      return name === "topic" || name === "source" ? field.split(" ").includes(value) : field === value;
    });
    row.hidden = !matches;
    if (matches) shown += 1;
  }
  document.getElementById("shown").textContent = shown + " of " + rows.length + " claims shown";
  // A fragment with no filter in it (#charts) is a place on the page: leave it be.
  const fragment = new URLSearchParams(wanted).toString();
  const current = location.hash.slice(1);
  if (fragment !== current && (fragment || current.includes("="))) location.hash = fragment;
}

function restoreFilters() {
  const form = document.getElementById("filters");
  if (!form) return;
  const given = new URLSearchParams(location.hash.slice(1));
  for (const control of form.elements) {
    if (control.name) control.value = given.get(control.name) || "";
  }
  filterClaims();
}

document.addEventListener("DOMContentLoaded", () => {
  const form = document.getElementById("filters");
  if (form) {
    form.addEventListener("input", filterClaims);
    form.addEventListener("change", filterClaims);
    form.addEventListener("reset", () => setTimeout(filterClaims, 0));
    window.addEventListener("hashchange", restoreFilters);
    restoreFilters();
  }
  const button = document.getElementById("show-odd");
  if (button) {
    button.addEventListener("click", () => {
      const on = document.body.classList.toggle("show-odd");
      button.setAttribute("aria-pressed", String(on));
    });
  }
});
