"""The 工作台's pages and JSON endpoints (mounted under ``/__pufa/`` by ``app.py``)."""

from __future__ import annotations

import collections
import html
import json
import re
import secrets
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import jinja2
from starlette.requests import Request
from starlette.responses import (
    FileResponse,
    HTMLResponse,
    JSONResponse,
    RedirectResponse,
    Response,
)
from starlette.routing import Route

from ..build import BuildOptions
from ..content import Content, newfile
from ..content.codec import (
    DELETE,
    CodecError,
    edit_yaml,
    head_data,
    new_text,
    plain,
    set_body,
    set_keys,
    split,
    write,
    yaml_data,
)
from ..content.fields import Spec
from ..content.schema import yaml_keys
from ..content.types import Entry
from ..errors import Problem
from ..pages.mkdocs_site import read_project_config
from ..safefs import os_reason
from .auth import actor, current
from .builder import Builder
from .forms import all_paths, field_of, fields_for, parse_form
from .history import History, what
from .index import TYPE_LABELS, Item, read_item, scan, version
from .paste import html_to_markdown
from .paths import FOLDERS, PAGES, SITE, PathRefused, inside, item_rel
from .photos import PhotoRefused, save_photo
from .previews import markdown_html, page_document, page_markdown, render_preview
from .publisher import NoTarget, Published, Publisher, publish_options
from .security import CSRF_FIELD, CSRF_HEADER, token_ok
from .store import STALE, Store, problem_dict, type_of

NEW_KIND = {
    "cases": "case",
    "villages": "village",
    "advisors": "advisor",
    "services": "service",
    "rules": "rules",
}
COMMON_KEYS = set(yaml_keys(Entry))
STATUS = ("草稿", "有问题", "未生成", "已生成", "已发布")
_PNG = re.compile(r"[0-9a-f]{24}-\d{1,2}\.png")


@dataclass
class Workbench:
    """Everything the routes share."""

    store: Store
    build_opts: BuildOptions  # the full build of the 生成网站 button
    preview_site: Path  # the live preview's output (page shells)
    csrf: str
    origin: str
    builder: Builder = field(init=False)
    publisher: Publisher = field(init=False)
    published: Published = field(init=False)
    history: History = field(init=False)
    frames: collections.OrderedDict[str, str] = field(default_factory=collections.OrderedDict)
    env: jinja2.Environment = field(init=False)

    def __post_init__(self) -> None:
        self.builder = Builder(self.build_opts)
        self.publisher = Publisher(self.build_opts, self.store.state)
        self.published = Published(self.store.state)
        self.history = History(self.store.root)
        self.env = jinja2.Environment(
            loader=jinja2.PackageLoader("site_builder.workbench", "templates"),
            autoescape=True,
            trim_blocks=True,
            lstrip_blocks=True,
            undefined=jinja2.StrictUndefined,
        )

    @property
    def root(self) -> Path:
        return self.store.root

    def page(self, template: str, status: int = 200, **ctx: Any) -> HTMLResponse:
        me = current.get()
        html = self.env.get_template(template).render(
            csrf=me.csrf if me else "", me=me, labels=TYPE_LABELS, folders=FOLDERS, **ctx
        )
        return HTMLResponse(html, status, headers=_headers())

    def site_url(self) -> str:
        return str(read_project_config(self.build_opts.config)["site_url"])


def _headers() -> dict[str, str]:
    return {
        "Cache-Control": "no-store",
        "Content-Security-Policy": (
            "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; "
            "frame-src 'self'; object-src 'none'; base-uri 'none'; form-action 'self'; "
            "frame-ancestors 'none'"
        ),
    }


def _json(data: Any, status: int = 200) -> JSONResponse:
    return JSONResponse(data, status, headers={"Cache-Control": "no-store"})


def refused(message: str, status: int = 400) -> JSONResponse:
    return _json({"status": "refused", "message": message}, status)


async def _form(request: Request, wb: Workbench) -> Any:
    """The posted form, or None when the CSRF token is missing or wrong."""
    form = await request.form(max_files=2, max_fields=2000, max_part_size=12_000_000)
    given = request.headers.get(CSRF_HEADER) or form.get(CSRF_FIELD)
    me = current.get()
    expected = me.csrf if me else ""
    return form if token_ok(expected, given if isinstance(given, str) else None) else None


