"""`pufa publish` against real servers on loopback: SFTP (OpenSSH), WebDAV (rclone), S3 (moto),
a folder; nginx serves what landed under /sfj/pufa/ for the post-publish check."""

from __future__ import annotations

import json
import os
import shutil
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

from site_builder.build import build
from site_builder.cli import main
from site_builder.content import load
from site_builder.errors import ConfigError
from site_builder.publish import CheckFailed, PublishError, PublishOptions, publish
from site_builder.publish.check import check_published
from site_builder.publish.history import restore_history
from site_builder.publish.record import ENTRY, phase, site_files
from site_builder.publish.target import credentials, parse_target
from tests.conftest import EXAMPLE, ROOT, build_opts
from tests.servers import S3, Servers, Sshd, Webdav, s3_server, servers, sshd_server, static_under
from tests.servers import webdav_server as webdav_server

__all__ = ["s3_server", "servers", "sshd_server", "webdav_server"]  # session fixtures

PATH = "/sfj/pufa/"
SITE_URL = "https://pufa.example.cn/"  # mkdocs.yml: what the QR codes encode


def site_copy(built_site: Path, tmp: Path) -> Path:
    out = tmp / "site"
    shutil.copytree(built_site, out, symlinks=True)
    return out


def options(site: Path, to: str, check_url: str | None, **env: str) -> PublishOptions:
    return PublishOptions(
        site=site,
        content=EXAMPLE,
        to=to,
        check_url=check_url,
        site_url=SITE_URL,
        check_timeout=5,
        check_interval=0.5,
        environ={f"PUFA_PUBLISH_{k}": v for k, v in env.items()},
    )


def tree(folder: Path) -> dict[str, tuple[str, int]]:
    return {k: v for k, v in site_files(folder).items() if not k.startswith(".pufa/")}


def test_sftp_publish_is_checked_and_a_one_case_edit_sends_only_what_changed(
    tmp_path: Path, built_site: Path, sshd_server: Sshd, servers: Servers
) -> None:
    www = tmp_path / "www"
    www.mkdir()
    check_url = servers.nginx(static_under(PATH, www)).url + PATH
    to = f"sftp://{sshd_server.user}@127.0.0.1:{sshd_server.port}{www}"
    keys = {"SSH_KEY": str(sshd_server.user_key), "KNOWN_HOSTS": str(sshd_server.known_hosts)}
    first = site_copy(built_site, tmp_path / "a")
    events: list[str] = []
    result = publish(options(first, to, check_url, **keys), lambda p: events.append(p.stage))
    assert result.check is not None and result.check.ok
    assert result.check.qr_pages > 20  # every page a printed code points to was fetched
    assert result.files_sent == len(site_files(first))
    assert tree(www) == tree(first)
    assert {"上传资源、印刷品和搜索索引", "上传网页", "发布后检查"} <= set(events)
    record = json.loads((www / ".pufa" / "files.json").read_text(encoding="utf-8"))
    assert set(record["files"]) == set(site_files(first))
    assert (www / ".pufa" / "published.json").is_file() and (www / ".pufa" / "manifest.json")

    # Edit one case and build again (the print cache of the first build is reused).
    content = tmp_path / "content"
    shutil.copytree(EXAMPLE, content)
    case = content / "cases" / "iou-loan.md"
    text = case.read_text(encoding="utf-8")
    case.write_text(text.replace("## 案情", "## 案情\n\n（本案例已更新。）", 1), encoding="utf-8")
    work = tmp_path / "work"
    shutil.copytree(built_site.parent / "work" / "print-cache", work / "print-cache")
    second = tmp_path / "b" / "site"
    build(build_opts(content, second, work))
    before, after = site_files(first), site_files(second)
    changed = {f for f in after if before.get(f) != after[f]}
    gone = set(before) - set(after)
    dry = publish(
        PublishOptions(
            site=second, content=content, to=to, site_url=SITE_URL, dry_run=True,
            environ={f"PUFA_PUBLISH_{k}": v for k, v in keys.items()},
        )
    )  # fmt: skip
    assert set(dry.plan.send) == changed and set(dry.plan.delete) == gone
    again = publish(options(second, to, check_url, **keys))
    assert set(again.plan.send) == changed and set(again.plan.delete) == gone
    assert "cases/iou-loan/index.html" in changed
    assert again.files_sent < len(after) / 10, sorted(changed)
    assert again.check is not None and again.check.ok
    assert tree(www) == tree(second)


