"""One hostile string in every field, generated from the type declarations (issue 13).

Free-text fields (kind ``text``/``texts`` without choices or references) of every content
type and of site.yml get the string in one build: every page is opened in Chromium and
shows it as text — no dialog, no script or event handler from content, ``og:title`` equal
to the title — and the data exports (JSON-LD, sitemap, vCard, HSDS CSV, WeChat article,
posters) carry it intact. Typed fields (dates, phones, ids, choices, references, numbers)
given the same string get ``pufa check``'s exact message. A field declared later is
covered without touching this test; a new *kind* of field needs one line in the tables.
"""

from __future__ import annotations

import csv
import functools
import http.server
import json
import re
import shutil
import threading
import xml.etree.ElementTree as ET
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
import vobject
from pypdf import PdfReader

from site_builder.build import build
from site_builder.cli import main
from site_builder.content import load
from site_builder.content.fields import Spec
from site_builder.content.schema import yaml_keys
from site_builder.content.types import CONTENT_TYPES, Site
from site_builder.errors import ConfigError
from tests.conftest import EXAMPLE, ROOT, build_opts

# Starts with "=" (a CSV formula), breaks out of attributes, elements, <title>, CDATA,
# comments and JSON; carries vCard's separators and a template expression.
H = (
    "=cmd|' /C calc'!A0\"><script>alert(1)</script><img src=x onerror=alert(2)>"
    "<svg onload=alert(3)>'\"&amp;</title></textarea>]]><!--{{ 7*7 }};,\\ 案"
)
STEM = "hostile"
SITE = "site.yml"

# Text fields whose value another check reads as something else (a path, a folder).
CHECKED_TEXT = {"advisors.photo", "site.print.theme"}

# A valid value of each typed kind, for the build where only free text is hostile.
VALID = {
    "date": "2021-01-15",
    "phone": "13800000999",
    "int": 1,
    "bool": False,
    "latlng": [33.7, 113.3],
    "icp": "豫ICP备12345678号-1",
    "police_filing": "豫公网安备41040202000123号",
}

ID_MESSAGE = (
    f"id“{H}”不合规：只能用小写英文字母、数字和连字符“-”，且以字母或数字开头（如 lanxin、guo-xiao）"
)
# check's exact message for each typed kind given H (H as the only item of a list kind).
MESSAGES = {
    "date": f"日期“{H}”格式不对，应写成 年-月-日，如 2021-01-15",
    "phone": f"电话号码“{H}”格式不对：手机号为 11 位（1 开头），座机为区号加号码"
    "（如 0375-1234567），服务号码为 3 到 5 位（如 12348）",
    "int": f"应为整数（阿拉伯数字），实际是“{H}”",
    "bool": f"应为 true 或 false，实际是“{H}”",
    "latlng": "应为 [纬度, 经度]，如 [33.70, 113.33]",
    "id": ID_MESSAGE,
    "ids": "第 1 项：" + ID_MESSAGE,
    "icp": f"“{H}”不是 ICP 备案号的格式：应为 省份简称 + ICP备 + 数字 + 号，"
    "如 豫ICP备12345678号 或 豫ICP备12345678号-1",
    "police_filing": f"“{H}”不是公安备案号的格式：应为 省份简称 + 公网安备 + 14 位数字 + 号，"
    "如 豫公网安备41040202000123号",
}
CHECKED_MESSAGES = {"advisors.photo": f"找不到照片文件“{H}”"}


def is_free(s: Spec) -> bool:
    return s.kind in ("text", "texts") and not s.choices and not s.ref


def expected_message(s: Spec) -> str:
    if s.kind == "text" and s.choices:
        return f"“{H}”不是可选值，应为：{'、'.join(s.choices)}"
    return MESSAGES[s.kind]


class Writer:
    """YAML written line by line (every value JSON-quoted), remembering each key's line."""

    def __init__(self) -> None:
        self.lines: list[str] = []
        self.where: dict[str, int] = {}

    def put(self, path: str, key: str, value: Any, indent: int) -> None:
        self.where[path] = len(self.lines) + 1
        self.lines.append(f"{'  ' * indent}{key}: {json.dumps(value, ensure_ascii=False)}")

    def open(self, path: str, key: str, indent: int) -> None:
        self.where[path] = len(self.lines) + 1
        self.lines.append(f"{'  ' * indent}{key}:")


