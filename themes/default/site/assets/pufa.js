/* Reading aids for every page: 大字 (remembered), 朗读 (speech synthesis, only where a
   Chinese voice exists), 复制链接, and a hint instead of a silent failure when WeChat's
   browser blocks downloads. Pages are fully readable without this script. */
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

  var speak = document.querySelector("[data-pufa-speak]");
  var synth = window.speechSynthesis;
  function chineseVoice() {
    if (!synth || !synth.getVoices) { return null; }
    var voices = synth.getVoices() || [];
    for (var i = 0; i < voices.length; i++) {
      if (/^zh/i.test(voices[i].lang || "")) { return voices[i]; }
    }
    return null;
  }
  function offerSpeech() {
    if (speak && chineseVoice()) { speak.hidden = false; }
  }
  if (speak && synth) {
    offerSpeech();
    if (synth.addEventListener) { synth.addEventListener("voiceschanged", offerSpeech); }
    speak.addEventListener("click", function () {
      if (synth.speaking) { synth.cancel(); speak.setAttribute("aria-pressed", "false"); speak.textContent = "朗读"; return; }
      var article = document.querySelector("article");
      var text = article ? article.innerText : document.body.innerText;
      var u = new SpeechSynthesisUtterance(text);
      u.lang = "zh-CN";
      u.voice = chineseVoice();
      u.rate = 0.9;
      u.onend = function () { speak.setAttribute("aria-pressed", "false"); speak.textContent = "朗读"; };
      synth.speak(u);
      speak.setAttribute("aria-pressed", "true");
      speak.textContent = "停止朗读";
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
