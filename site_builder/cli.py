"""The `pufa` command. Messages are Simplified Chinese; no traceback ever reaches a user."""

from __future__ import annotations

import argparse
import datetime as dt
import sys
import traceback
from pathlib import Path

from .content import load
from .errors import ConfigError, ContentError, Problem, PufaError, UnsafeOutput
from .safefs import Protected, atomic_write, check_output_dir, check_output_file, os_message


def _show(problems: list[Problem], root: Path) -> None:
    for p in problems:
        kind = "提醒" if p.warning else ""
        line = f"{root.as_posix().rstrip('/')}/{p.path}:{p.line}: {p.key}: {p.message}"
        print(f"{line}（{kind}）" if kind else line, file=sys.stderr)


def _summary(counts: dict[str, int]) -> str:
    from .content.registry import summary

    return summary(counts)


WECHAT_MARK = "<!-- pufa wechat：由 pufa 生成的公众号文章，可以重新生成覆盖 -->"


def _head(path: Path) -> str:
    try:
        with path.open("rb") as fh:
            return fh.read(400).decode("utf-8", "replace")
    except OSError:
        return ""


def _protected(args: argparse.Namespace) -> Protected:
    config = getattr(args, "config", Path("mkdocs.yml"))
    return Protected(
        getattr(args, "content", Path("content")),
        getattr(args, "themes", Path("themes")),
        config.parent,
    )


def cmd_check(args: argparse.Namespace) -> int:
    from .print.glyphs import glyph_problems

    content = load(args.content)
    # Characters the print font lacks: the theme's font, read from its own cmap.
    themes = getattr(args, "themes", Path("themes"))
    if (themes / content.site.print.theme).is_dir():
        content.warnings = sorted(content.warnings + glyph_problems(content, themes))
    _show(content.warnings, args.content)
    print(f"检查通过：{_summary(content.counts())}")
    return 0


def cmd_build(args: argparse.Namespace) -> int:
    from .build import BuildOptions, build
    from .display import BuildDisplay

    display = BuildDisplay()
    opts = BuildOptions(
        content=args.content,
        out=args.out,
        config=args.config,
        themes=args.themes,
        work=args.work,
        progress=display.progress,
        jobs=args.jobs,
    )
    try:
        result = build(opts, say=display.stage)
    finally:
        display.close()
    _show(result.content.warnings, args.content)
    for w in result.warnings:
        print(f"提醒：{w}", file=sys.stderr)
    for note in result.notes:
        print(note)
    print(f"构建完成：{result.pages} 个网页，用时 {result.seconds:.1f} 秒，输出在 {args.out}/")
    return 0


def cmd_laws(args: argparse.Namespace) -> int:
    from .content.laws import laws_report, load_library

    content = load(args.content)
    for line in laws_report(content, content.laws or load_library(args.content)):
        print(line)
    return 0


def cmd_verify(args: argparse.Namespace) -> int:
    from .pages.mkdocs_site import read_project_config
    from .print.verify import verify_manifest

    site_url = read_project_config(args.config)["site_url"]
    count, problems = verify_manifest(args.out, site_url)
    for p in problems:
        print(p, file=sys.stderr)
    if problems:
        print(f"印刷品检查没有通过：{len(problems)} 个问题。", file=sys.stderr)
        return 1
    print(f"印刷品检查通过：{count} 个文件的二维码都能识别，并指向存在的网页。")
    return 0


def cmd_stats(args: argparse.Namespace) -> int:
    from .pages.mkdocs_site import read_project_config
    from .stats import StatsOptions, run_stats

    content = load(args.content)
    opts = StatsOptions(
        logs=args.logs,
        site=args.site,
        site_url=read_project_config(args.config)["site_url"],
        out=args.out,
        protected=_protected(args),
        log_format=content.site.stats.log_format,
        date_from=args.date_from,
        date_to=args.date_to,
        village=args.village,
        township=args.township,
    )
    result = run_stats(opts, content)
    for line in result.report.notes:
        print(f"提醒：{line}", file=sys.stderr)
    for label, value in result.report.overview[:4]:
        print(f"{label}：{value}")
    print(f"报告已写入 {' 和 '.join(str(f) for f in result.files)}")
    return 0