def test_webdav_publish_is_checked(
    tmp_path: Path, built_site: Path, webdav_server: Webdav, servers: Servers
) -> None:
    root = webdav_server.root / "pufa"
    root.mkdir(exist_ok=True)
    check_url = servers.nginx(static_under(PATH, root)).url + PATH
    to = f"webdav+http://127.0.0.1:{webdav_server.port}/pufa"
    site = site_copy(built_site, tmp_path)
    env = {"USER": webdav_server.user, "PASSWORD": webdav_server.password}
    result = publish(options(site, to, check_url, **env))
    assert result.check is not None and result.check.ok
    assert tree(root) == tree(site)
    with pytest.raises(PublishError, match="rclone 出错"):
        publish(options(site, to, None, USER=webdav_server.user, PASSWORD="wrong"))


def test_s3_publish_behind_a_proxy_is_checked(
    tmp_path: Path, built_site: Path, s3_server: S3, servers: Servers
) -> None:
    # The portal's nginx in front of the object store, as on a 政务云.
    proxy = f"""
    location {PATH} {{
      rewrite ^(.*)/$ $1/index.html;
      rewrite ^{PATH}(.*)$ /pufa-bucket/sfj/pufa/$1 break;
      proxy_pass {s3_server.url};
    }}
"""
    check_url = servers.nginx(proxy).url + PATH
    # public-read: the portal proxies anonymous reads (a private bucket needs signed proxying)
    to = f"s3://pufa-bucket/sfj/pufa?endpoint={s3_server.url}&region=us-east-1&acl=public-read"
    site = site_copy(built_site, tmp_path)
    keys = {"ACCESS_KEY_ID": s3_server.access_key, "SECRET_ACCESS_KEY": s3_server.secret_key}
    result = publish(options(site, to, check_url, **keys))
    assert result.check is not None and result.check.ok
    again = publish(options(site, to, check_url, **keys))
    assert again.files_sent == 0 and again.plan.delete == []


def test_a_killed_publish_is_completed_by_the_next_and_pages_never_lack_assets(
    tmp_path: Path, built_site: Path, servers: Servers
) -> None:
    target = tmp_path / "target"
    site = site_copy(built_site, tmp_path)
    cmd = [sys.executable, "-m", "site_builder.cli", "publish", "--content", str(EXAMPLE)]
    cmd += ["--out", str(site), "--work", str(tmp_path / "work"), "--to", f"file://{target}"]
    cmd += ["--config", str(ROOT / "mkdocs.yml"), "--bwlimit", "6M"]
    proc = subprocess.Popen(
        cmd, start_new_session=True, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL
    )
    try:
        deadline = time.monotonic() + 60
        while not any(target.rglob("*.html")) and time.monotonic() < deadline:
            assert proc.poll() is None, "the publish ended before it could be killed"
            time.sleep(0.01)
    finally:
        os.killpg(proc.pid, signal.SIGKILL)  # the publish and its rclone, mid-pages
        proc.wait()
    local = site_files(site)
    landed = site_files(target)
    assets = {f for f in local if phase(f) == 0}
    assert any(f.endswith(".html") for f in landed)
    assert {f for f in assets if landed.get(f) != local[f]} == set()  # every asset was there
    assert not any(f in landed for f in ENTRY)  # search entry and sitemap still the old ones
    assert (target / ".pufa" / "pending.json").is_file()
    assert not (target / ".pufa" / "files.json").exists()
    result = publish(options(site, f"file://{target}", None))
    assert result.plan.resumed and "上次发布没有完成" in result.notes[0]
    assert tree(target) == tree(site)
    assert not (target / ".pufa" / "pending.json").exists()


def test_wrong_check_url_missing_and_stale_pages_are_named(
    tmp_path: Path, built_site: Path, servers: Servers
) -> None:
    target = tmp_path / "www"
    base = servers.nginx(static_under(PATH, target)).url
    site = site_copy(built_site, tmp_path)
    wrong = options(site, f"file://{target}", base + "/wrong/path/")
    wrong.check_timeout = 1.5
    with pytest.raises(CheckFailed) as failed:
        publish(wrong)
    message = str(failed.value)
    assert "发布后检查没有通过" in message
    assert f"{base}/wrong/path/：打不开（HTTP 404）" in message
    assert failed.value.result.files_sent > 0  # the files landed; the address is wrong
    (target / "villages" / "lanxin" / "index.html").unlink()  # a page a QR code points to
    (target / "index.html").write_text("旧的首页", encoding="utf-8")
    result = check_published(site, SITE_URL, base + PATH, timeout=1, interval=0.2)
    assert set(result.failures) == {"", "villages/lanxin/"}
    assert result.failures["villages/lanxin/"].startswith("打不开（HTTP 40")  # 403: no index
    assert "不一样" in result.failures[""]


