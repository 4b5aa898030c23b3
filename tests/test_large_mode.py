"""大字 meets the numbers of China's 适老化 rules, measured in Chromium on every page type.

MIIT's 《互联网网站适老化通用设计规范》 and its app companion ask, for the elderly mode: body
text ≥ 18 px and the largest text ≥ 30 px, touch targets ≥ 60 × 60 px, text contrast ≥ 4.5:1,
and a visible focus indicator. One browser context visits the home, case, village, person,
service, listing, group, law-article and search (results loaded) pages at phone width
(390 px), and the case page at 1280 px, each in the normal mode and in 大字, and measures
every visible element with one script per page (``MEASURE``):

* **Text**: every element with a non-blank text node of its own, and every input (its value
  or placeholder), that is rendered: ``checkVisibility`` with opacity and visibility, a
  non-empty box, not off-screen to the left or right (the closed drawer), not in a
  screen-reader-only box (``.pufa-visually-hidden``). In 大字 each is ≥ 18 px and each
  page's largest is ≥ 30 px (its h1); in the normal mode each is ≥ 16 px (Material's
  12.8 px details summaries, footer and direction labels are raised in both modes).
  Contrast ≥ 4.5:1 in both modes: the computed colour (times the opacity of the element
  and its ancestors; the placeholder's colour for an empty input) over the composited
  background colours of the ancestors.
* **Targets**: every visible control (button, input, select, textarea, summary, an element
  with a tabindex, a label that looks clickable — ``cursor: pointer``; Material's sidebar
  titles are labels but plain headings on a wide screen) and every stand-alone link is
  ≥ 60 × 60 px in 大字 and ≥ 44 × 44 px in the normal mode (getBoundingClientRect). A link
  is exempt as "inside a sentence" only when it is laid out inline, has no background or
  border of its own (it does not look like a button), and its line has other words beside
  it (text of the same block outside the link; the separators · 、 ， , | › / ： : do not
  count). So list, card, menu, breadcrumb, tel and download links are all measured.
* **Focus**: every visible focusable element, focused by script after a key press (Chromium
  then matches ``:focus-visible``), draws an outline ≥ 2 px whose colour has ≥ 3:1 contrast
  with the background around it (its parent's composited background: the ring is offset).
* **Tab order** (second test): at phone width the whole Tab order of the case page, in
  both modes, reaches only elements that are rendered and on screen, none inside the
  closed drawer (Material's ``md-sidebar--primary``); the menu button opens the drawer from
  the keyboard (Enter), and the open drawer's links are visible, focusable and measured.

A failure lists each element as ``page mode width: what size < limit: selector “text”``.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest

PAGES = [
    "",
    "cases/lease-deposit/",
    "villages/lanxin/",
    "advisors/guo-xiao/",
    "services/quzhongxin/",
    "cases/",
    "services/type/sifasuo/",
    "laws/minfadian/733/",
    "search/?q=押金",
]

#: One script per page and mode: returns every failure with a readable description.
MEASURE = r"""
({large, minText, minBig, minTarget, within}) => {
  const vw = document.documentElement.clientWidth;
  const scope = within ? document.querySelector(within) : document.body;
  const parse = (s) => {
    const m = s.match(/rgba?\(([^)]+)\)/);
    if (!m) return [0, 0, 0, 0];
    const p = m[1].split(/[ ,\/]+/).filter(Boolean).map(Number);
    return [p[0], p[1], p[2], p.length > 3 ? p[3] : 1];
  };
  const over = (top, bottom) => {
    const a = top[3];
    return [0, 1, 2].map((i) => top[i] * a + bottom[i] * (1 - a)).concat([1]);
  };
  const background = (el) => {
    const layers = [];
    for (let e = el; e && e.nodeType === 1; e = e.parentElement) {
      const c = parse(getComputedStyle(e).backgroundColor);
      if (c[3] > 0) { layers.push(c); if (c[3] >= 1) break; }
    }
    let out = [255, 255, 255, 1];
    for (let i = layers.length - 1; i >= 0; i--) out = over(layers[i], out);
    return out;
  };
  const opacity = (el) => {
    let o = 1;
    for (let e = el; e && e.nodeType === 1; e = e.parentElement) o *= parseFloat(getComputedStyle(e).opacity);
    return o;
  };
  const lum = (c) => {
    const f = (v) => { v /= 255; return v <= 0.03928 ? v / 12.92 : Math.pow((v + 0.055) / 1.055, 2.4); };
    return 0.2126 * f(c[0]) + 0.7152 * f(c[1]) + 0.0722 * f(c[2]);
  };
  const contrast = (a, b) => {
    const x = lum(a), y = lum(b);
    return (Math.max(x, y) + 0.05) / (Math.min(x, y) + 0.05);
  };
  const name = (el) => {
    let s = el.tagName.toLowerCase();
    if (el.id) s += "#" + el.id;
    if (el.classList.length) s += "." + [...el.classList].join(".");
    const parent = el.parentElement;
    if (parent && !el.id) s = (parent.classList.length ? "." + parent.classList[0] : parent.tagName.toLowerCase()) + " > " + s;
    return s;
  };
  const label = (el) => (el.innerText || el.value || el.placeholder || el.getAttribute("aria-label") || "").trim().replace(/\s+/g, " ").slice(0, 24);
  const shown = (el) => {
    if (!scope.contains(el)) return false;
    if (!el.checkVisibility({opacityProperty: true, visibilityProperty: true})) return false;
    if (el.closest(".pufa-visually-hidden")) return false;
    const r = el.getBoundingClientRect();
    return r.width > 0 && r.height > 0 && r.right > 0 && r.left < vw;
  };
  const inline = (el) => getComputedStyle(el).display.startsWith("inline");
  const problems = [];
  const stats = {texts: 0, targets: 0, focusable: 0, smallestText: 1e9, largestText: 0,
                 smallestTarget: [1e9, 1e9], lowestContrast: 1e9, lowestRing: 1e9};

  // --- text ---------------------------------------------------------------------------
  const textEls = new Set();
  const walker = document.createTreeWalker(document.body, NodeFilter.SHOW_TEXT);
  for (let n = walker.nextNode(); n; n = walker.nextNode()) {
    if (!n.data.trim()) continue;
    const el = n.parentElement;
    if (!el || el.closest("script, style, noscript, svg, template")) continue;
    textEls.add(el);
  }
  for (const el of document.querySelectorAll("input:not([type=hidden]):not(.md-toggle), select, textarea")) textEls.add(el);
  for (const el of textEls) {
    if (!shown(el)) continue;
    const s = getComputedStyle(el);
    const size = parseFloat(s.fontSize);
    stats.texts++;
    stats.smallestText = Math.min(stats.smallestText, size);
    stats.largestText = Math.max(stats.largestText, size);
    if (size < minText) problems.push(`text ${size}px < ${minText}: ${name(el)} “${label(el)}”`);
    let fg = parse(s.color);
    if (el.matches("input, textarea") && !el.value) fg = parse(getComputedStyle(el, "::placeholder").color);
    const bg = background(el);
    fg = over([fg[0], fg[1], fg[2], fg[3] * opacity(el)], bg);
    const c = contrast(fg, bg);
    if (c < stats.lowestContrast) { stats.lowestContrast = c; stats.lowestContrastAt = name(el); }
    if (c < 4.5) problems.push(`contrast ${c.toFixed(2)} < 4.5: ${name(el)} “${label(el)}” ${s.color} on rgb(${bg.slice(0, 3).map(Math.round)})`);
  }
  if (large && stats.largestText < minBig) problems.push(`largest text ${stats.largestText}px < ${minBig}`);

  // --- targets ------------------------------------------------------------------------
  const SEP = /[\s·、，,|›\/：:]/g;
  const wordsBeside = (a) => {
    let block = a.parentElement;
    while (block && inline(block)) block = block.parentElement;
    if (!block) return false;
    const w = document.createTreeWalker(block, NodeFilter.SHOW_TEXT);
    for (let n = w.nextNode(); n; n = w.nextNode()) {
      if (a.contains(n) || !n.data.replace(SEP, "")) continue;
      let inLine = true;
      for (let e = n.parentElement; e && e !== block; e = e.parentElement) if (!inline(e)) { inLine = false; break; }
      if (inLine && n.parentElement.checkVisibility()) return true;
    }
    return false;
  };
  const looksLikeButton = (el) => {
    const s = getComputedStyle(el);
    return parse(s.backgroundColor)[3] > 0 || parseFloat(s.borderTopWidth) > 0 || parseFloat(s.borderBottomWidth) > 0;
  };
  const controls = "button, input:not([type=hidden]), select, textarea, summary, label[for], [tabindex]:not([tabindex='-1'])";
  for (const el of document.querySelectorAll("a[href], " + controls)) {
    if (!shown(el)) continue;
    if (el.matches("a") && !el.matches(controls) && inline(el) && !looksLikeButton(el) && wordsBeside(el)) continue;
    if (el.matches("label:not([tabindex])") && getComputedStyle(el).cursor !== "pointer") continue;
    const r = el.getBoundingClientRect();
    stats.targets++;
    if (r.width * r.height < stats.smallestTarget[0] * stats.smallestTarget[1]) stats.smallestTarget = [r.width, r.height];
    if (r.width < minTarget - 0.5 || r.height < minTarget - 0.5)
      problems.push(`target ${r.width.toFixed(0)}×${r.height.toFixed(0)} < ${minTarget}: ${name(el)} “${label(el)}”`);
  }

  // --- focus ring (the caller pressed a key first: programmatic focus is then :focus-visible)
  const focusable = "a[href], button, input:not([type=hidden]), select, textarea, summary, [tabindex]:not([tabindex='-1'])";
  const y = scrollY;
  for (const el of document.querySelectorAll(focusable)) {
    if (!shown(el) || el.disabled) continue;
    el.focus({preventScroll: true});
    if (document.activeElement !== el) { problems.push(`not focusable: ${name(el)} “${label(el)}”`); continue; }
    stats.focusable++;
    const s = getComputedStyle(el);
    const width = s.outlineStyle === "none" ? 0 : parseFloat(s.outlineWidth);
    const ring = parse(s.outlineColor);
    const around = background(el.parentElement);
    const c = contrast(over(ring, around), around);
    if (width < 2 || c < 3) {
      problems.push(`focus ring ${width}px ${s.outlineStyle} ${s.outlineColor} contrast ${c.toFixed(2)}: ${name(el)} “${label(el)}”`);
    }
    if (width >= 2) stats.lowestRing = Math.min(stats.lowestRing, c);
  }
  document.activeElement && document.activeElement.blur();
  scrollTo(0, y);
  return {problems, stats};
}
"""


PHONE = {"width": 390, "height": 844}
DESKTOP = {"width": 1280, "height": 900}
CASE = "cases/lease-deposit/"
LIMITS = {False: {"minText": 16, "minTarget": 44}, True: {"minText": 18, "minTarget": 60}}


@pytest.fixture(scope="module")
def large_context(browser: Any) -> Iterator[Any]:
    """The one browser context of this file (a context per test would cost seconds)."""
    context = browser.new_context(viewport=PHONE, locale="zh-CN")
    yield context
    context.close()


def _mode(page: Any, base: str, large: bool) -> None:
    """Set 大字 the way the button remembers it (localStorage, read before first paint)."""
    page.goto(base + "404.html")
    page.evaluate(f"localStorage.setItem('pufa-large', '{1 if large else 0}')")


def _open(page: Any, url: str, large: bool) -> None:
    page.goto(url)
    if "search/" in url:
        page.wait_for_selector("#pufa-results li", timeout=15000)
    on = page.evaluate("document.documentElement.classList.contains('pufa-large')")
    assert on == large, url


def _measure(page: Any, large: bool, within: str | None = None) -> dict[str, Any]:
    page.keyboard.press("Shift")  # keyboard modality: focus() from the script is :focus-visible
    args = {"large": large, "minBig": 0 if within else 30, "within": within, **LIMITS[large]}
    result: dict[str, Any] = page.evaluate(MEASURE, args)
    return result


def _mode_name(large: bool) -> str:
    return "大字" if large else "normal"


def _summary(stats: list[dict[str, Any]]) -> dict[str, Any]:
    """The numbers of one mode over all its pages (printed; ``pytest -s`` shows them)."""
    return {
        "pages": len(stats),
        "texts": sum(s["texts"] for s in stats),
        "targets": sum(s["targets"] for s in stats),
        "focusable": sum(s["focusable"] for s in stats),
        "smallest_text_px": min(s["smallestText"] for s in stats),
        "smallest_largest_text_px": min(s["largestText"] for s in stats),
        "smallest_target_side_px": round(min(min(s["smallestTarget"]) for s in stats), 1),
        "lowest_text_contrast": round(min(s["lowestContrast"] for s in stats), 2),
        "lowest_ring_contrast": round(min(s["lowestRing"] for s in stats), 2),
    }


def test_every_page_type_meets_the_numbers_in_both_modes(
    large_context: Any, served_site: str
) -> None:
    page = large_context.new_page()
    problems: list[str] = []
    numbers = {}
    for large in (False, True):
        _mode(page, served_site, large)
        stats = []
        for url, viewport in [(url, PHONE) for url in PAGES] + [(CASE, DESKTOP)]:
            page.set_viewport_size(viewport)
            _open(page, served_site + url, large)
            r = _measure(page, large)
            where = f"/{url} {_mode_name(large)} {viewport['width']}px"
            problems += [f"{where}: {p}" for p in r["problems"]]
            stats.append(r["stats"])
        # Wide screens have no menu button: Material's sidebar is always shown there.
        assert page.locator(".md-header__button[for=__drawer]").is_hidden()
        page.set_viewport_size(PHONE)
        numbers[large] = _summary(stats)
        print(_mode_name(large), numbers[large])
    page.close()
    assert problems == [], "\n".join(problems)
    assert numbers[True]["smallest_text_px"] >= 18
    assert numbers[True]["smallest_largest_text_px"] >= 30  # every page's h1
    assert numbers[True]["smallest_target_side_px"] >= 60


TAB_STEP = """() => {
  const el = document.activeElement, r = el.getBoundingClientRect();
  return {what: el.tagName + '.' + [...el.classList].join('.') + ' “' +
                (el.innerText || el.placeholder || el.getAttribute('aria-label') || '').trim().slice(0, 16) + '”',
          drawer: !!el.closest('.md-sidebar--primary'),
          shown: el === document.body || (el.checkVisibility({opacityProperty: true, visibilityProperty: true})
                 && r.width > 0 && r.left >= 0 && r.right <= innerWidth + 1
                 && r.bottom > 0 && r.top < innerHeight)};
}"""


def test_the_closed_menu_is_out_of_the_tab_order(large_context: Any, served_site: str) -> None:
    page = large_context.new_page()
    for large in (False, True):
        _mode(page, served_site, large)
        _open(page, served_site + CASE, large)
        steps = []
        for _ in range(80):  # the whole Tab order of the page, until focus leaves the page
            page.keyboard.press("Tab")
            step = page.evaluate(TAB_STEP)
            if not step["shown"]:  # Material fades the skip link in (a 250 ms transition)
                page.wait_for_timeout(300)
                step = page.evaluate(TAB_STEP)
            if step["what"].startswith("BODY") or (steps and step == steps[0]):
                break
            steps.append(step)
        assert len(steps) >= 10, steps
        bad = [s["what"] for s in steps if s["drawer"] or not s["shown"]]
        assert bad == [], f"{_mode_name(large)}: Tab reached {bad}"
        # Opened from the keyboard (Enter on the menu button), the drawer works and measures.
        page.keyboard.press("Shift")
        page.focus(".md-header__button[for=__drawer]")
        page.keyboard.press("Enter")
        page.wait_for_function(
            "document.getElementById('__drawer').checked && "
            "document.querySelector('.md-sidebar--primary').getBoundingClientRect().left >= 0"
        )
        links = page.locator(".md-sidebar--primary a.md-nav__link")
        assert links.count() >= 5 and links.first.is_visible()
        links.nth(1).focus()
        assert page.evaluate("document.activeElement.closest('.md-sidebar--primary') !== null")
        r = _measure(page, large, within=".md-sidebar--primary")
        assert r["problems"] == [], "\n".join(r["problems"])
        assert r["stats"]["targets"] >= 6
    page.close()