def cmd_new(args: argparse.Namespace) -> int:
    from .content import registry
    from .content.newfile import template_text

    kinds = registry.by_new_kind()

    if not args.kind:
        print("可以新建的内容（pufa new 类别 名称）：")
        for kind, record in kinds.items():
            print(f"  {kind:<8} {record.new_label}")
        return 0
    if args.kind not in kinds:
        print(f"不认识的类别“{args.kind}”，可用：{'、'.join(kinds)}", file=sys.stderr)
        return 2
    if not args.name or not args.name.strip():
        print("请写上名称，如：pufa new advisor 郭晓（名称不能是空的）", file=sys.stderr)
        return 2
    content = load(args.content)
    try:
        filename, text = template_text(args.kind, args.name, content)
    except ValueError as exc:
        print(str(exc), file=sys.stderr)
        return 1
    path = args.content / kinds[args.kind].folder / filename
    if path.exists():
        print(f"文件已存在：{path}", file=sys.stderr)
        return 1
    path.parent.mkdir(parents=True, exist_ok=True)
    try:
        with path.open("x", encoding="utf-8") as fh:  # never replaces a file made meanwhile
            fh.write(text)
    except FileExistsError:
        print(f"文件已存在：{path}", file=sys.stderr)
        return 1
    print(f"已新建 {path}（草稿：写好后删掉 draft: true 那一行）")
    return 0


def cmd_wechat(args: argparse.Namespace) -> int:
    from .pages.mkdocs_site import read_project_config
    from .pages.urls import entity_url
    from .pages.wechat import case_article

    content = load(args.content)
    case = content.cases.get(args.case)
    if case is None:
        print(
            f"找不到案例“{args.case}”：请写 content/cases/ 里的文件名（不带 .md）", file=sys.stderr
        )
        return 1
    if args.output:
        check_output_file(args.output, _protected(args))
        if args.output.exists() and WECHAT_MARK not in _head(args.output):
            raise UnsafeOutput(
                f"{args.output} 已经存在，而且不是 pufa wechat 生成的：为了不覆盖它，"
                "没有写入。请换一个文件名"
            )
    site_url = read_project_config(args.config)["site_url"]
    text = case_article(case, content, site_url + entity_url("cases", case.id))
    if args.output:
        first, _, rest = text.partition("\n")  # the mark after the doctype: no quirks mode
        atomic_write(args.output, f"{first}\n{WECHAT_MARK}\n{rest}".encode())
        print(f"已写入 {args.output}：用浏览器打开，全选复制，粘贴到公众号编辑器")
    else:
        sys.stdout.write(text)
    return 0


def cmd_import(args: argparse.Namespace) -> int:
    from .content.importer import apply, import_table

    content = load(args.content)
    try:
        result = import_table(args.kind, args.file, content)
    except (OSError, ValueError) as exc:
        print(f"无法导入 {args.file}：{exc}", file=sys.stderr)
        return 1
    if args.skip_bad:
        result.skip_refused()
    for row in result.rows:
        print(row)
    if result.problems:
        _show(result.problems, args.content)
        print("导入后内容检查会不通过（见上面的问题），没有写入任何文件。", file=sys.stderr)
        return 1
    refused = result.refused
    if refused and not args.skip_bad:
        print(
            f"有 {len(refused)} 行有错，没有写入任何文件：请改好表格后重新导入，"
            "或加上 --skip-bad 只导入没有错的行（有错的行跳过）。",
            file=sys.stderr,
        )
        return 1
    counts = {
        a: sum(1 for r in result.rows if r.action == a) for a in ("新建", "更新", "不变", "跳过")
    }
    summary = "，".join(f"{a} {n} 行" for a, n in counts.items())
    if args.dry_run:
        print(f"试运行，没有写入任何文件：{summary}")
        return 0
    try:
        apply(result, args.content)
    except (OSError, ValueError) as exc:
        print(f"无法导入 {args.file}：{exc}", file=sys.stderr)
        return 1
    print(f"导入完成：{summary}")
    try:
        load(args.content)
    except ContentError as exc:
        _show(exc.problems, args.content)
        print("导入后检查发现问题，请按上面的提示修改。", file=sys.stderr)
        return 1
    return 0


def cmd_serve(args: argparse.Namespace) -> int:
    from .build import BuildOptions
    from .serve import serve

    opts = BuildOptions(
        content=args.content,
        out=args.work / "preview",
        config=args.config,
        themes=args.themes,
        work=args.work / "preview-work",
        lock_dir=args.work,
    )
    site_opts = BuildOptions(
        content=args.content,
        out=args.out,
        config=args.config,
        themes=args.themes,
        work=args.work,
    )
    from .build import check_folders

    check_folders(opts)
    check_folders(site_opts)
    try:
        serve(
            opts,
            host=args.host,
            port=args.port,
            site_opts=site_opts,
            state=args.state,
            tls=(args.tls_cert, args.tls_key),
            behind_proxy=args.behind_proxy,
        )
    except KeyboardInterrupt:
        print("预览已结束。")
    return 0