def test_deletes_only_what_a_publish_put_there(tmp_path: Path, built_site: Path) -> None:
    target = tmp_path / "target"
    site = site_copy(built_site, tmp_path)
    publish(options(site, f"file://{target}", None))
    (target / "portal-banner.html").write_text("集约化平台自己的文件", encoding="utf-8")
    (site / "cases" / "iou-loan" / "wechat.html").unlink()
    result = publish(options(site, f"file://{target}", None))
    assert result.plan.delete == ["cases/iou-loan/wechat.html"] and result.files_sent == 0
    assert not (target / "cases" / "iou-loan" / "wechat.html").exists()
    assert (target / "portal-banner.html").is_file()


def test_a_fresh_machine_reads_editions_and_urls_back_from_the_target(
    tmp_path: Path, built_site: Path
) -> None:
    target = tmp_path / "target"
    site = site_copy(built_site, tmp_path)
    publish(options(site, f"file://{target}", None))
    content = tmp_path / "clone" / "content"
    shutil.copytree(EXAMPLE, content)
    site_yml = content / "site.yml"
    site_yml.write_text(
        site_yml.read_text(encoding="utf-8") + f"publish:\n  to: file://{target}\n",
        encoding="utf-8",
    )
    ledger = json.loads((content / ".published.json").read_text(encoding="utf-8"))
    (content / ".published.json").write_text(json.dumps(ledger[:-3]), encoding="utf-8")
    loaded = load(content)
    assert loaded.site.publish.to == f"file://{target}"
    fresh = tmp_path / "clone" / "site"
    notes = restore_history(loaded, content, fresh)
    assert any("补回了 3 个已发布网址" in n for n in notes), notes
    assert json.loads((content / ".published.json").read_text(encoding="utf-8")) == ledger
    assert set(ledger) <= set(loaded.ledger)
    editions = json.loads((fresh / "print" / "manifest.json").read_text(encoding="utf-8"))
    assert editions == json.loads((site / "print" / "manifest.json").read_text(encoding="utf-8"))
    assert restore_history(loaded, content, fresh) == []  # a local history wins


def test_credentials_stay_out_of_the_content_and_servers_are_verified(tmp_path: Path) -> None:
    loose = tmp_path / "publish.env"
    loose.write_text("PUFA_PUBLISH_PASSWORD=secret\n", encoding="utf-8")
    loose.chmod(0o644)
    with pytest.raises(ConfigError, match="chmod 600"):
        credentials(None, {"PUFA_PUBLISH_CREDENTIALS": str(loose)})
    loose.chmod(0o600)
    assert credentials(None, {"PUFA_PUBLISH_CREDENTIALS": str(loose)})["PASSWORD"] == "secret"
    inside = tmp_path / "content" / "publish.env"
    inside.parent.mkdir()
    shutil.copy(loose, inside)
    inside.chmod(0o600)
    with pytest.raises(ConfigError, match="在内容文件夹里"):
        credentials(inside.parent, {"PUFA_PUBLISH_CREDENTIALS": str(inside)})
    with pytest.raises(ConfigError, match="写了密码"):
        parse_target("sftp://u:pw@host/srv", {})
    with pytest.raises(ConfigError, match="不加密的 http"):
        parse_target("webdav+http://dav.example.cn/pufa", {"PASSWORD": "x"})
    with pytest.raises(ConfigError, match="不加密的 http"):
        parse_target("s3://b/p?endpoint=http://oss.example.cn", {})
    with pytest.raises(ConfigError, match="主机密钥"):
        parse_target("sftp://host/srv", {"KNOWN_HOSTS": str(tmp_path / "none"), "PASSWORD": "x"})
    with pytest.raises(ConfigError, match="不认识的发布地址"):
        parse_target("ftp://host/srv", {})
    dav = parse_target("webdav+https://dav.example.cn/pufa", {"USER": "u", "PASSWORD": "p"})
    assert dav.env["RCLONE_CONFIG_PUFA_URL"] == "https://dav.example.cn/pufa"
    assert "p" not in dav.env.values()  # rclone gets the password obscured, in its environment
    assert "p" not in dav.flags


def test_cli_dry_run_lists_changes(
    tmp_path: Path, built_site: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    site = site_copy(built_site, tmp_path)
    target = tmp_path / "target"
    args = ["publish", "--content", str(EXAMPLE), "--out", str(site), "--to", f"file://{target}"]
    args += ["--work", str(tmp_path / "work"), "--config", str(ROOT / "mkdocs.yml"), "--dry-run"]
    assert main(args) == 0
    out = capsys.readouterr().out
    assert f"将发送 {len(site_files(site))} 个文件" in out and "  发送 index.html" in out
    assert not target.exists()