NO_TOKEN = "这个请求没有有效的安全令牌（请刷新工作台页面后再试）"


# --- options of reference pickers ------------------------------------------------------


def options_for(wb: Workbench, items: dict[str, list[Item]]) -> Any:
    def options(s: Spec) -> list[tuple[str, str]]:
        out = []
        for item in items.get(s.ref or "", []):
            role = item.data.get("role")
            if s.roles and role not in s.roles:
                continue
            label = f"{item.label} · {role}" if role else item.label
            out.append((item.id, label))
        return out

    return options


# --- lists ----------------------------------------------------------------------------------


def _built_at(wb: Workbench) -> float:
    marker = wb.build_opts.out / ".pufa-site"
    try:
        return marker.stat().st_mtime
    except OSError:
        return 0.0


def _status(
    wb: Workbench, item: Item, waiting: set[str], built_at: float, published: dict[str, str]
) -> str:
    if item.id in waiting:
        return "有问题"
    if item.draft:
        return "草稿"
    rel = f"{item.url}index.html"
    page = wb.build_opts.out / rel
    if built_at and item.mtime <= built_at and page.is_file():
        if published and wb.published.same(wb.build_opts.out, rel, published):
            return "已发布"  # the page file the last publish from here sent
        return "已生成"
    return "未生成"


async def list_page(request: Request) -> Response:
    wb: Workbench = request.app.state.wb
    folder = request.path_params["folder"]
    if folder not in FOLDERS:
        return wb.page("message.html.j2", 404, title="找不到", message="没有这类内容")
    q = str(request.query_params.get("q", "")).strip()
    want = str(request.query_params.get("status", ""))
    items = scan(wb.root)
    waiting_ids = wb.store.all_waiting()
    _, problems = Store.problems_of(wb.root)
    counts: dict[str, int] = {}
    for p in problems:
        if not p.warning:
            counts[p.path] = counts.get(p.path, 0) + 1
    built_at = _built_at(wb)
    published = wb.published.files()
    rows = []
    listed = list(items[folder])
    known = {i.id for i in listed}
    for ident in waiting_ids.get(folder, []):  # new items that wait: no content file yet
        if ident not in known:
            w = wb.store.waiting(folder, ident)
            label = ident
            if w:
                try:
                    data = plain(head_data(w.text))
                    label = str(data.get("title") or data.get("name") or ident)
                except CodecError:
                    pass
            listed.append(Item(folder, ident, item_rel(folder, ident), label))
    for item in listed:
        status = _status(wb, item, set(waiting_ids.get(folder, [])), built_at, published)
        n = counts.get(item.rel, 0)
        if q and q.lower() not in f"{item.label} {item.id}".lower():
            continue
        if want and want != status:
            continue
        rows.append({"item": item, "status": status, "problems": n})
    tallies = {
        f: (
            len(items[f]),
            sum(1 for i in items[f] if counts.get(i.rel)) + len(waiting_ids.get(f, [])),
        )
        for f in FOLDERS
    }
    return wb.page(
        "list.html.j2",
        title=TYPE_LABELS[folder],
        folder=folder,
        rows=rows,
        q=q,
        want=want,
        statuses=STATUS,
        tallies=tallies,
        site_problems=counts.get("site.yml", 0),
    )


# --- the edit form ----------------------------------------------------------------------------


def _form_context(wb: Workbench, folder: str, ident: str, is_new: bool) -> dict[str, Any]:
    cls = type_of(folder)
    items = scan(wb.root)
    text, ver = (None, "") if is_new else wb.store.current(folder, ident)
    waiting = None if is_new else wb.store.waiting(folder, ident)
    shown = waiting.text if waiting else text
    data: dict[str, Any] = {}
    body = ""
    broken = ""
    if shown is not None:
        try:
            if folder == SITE:
                data = plain(yaml_data(shown))
            else:
                data = plain(head_data(shown))
                body = split(shown).body
        except CodecError as exc:
            broken = str(exc)
    elif is_new and folder in NEW_KIND:
        body = _new_body(folder)
    fields = fields_for(cls, data, options_for(wb, items))
    problems = []
    if waiting:
        problems = waiting.problems
    elif not is_new:
        rel = item_rel(folder, ident)
        _, all_problems = Store.problems_of(wb.root)
        problems = [problem_dict(p) for p in all_problems if p.path == rel]
    paths = all_paths(fields)
    for p in problems:
        p["field"] = field_of(str(p["key"]), paths)
    return {
        "folder": folder,
        "ident": ident,
        "is_new": is_new,
        # The type's own keys first, then the keys every file may carry (draft, renamed_from).
        "fields": [f for f in fields if f.key not in COMMON_KEYS]
        + [f for f in fields if f.key in COMMON_KEYS and f.key != "id"],
        "id_field": next((f for f in fields if f.key == "id"), None),
        "body": body,
        "has_body": folder != SITE,
        "version": ver,
        "waiting": waiting,
        "problems": problems,
        "broken": broken,
        "raw": shown or "",
        "title": ("新建" if is_new else "编辑")
        + ("网站设置" if folder == SITE else TYPE_LABELS[folder]),
        "can_print": folder in ("cases", "rules", "villages", "advisors"),
        "review": None if is_new or text is None else _review_of(wb, folder, ident),
        "can_page": folder != SITE,
    }