def cmd_users(args: argparse.Namespace) -> int:
    from .accounts.command import run

    return run(args)


def cmd_publish(args: argparse.Namespace) -> int:
    from .content.load import SITE_FILE, _load_site
    from .errors import ContentError as _ContentError
    from .pages.mkdocs_site import read_project_config
    from .publish import CheckFailed, PublishOptions, publish, summary
    from .publish.run import human_bytes
    from .worklock import work_lock

    problems: list[Problem] = []
    site = _load_site(args.content, problems)
    if site is None:
        raise _ContentError(problems)
    to = args.to or site.publish.to
    if not to:
        where = f"{args.content}/{SITE_FILE}"
        print(
            f"还没有设置发布地址：请在 {where} 里写 publish: {{to: …}}（见 docs/hosting.md），"
            "或用 --to 指定",
            file=sys.stderr,
        )
        return 2
    opts = PublishOptions(
        site=args.out,
        content=args.content,
        to=to,
        check_url=args.check_url or site.publish.check_url,
        site_url=read_project_config(args.config)["site_url"],
        dry_run=args.dry_run,
        check_timeout=args.check_minutes * 60,
        bwlimit=args.bwlimit,
    )

    def show(p: object) -> None:
        stage = getattr(p, "stage", "")
        total = getattr(p, "files_total", 0)
        if total:
            done, sent = getattr(p, "files_done", 0), getattr(p, "bytes_done", 0)
            print(f"· {stage}：{done}/{total} 个文件，{human_bytes(sent)}", file=sys.stderr)
        else:
            print(f"· {stage}", file=sys.stderr)

    # The build's lock: site/ is not swapped while it is being sent.
    with work_lock(args.work, "publish"):
        try:
            result = publish(opts, show)
        except CheckFailed as exc:
            for line in summary(exc.result):
                print(line)
            raise
    for line in summary(result, args.dry_run):
        print(line)
    if args.dry_run:
        for f in result.plan.send:
            print(f"  发送 {f}")
        for f in result.plan.delete:
            print(f"  删除 {f}")
    return 0


def cmd_demo_data(args: argparse.Namespace) -> int:
    from .demo_data import generate

    check_output_dir(args.out, _protected(args), marker="", example="demo")
    counts = generate(args.out, args.villages, args.seed)
    print(f"已生成示例内容 {args.out}：{_summary(counts)}")
    return 0


# argparse's own words, in Chinese (it looks them up through its module-level gettext alias).
ARGPARSE_ZH = {
    "usage: ": "用法：",
    "options": "选项",
    "positional arguments": "参数",
    "show this help message and exit": "显示帮助并退出",
    "unrecognized arguments: %s": "不认识的参数：%s",
    "the following arguments are required: %s": "缺少参数：%s",
    "invalid choice: %(value)r (choose from %(choices)s)": (
        "“%(value)s”不是可选值（可选：%(choices)s）"
    ),
    "expected one argument": "后面要跟一个值",
    "argument %(argument_name)s: %(message)s": "参数 %(argument_name)s：%(message)s",
    "invalid %(type)s value: %(value)r": "值“%(value)s”格式不对",
    "%(prog)s: error: %(message)s\n": "%(prog)s：%(message)s（运行 pufa --help 查看用法）\n",
}
argparse._ = lambda text: ARGPARSE_ZH.get(text, text)  # type: ignore[attr-defined]


def _positive(text: str) -> int:
    try:
        value = int(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"“{text}”不是整数") from None
    if value < 1:
        raise argparse.ArgumentTypeError("至少为 1")
    return value


def _date(text: str) -> dt.date:
    try:
        return dt.date.fromisoformat(text)
    except ValueError:
        raise argparse.ArgumentTypeError(
            f"日期“{text}”格式不对，应写成 年-月-日，如 2026-11-01"
        ) from None


