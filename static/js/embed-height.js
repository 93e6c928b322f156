/* The embeddable list of published documents (templates/reports/public/embed.html), shown in an
   iframe on the organisation's own website: it tells the page around it how tall it is, so that
   the snippet the organisation pasted (reports.public.pages.embed_snippets) sizes the iframe to
   fit, with no inner scroll bar. Without that snippet's listener nothing changes: the iframe keeps
   its own height and scrolls. */
(function () {
  "use strict";
  if (window.parent === window) return;
  var last = 0;
  function post() {
    var height = Math.ceil(document.documentElement.getBoundingClientRect().height);
    if (height === last) return;
    last = height;
    window.parent.postMessage({ type: "ita-embed-height", height: height }, "*");
  }
  if ("ResizeObserver" in window) new ResizeObserver(post).observe(document.documentElement);
  window.addEventListener("load", post);
  window.addEventListener("resize", post);
  post();
})();
