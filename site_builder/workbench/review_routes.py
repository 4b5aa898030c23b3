"""Pages and actions of 审核与留痕: the review queue, submit / approve / return, the
history of an item with word-level differences, and restoring an earlier version."""

from __future__ import annotations

import time
from typing import Any

from starlette.requests import Request
from starlette.responses import RedirectResponse, Response
from starlette.routing import Route

from ..review import records
from ..review.approved import reviewed_files
from ..review.signing import PUBLIC_FILE, publish_public_key
from .auth import actor
from .history import what
from .paths import SITE, PathRefused, inside, item_rel
from .reviewing import APPROVED, file_review, labels, own_change, queue
from .security import token_ok
from .worddiff import file_diff

DONE = {
    "submitted": "已提交审核。",
    "approved": "已审核通过。",
    "returned": "已退回，意见已记下。",
    "baseline": "现有内容已全部记为审核通过。",
    "restored": "已恢复这个版本（记为一次新的修改）。",
    "restore-waiting": "这个旧版本按现在的规则有问题，已暂存在工作台里，内容文件没有改动。",
}


def _wb(request: Request) -> Any:
    return request.app.state.wb


async def _checked_form(request: Request) -> Any:
    form = await request.form(max_files=0, max_fields=20)
    given = form.get("csrf")
    return form if token_ok(actor().csrf, given if isinstance(given, str) else None) else None


def _refuse(request: Request, message: str, status: int = 403) -> Response:
    return _wb(request).page("message.html.j2", status, title="没有完成", message=message)


def _back(target: str, done: str) -> Response:
    sep = "&" if "?" in target else "?"
    return RedirectResponse(f"{target}{sep}done={done}", 303)


def _target(rel: str, form: Any) -> str:
    back = str(form.get("back") or "")
    return back if back in ("queue", "edit") else "queue"


async def queue_page(request: Request) -> Response:
    wb = _wb(request)
    files, approved, rv = queue(wb.root, wb.store.state, wb.history)
    me = actor()
    return wb.page(
        "review.html.j2",
        title="审核",
        files=files,
        approved=approved,
        settings=rv.settings,
        can_review=me.can("review"),
        done=DONE.get(str(request.query_params.get("done", "")), ""),
        folder="review",
    )


def _file_of(request: Request, form: Any) -> tuple[str, Any] | Response:
    wb = _wb(request)
    rel = str(form.get("path") or "")
    try:
        inside(wb.root, rel)
    except PathRefused as exc:
        return _refuse(request, str(exc))
    if rel not in reviewed_files(wb.root):
        return _refuse(request, "这个文件不在审核范围内", 404)
    wb.history.sweep()
    return rel, file_review(wb.root, wb.store.state, wb.history, rel)


def _url_after(fr: Any, back: str) -> str:
    if back == "edit" and fr.edit_url:
        return fr.edit_url
    return "/__pufa/review"


async def submit(request: Request) -> Response:
    wb = _wb(request)
    form = await _checked_form(request)
    if form is None:
        return _refuse(request, "这个请求没有有效的安全令牌（请刷新页面后再试）")
    got = _file_of(request, form)
    if isinstance(got, Response):
        return got
    rel, fr = got
    if fr.state == APPROVED:
        return _refuse(request, "这个版本已经审核通过了，不用再提交", 409)
    me = actor()
    thread = records.add_event(
        wb.root, rel, records.SUBMIT, me.name, fr.blob, str(form.get("comment") or "")[:2000]
    )
    wb.history.record([thread], me.name, f"{me.name} 提交审核：{what(fr.folder, fr.label)}")
    return _back(_url_after(fr, _target(rel, form)), "submitted")


async def decide(request: Request) -> Response:
    wb = _wb(request)
    form = await _checked_form(request)
    if form is None:
        return _refuse(request, "这个请求没有有效的安全令牌（请刷新页面后再试）")
    me = actor()
    if not me.can("review"):
        return _refuse(request, "只有“审核”或“管理员”角色可以审核；编辑请等审核人处理。")
    got = _file_of(request, form)
    if isinstance(got, Response):
        return got
    rel, fr = got
    if str(form.get("blob") or "") != fr.blob:
        return _refuse(request, "您打开之后这个文件又被修改了：请刷新后审核最新的版本。", 409)
    action = request.path_params["action"]
    if action not in ("approve", "return"):
        return _refuse(request, "没有这个操作", 404)
    if action == "approve":
        if own_change(fr, me.name):
            return _refuse(request, "不能审核自己写的改动：请另一位审核人审核。")
        if me.name in fr.approvers:
            return _refuse(request, "您已经通过了这个版本。", 409)
        key = publish_public_key(wb.store.state, wb.root)
        approval = records.add_approval(wb.root, wb.store.state, rel, fr.blob, me.name, fr.authors)
        thread = records.add_event(
            wb.root, rel, records.APPROVE, me.name, fr.blob, str(form.get("comment") or "")[:2000]
        )
        wb.history.record(
            [approval, thread, key.relative_to(wb.root).as_posix()],
            me.name,
            f"{me.name} 审核通过了{what(fr.folder, fr.label)}",
        )
        return _back(_url_after(fr, _target(rel, form)), "approved")
    comment = str(form.get("comment") or "").strip()[:2000]
    if not comment:
        return _refuse(request, "退回时请写上意见，告诉作者要改什么。", 400)
    thread = records.add_event(wb.root, rel, records.RETURN, me.name, fr.blob, comment)
    wb.history.record(
        [thread], me.name, f"{me.name} 退回了{what(fr.folder, fr.label)}：{comment[:60]}"
    )
    return _back(_url_after(fr, _target(rel, form)), "returned")


