/* Nothing typed is lost (issue 18). A form marked data-keep-typed keeps what is typed in it in
   this browser (localStorage, per user and page) until the portal says it was saved:
   - leaving the page with changes not sent asks first;
   - a form sent but never saved (the session had expired: the login page came instead, or the
     page's form had expired) is filled again when its page opens, with a notice;
   - a page with a saved message forgets the forms that were sent.
   A file input is never kept (a browser cannot refill one). Works without it: the server never
   relies on it. */
(function () {
  "use strict";
  var PREFIX = "ita-typed:";
  var WEEK = 7 * 24 * 3600 * 1000;
  var storage;
  try { storage = window.localStorage; storage.getItem(PREFIX); } catch (e) { return; }
  var marked = document.querySelector("header[data-user]");  // the staff header (templates/base.html)
  var user = marked && marked.getAttribute("data-user");

  function fields(form) {
    return Array.prototype.filter.call(form.elements, function (el) {
      return el.name && el.name !== "csrfmiddlewaretoken" && el.type !== "file" &&
        el.type !== "submit" && el.type !== "button";
    });
  }
  function values(form) {
    var out = {};
    fields(form).forEach(function (el) {
      if (el.type === "checkbox" || el.type === "radio") {
        if (el.checked) { (out[el.name] = out[el.name] || []).push(el.value); }
      } else if (el.tagName === "SELECT" && el.multiple) {
        out[el.name] = Array.prototype.filter.call(el.options, function (o) { return o.selected; })
          .map(function (o) { return o.value; });
      } else {
        out[el.name] = el.value;
      }
    });
    return out;
  }
  function fill(form, saved) {
    fields(form).forEach(function (el) {
      if (!(el.name in saved) && el.type !== "checkbox" && el.type !== "radio") { return; }
      var value = saved[el.name];
      if (el.type === "checkbox" || el.type === "radio") {
        el.checked = Array.isArray(value) && value.indexOf(el.value) !== -1;
      } else if (el.tagName === "SELECT" && el.multiple) {
        Array.prototype.forEach.call(el.options, function (o) { o.selected = value.indexOf(o.value) !== -1; });
      } else {
        el.value = value;
      }
    });
  }
  function read(key) {
    try { return JSON.parse(storage.getItem(key) || "null"); } catch (e) { return null; }
  }

  // Old and already-saved drafts go first.
  var saved = document.querySelector(".messages li.success");
  for (var i = storage.length - 1; i >= 0; i--) {
    var k = storage.key(i);
    if (!k || k.indexOf(PREFIX) !== 0) { continue; }
    var d = read(k);
    if (!d || Date.now() - d.at > WEEK) { storage.removeItem(k); }
  }

  if (!user) { return; }  // the login page: nothing to keep or fill here
  var forms = document.querySelectorAll("form[data-keep-typed]");
  var dirty = false;

  function watch(form, index) {
    form.setAttribute("data-keep-typed-watched", "");
    // The query too: the round grid of one unit is not that of another (?unit=).
    var key = PREFIX + user + ":" + location.pathname + location.search + ":" + index;
    var draft = read(key);
    var refused = form.querySelector(".errorlist, [role=alert]");
    if (draft && draft.sent && saved) {
      storage.removeItem(key);  // sent and saved ("save and stay" comes back here)
    } else if (draft && draft.sent && !refused && JSON.stringify(draft.values) !== JSON.stringify(values(form))) {
      fill(form, draft.values);
      var notice = document.createElement("div");
      notice.className = "notice";
      notice.setAttribute("role", "status");
      notice.textContent = "กู้คืนข้อความที่พิมพ์ไว้ก่อนหน้านี้แล้ว (ยังไม่ได้บันทึก เพราะครั้งก่อนส่งไม่สำเร็จ) กรุณาตรวจสอบแล้วกดบันทึกอีกครั้ง ";
      var discard = document.createElement("button");
      discard.type = "button";
      discard.className = "link";
      discard.textContent = "ทิ้งข้อความที่กู้คืน";
      discard.addEventListener("click", function () { storage.removeItem(key); location.reload(); });
      notice.appendChild(discard);
      form.insertBefore(notice, form.firstChild);
      dirty = true;
    } else if (draft && draft.sent && !refused) {
      storage.removeItem(key);
    }
    form.addEventListener("input", function () {
      dirty = true;
      storage.setItem(key, JSON.stringify({ at: Date.now(), sent: false, values: values(form) }));
    });
    form.addEventListener("change", function () {
      dirty = true;
      storage.setItem(key, JSON.stringify({ at: Date.now(), sent: false, values: values(form) }));
    });
    form.addEventListener("submit", function () {
      dirty = false;
      storage.setItem(key, JSON.stringify({ at: Date.now(), sent: true, values: values(form) }));
    });
  }
  Array.prototype.forEach.call(forms, watch);

  // A form htmx swapped in (the round grid filtered by unit) is kept like the page's own.
  document.addEventListener("htmx:load", function (event) {
    var all = document.querySelectorAll("form[data-keep-typed]");
    Array.prototype.forEach.call(all, function (form, index) {
      if (!form.hasAttribute("data-keep-typed-watched")) { watch(form, index); }
    });
  });
  // A swap that would replace a form with changes not sent asks first, as leaving the page does.
  document.addEventListener("htmx:confirm", function (event) {
    var target = event.detail.target;
    if (!dirty || !target || !target.querySelector || !target.querySelector("form[data-keep-typed]")) { return; }
    event.preventDefault();
    if (window.confirm("ข้อความที่พิมพ์ไว้ยังไม่ได้บันทึก และจะหายไปเมื่อเปลี่ยนการแสดงผล ต้องการดำเนินการต่อหรือไม่")) {
      dirty = false;
      event.detail.issueRequest(true);
    } else {
      // Kept as it was: the filter that asked goes back to what the table still shows.
      var source = event.detail.elt;
      var filter = source && (source.tagName === "FORM" ? source : source.form);
      if (filter && !filter.hasAttribute("data-keep-typed")) { filter.reset(); }
    }
  });

  // The portal said "saved": the forms sent before this page were saved.
  if (saved) {
    for (var j = storage.length - 1; j >= 0; j--) {
      var key2 = storage.key(j);
      if (key2 && key2.indexOf(PREFIX + user + ":") === 0 && key2.indexOf(":" + location.pathname + ":") === -1) {
        var d2 = read(key2);
        if (d2 && d2.sent) { storage.removeItem(key2); }
      }
    }
  }

  window.addEventListener("beforeunload", function (event) {
    if (dirty) { event.preventDefault(); event.returnValue = ""; }
  });
})();
