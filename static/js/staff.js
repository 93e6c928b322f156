/* Staff pages: htmx set up for a strict Content-Security-Policy, and a word while something
   takes seconds (issue 18).
   - htmx (static/vendor/htmx) may neither evaluate code nor run scripts it swaps in, and adds
     no inline style (the indicator's style is in portal.css).
   - A form or link marked data-busy="…" shows that text in a polite live region when it is sent
     or followed (a PDF being made, an import being read), and a sent form's buttons are
     disabled so a second press does not send it twice. The text goes when the page is shown
     again (a download finished, the back button).
   Everything works without it: it only tells. */
(function () {
  "use strict";
  if (window.htmx) {
    htmx.config.allowEval = false;
    htmx.config.allowScriptTags = false;
    htmx.config.includeIndicatorStyles = false;
    htmx.config.historyCacheSize = 0;  // no copy of a staff page (with what was typed) in localStorage
  }

  var region;
  function live() {
    if (!region) {
      region = document.createElement("div");
      region.className = "busy-status";
      region.setAttribute("role", "status");
      region.setAttribute("aria-live", "polite");
      document.body.appendChild(region);
    }
    return region;
  }
  function say(text) {
    var el = live();
    el.textContent = text;
    el.classList.add("shown");
  }
  function clear() {
    if (region) { region.textContent = ""; region.classList.remove("shown"); }
    Array.prototype.forEach.call(document.querySelectorAll("[data-busy-disabled]"), function (b) {
      b.disabled = false;
      b.removeAttribute("data-busy-disabled");
    });
  }

  document.addEventListener("submit", function (event) {
    var form = event.target;
    if (!form.hasAttribute || !form.hasAttribute("data-busy") || event.defaultPrevented) { return; }
    say(form.getAttribute("data-busy"));
    // Disabled after the submit has gathered the pressed button's name and value.
    window.setTimeout(function () {
      Array.prototype.forEach.call(form.querySelectorAll("button[type=submit], button:not([type])"), function (b) {
        if (!b.disabled) { b.disabled = true; b.setAttribute("data-busy-disabled", ""); }
      });
    }, 0);
  });
  document.addEventListener("click", function (event) {
    var link = event.target.closest && event.target.closest("a[data-busy]");
    if (!link || event.defaultPrevented || event.button !== 0 || event.ctrlKey || event.metaKey) { return; }
    say(link.getAttribute("data-busy"));
    window.setTimeout(clear, 30000);  // a download does not tell the page when it is done
  });
  window.addEventListener("pageshow", clear);
  window.addEventListener("focus", function () { window.setTimeout(clear, 1500); });
  document.addEventListener("htmx:beforeRequest", function (event) {
    var busy = event.detail.elt.closest && event.detail.elt.closest("[data-busy]");
    if (busy) { say(busy.getAttribute("data-busy")); }
  });
  document.addEventListener("htmx:afterRequest", clear);
})();