def _review_of(wb: Workbench, folder: str, ident: str) -> Any:
    from .reviewing import file_review

    wb.history.sweep()
    return file_review(wb.root, wb.store.state, wb.history, item_rel(folder, ident))


def _new_body(folder: str) -> str:
    """The body `pufa new` starts a file of this folder with."""
    try:
        from ..content import registry

        return str(registry.by_folder()[folder].new_body)
    except (ImportError, KeyError, AttributeError):
        bodies = getattr(newfile, "BODIES", {})
        return str(bodies.get(NEW_KIND.get(folder, ""), ""))


async def edit_page(request: Request) -> Response:
    wb: Workbench = request.app.state.wb
    folder, ident = request.path_params["folder"], request.path_params["ident"]
    try:
        is_new = ident == "new"
        if not is_new:
            path = inside(wb.root, item_rel(folder, ident))
            if not path.is_file() and wb.store.waiting(folder, ident) is None:
                return wb.page("message.html.j2", 404, title="找不到", message="找不到这个文件")
        elif folder not in FOLDERS:
            raise PathRefused("没有这类内容")
        ctx = _form_context(wb, folder, ident, is_new)
    except PathRefused as exc:
        return wb.page("message.html.j2", 403, title="拒绝访问", message=str(exc))
    return wb.page("edit.html.j2", **ctx)


async def site_page(request: Request) -> Response:
    wb: Workbench = request.app.state.wb
    return wb.page("edit.html.j2", **_form_context(wb, SITE, SITE, False))


# --- composing a file from a posted form --------------------------------------------------


@dataclass
class Proposal:
    folder: str
    ident: str  # the id the file will have
    old: str | None  # the id it had, if it is being renamed
    text: str
    base: str


def compose(wb: Workbench, folder: str, ident: str, form: Any) -> Proposal:
    """The file text a posted form asks for (not written)."""
    cls = type_of(folder)
    values = parse_form(cls, form)
    base = str(form.get("version") or "")
    if folder == SITE:
        return Proposal(SITE, SITE, None, _site_text(wb, values), base)
    body = str(form.get("body") or "").replace("\r\n", "\n")
    wanted = str(form.get("new_id") or "").strip()
    values.pop("id", None)
    is_new = ident == "new"
    old = None
    if is_new:
        label_key = "title" if "title" in values else "name"
        label = values.get(label_key)
        if folder == "rules" and isinstance(values.get("village"), str):
            label = values["village"]
        target = wanted or wb.store.new_id(folder, str(label) if isinstance(label, str) else "new")
        if folder == "rules" and not wanted and isinstance(values.get("village"), str):
            target = str(values["village"])
        item_rel(folder, target)
        text = new_text({k: v for k, v in values.items() if v is not DELETE}, body)
        return Proposal(folder, target, None, text, "")
    current = wb.store.current(folder, ident)[0]
    if current is None:
        w = wb.store.waiting(folder, ident)
        current = w.text if w else None
    if wanted and wanted != ident:
        item_rel(folder, wanted)
        old = ident
        earlier = values.get("renamed_from")
        earlier = list(earlier) if isinstance(earlier, list) else []
        if ident not in earlier:
            earlier.append(ident)
        values["renamed_from"] = earlier
    fresh = new_text({k: v for k, v in values.items() if v is not DELETE}, body)
    try:
        edited = set_body(set_keys(current, values), body) if current else fresh
    except CodecError:  # a head that does not parse: the form writes it anew
        edited = fresh
    return Proposal(folder, wanted or ident, old, edited, base)


