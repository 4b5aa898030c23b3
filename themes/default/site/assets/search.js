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

  // Statute numbers as the article pages index them: the browser splits 第一千零六十七条
  // into 第一|千|零|六|十七条, Pagefind's indexer differently, so Chinese article numbers
  // are searched in Arabic digits (第 1067 条), which both split the same way.
  var DIGIT = { "零": 0, "〇": 0, "一": 1, "二": 2, "两": 2, "三": 3, "四": 4, "五": 5, "六": 6, "七": 7, "八": 8, "九": 9 };
  var UNIT = { "十": 10, "百": 100, "千": 1000 };
  function chineseNumber(s) {
    var total = 0, digit = 0, seen = false;
    for (var i = 0; i < s.length; i++) {
      var ch = s.charAt(i);
      if (ch in DIGIT) { digit = DIGIT[ch]; seen = true; }
      else if (ch in UNIT) { total += (seen || ch !== "十" ? digit : 1) * UNIT[ch]; digit = 0; seen = false; }
      else { return null; }
    }
    return total + digit;
  }
  function statuteNumbers(q) {
    return q.replace(/第([零〇一二两三四五六七八九十百千]+)条/g, function (m, n) {
      var v = chineseNumber(n);
      return v ? " 第 " + v + " 条 " : m;
    }).replace(/第?(\d+)条/g, " 第 $1 条 ");
  }
  // “赡养费 法条”, “第一千零六十七条”: the query asks for articles — they are listed first.
  var LAW_WORDS = /法条|法律条文|条文/g;

  function run(query) {
    var mine = ++seq;
    query = query.trim();
    var wantLaw = query.search(LAW_WORDS) >= 0 || /第\s*[\d零〇一二两三四五六七八九十百千]+\s*条/.test(query);
    var searched = statuteNumbers(wantLaw ? query.replace(LAW_WORDS, " ") : query).replace(/\s+/g, " ").trim() || query;
    if (!query) { list.innerHTML = ""; status.textContent = "请输入要找的内容，如：赡养费、押金不退、调解室"; return; }
    status.textContent = "正在搜索……";
    load().then(function (pf) { return pf.search(searched); }).then(function (res) {
      return Promise.all(res.results.slice(0, 20).map(function (r) { return r.data(); }));
    }).then(function (items) {
      if (mine !== seq) { return; }
      if (wantLaw) {
        // Articles first; among them those holding the words as typed most often (赡养费,
        // not 赡养人: the segmenters match 赡养 alone), then Pagefind's order.
        var words = query.replace(LAW_WORDS, " ").split(/\s+/).filter(function (w) { return w.length > 1 && !/第|条/.test(w); });
        var rank = function (d) {
          var law = d.meta && d.meta.kind && d.meta.kind.indexOf("法条") === 0;
          var hits = words.reduce(function (n, w) { return n + (d.content || "").split(w).length - 1; }, 0);
          return (law ? 1000 : 0) + hits;
        };
        items = items.map(function (d, i) { return [rank(d), i, d]; })
          .sort(function (a, b) { return b[0] - a[0] || a[1] - b[1]; })
          .map(function (x) { return x[2]; });
      }
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