def parser() -> argparse.ArgumentParser:
    p = argparse.ArgumentParser(
        prog="pufa", description="普法内容发布工具：检查内容、生成网站和印刷品"
    )
    sub = p.add_subparsers(dest="command", metavar="命令")

    def common(sp: argparse.ArgumentParser) -> None:
        sp.add_argument(
            "--content", type=Path, default=Path("content"), help="内容文件夹（默认 content）"
        )

    c = sub.add_parser("check", help="检查内容，列出所有问题")
    common(c)
    c.add_argument("--themes", type=Path, default=Path("themes"), help="样式文件夹（检查印刷字体）")
    c.set_defaults(func=cmd_check)
    b = sub.add_parser("build", help="检查并生成网站和印刷品")
    common(b)
    b.add_argument("--out", type=Path, default=Path("site"), help="输出文件夹（默认 site）")
    b.add_argument("--config", type=Path, default=Path("mkdocs.yml"), help="MkDocs 设置文件")
    b.add_argument("--themes", type=Path, default=Path("themes"), help="样式文件夹")
    b.add_argument(
        "--work", type=Path, default=Path(".pufa-build"), help="临时文件夹（含印刷缓存）"
    )
    b.add_argument(
        "--jobs", type=_positive, default=None, help="同时排版印刷品的进程数（默认每核一个）"
    )
    b.set_defaults(func=cmd_build)
    n = sub.add_parser("new", help="从模板新建内容文件：case、village、advisor、service、rules")
    common(n)
    n.add_argument("kind", nargs="?", help="类别")
    n.add_argument("name", nargs="?", help="名称或标题")
    n.set_defaults(func=cmd_new)
    wx = sub.add_parser("wechat", help="把一个案例排成可以粘贴到公众号编辑器的文章（HTML）")
    common(wx)
    wx.add_argument("case", help="案例编号（content/cases/ 里的文件名）")
    wx.add_argument("-o", "--output", type=Path, help="写入文件（默认打印出来）")
    wx.add_argument("--config", type=Path, default=Path("mkdocs.yml"), help="MkDocs 设置文件")
    wx.set_defaults(func=cmd_wechat)
    im = sub.add_parser(
        "import", help="从 Excel（.xlsx）或 CSV/文本表格导入人员、服务点或村（社区）"
    )
    common(im)
    im.add_argument("kind", choices=["advisors", "services", "villages"], help="导入什么")
    im.add_argument(
        "file", type=Path, help="表格文件：.xlsx，或 UTF-8/GBK/“Unicode 文本”的 .csv、.txt"
    )
    im.add_argument("--dry-run", action="store_true", help="只显示会做什么，不写文件")
    im.add_argument(
        "--skip-bad",
        action="store_true",
        help="有错的行跳过，只导入没有错的行（默认：有一行有错就什么都不写）",
    )
    im.set_defaults(func=cmd_import)
    sv = sub.add_parser(
        "serve", help="本地预览和工作台：在浏览器里写、查、看、生成网站，改动后自动刷新"
    )
    common(sv)
    sv.add_argument("--port", type=int, default=8000, help="端口（默认 8000）")
    sv.add_argument(
        "--host",
        default="127.0.0.1",
        help="地址（默认 127.0.0.1；开放时要有账号和 --tls-cert/--tls-key 或 --behind-proxy）",
    )
    sv.add_argument(
        "--out", type=Path, default=Path("site"), help="工作台“生成网站”的输出文件夹（默认 site）"
    )
    sv.add_argument("--config", type=Path, default=Path("mkdocs.yml"), help="MkDocs 设置文件")
    sv.add_argument("--themes", type=Path, default=Path("themes"), help="样式文件夹")
    sv.add_argument("--work", type=Path, default=Path(".pufa-build"), help="临时文件夹")
    sv.add_argument(
        "--state", type=Path, default=None, help="状态文件夹：账号、暂存的修改（默认 .pufa-state）"
    )
    sv.add_argument("--tls-cert", type=Path, help="HTTPS 证书文件（PEM），开放给其他电脑时用")
    sv.add_argument("--tls-key", type=Path, help="HTTPS 私钥文件（PEM）")
    sv.add_argument(
        "--behind-proxy",
        action="store_true",
        help="在 nginx 等反向代理后面运行（只信任 127.0.0.1 发来的 X-Forwarded-* 头）",
    )
    sv.set_defaults(func=cmd_serve)
    from .accounts.command import add_parser as users_parser

    users_parser(sub).set_defaults(func=cmd_users)
    dd = sub.add_parser("demo-data", help="生成任意规模的示例内容（测试和性能测量用）")
    dd.add_argument("--villages", type=int, default=300, help="村（社区）数量")
    dd.add_argument("--out", type=Path, required=True, help="输出文件夹")
    dd.add_argument("--seed", type=int, default=1, help="随机种子")
    dd.set_defaults(func=cmd_demo_data)
    lw = sub.add_parser("laws", help="列出法条库里的法律法规、版本和引用的案例数")
    common(lw)
    lw.set_defaults(func=cmd_laws)
    pb = sub.add_parser("publish", help="把生成的网站发布到服务器（只传有变化的文件），并检查")
    common(pb)
    pb.add_argument("--out", type=Path, default=Path("site"), help="网站文件夹（默认 site）")
    pb.add_argument("--config", type=Path, default=Path("mkdocs.yml"), help="MkDocs 设置文件")
    pb.add_argument("--work", type=Path, default=Path(".pufa-build"), help="临时文件夹（锁）")
    pb.add_argument("--to", help="发布地址（默认 site.yml 的 publish.to）")
    pb.add_argument("--check-url", help="检查网址（默认 site.yml 的 publish.check_url）")
    pb.add_argument("--dry-run", action="store_true", help="只列出会发送和删除的文件")
    pb.add_argument(
        "--check-minutes", type=float, default=10, help="发布后检查最多等几分钟（默认 10）"
    )
    pb.add_argument("--bwlimit", help="限速，如 2M（每秒 2 MB），不占满单位的网络")
    pb.set_defaults(func=cmd_publish)
    v = sub.add_parser("verify", help="检查已生成网站里每件印刷品的二维码")
    v.add_argument("--out", type=Path, default=Path("site"), help="网站文件夹（默认 site）")
    v.add_argument("--config", type=Path, default=Path("mkdocs.yml"), help="MkDocs 设置文件")
    v.set_defaults(func=cmd_verify)
    st = sub.add_parser(
        "stats", help="扫码统计：从网站服务器的访问日志统计各村、各印刷品的扫码次数"
    )
    common(st)
    st.add_argument("logs", type=Path, nargs="+", help="访问日志文件（可以是 .gz，顺序不限）")
    st.add_argument("--site", type=Path, default=Path("site"), help="生成的网站文件夹（默认 site）")
    st.add_argument("--config", type=Path, default=Path("mkdocs.yml"), help="MkDocs 设置文件")
    st.add_argument("--out", type=Path, default=Path("报告"), help="报告文件夹（默认 报告）")
    st.add_argument("--from", dest="date_from", type=_date, help="从哪天起，如 2026-11-01")
    st.add_argument("--to", dest="date_to", type=_date, help="到哪天为止（含这一天）")
    st.add_argument("--village", help="只看一个村（社区）：写它的编号，如 lanxin")
    st.add_argument("--township", help="只看一个镇（街道）的村（社区）：写名称，如 北渡街道")
    st.set_defaults(func=cmd_stats)
    return p