def _site_text(wb: Workbench, values: dict[str, Any]) -> str:
    current = wb.store.current(SITE, SITE)[0]
    try:
        return edit_yaml(current or "", values)
    except CodecError:
        return edit_yaml("", values)


def _problems_json(
    problems: list[Problem], rel: str, fields_paths: set[str]
) -> list[dict[str, Any]]:
    out = []
    for p in problems:
        d = problem_dict(p)
        d["field"] = field_of(p.key, fields_paths) if p.path == rel else ""
        d["text"] = str(p)
        out.append(d)
    return out


async def save(request: Request) -> Response:
    wb: Workbench = request.app.state.wb
    form = await _form(request, wb)
    if form is None:
        return refused(NO_TOKEN, 403)
    folder, ident = request.path_params["folder"], request.path_params["ident"]
    if folder == SITE and not actor().can("admin"):
        return refused("只有管理员可以修改网站设置", 403)
    try:
        existed = ident != "new" and wb.store.current(folder, ident)[0] is not None
        prop = compose(wb, folder, ident, form)
        if (
            prop.old is None
            and ident == "new"
            and wb.store.current(folder, prop.ident)[0] is not None
        ):
            return refused(f"编号“{prop.ident}”已被使用，请换一个编号")
        if prop.old is not None:
            return _rename(wb, prop)
        result = wb.store.save(prop.folder, prop.ident, prop.text, prop.base)
    except PathRefused as exc:
        return refused(str(exc), 403)
    except OSError as exc:
        return refused(f"无法保存：{os_reason(exc)}", 500)
    rel = item_rel(prop.folder, prop.ident)
    paths = all_paths(fields_for(type_of(folder), {}, lambda s: []))
    data = {
        "status": result.status,
        "id": prop.ident,
        "version": result.version,
        "problems": _problems_json(result.problems, rel, paths),
        "warnings": _problems_json(result.warnings, rel, paths),
        "diff": result.diff,
        "edit_url": f"/__pufa/edit/{prop.folder}/{prop.ident}"
        if folder != SITE
        else "/__pufa/site",
    }
    if result.status == "stale":
        data["message"] = (
            f"{STALE}：在您打开之后，别人（或另一个窗口）保存过它。请看下面的不同之处，刷新后再改。"
        )
        return _json(data, 409)
    if result.status == "waiting":
        data["message"] = "有问题，修改已暂存，内容文件没有改动。请按提示改好后再保存。"
    else:
        data["message"] = "已保存。"
        me = actor()
        verb = "修改了" if existed else "新建了"
        wb.history.record([rel], me.name, f"{me.name} {verb}{what(folder, _label_of(prop))}")
    return _json(data)


def _label_of(prop: Proposal) -> str:
    """The title or name an item's new text gives it (for commit messages)."""
    try:
        data = plain(head_data(prop.text)) if prop.folder != SITE else {}
    except CodecError:
        data = {}
    if not isinstance(data, dict):
        return prop.ident
    return str(data.get("title") or data.get("name") or data.get("village") or prop.ident)


def _rename(wb: Workbench, prop: Proposal) -> Response:
    assert prop.old is not None
    if wb.store.current(prop.folder, prop.ident)[0] is not None:
        return refused(f"编号“{prop.ident}”已被使用，请换一个编号")
    current, now = wb.store.current(prop.folder, prop.old)
    if prop.base != now:
        return refused(STALE + "，请刷新后再改", 409)
    new_rel, old_rel = item_rel(prop.folder, prop.ident), item_rel(prop.folder, prop.old)
    errors, warnings = wb.store.check({new_rel: prop.text, old_rel: None})
    paths = all_paths(fields_for(type_of(prop.folder), {}, lambda s: []))
    if errors:
        return _json(
            {
                "status": "waiting",
                "id": prop.old,
                "version": now,
                "problems": _problems_json(errors, new_rel, paths),
                "warnings": [],
                "diff": "",
                "message": "改编号后有问题（例如别的文件还在引用旧编号），没有改动任何文件。",
            }
        )
    write(inside(wb.root, new_rel), prop.text)
    wb.store.move_to_trash(prop.folder, prop.old)
    me = actor()
    wb.history.record(
        [new_rel, old_rel],
        me.name,
        f"{me.name} 把{what(prop.folder, _label_of(prop))}的编号从 {prop.old} 改为 {prop.ident}",
    )
    return _json(
        {
            "status": "saved",
            "id": prop.ident,
            "version": version(prop.text.encode()),
            "problems": [],
            "warnings": _problems_json(warnings, new_rel, paths),
            "diff": "",
            "message": f"已改编号为 {prop.ident}，旧网址和旧二维码继续有效（renamed_from）。",
            "edit_url": f"/__pufa/edit/{prop.folder}/{prop.ident}",
        }
    )


