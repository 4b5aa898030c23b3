/* 工作台: rows, pickers, toolbar, paste, save, previews, photos, build. No library. */
(function () {
  "use strict";
  var csrf = document.querySelector('meta[name="pufa-csrf"]').content;

  function post(url, body) {
    return fetch(url, { method: "POST", body: body, headers: { "X-Pufa-Csrf": csrf }, credentials: "same-origin" })
      .then(function (r) { return r.json().catch(function () { return { status: "refused", message: "服务器没有回答（" + r.status + "）" }; }); });
  }
  function el(tag, cls, text) {
    var e = document.createElement(tag);
    if (cls) { e.className = cls; }
    if (text !== undefined) { e.textContent = text; }
    return e;
  }
  function rowTools() {
    var s = el("span", "wb-row-tools");
    [["up", "↑", "上移"], ["down", "↓", "下移"], ["remove", "✕", "删除这一项"]].forEach(function (b) {
      var x = el("button", "", b[1]); x.type = "button"; x.dataset.wb = b[0]; x.title = b[2]; x.setAttribute("aria-label", b[2]); s.appendChild(x);
    });
    return s;
  }

  /* --- rows and pickers ------------------------------------------------------------ */
  document.addEventListener("click", function (ev) {
    var b = ev.target.closest("[data-wb]");
    if (!b) { return; }
    var action = b.dataset.wb, field = b.closest(".wb-field"), row = b.closest(".wb-row");
    if (action === "remove" && row) { row.remove(); }
    else if (action === "up" && row && row.previousElementSibling) { row.parentNode.insertBefore(row, row.previousElementSibling); }
    else if (action === "down" && row && row.nextElementSibling) { row.parentNode.insertBefore(row.nextElementSibling, row); }
    else if (action === "add-row") {
      var rows = field.querySelector(".wb-rows"), r = el("div", "wb-row"), i = el("input");
      i.type = "text"; i.name = rows.dataset.name; i.setAttribute("aria-label", "新的一项");
      r.appendChild(i); r.appendChild(rowTools()); rows.appendChild(r); i.focus();
    } else if (action === "add-template") {
      var t = field.querySelector("template");
      field.querySelector(".wb-rows").appendChild(t.content.cloneNode(true));
    } else if (action === "pick") {
      var sel = field.querySelector(".wb-add select"), opt = sel.options[sel.selectedIndex];
      if (!opt || opt.hidden) { return; }
      var list = field.querySelector(".wb-rows");
      var exists = Array.prototype.some.call(list.querySelectorAll("input"), function (x) { return x.value === opt.value; });
      if (exists) { return; }
      var pr = el("div", "wb-row"), h = el("input");
      h.type = "hidden"; h.name = list.dataset.name; h.value = opt.value;
      pr.appendChild(h); pr.appendChild(el("span", "wb-row-label", opt.textContent)); pr.appendChild(rowTools());
      list.appendChild(pr);
      var search = field.querySelector(".wb-add .wb-picker-search"); if (search) { search.value = ""; filter(search); }
    }
  });
  function filter(search) {
    var sel = search.parentNode.querySelector("select"), q = search.value.trim().toLowerCase(), first = null;
    Array.prototype.forEach.call(sel.options, function (o) {
      var show = !q || !o.value || (o.textContent + " " + o.value).toLowerCase().indexOf(q) >= 0;
      o.hidden = !show;
      if (show && o.value && first === null) { first = o; }
    });
    if (q && first) { sel.value = first.value; }
  }
  document.addEventListener("input", function (ev) {
    if (ev.target.classList && ev.target.classList.contains("wb-picker-search")) { filter(ev.target); }
  });
  document.addEventListener("change", function (ev) {
    var t = ev.target;
    if (t.matches && t.matches("[data-wb-phone]")) { t.value = t.value.replace(/[\s\u3000]+/g, "").replace(/[０-９]/g, function (c) { return String.fromCharCode(c.charCodeAt(0) - 0xfee0); }); }
    if (t.matches && t.matches("[data-wb-photo]")) { upload(t); }
  });

  /* --- the body: toolbar and paste ------------------------------------------------- */
  var body = document.getElementById("wb-body");
  function wrap(before, after, placeholder) {
    var s = body.selectionStart, e = body.selectionEnd, v = body.value, sel = v.slice(s, e) || placeholder;
    body.value = v.slice(0, s) + before + sel + after + v.slice(e);
    body.focus(); body.selectionStart = s + before.length; body.selectionEnd = s + before.length + sel.length;
    body.dispatchEvent(new Event("input"));
  }
  function lines(prefix) {
    var s = body.selectionStart, v = body.value, start = v.lastIndexOf("\n", s - 1) + 1;
    body.value = v.slice(0, start) + prefix + v.slice(start);
    body.focus(); body.selectionStart = body.selectionEnd = s + prefix.length;
    body.dispatchEvent(new Event("input"));
  }
  document.addEventListener("click", function (ev) {
    var b = ev.target.closest("[data-md]");
    if (!b || !body) { return; }
    var k = b.dataset.md;
    if (k === "heading") { lines("## "); }
    else if (k === "bold") { wrap("**", "**", "加粗的文字"); }
    else if (k === "list") { lines("- "); }
    else if (k === "quote") { lines("> "); }
    else if (k === "link") { wrap("[", "](https://)", "链接文字"); }
  });
  function insert(text) {
    var s = body.selectionStart, e = body.selectionEnd, v = body.value;
    body.value = v.slice(0, s) + text + v.slice(e);
    body.selectionStart = body.selectionEnd = s + text.length;
    body.dispatchEvent(new Event("input"));
  }
  if (body) {
    body.addEventListener("paste", function (ev) {
      var html = ev.clipboardData && ev.clipboardData.getData("text/html");
      if (!html) { return; }
      ev.preventDefault();
      var fd = new FormData(); fd.append("html", html);
      post("/__pufa/api/paste", fd).then(function (r) { if (r.markdown !== undefined) { insert(r.markdown); } });
    });
    var timer = null;
    body.addEventListener("input", function () { clearTimeout(timer); timer = setTimeout(previewPage, 900); });
  }

  /* --- saving ---------------------------------------------------------------------- */
  var form = document.getElementById("wb-form");
  function say(text, bad) {
    var m = form.querySelector(".wb-message"); m.textContent = text; m.classList.toggle("wb-bad", !!bad);
  }
  function clearProblems() {
    Array.prototype.forEach.call(form.querySelectorAll(".wb-problems"), function (p) { p.textContent = ""; });
    Array.prototype.forEach.call(form.querySelectorAll(".wb-has-problem"), function (p) { p.classList.remove("wb-has-problem"); });
  }
  function show(problems, warning) {
    (problems || []).forEach(function (p) {
      var f = p.field ? form.querySelector('.wb-field[data-field="' + CSS.escape(p.field) + '"]') : null;
      var box = f ? f.querySelector(".wb-problems") : form.querySelector(".wb-general");
      box.appendChild(el("p", "wb-problem" + (warning ? " wb-warning" : ""), f ? p.message : p.text));
      if (f && !warning) { f.classList.add("wb-has-problem"); }
    });
  }
  function api(kind) {
    var seg = form.dataset.folder === "site" ? "site/site" : form.dataset.folder + "/" + form.dataset.ident;
    return "/__pufa/api/" + kind + "/" + seg;
  }
  if (form) {
    form.addEventListener("submit", function (ev) {
      ev.preventDefault();
      say("正在检查……");
      var diff = form.querySelector(".wb-diff"); diff.hidden = true;
      post(api("save"), new FormData(form)).then(function (r) {
        clearProblems();
        if (r.status === "refused") { say(r.message, true); return; }
        show(r.problems, false); show(r.warnings, true);
        if (r.version !== undefined) { form.elements.version.value = r.version; }
        if (r.id && form.dataset.folder !== "site") {
          form.dataset.ident = r.id;
          if (form.elements.new_id) { form.elements.new_id.value = r.id; }
          if (r.edit_url && location.pathname !== r.edit_url) { history.replaceState(null, "", r.edit_url); }
        }
        if (r.status === "stale") { diff.textContent = r.diff; diff.hidden = false; }
        say(r.message, r.status !== "saved");
        var first = form.querySelector(".wb-has-problem");
        if (first) { first.scrollIntoView({ block: "center" }); }
      });
    });
  }

  /* --- previews -------------------------------------------------------------------- */
  function previewPage() {
    var frame = document.getElementById("wb-page-frame");
    if (!frame || !form) { return; }
    post(api("preview/page"), new FormData(form)).then(function (r) {
      if (r.url) { frame.src = r.url; }
      document.getElementById("wb-page-note").textContent = r.note || r.message || "";
    });
  }
  function previewPrint() {
    var fd = new FormData(form), kind = document.getElementById("wb-print-kind");
    if (kind.value) { fd.append("kind", kind.value); }
    var time = document.getElementById("wb-print-time"), notes = document.getElementById("wb-print-notes");
    time.textContent = "正在排版……";
    post(api("preview/print"), fd).then(function (r) {
      var frame = document.getElementById("wb-print-frame");
      notes.textContent = "";
      if (r.status !== "ok") {
        time.textContent = r.message || "";
        (r.problems || []).forEach(function (p) { notes.appendChild(el("li", "wb-problem", p)); });
        return;
      }
      frame.hidden = false; frame.src = r.url;
      time.textContent = r.label + "（排版用了 " + r.seconds + " 秒）";
      kind.textContent = "";
      r.kinds.forEach(function (k) { var o = el("option", "", k[1]); o.value = k[0]; o.selected = k[0] === r.kind; kind.appendChild(o); });
      kind.hidden = r.kinds.length < 2;
      if (!r.notes.length) { notes.appendChild(el("li", "", "文字都放得下，没有缩小或截断。")); }
      r.notes.forEach(function (n) { notes.appendChild(el("li", "wb-fit", n)); });
    });
  }
  var pp = document.getElementById("wb-preview-page"); if (pp) { pp.addEventListener("click", previewPage); }
  var pr = document.getElementById("wb-preview-print"); if (pr) { pr.addEventListener("click", previewPrint); }
  var pk = document.getElementById("wb-print-kind"); if (pk) { pk.addEventListener("change", previewPrint); }
  if (document.getElementById("wb-page-frame")) { previewPage(); }

  /* --- photos ---------------------------------------------------------------------- */
  function upload(input) {
    var fd = new FormData(), note = input.parentNode.querySelector(".wb-upload-note");
    fd.append("photo", input.files[0]);
    var name = form.querySelector('[name="f.name"]'); if (name) { fd.append("name", name.value); }
    note.textContent = "正在上传……";
    post("/__pufa/api/photo", fd).then(function (r) {
      note.textContent = r.message || "";
      note.classList.toggle("wb-bad", r.status !== "saved");
      if (r.path) { form.querySelector('[name="' + CSS.escape(input.dataset.wbPhoto) + '"]').value = r.path; }
    });
  }

  /* --- delete ---------------------------------------------------------------------- */
  var del = document.querySelector("[data-wb-delete]");
  if (del) {
    del.addEventListener("click", function () {
      var fd = new FormData(); fd.append("csrf", csrf);
      post(del.dataset.wbDelete, fd).then(function (r) {
        var m = document.querySelector(".wb-message"); m.textContent = r.message || "";
        (r.problems || []).forEach(function (p) { m.appendChild(el("p", "wb-problem", p)); });
        if (r.list_url) { setTimeout(function () { location.href = r.list_url; }, 800); }
      });
    });
  }

  /* --- build ----------------------------------------------------------------------- */
  var start = document.getElementById("wb-build");
  function renderBuild(s) {
    var box = document.getElementById("wb-build-state"), bar = box.querySelector("progress");
    box.querySelector(".wb-stage").textContent = s.running ? "正在：" + s.stage + "（已用 " + s.seconds + " 秒）" : "";
    if (s.total) {
      bar.hidden = false; bar.max = s.total; bar.value = s.done;
      box.querySelector(".wb-count").textContent = "印刷品 " + s.done + " / " + s.total + " 件" + (s.left !== null ? "，还需约 " + s.left + " 秒" : "");
    }
    var out = document.getElementById("wb-build-result");
    if (s.running || s.ok === null) { return; }
    out.textContent = "";
    out.appendChild(el("p", s.ok ? "wb-good wb-summary" : "wb-bad wb-summary", s.summary));
    if (s.problems.length) {
      out.appendChild(el("h2", "", "问题"));
      var ul = el("ul", "wb-build-problems"); s.problems.forEach(function (p) { ul.appendChild(el("li", "wb-problem", p)); }); out.appendChild(ul);
    }
    if (s.notes.length) {
      out.appendChild(el("h2", "", "印刷品和重新打印"));
      var nl = el("ul", "wb-build-notes"); s.notes.forEach(function (p) { nl.appendChild(el("li", "", p)); }); out.appendChild(nl);
    }
    if (s.warnings.length) {
      out.appendChild(el("h2", "", "提醒"));
      var wl = el("ul"); s.warnings.forEach(function (p) { wl.appendChild(el("li", "wb-warning", p)); }); out.appendChild(wl);
    }
    if (s.ok) { var a = el("a", "", "打开生成的网站预览"); a.href = "/"; a.target = "_blank"; out.appendChild(a); }
    start.disabled = false;
  }
  function poll() {
    fetch("/__pufa/api/build", { cache: "no-store" }).then(function (r) { return r.json(); }).then(function (s) {
      renderBuild(s);
      if (s.running) { setTimeout(poll, 500); }
    });
  }
  if (start) {
    start.addEventListener("click", function () {
      start.disabled = true;
      document.getElementById("wb-build-result").textContent = "";
      var fd = new FormData(); fd.append("csrf", csrf);
      post("/__pufa/api/build", fd).then(function () { poll(); });
    });
    poll();
  }

  /* --- publish --------------------------------------------------------------------- */
  var pubButtons = [document.getElementById("wb-publish"), document.getElementById("wb-publish-dry")].filter(Boolean);
  function list(out, title, items, cls) {
    if (!items || !items.length) { return; }
    out.appendChild(el("h2", "", title));
    var ul = el("ul", cls); items.forEach(function (p) { ul.appendChild(el("li", "", p)); }); out.appendChild(ul);
  }
  function renderPublish(s) {
    var box = document.getElementById("wb-publish-state"), bar = box.querySelector("progress");
    box.querySelector(".wb-stage").textContent = s.running ? "正在：" + s.stage + "（已用 " + s.seconds + " 秒）" : "";
    if (s.running && s.files_total) {
      bar.hidden = false; bar.max = s.bytes_total || s.files_total; bar.value = s.bytes_total ? s.bytes_done : s.files_done;
      box.querySelector(".wb-count").textContent = "文件 " + s.files_done + " / " + s.files_total + " 个，" + s.bytes_done_text + " / " + s.bytes_total_text;
    } else if (!s.running) { bar.hidden = true; box.querySelector(".wb-count").textContent = ""; }
    var out = document.getElementById("wb-publish-result");
    if (s.running || s.ok === null) { return; }
    out.textContent = "";
    s.summary.forEach(function (line, i) { out.appendChild(el("p", i === 0 ? (s.ok ? "wb-good wb-summary" : "wb-bad wb-summary") : "", line)); });
    if (s.problems.length) {
      out.appendChild(el("h2", "", "问题"));
      s.problems.forEach(function (p) { out.appendChild(el("pre", "wb-problem", p)); });
    }
    list(out, "将发送的文件", s.send, "wb-publish-files");
    list(out, "将删除的文件", s.delete, "wb-publish-files");
    if (s.more) { out.appendChild(el("p", "", "另有 " + s.more + " 个文件没有列出。")); }
    pubButtons.forEach(function (b) { b.disabled = false; });
  }
  function pollPublish() {
    fetch("/__pufa/api/publish", { cache: "no-store" }).then(function (r) { return r.json(); }).then(function (s) {
      renderPublish(s);
      if (s.running) { pubButtons.forEach(function (b) { b.disabled = true; }); setTimeout(pollPublish, 500); }
    });
  }
  if (pubButtons.length) {
    pubButtons.forEach(function (b) {
      b.addEventListener("click", function () {
        if (b.dataset.dryRun !== "1" && !window.confirm("确定要把生成的网站发布上线吗？")) { return; }
        pubButtons.forEach(function (x) { x.disabled = true; });
        var out = document.getElementById("wb-publish-result"); out.textContent = "";
        var fd = new FormData(); fd.append("csrf", csrf); fd.append("dry_run", b.dataset.dryRun);
        post("/__pufa/api/publish", fd).then(function (r) {
          if (r.status === "refused") {
            out.appendChild(el("p", "wb-bad wb-summary", r.message));
            pubButtons.forEach(function (x) { x.disabled = false; });
            return;
          }
          pollPublish();
        });
      });
    });
    pollPublish();
  }
})();