# What stays as it was when a command fails, in the words of that command.
KEPT = {
    "build": "原来的网站没有改动",
    "serve": "预览停在上一次正确的版本",
    "verify": "网站没有改动",
    "wechat": "没有写入文件",
    "new": "没有新建文件",
    "check": "没有改动任何文件",
    "laws": "没有改动任何文件",
    "stats": "没有写入报告",
}
# Commands that hold the work folder's lock themselves (build) or need it here.
LOCKED = ("import", "new", "verify")


def main(argv: list[str] | None = None) -> int:
    p = parser()
    args = p.parse_args(argv)
    if not getattr(args, "func", None):
        p.print_help()
        return 2
    command = str(args.command)
    kept = KEPT.get(command)
    tail = f"（{kept}）" if kept else ""
    try:
        if command in LOCKED:
            from .worklock import work_lock

            with work_lock(getattr(args, "work", Path(".pufa-build")), command):
                return int(args.func(args))
        return int(args.func(args))
    except UnsafeOutput as exc:
        print(f"{exc}", file=sys.stderr)
        return 2
    except ContentError as exc:
        _show(exc.problems, getattr(args, "content", Path("content")))
        print(f"发现 {len(exc.problems)} 个问题，请按上面的提示修改后再试。", file=sys.stderr)
        return 1
    except ConfigError as exc:
        print(f"设置有误：{exc}", file=sys.stderr)
        return 1
    except PufaError as exc:
        what = "构建失败" if command == "build" else f"pufa {command} 没有完成"
        print(f"{what}：{exc}{tail}", file=sys.stderr)
        return 1
    except OSError as exc:
        print(f"pufa {command} 没有完成：{os_message(exc)}{tail}", file=sys.stderr)
        return 1
    except KeyboardInterrupt:
        print(f"已中断{f'，{kept}' if kept else ''}。", file=sys.stderr)
        return 130
    except Exception:  # noqa: BLE001 - the last guard: log the trace, tell the user in Chinese
        log = Path(".pufa-build") / "error.log"
        try:
            log.parent.mkdir(parents=True, exist_ok=True)
            log.write_text(traceback.format_exc(), encoding="utf-8")
            where = f"详细信息已写入 {log}"
        except OSError:
            where = "无法写入错误日志"
        kept_text = f"，{kept}" if kept else ""
        message = f"程序内部错误（pufa {command}）{kept_text}。{where}，请发给技术人员。"
        print(message, file=sys.stderr)
        return 3


if __name__ == "__main__":
    sys.exit(main())