def pick_ref(s: Spec, example: Any) -> str:
    """An id that fits a reference: our own hostile item, or an example one of the role."""
    if s.ref in ("villages", "services") or (s.ref == "advisors" and "法律顾问" in s.roles):
        return STEM
    items = getattr(example, s.ref or "")
    return next(i.id for i in items.values() if not s.roles or i.role in s.roles)


def fill(
    w: Writer, cls: type, where: str, indent: int, mode: str, example: Any, typed: list[str]
) -> None:
    """Write every declared key of ``cls``. mode "free": H in free text, valid typed values;
    mode "typed": H in typed fields (their paths collected in ``typed``)."""
    for key, (_, s) in yaml_keys(cls).items():
        path = f"{where}.{key}"
        if s.kind == "struct":
            assert s.struct is not None
            w.open(path, key, indent)
            fill(w, s.struct, path, indent + 1, mode, example, typed)
            continue
        if s.kind == "map":
            w.open(path, key, indent)
            if s.struct is None:
                w.put(f"{path}.{H}", json.dumps(H, ensure_ascii=False), H, indent + 1)
            else:
                w.open(f"{path}.{H}", json.dumps(H, ensure_ascii=False), indent + 1)
                fill(w, s.struct, f"{path}.{H}", indent + 2, mode, example, typed)
            continue
        if mode == "typed":
            if is_free(s) and path not in CHECKED_TEXT:
                w.put(path, key, H if s.kind == "text" else [H], indent)
            elif path in CHECKED_MESSAGES or not is_free(s):
                w.put(path, key, [H] if s.kind in ("ids", "texts") else H, indent)
                typed.append(path)
            continue
        if path in CHECKED_TEXT or key == "id" or (s.kind == "ids" and not s.ref):
            continue  # default value (the file name as id, the default theme …)
        if is_free(s):
            w.put(path, key, H if s.kind == "text" else [H], indent)
        elif s.kind == "text":
            w.put(path, key, s.choices[0], indent)
        elif s.kind == "id":
            w.put(path, key, pick_ref(s, example), indent)
        elif s.kind == "ids":
            w.put(path, key, [pick_ref(s, example)], indent)
        elif s.kind == "int" and s.choices:
            w.put(path, key, int(s.choices[0]), indent)
        else:
            assert s.kind in VALID, f"add a valid sample of kind {s.kind!r} to VALID"
            w.put(path, key, VALID[s.kind], indent)


def write_content(root: Path, mode: str) -> dict[str, tuple[str, Writer, list[str]]]:
    """Add a hostile item of every type (and a hostile site.yml, free page) to ``root``."""
    example = load(EXAMPLE)
    files: dict[str, tuple[str, Writer, list[str]]] = {}
    for folder, cls in CONTENT_TYPES.items():
        w, typed = Writer(), []
        w.lines.append("---")
        fill(w, cls, folder, 0, mode, example, typed)
        rel = f"{folder}/{STEM}.md"
        body = f"\n{H}\n\n## {H}\n\n<p title='{H}'>{H}</p>\n"
        (root / rel).write_text("\n".join(w.lines) + "\n---\n" + body, encoding="utf-8")
        files[folder] = (rel, w, typed)
    w, typed = Writer(), []
    fill(w, Site, "site", 0, mode, example, typed)
    (root / SITE).write_text("\n".join(w.lines) + "\n", encoding="utf-8")
    files["site"] = (SITE, w, typed)
    (root / f"{STEM}.md").write_text(
        f"---\ntitle: {json.dumps(H, ensure_ascii=False)}\n---\n\n{H}\n", encoding="utf-8"
    )
    return files


# --- typed fields: check's exact messages -------------------------------------------------