# --- previews -------------------------------------------------------------------------------


def _content_for(wb: Workbench, prop: Proposal) -> tuple[Content | None, list[Problem]]:
    changes: dict[str, str | None] = {item_rel(prop.folder, prop.ident): prop.text}
    if prop.old:
        changes[item_rel(prop.folder, prop.old)] = None
    with wb.store.overlay(changes) as copy:
        content, problems = Store.problems_of(copy)
        if content is not None:
            content.root = wb.root
        return content, [p for p in problems if not p.warning]


async def preview_page(request: Request) -> Response:
    wb: Workbench = request.app.state.wb
    form = await _form(request, wb)
    if form is None:
        return refused(NO_TOKEN, 403)
    folder, ident = request.path_params["folder"], request.path_params["ident"]
    try:
        prop = compose(wb, folder, ident, form)
    except PathRefused as exc:
        return refused(str(exc), 403)
    content, problems = _content_for(wb, prop)
    exts = read_project_config(wb.build_opts.config).get("markdown_extensions") or []
    md = page_markdown(content, folder, prop.ident, wb.site_url()) if content else None
    note = ""
    if md is None:
        md = split(prop.text).body if folder != SITE else ""
        note = (
            "内容有问题，这里只显示正文；改好问题后显示整页。"
            if problems
            else "草稿不会发布，这里只显示正文。"
        )
    article = markdown_html(md, exts)
    url = f"{folder}/{prop.ident}/" if folder not in (PAGES, "rules") else ""
    doc = page_document(article, wb.preview_site, url, wb.origin, note)
    return _json({"url": _keep_frame(wb, doc), "note": note})


def _keep_frame(wb: Workbench, doc: str) -> str:
    """Keep a preview document for its sandboxed frame; return the frame's URL."""
    token = secrets.token_urlsafe(12)
    wb.frames[token] = doc
    while len(wb.frames) > 40:
        wb.frames.popitem(last=False)
    return f"/__pufa/frame/{token}"


async def frame(request: Request) -> Response:
    wb: Workbench = request.app.state.wb
    doc = wb.frames.get(request.path_params["token"])
    if doc is None:
        return HTMLResponse("<p>预览已过期，请重新预览。</p>", 404)
    return HTMLResponse(
        doc,
        headers={
            "Cache-Control": "no-store",
            # The page is content: it never runs script and never shares the 工作台's origin.
            "Content-Security-Policy": (
                f"sandbox; default-src 'none'; style-src {wb.origin} 'unsafe-inline'; "
                f"img-src {wb.origin} data:; font-src {wb.origin}; base-uri {wb.origin}"
            ),
        },
    )


