/* The search page: Pagefind's JS API (Chinese segmentation), results in Chinese with the
   kind of item and a highlighted excerpt. Loaded on the search page only. */
(function () {
  "use strict";
  var box = document.getElementById("pufa-search-q");
  var list = document.getElementById("pufa-results");
  var status = document.getElementById("pufa-search-status");
  if (!box || !list) { return; }
  var base = box.getAttribute("data-pufa-base") || "../";
  var pagefind = null;
  var seq = 0;

  function load() {
    if (!pagefind) {
      pagefind = import(base + "pagefind/pagefind.js").then(function (pf) {
        return pf.init ? Promise.resolve(pf.init()).then(function () { return pf; }) : pf;
      });
    }
    return pagefind;
  }
  // Text for HTML, also inside a quoted attribute (titles come from content).
  function esc(s) {
    return String(s).replace(/&/g, "&amp;").replace(/</g, "&lt;").replace(/>/g, "&gt;")
      .replace(/"/g, "&quot;").replace(/'/g, "&#39;");
  }
  // Pagefind's excerpt is HTML: keep its <mark> highlights and nothing else (parsed in an
  // inert document: no script runs, no image loads).
  function excerpt(html) {
    var doc = new DOMParser().parseFromString("<body>" + (html || ""), "text/html");
    var out = "";
    doc.body.childNodes.forEach(function (n) {
      var text = esc(n.textContent || "");
      out += n.nodeName === "MARK" ? "<mark>" + text + "</mark>" : text;
    });
    return out;
  }

  function run(query) {
    var mine = ++seq;
    query = query.trim();
    if (!query) { list.innerHTML = ""; status.textContent = "请输入要找的内容，如：赡养费、押金不退、调解室"; return; }
    status.textContent = "正在搜索……";
    load().then(function (pf) { return pf.search(query); }).then(function (res) {
      return Promise.all(res.results.slice(0, 20).map(function (r) { return r.data(); }));
    }).then(function (items) {
      if (mine !== seq) { return; }
      if (!items.length) {
        list.innerHTML = "";
        status.textContent = "没有找到“" + query + "”的相关内容。可以换个说法，或拨打 12348 免费咨询。";
        return;
      }
      status.textContent = "找到 " + items.length + " 条结果";
      list.innerHTML = items.map(function (d) {
        var kind = (d.meta && d.meta.kind) ? '<span class="pufa-result-kind">' + esc(d.meta.kind) + "</span>" : "";
        return '<li class="pufa-result"><a href="' + esc(d.url) + '">' + esc((d.meta && d.meta.title) || d.url) +
          "</a>" + kind + '<p class="pufa-result-excerpt">' + excerpt(d.excerpt) + "</p></li>";
      }).join("");
    }).catch(function () {
      status.textContent = "搜索暂时不能用，请稍后再试，或拨打 12348 咨询。";
    });
  }

  var timer = null;
  box.addEventListener("input", function () {
    clearTimeout(timer);
    timer = setTimeout(function () { run(box.value); }, 250);
  });
  var q = new URLSearchParams(location.search).get("q") || "";
  box.value = q;
  var header = document.getElementById("pufa-q");
  if (header) { header.value = q; }
  run(q);
})();