async def baseline(request: Request) -> Response:
    """管理员: when switching review on, record everything as it is now as approved."""
    wb = _wb(request)
    form = await _checked_form(request)
    if form is None:
        return _refuse(request, "这个请求没有有效的安全令牌（请刷新页面后再试）")
    me = actor()
    if not me.can("admin"):
        return _refuse(request, "只有管理员可以这样做。")
    wb.history.sweep()
    from ..review.gitrepo import blob_id

    files = {rel: blob_id((wb.root / rel).read_bytes()) for rel in reviewed_files(wb.root)}
    key = publish_public_key(wb.store.state, wb.root)
    rel = records.add_baseline(wb.root, wb.store.state, files, me.name)
    wb.history.record(
        [rel, key.relative_to(wb.root).as_posix()],
        me.name,
        f"{me.name} 启用审核：现有的 {len(files)} 个文件记为审核通过",
    )
    return _back("/__pufa/review", "baseline")


# --- history ----------------------------------------------------------------------------------


def _rel(folder: str, ident: str) -> str:
    return "site.yml" if folder == SITE else item_rel(folder, ident)


async def history_page(request: Request) -> Response:
    wb = _wb(request)
    folder, ident = request.path_params["folder"], request.path_params["ident"]
    try:
        rel = _rel(folder, ident)
        inside(wb.root, rel)
    except PathRefused as exc:
        return _refuse(request, str(exc))
    wb.history.sweep()
    repo = wb.history.repo
    versions = repo.versions(rel)
    rows = []
    for i, (commit, blob) in enumerate(versions):
        older = versions[i + 1][1] if i + 1 < len(versions) else ""
        new_text = (repo.blob(blob) or b"").decode("utf-8", "replace") if blob else None
        old_text = (repo.blob(older) or b"").decode("utf-8", "replace") if older else None
        rows.append(
            {
                "commit": commit,
                "when": time.strftime("%Y-%m-%d %H:%M", time.localtime(commit.time)),
                "blob": blob,
                "changes": file_diff(old_text, new_text, whole_yaml=rel == "site.yml"),
                "current": i == 0,
                "review": False,
            }
        )
    for commit in repo.log(records.thread_rel(rel)):  # review steps: submitted, returned …
        rows.append(
            {
                "commit": commit,
                "when": time.strftime("%Y-%m-%d %H:%M", time.localtime(commit.time)),
                "blob": "",
                "changes": [],
                "current": False,
                "review": True,
            }
        )
    rows.sort(key=lambda r: r["commit"].time, reverse=True)  # stable: same second keeps order
    label = labels(wb.root).get(rel, (folder, ident, ident))[2]
    return wb.page(
        "history.html.j2",
        title=f"修改历史：{label}",
        rows=rows,
        rel=rel,
        item_folder=folder,
        ident=ident,
        done=DONE.get(str(request.query_params.get("done", "")), ""),
    )


async def restore(request: Request) -> Response:
    wb = _wb(request)
    form = await _checked_form(request)
    if form is None:
        return _refuse(request, "这个请求没有有效的安全令牌（请刷新页面后再试）")
    folder, ident = request.path_params["folder"], request.path_params["ident"]
    me = actor()
    if folder == SITE and not me.can("admin"):
        return _refuse(request, "只有管理员可以修改网站设置。")
    try:
        rel = _rel(folder, ident)
        inside(wb.root, rel)
    except PathRefused as exc:
        return _refuse(request, str(exc))
    wb.history.sweep()
    commit = str(form.get("commit") or "")
    old = wb.history.repo.show(commit, rel)
    if old is None:
        return _refuse(request, "找不到这个版本", 404)
    text = old.decode("utf-8", "replace")
    current, now = wb.store.current(folder, ident)
    result = wb.store.save(folder, ident, text, now)
    back = f"/__pufa/history/{folder}/{ident}"
    if result.status != "saved":
        return _back(back, "restore-waiting")
    label = labels(wb.root).get(rel, (folder, ident, ident))[2]
    when = time.strftime("%Y-%m-%d %H:%M", time.localtime(_commit_time(wb, commit, rel)))
    wb.history.record([rel], me.name, f"{me.name} 把{what(folder, label)}恢复到 {when} 的版本")
    return _back(back, "restored")


def _commit_time(wb: Any, commit: str, rel: str) -> int:
    for c, _ in wb.history.repo.versions(rel):
        if c.id == commit:
            return c.time
    return int(time.time())


def review_routes() -> list[Route]:
    seg = "{folder:str}/{ident:str}"
    return [
        Route("/__pufa/review", queue_page),
        Route("/__pufa/review/submit", submit, methods=["POST"]),
        Route("/__pufa/review/baseline", baseline, methods=["POST"]),
        Route("/__pufa/review/{action:str}", decide, methods=["POST"]),
        Route(f"/__pufa/history/{seg}", history_page),
        Route(f"/__pufa/restore/{seg}", restore, methods=["POST"]),
    ]


__all__ = ["PUBLIC_FILE", "review_routes"]