async def preview_print(request: Request) -> Response:
    wb: Workbench = request.app.state.wb
    form = await _form(request, wb)
    if form is None:
        return refused(NO_TOKEN, 403)
    folder, ident = request.path_params["folder"], request.path_params["ident"]
    try:
        prop = compose(wb, folder, ident, form)
    except PathRefused as exc:
        return refused(str(exc), 403)
    content, problems = _content_for(wb, prop)
    if content is None:
        return _json(
            {
                "status": "problems",
                "message": "内容有问题，先改好问题才能预览印刷品。",
                "problems": [str(p) for p in problems[:20]],
            }
        )
    out = wb.store.state / "print-preview"
    out.mkdir(parents=True, exist_ok=True)
    rel = item_rel(folder, prop.ident)
    try:
        result = render_preview(
            content, wb.build_opts.themes, wb.site_url(), rel, form.get("kind") or None, out
        )
    except Exception as exc:  # noqa: BLE001 - a theme or template error, said in Chinese
        return _json({"status": "error", "message": f"印刷品排版出错：{exc}"})
    if result is None:
        message = (
            "草稿不印刷。"
            if split(prop.text).head and "draft: true" in prop.text
            else "这一项没有单独的印刷品。"
        )
        return _json({"status": "none", "message": message})
    images = [f"/__pufa/print/{n}" for n in result.images]
    doc = (
        '<!DOCTYPE html><html lang="zh-CN"><head><meta charset="utf-8"><title>印刷品预览</title>'
        "<style>body{margin:0;padding:8px;background:#ddd}img{display:block;width:100%;"
        "margin:0 0 8px;box-shadow:0 1px 4px #0005;background:#fff}</style></head><body>"
        + "".join(
            f'<img src="{html.escape(wb.origin + u)}" alt="第 {i + 1} 页">'
            for i, u in enumerate(images)
        )
        + "</body></html>"
    )
    return _json(
        {
            "status": "ok",
            "kind": result.kind,
            "label": result.label,
            "url": _keep_frame(wb, doc),
            "images": images,
            "notes": result.notes,
            "seconds": round(result.seconds, 2),
            "kinds": result.kinds,
        }
    )


async def print_image(request: Request) -> Response:
    wb: Workbench = request.app.state.wb
    name = request.path_params["name"]
    path = wb.store.state / "print-preview" / name
    if not _PNG.fullmatch(name) or not path.is_file():
        return Response("找不到", 404)
    return FileResponse(path, media_type="image/png", headers={"Cache-Control": "no-store"})


# --- paste, photos, delete, build ---------------------------------------------------------


async def paste(request: Request) -> Response:
    wb: Workbench = request.app.state.wb
    form = await _form(request, wb)
    if form is None:
        return refused(NO_TOKEN, 403)
    return _json({"markdown": html_to_markdown(str(form.get("html") or ""))})


async def photo(request: Request) -> Response:
    wb: Workbench = request.app.state.wb
    form = await _form(request, wb)
    if form is None:
        return refused(NO_TOKEN, 403)
    upload = form.get("photo")
    if upload is None or isinstance(upload, str):
        return refused("没有收到照片文件")
    data = await upload.read()
    try:
        rel = save_photo(wb.root, data, upload.filename or "", str(form.get("name") or ""))
    except PhotoRefused as exc:
        return refused(str(exc))
    except OSError as exc:
        return refused(f"无法保存照片：{os_reason(exc)}", 500)
    me = actor()
    wb.history.record([rel], me.name, f"{me.name} 上传了照片 {rel}")
    return _json({"status": "saved", "path": rel, "message": f"照片已保存：{rel}"})


