/* Reading aids for every page: 大字 (remembered), 朗读 (the phone's Chinese voice, else
   the case's audio file, else the hotline), 复制链接, and a hint instead of a silent
   failure when WeChat's browser blocks downloads. Pages are fully readable without this
   script. */
(function () {
  "use strict";
  var root = document.documentElement;

  function setLarge(on) {
    root.classList.toggle("pufa-large", on);
    try { localStorage.setItem("pufa-large", on ? "1" : "0"); } catch (e) { /* private mode */ }
    var b = document.querySelector("[data-pufa-large]");
    if (b) { b.setAttribute("aria-pressed", on ? "true" : "false"); }
  }
  var large = document.querySelector("[data-pufa-large]");
  if (large) {
    large.hidden = false;
    large.setAttribute("aria-pressed", root.classList.contains("pufa-large") ? "true" : "false");
    large.addEventListener("click", function () { setLarge(!root.classList.contains("pufa-large")); });
  }

  var msg = document.querySelector(".pufa-tool-msg");
  function say(text) { if (msg) { msg.textContent = text; } }

  // 朗读 is always offered: the phone's Chinese voice reads the page; without one a case
  // page plays its audio file (机器朗读 made at build time, data-pufa-audio); elsewhere the
  // button shows the help line with the hotline. Never a silently missing button.
  var speak = document.querySelector("[data-pufa-speak]");
  var help = document.querySelector("template[data-pufa-speak-help]");
  var synth = window.speechSynthesis;
  var player = null;
  function chineseVoice() {
    if (!synth || !synth.getVoices) { return null; }
    var voices = synth.getVoices() || [];
    for (var i = 0; i < voices.length; i++) {
      if (/^zh/i.test(voices[i].lang || "")) { return voices[i]; }
    }
    return null;
  }
  function speaking(on) {
    speak.setAttribute("aria-pressed", on ? "true" : "false");
    speak.textContent = on ? "停止朗读" : "朗读";
  }
  var helpShown = null;
  function explain() {
    speaking(false);
    say("");
    if (!helpShown && help && help.content) {
      helpShown = help.content.firstElementChild.cloneNode(true);
      var bar = speak.parentNode;
      bar.parentNode.insertBefore(helpShown, bar.nextSibling);
    }
  }
  function play(src) {
    if (!player) {
      player = document.createElement("audio");
      player.hidden = true;
      player.preload = "auto";
      player.src = src;
      player.addEventListener("ended", function () { speaking(false); say(""); });
      player.addEventListener("error", explain);
      speak.parentNode.appendChild(player);
    }
    speaking(true);
    say("机器朗读：标题和要点");
    var started = player.play();
    if (started && started.catch) {
      started.catch(function (e) { if (!e || e.name !== "AbortError") { explain(); } });
    }
  }
  if (speak) {
    speak.hidden = false;
    chineseVoice();  // asks the browser to load its voices before the first click
    speak.addEventListener("click", function () {
      if (player && !player.paused) {
        player.pause();
        player.currentTime = 0;
        speaking(false);
        say("");
        return;
      }
      if (synth && synth.speaking) { synth.cancel(); speaking(false); return; }
      var voice = chineseVoice();
      var src = speak.getAttribute("data-pufa-audio");
      if (voice) {
        var article = document.querySelector("article");
        var text = article ? article.innerText : document.body.innerText;
        var u = new SpeechSynthesisUtterance(text);
        u.lang = "zh-CN";
        u.voice = voice;
        u.rate = 0.9;
        u.onend = function () { speaking(false); };
        synth.speak(u);
        speaking(true);
      } else if (src) {
        play(src);
      } else {
        explain();
      }
    });
  }

  var copy = document.querySelector("[data-pufa-copy]");
  if (copy) {
    copy.hidden = false;
    copy.addEventListener("click", function () {
      var url = location.href.split("#")[0];
      function fallback() { window.prompt("长按选择全部，复制这个链接：", url); }
      if (navigator.clipboard && navigator.clipboard.writeText) {
        navigator.clipboard.writeText(url).then(function () { say("链接已复制，可以粘贴到微信群"); }, fallback);
      } else { fallback(); }
    });
  }

  // Staff: copy the case as rich text for the 公众号 editor (styles are inline in it).
  var wx = document.querySelector("[data-pufa-wechat-copy]");
  if (wx && window.fetch && window.ClipboardItem && navigator.clipboard && navigator.clipboard.write) {
    wx.hidden = false;
    wx.addEventListener("click", function () {
      fetch(wx.getAttribute("data-pufa-wechat-copy")).then(function (r) { return r.text(); }).then(function (text) {
        var body = new DOMParser().parseFromString(text, "text/html").body.innerHTML;
        var item = new ClipboardItem({
          "text/html": new Blob([body], { type: "text/html" }),
          "text/plain": new Blob([document.title], { type: "text/plain" })
        });
        return navigator.clipboard.write([item]);
      }).then(function () { say("已复制，到公众号编辑器里粘贴即可"); },
              function () { say("复制没有成功，请点“打开排好版的文章”，全选后复制"); });
    });
  }

  if (/MicroMessenger/i.test(navigator.userAgent)) {
    var tip = document.querySelector("[data-pufa-wechat-tip]");
    document.addEventListener("click", function (event) {
      var a = event.target.closest ? event.target.closest("a[href]") : null;
      if (!a) { return; }
      var href = a.getAttribute("href") || "";
      if (a.hasAttribute("download") || /\.(pdf|vcf)(\?|$)/i.test(href)) {
        event.preventDefault();
        if (tip) { tip.hidden = false; tip.scrollIntoView({ block: "center" }); }
      }
    });
  }
})();

/* 扫码统计: a page opened from a printed code (…/?m=3kq7x) drops the placement tag from the
   address bar, so a link the resident copies or shares onward is not counted as a scan. */
(function () {
  "use strict";
  if (!window.history || !history.replaceState || !/(^|[?&])m=/.test(location.search.slice(1))) { return; }
  var kept = location.search.slice(1).split("&").filter(function (p) { return p.split("=")[0] !== "m"; });
  try {
    history.replaceState(history.state, "", location.pathname + (kept.length ? "?" + kept.join("&") : "") + location.hash);
  } catch (e) { /* a sandboxed frame may refuse: the tag then stays, nothing else changes */ }
})();
