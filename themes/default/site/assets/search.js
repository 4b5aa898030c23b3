/* The search page: Pagefind's JS API (Chinese segmentation), results in Chinese with the
   kind of item and a highlighted excerpt. Loaded on the search page only.

   A query is read the way residents write one (“爹走了没留遗嘱房子咋分”): question and
   filler words are dropped, everyday words and pinyin slips are read as the pages' words
   through the thesaurus (search/thesaurus.json: the project's list and
   content/thesaurus.yml), and every remaining word is searched on its own — a word the
   index does not know never empties the result. Pages are ranked by how many of the words
   they match, then by the words in their own title, then by Pagefind's score. */
(function () {
  "use strict";
  var box = document.getElementById("pufa-search-q");
  var list = document.getElementById("pufa-results");
  var status = document.getElementById("pufa-search-status");
  var help = document.getElementById("pufa-search-help");
  if (!box || !list) { return; }
  var base = box.getAttribute("data-pufa-base") || "../";
  var pagefind = null;
  var seq = 0;
  var SHOWN = 12; // results whose text is fetched and shown (one small fragment each)
  var MAX_WORDS = 10; // words of a query searched (each is one Pagefind search)

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

  // ---- The thesaurus: everyday word → the pages' words; words a query drops ----
  // (search/thesaurus.json: the project's list and content/thesaurus.yml, fetched while
  // Pagefind loads; without it the words are searched as typed.)
  var STOP = { stop: true };
  var dict = Object.create(null); // no inherited keys: a thesaurus word may be any text
  function known(w) { return Object.prototype.hasOwnProperty.call(dict, w); }
  var longest = 1;
  var thesaurus = null;
  function loadThesaurus() {
    if (!thesaurus) {
      var url = box.getAttribute("data-pufa-thesaurus");
      thesaurus = (url && window.fetch ? fetch(url).then(function (r) { return r.ok ? r.json() : {}; }) : Promise.resolve({}))
        .catch(function () { return {}; })
        .then(function (data) {
          function put(word, entry) {
            dict[word] = entry;
            longest = Math.max(longest, word.length);
          }
          (data.stop || []).forEach(function (w) { put(w, STOP); });
          (data.terms || []).forEach(function (t) { put(t, { alts: [t] }); });
          // The word as typed is searched too, at half weight unless the pages use it.
          Object.keys(data.words || {}).forEach(function (w) {
            var page = dict[w] && dict[w].alts ? 1 : 0.5;
            put(w, { alts: [w].concat(data.words[w].filter(function (t) { return t !== w; })), typed: page });
          });
        });
    }
    return thesaurus;
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
    }).replace(/第?\s*(\d+)\s*条/g, " 第 $1 条 ");
  }
  // “赡养费 法条”, “第一千零六十七条”: the query asks for articles — they are listed first.
  var LAW_WORDS = /法条|法律条文|条文/g;
  var ARTICLE = /^第 \d+ 条$/;

  var segmenter = null;
  try { segmenter = new Intl.Segmenter("zh", { granularity: "word" }); } catch (e) { segmenter = null; }
  var LETTER = /[0-9a-z\u3400-\u9fff\uf900-\ufaff]/; // no \p{…}: older WeChat browsers
  // Words of a run of text the scan left (it matches thesaurus entries of two or more
  // characters). Single characters not in the thesaurus are joined again (a name such as
  // 蓝欣 is split into 蓝|欣): Pagefind finds them whole.
  function words(run) {
    if (!segmenter) { return [run]; }
    var out = [], single = "";
    Array.from(segmenter.segment(run)).forEach(function (s) {
      var w = s.segment;
      if (known(w) || !LETTER.test(w)) {
        if (single) { out.push(single); single = ""; }
        if (known(w)) { out.push(w); }
        return;
      }
      if (w.length === 1) { single += w; return; }
      if (single) { out.push(single); single = ""; }
      out.push(w);
    });
    if (single) { out.push(single); }
    return out;
  }

  // The query as words, each with the page words it may stand for: {word, alts}. Single
  // characters left over count only when nothing else is left.
  function read(query) {
    var tokens = [], weak = [];
    var q = statuteNumbers(query.normalize ? query.normalize("NFKC") : query).toLowerCase()
      .replace(/[，。！？、；：“”‘’（）《》【】,.!?;:"'()<>\[\]{}~…·]/g, " ");
    q = q.replace(/第 \d+ 条/g, function (m) { tokens.push({ word: m, alts: [m] }); return " "; });
    var run = "";
    function add(w) {
      if (dict[w] !== STOP) { tokens.push({ word: w, alts: dict[w].alts, typed: dict[w].typed || 1 }); }
    }
    function flush() {
      if (!run) { return; }
      words(run).forEach(function (w) {
        if (known(w)) { add(w); }
        else if (w.length > 1 || /\d/.test(w)) { tokens.push({ word: w, alts: [w] }); }
        else { weak.push(w); }
      });
      run = "";
    }
    for (var i = 0; i < q.length;) {
      if (/\s/.test(q.charAt(i))) { flush(); i++; continue; }
      var hit = null;
      // Two characters or more: a one-character entry (了, 不, 爹) is applied to the
      // segmenter's words only, or it would cut words apart (不|动产, 土|地).
      for (var n = Math.min(longest, q.length - i); n >= 2 && !hit; n--) {
        if (known(q.substr(i, n))) { hit = q.substr(i, n); }
      }
      if (!hit) { run += q.charAt(i); i++; continue; }
      flush();
      add(hit);
      i += hit.length;
    }
    flush();
    var seen = {};
    tokens = tokens.filter(function (t) { var k = t.alts.join("|"); return seen[k] ? false : (seen[k] = true); });
    if (!tokens.length) {
      tokens = weak.map(function (w) { return { word: w, alts: [w] }; });
    }
    tokens = tokens.slice(0, MAX_WORDS); // a pasted page is not a query
    return tokens;
  }

  // Every word searched on its own; a page's score per word is its best alternative's
  // Pagefind score relative to that alternative's best page.
  function find(pf, tokens) {
    var alts = [];
    tokens.forEach(function (t) { t.alts.forEach(function (a) { if (alts.indexOf(a) < 0) { alts.push(a); } }); });
    return Promise.all(alts.map(function (a) { return pf.search(a); })).then(function (all) {
      var byAlt = {};
      alts.forEach(function (a, i) {
        var res = all[i].results, top = res.length ? res[0].score || 1 : 1;
        byAlt[a] = {};
        res.forEach(function (r) { byAlt[a][r.id] = { r: r, s: (r.score || 0) / top }; });
      });
      var pages = {};
      tokens.forEach(function (t, ti) {
        t.alts.forEach(function (a) {
          Object.keys(byAlt[a]).forEach(function (id) {
            var hit = byAlt[a][id];
            var p = pages[id] || (pages[id] = { r: hit.r, per: {} });
            p.per[ti] = Math.max(p.per[ti] || 0, hit.s * (a === t.word ? t.typed || 1 : 1));
          });
        });
      });
      return Object.keys(pages).map(function (id) {
        var p = pages[id], keys = Object.keys(p.per);
        p.matched = keys.length;
        p.strength = keys.reduce(function (n, k) { return n + p.per[k]; }, 0);
        return p;
      });
    });
  }

  // A word in the page's own title weighs most, the more so the more of the title it is
  // (蓝欣 → 蓝欣社区 before 蓝欣社区人民调解室).
  function titleScore(title, tokens) {
    return tokens.reduce(function (n, t) {
      var best = 0;
      t.alts.forEach(function (a) { if (title.indexOf(a) >= 0) { best = Math.max(best, 1 + a.length / title.length); } });
      return n + best;
    }, 0);
  }

  function showHelp(on) { if (help) { help.hidden = !on; } }
  function done(query) { list.setAttribute("data-pufa-query", query); }

  function render(items) {
    list.innerHTML = items.map(function (d) {
      var kind = (d.meta && d.meta.kind) ? '<span class="pufa-result-kind">' + esc(d.meta.kind) + "</span>" : "";
      return '<li class="pufa-result"><a href="' + esc(d.url) + '">' + esc((d.meta && d.meta.title) || d.url) +
        "</a>" + kind + '<p class="pufa-result-excerpt">' + excerpt(d.excerpt) + "</p></li>";
    }).join("");
  }

  function run(raw) {
    var mine = ++seq;
    var query = raw.trim();
    if (!query) {
      list.innerHTML = "";
      status.textContent = "请输入要找的内容，如：赡养费、押金不退、调解室";
      showHelp(true);
      done(query);
      return;
    }
    var wantLaw = query.search(LAW_WORDS) >= 0 || /第\s*[\d零〇一二两三四五六七八九十百千]+\s*条/.test(query);
    var tokens = [];
    status.textContent = "正在搜索……";
    Promise.all([load(), loadThesaurus()]).then(function (ready) {
      if (mine !== seq) { return []; } // typed on meanwhile: search only the newest
      tokens = read(wantLaw ? query.replace(LAW_WORDS, " ") : query);
      return tokens.length ? find(ready[0], tokens) : [];
    }).then(function (pages) {
      pages.sort(function (a, b) { return b.matched - a.matched || b.strength - a.strength; });
      var top = mine === seq ? pages.slice(0, SHOWN) : [];
      return Promise.all(top.map(function (p) { return p.r.data(); })).then(function (data) {
        return top.map(function (p, i) { p.d = data[i]; return p; });
      });
    }).then(function (pages) {
      if (mine !== seq) { return; }
      pages.forEach(function (p) {
        var title = (p.d.meta && p.d.meta.title) || "";
        var law = p.d.meta && p.d.meta.kind && p.d.meta.kind.indexOf("法条") === 0;
        // An article's title is its law's name: it tells the topic of a whole law, so it
        // counts only when articles are asked for (else the cases explaining them lead).
        p.title = law && !wantLaw ? 0 : titleScore(title, tokens);
        p.law = wantLaw && law ? 1 : 0;
        // Articles asked for by number: the words as typed, most often (赡养费, not 赡养人).
        p.often = wantLaw ? tokens.reduce(function (n, t) {
          return ARTICLE.test(t.word) ? n : n + (p.d.content || "").split(t.word).length - 1;
        }, 0) : 0;
      });
      pages.sort(function (a, b) {
        return b.law - a.law || b.matched - a.matched || b.often - a.often ||
          b.title - a.title || b.strength - a.strength;
      });
      var items = pages.map(function (p) { return p.d; });
      var best = pages.length ? pages[0].matched : 0;
      if (!items.length) {
        list.innerHTML = "";
        status.textContent = "没有找到“" + query + "”的相关内容。可以换个说法，或拨打下面的热线免费咨询。";
        showHelp(true);
      } else if (best < tokens.length) {
        render(items);
        status.textContent = "没有完全符合“" + query + "”的内容，下面是最接近的 " + items.length + " 条。也可以拨打热线问一问。";
        showHelp(true);
      } else {
        render(items);
        status.textContent = "找到 " + items.length + " 条结果";
        showHelp(false);
      }
      done(query);
    }).catch(function () {
      if (mine !== seq) { return; }
      status.textContent = "搜索暂时不能用，请稍后再试，或拨打下面的热线咨询。";
      showHelp(true);
      done(query);
    });
  }

  var timer = null;
  box.addEventListener("input", function () {
    clearTimeout(timer);
    timer = setTimeout(function () { run(box.value); }, 250);
  });
  box.addEventListener("keydown", function (event) {
    if (event.key === "Enter") { clearTimeout(timer); run(box.value); }  // the keyboard's 搜索 key
  });
  var q = new URLSearchParams(location.search).get("q") || "";
  box.value = q;
  var header = document.getElementById("pufa-q");
  if (header) { header.value = q; }
  run(q);
})();