def test_typed_fields_get_checks_exact_message(
    content_copy: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    files = write_content(content_copy, "typed")
    expected = []
    for folder, (rel, w, typed) in files.items():
        cls = Site if folder == "site" else CONTENT_TYPES[folder]
        for path in typed:
            key = path.split(".", 1)[1]
            s = spec_at(cls, key)
            message = CHECKED_MESSAGES.get(path) or expected_message(s)
            expected.append(f"{rel}:{w.where[path]}: {key}: {message}")
    assert len(expected) > 20  # every type has typed fields
    code = main(["check", "--content", str(content_copy)])
    err = capsys.readouterr().err
    prefix = f"{content_copy.as_posix()}/"
    lines = [line.removeprefix(prefix) for line in err.splitlines()]
    assert code == 1
    assert sorted(lines[:-1]) == sorted(expected)
    assert lines[-1] == f"发现 {len(expected)} 个问题，请按上面的提示修改后再试。"


def spec_at(cls: type, dotted: str) -> Spec:
    first, _, rest = dotted.partition(".")
    s = yaml_keys(cls)[first][1]
    if rest:
        assert s.struct is not None
        return spec_at(s.struct, rest)
    return s


def test_config_values_are_checked(content_copy: Path, tmp_path: Path) -> None:
    """site_url (mkdocs.yml) and print.theme (a folder) refuse the string before any output."""
    cfg = tmp_path / "mkdocs.yml"
    cfg.write_text(f"site_url: {json.dumps('https://pufa.example.cn/' + H)}\n", encoding="utf-8")
    opts = build_opts(content_copy, tmp_path / "site", tmp_path / "work")
    opts.config = cfg
    with pytest.raises(ConfigError) as err:
        build(opts)
    assert str(err.value) == (
        f"{cfg}：site_url“https://pufa.example.cn/{H}”里有引号：网址里不能有空格、引号或尖括号；"
        "所有二维码都由它生成"
    )
    site = content_copy / SITE
    text = site.read_text(encoding="utf-8")
    assert "  theme: default\n" in text
    site.write_text(text.replace("  theme: default\n", f"  theme: {json.dumps(H)}\n"), "utf-8")
    opts.config = ROOT / "mkdocs.yml"
    with pytest.raises(ConfigError) as err:
        build(opts)
    assert str(err.value) == (
        f"content/site.yml 的 print.theme 指定了“{H}”，但 {opts.themes}/ 下没有这个文件夹"
    )
    assert not (tmp_path / "site").exists()


# --- free text: one build, every page in Chromium ----------------------------------------


@pytest.fixture(scope="module")
def hostile_site(tmp_path_factory: pytest.TempPathFactory) -> Path:
    base = tmp_path_factory.mktemp("hostile")
    content = base / "content"
    shutil.copytree(EXAMPLE, content)
    write_content(content, "free")
    out = base / "site"
    build(build_opts(content, out, base / "work"))
    return out


@pytest.fixture(scope="module")
def hostile_url(hostile_site: Path) -> Iterator[str]:
    handler = functools.partial(_Quiet, directory=str(hostile_site))
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    yield f"http://127.0.0.1:{server.server_address[1]}/"
    server.shutdown()


class _Quiet(http.server.SimpleHTTPRequestHandler):
    def log_message(self, *args: object) -> None:
        pass


# What each hostile page's title is (og:title, <h1>).
TITLES = {
    "": H,
    "cases/hostile/": H,
    "villages/hostile/": H,
    "advisors/hostile/": f"{H}（法律顾问）",
    "services/hostile/": H,
    "hostile/": H,
}

PAGE_FACTS = """() => {
  const og = document.querySelector('meta[property="og:title"]');
  const desc = document.querySelector('meta[name="description"]');
  const body = document.querySelector('meta[data-pagefind-meta="kind[content]"]');
  const ld = [...document.querySelectorAll('script[type="application/ld+json"]')];
  const handlers = [...document.querySelectorAll('*')].flatMap(e =>
    [...e.attributes].filter(a => a.name.startsWith('on')).map(a => e.tagName + ' ' + a.name));
  const scripts = [...document.scripts].filter(s =>
    /alert|calc/.test(s.textContent) && s.type !== 'application/ld+json'
    || (s.src && !s.src.startsWith(location.origin)));
  return {
    title: document.title,
    og: og && og.getAttribute('content'),
    description: desc && desc.getAttribute('content'),
    kind: body && body.getAttribute('content'),
    h1: [...document.querySelectorAll('article h1, body > section h1')].map(h => h.textContent.trim()),
    ld: ld.map(s => JSON.parse(s.textContent)),
    handlers, scripts: scripts.length,
    text: document.body.innerText,
    footer: (document.querySelector('.pufa-footer') || {innerText: ''}).innerText,
  };
}"""


def pages_of(site: Path) -> list[str]:
    urls = [
        str(p.relative_to(site)).removesuffix("index.html")
        for p in site.rglob("*.html")
        if "print" not in p.parts and "pagefind" not in p.parts
    ]
    return sorted(u for u in urls)


def test_every_page_shows_the_string_as_text(
    phone_page: Any, hostile_site: Path, hostile_url: str
) -> None:
    page = phone_page
    dialogs: list[str] = []
    page.on("dialog", lambda d: (dialogs.append(f"{page.url}: {d.message}"), d.dismiss()))
    urls = pages_of(hostile_site)
    assert len(urls) > 90
    seen: dict[str, dict[str, Any]] = {}
    for url in urls:
        page.goto(hostile_url + url)
        facts = page.evaluate(PAGE_FACTS)
        assert facts["handlers"] == [], url
        assert facts["scripts"] == 0, url
        seen[url] = facts
        if url.endswith(".html"):
            continue  # 404, WeChat articles, redirects: their own <title>
        assert facts["og"], url
        assert facts["title"] in (H, f"{facts['og']} - {H}"), url
        assert H in facts["footer"], url  # 主办 (org) is the hostile string
    # Search results (Pagefind's titles and excerpts of the hostile pages) stay text too.
    page.goto(hostile_url + "search/?q=calc")
    page.wait_for_function(
        "document.getElementById('pufa-search-status').textContent.indexOf('正在') < 0",
        timeout=15000,
    )
    results = page.evaluate(PAGE_FACTS)
    assert results["handlers"] == [] and results["scripts"] == 0
    found = page.eval_on_selector_all(
        "#pufa-results li",
        "ls => ls.map(l => [l.querySelector('a').textContent,"
        " (l.querySelector('.pufa-result-kind') || {}).textContent])",
    )
    assert [H, f"案例 · {H}"] in found, found
    assert page.query_selector("#pufa-results mark") is not None  # highlights kept
    assert dialogs == []
    for url, title in TITLES.items():
        facts = seen[url]
        assert facts["og"] == title, url
        assert H in facts["text"], url  # shown as text
    case = seen["cases/hostile/"]
    assert case["description"] == H and case["h1"] == [H]
    assert case["kind"] == f"案例 · {H}"
    assert case["ld"][0]["headline"] == H and case["ld"][0]["citation"] == [H]
    assert seen["advisors/hostile/"]["ld"][0]["name"] == H
    assert seen["services/hostile/"]["ld"][0]["address"]["streetAddress"] == H
    assert H in seen["cases/hostile/wechat.html"]["text"]
    missing = seen["404.html"]
    assert "没有找到这个页面" in missing["text"] and "公共法律服务热线" in missing["text"]
    assert missing["title"] == f"没有找到这个页面 - {H}"


def test_exports_carry_the_string_intact(hostile_site: Path) -> None:
    ET.parse(hostile_site / "sitemap.xml")  # well-formed XML
    card = vobject.readOne(
        (hostile_site / "advisors/hostile/hostile.vcf").read_bytes().decode("utf-8")
    )
    assert card.fn.value == H
    assert (card.n.value.family, card.n.value.given) == ("", H)  # not cut at a "surname"
    assert card.org.value == [H]
    data = hostile_site / "data"
    services = list(csv.DictReader((data / "services.csv").open(encoding="utf-8")))
    assert "'" + H in {r["name"] for r in services}  # a formula cell starts with '
    for table in data.glob("*.csv"):
        for row in csv.reader(table.open(encoding="utf-8")):
            for cell in row:
                assert not re.match(r"[=+@\t\r]|-(?!\d+(\.\d+)?$)", cell), (table.name, cell)
    json.loads((data / "datapackage.json").read_text(encoding="utf-8"))
    poster = hostile_site / "print" / "case-poster" / "hostile.pdf"
    text = re.sub(r"\s+", "", "".join(p.extract_text() for p in PdfReader(poster).pages))
    assert "<script>alert(1)</script>" in text
