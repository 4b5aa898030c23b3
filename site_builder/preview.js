/* Injected into every page of `pufa serve`: reload on a new build, show content errors. */
(function () {
  var seen = null;
  function show(errors, built) {
    var box = document.getElementById("pufa-preview-errors");
    if (!errors.length) { if (box) { box.remove(); } return; }
    if (!box) {
      box = document.createElement("div");
      box.id = "pufa-preview-errors";
      box.style.cssText = "position:fixed;left:0;right:0;top:0;z-index:9999;max-height:60vh;" +
        "overflow:auto;background:#b71c1c;color:#fff;padding:12px 16px;font:16px/1.6 sans-serif";
      document.body.appendChild(box);
    }
    box.innerHTML = "<b>" + (built ? "内容有问题，预览停在上一次正确的版本：" : "内容有问题，还没有生成预览：") + "</b><br>" +
      errors.map(function (e) { var d = document.createElement("div"); d.textContent = e; return d.innerHTML; }).join("<br>");
  }
  function poll() {
    fetch("/__pufa/status", { cache: "no-store" }).then(function (r) { return r.json(); }).then(function (s) {
      if (seen !== null && s.version !== seen) { location.reload(); return; }
      seen = s.version;
      show(s.errors, s.built);
    }).catch(function () {}).then(function () { setTimeout(poll, 800); });
  }
  poll();
})();