def _codes_pointing(wb: Workbench, item: Item) -> list[str]:
    manifest = wb.build_opts.out / "print" / "manifest.json"
    try:
        entries = json.loads(manifest.read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return []
    target = wb.site_url() + item.url
    return sorted(
        {
            str(e["file"])
            for e in entries
            if isinstance(e, dict)
            and target in (e.get("qr") or [])
            and str(e.get("file", "")).endswith(".pdf")
        }
    )


async def delete_page(request: Request) -> Response:
    wb: Workbench = request.app.state.wb
    folder, ident = request.path_params["folder"], request.path_params["ident"]
    try:
        path = inside(wb.root, item_rel(folder, ident))
    except PathRefused as exc:
        return wb.page("message.html.j2", 403, title="拒绝访问", message=str(exc))
    if not path.is_file():
        return wb.page("message.html.j2", 404, title="找不到", message="找不到这个文件")
    item = read_item(wb.root, folder, path)
    return wb.page(
        "delete.html.j2",
        title=f"删除 {item.label}",
        item=item,
        codes=_codes_pointing(wb, item),
        folder=folder,
    )


async def delete(request: Request) -> Response:
    wb: Workbench = request.app.state.wb
    form = await _form(request, wb)
    if form is None:
        return refused(NO_TOKEN, 403)
    folder, ident = request.path_params["folder"], request.path_params["ident"]
    try:
        rel = item_rel(folder, ident)
        inside(wb.root, rel)
        errors, _ = wb.store.check({rel: None})
        if errors:
            return _json(
                {
                    "status": "waiting",
                    "message": "删除后会有问题（别的文件还在引用它），没有删除：",
                    "problems": [str(p) for p in errors[:30]],
                },
                409,
            )
        label = read_item(wb.root, folder, inside(wb.root, rel)).label
        trash = wb.store.move_to_trash(folder, ident)
        me = actor()
        wb.history.record([rel], me.name, f"{me.name} 删除了{what(folder, label)}")
    except PathRefused as exc:
        return refused(str(exc), 403)
    except OSError as exc:
        return refused(f"无法删除：{os_reason(exc)}", 500)
    return _json(
        {
            "status": "deleted",
            "message": f"已删除，备份在 {trash}",
            "list_url": f"/__pufa/list/{folder}",
        }
    )


async def build_start(request: Request) -> Response:
    wb: Workbench = request.app.state.wb
    form = await _form(request, wb)
    if form is None:
        return refused(NO_TOKEN, 403)
    if not actor().can("admin"):
        return refused("只有管理员可以生成网站", 403)
    started = wb.builder.start()
    return _json({"started": started, **wb.builder.state.view()})


async def build_status(request: Request) -> Response:
    wb: Workbench = request.app.state.wb
    with wb.builder.lock:
        return _json(wb.builder.state.view())


async def build_page(request: Request) -> Response:
    wb: Workbench = request.app.state.wb
    return wb.page("build.html.j2", title="生成网站", out=str(wb.build_opts.out))


async def publish_start(request: Request) -> Response:
    wb: Workbench = request.app.state.wb
    form = await _form(request, wb)
    if form is None:
        return refused(NO_TOKEN, 403)
    if not actor().can("admin"):
        return refused("只有管理员可以发布上线", 403)
    dry_run = str(form.get("dry_run") or "") in ("1", "true", "on")
    try:
        started = wb.publisher.start(dry_run)
    except NoTarget as exc:
        return refused(str(exc), 409)
    with wb.publisher.lock:
        return _json({"started": started, **wb.publisher.state.view()})


async def publish_status(request: Request) -> Response:
    wb: Workbench = request.app.state.wb
    with wb.publisher.lock:
        return _json(wb.publisher.state.view())


async def publish_page(request: Request) -> Response:
    wb: Workbench = request.app.state.wb
    try:
        opts = publish_options(wb.build_opts)
        target, check_url, missing = _safe_target(opts.to), opts.check_url or "", ""
    except NoTarget as exc:
        target, check_url, missing = "", "", str(exc)
    return wb.page(
        "publish.html.j2",
        title="发布上线",
        out=str(wb.build_opts.out),
        target=target,
        check_url=check_url,
        missing=missing,
    )


def _safe_target(to: str) -> str:
    """The target as shown on the page: without any user:password part."""
    scheme, sep, rest = to.partition("://")
    if not sep:
        return to
    host, slash, path = rest.partition("/")
    return f"{scheme}://{host.rpartition('@')[2]}{slash}{path}"


async def home(request: Request) -> Response:
    return RedirectResponse("/__pufa/list/cases", 303)


def routes() -> list[Route]:
    """The 工作台's routes; ``app.py`` adds the live preview's."""
    seg = "{folder:str}/{ident:str}"
    return [
        Route("/__pufa/", home),
        Route("/__pufa/list/{folder:str}", list_page),
        Route("/__pufa/site", site_page),
        Route(f"/__pufa/edit/{seg}", edit_page),
        Route(f"/__pufa/delete/{seg}", delete_page),
        Route("/__pufa/build", build_page),
        Route(f"/__pufa/api/save/{seg}", save, methods=["POST"]),
        Route(f"/__pufa/api/delete/{seg}", delete, methods=["POST"]),
        Route(f"/__pufa/api/preview/page/{seg}", preview_page, methods=["POST"]),
        Route(f"/__pufa/api/preview/print/{seg}", preview_print, methods=["POST"]),
        Route("/__pufa/frame/{token:str}", frame),
        Route("/__pufa/print/{name:str}", print_image),
        Route("/__pufa/api/paste", paste, methods=["POST"]),
        Route("/__pufa/api/photo", photo, methods=["POST"]),
        Route("/__pufa/api/build", build_start, methods=["POST"]),
        Route("/__pufa/api/build", build_status, methods=["GET"]),
        Route("/__pufa/publish", publish_page),
        Route("/__pufa/api/publish", publish_start, methods=["POST"]),
        Route("/__pufa/api/publish", publish_status, methods=["GET"]),
    ]
