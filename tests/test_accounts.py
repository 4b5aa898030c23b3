"""审核与留痕, accounts side: `pufa users`, login, sessions, CSRF, lockout, exposure rules,
and the 工作台's own pages escaping hostile input once accounts exist."""

from __future__ import annotations

import io
import re
import stat
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from starlette.routing import Route
from starlette.testclient import TestClient

from site_builder.accounts.throttle import Throttle
from site_builder.accounts.users import UserStore
from site_builder.build import BuildOptions
from site_builder.cli import main
from site_builder.errors import ConfigError
from site_builder.serve import check_exposure
from site_builder.workbench.app import create_app
from tests.conftest import ROOT

PORT = 8124
BASE = f"http://127.0.0.1:{PORT}"
PASSWORDS = {"王五": "admin-password-1", "张三": "editor-password-1", "李四": "review-password-1"}
ROLES = {"王五": "管理员", "张三": "编辑", "李四": "审核"}


@pytest.fixture(autouse=True)
def cheap_argon2(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("PUFA_ARGON2_COST", "test")


def users_cli(state: Path, monkeypatch: pytest.MonkeyPatch, *args: str, stdin: str = "") -> int:
    monkeypatch.setattr("sys.stdin", io.StringIO(stdin))
    return main(["users", *args, "--state", str(state)])


def test_users_command(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    state = tmp_path / ".pufa-state"
    assert users_cli(state, monkeypatch, "list") == 0
    assert "还没有账号" in capsys.readouterr().out
    assert users_cli(state, monkeypatch, "add", "张三", "--role", "编辑", stdin="短密码\n") == 1
    assert "密码太短" in capsys.readouterr().err
    assert users_cli(state, monkeypatch, "add", "张三", stdin="editor-password-1\n") == 1
    assert "--role" in capsys.readouterr().err
    pw = "editor-password-1\n"
    assert users_cli(state, monkeypatch, "add", "张三", "--role", "编辑", stdin=pw) == 0
    assert users_cli(state, monkeypatch, "add", "张三", "--role", "编辑", stdin=pw) == 1
    assert "已经有账号" in capsys.readouterr().err
    assert stat.S_IMODE(state.stat().st_mode) == 0o700
    users_file = state / "users.json"
    assert stat.S_IMODE(users_file.stat().st_mode) == 0o600
    raw = users_file.read_text("utf-8")
    assert "editor-password-1" not in raw and "$argon2id$" in raw
    assert users_cli(state, monkeypatch, "list") == 0
    assert "张三\t编辑" in capsys.readouterr().out
    store = UserStore(state)
    assert store.verify("张三", "editor-password-1") and not store.verify("张三", "wrong-password")
    assert users_cli(state, monkeypatch, "passwd", "张三", stdin="another-password-2\n") == 0
    assert store.verify("张三", "another-password-2")
    assert users_cli(state, monkeypatch, "remove", "张三") == 0
    assert not store.exists()


def test_real_argon2_parameters_by_default(monkeypatch: pytest.MonkeyPatch) -> None:
    from site_builder.accounts.users import hasher

    monkeypatch.delenv("PUFA_ARGON2_COST")
    assert hasher().memory_cost >= 19456 and hasher().time_cost >= 2


def test_exposure_rules(tmp_path: Path) -> None:
    state = tmp_path / "state"
    with pytest.raises(ConfigError, match="还没有账号"):
        check_exposure("0.0.0.0", state, (None, None), False)
    check_exposure("127.0.0.1", state, (None, None), False)
    UserStore(state).add("王五", "管理员", PASSWORDS["王五"])
    with pytest.raises(ConfigError, match="--tls-cert"):
        check_exposure("0.0.0.0", state, (None, None), False)
    check_exposure("0.0.0.0", state, (None, None), True)
    cert = tmp_path / "c.pem"
    cert.write_text("x")
    with pytest.raises(ConfigError, match="一起用"):
        check_exposure("0.0.0.0", state, (cert, None), False)
    check_exposure("0.0.0.0", state, (cert, cert), False)


def test_cli_refuses_open_host_without_accounts(content_copy: Path, tmp_path: Path) -> None:
    code = main(
        ["serve", "--content", str(content_copy), "--host", "0.0.0.0",
         "--state", str(tmp_path / "state"), "--work", str(tmp_path / "w"),
         "--out", str(tmp_path / "site"), "--config", str(ROOT / "mkdocs.yml"),
         "--themes", str(ROOT / "themes")]
    )  # fmt: skip
    assert code != 0


def test_throttle_grows_per_account_and_address() -> None:
    t = Throttle()
    for _ in range(4):
        t.failed("王五", "10.0.0.9")
    assert 3 < t.wait_left("王五", "10.0.0.9") <= 4
    assert t.wait_left("王五", "10.0.0.2") == 0  # the 管理员 at their own desk
    t.succeeded("王五", "10.0.0.9")


# --- the server -----------------------------------------------------------------------------


@pytest.fixture
def server(content_copy: Path, tmp_path: Path) -> Iterator[tuple[Any, Path, Path]]:
    state = tmp_path / ".pufa-state"
    users = UserStore(state)
    for name, pw in PASSWORDS.items():
        users.add(name, ROLES[name], pw)
    opts = BuildOptions(
        content=content_copy,
        out=tmp_path / "site",
        config=ROOT / "mkdocs.yml",
        themes=ROOT / "themes",
        work=tmp_path / "work",
    )
    app = create_app(opts, tmp_path / "preview", PORT, [], state=state)
    yield app, content_copy, state


def login(app: Any, name: str, base: str = BASE, address: str = "10.0.0.1") -> TestClient:
    c = TestClient(app, base_url=base, client=(address, 5000), follow_redirects=False)
    r = c.post("/__pufa/login", data={"name": name, "password": PASSWORDS[name], "next": "/"})
    assert r.status_code == 303, r.text
    return c


def csrf_of(c: TestClient) -> str:
    found = re.search(r'name="pufa-csrf" content="([^"]+)"', c.get("/__pufa/list/cases").text)
    assert found
    return found.group(1)


def _urls(app: Any) -> list[tuple[str, str]]:
    values = {"folder": "cases", "ident": "lease-deposit", "name": "x.png", "token": "t"}
    values |= {"action": "approve", "path": "cases/lease-deposit/"}
    out = []
    for route in app.app.app.routes:
        assert isinstance(route, Route)
        url = route.path
        for k, v in values.items():
            url = re.sub(r"\{" + k + r"(:[a-z]+)?\}", v, url)
        for method in sorted(route.methods or ["GET"]):
            if method != "HEAD":
                out.append((method, url))
    return out


def test_without_a_session_everything_asks_to_log_in(server: tuple[Any, Path, Path]) -> None:
    app, _, _ = server
    c = TestClient(app, base_url=BASE, follow_redirects=False)
    urls = _urls(app) + [("GET", "/"), ("GET", "/cases/lease-deposit/")]
    checked = 0
    for method, url in urls:
        if url.startswith(("/__pufa/login", "/__pufa/static/")):
            continue
        r = c.request(method, url)
        checked += 1
        if method == "GET" and not url.startswith("/__pufa/api/"):
            assert r.status_code == 303, (method, url, r.status_code)
            assert r.headers["location"].startswith("/__pufa/login?next=")
        else:
            assert r.status_code == 401, (method, url, r.status_code)
            assert r.json()["status"] == "login"
    assert checked > 20
    assert c.get("/__pufa/login").status_code == 200


def test_login_cookie_and_logout(server: tuple[Any, Path, Path]) -> None:
    app, _, _ = server
    c = TestClient(app, base_url=BASE, follow_redirects=False)
    bad = c.post("/__pufa/login", data={"name": "张三", "password": "nope-nope-nope"})
    assert bad.status_code == 401 and "账号或密码不对" in bad.text
    r = c.post(
        "/__pufa/login", data={"name": "张三", "password": PASSWORDS["张三"], "next": "//evil"}
    )
    assert r.status_code == 303 and r.headers["location"] == "/__pufa/"
    cookie = r.headers["set-cookie"]
    assert cookie.startswith("pufa_session=") and "HttpOnly" in cookie
    assert "SameSite=Strict" in cookie and "Secure" not in cookie
    assert c.get("/__pufa/list/cases").status_code == 200
    token = csrf_of(c)
    assert c.post("/__pufa/logout", data={}).status_code == 403  # no CSRF token
    assert c.post("/__pufa/logout", data={"csrf": token}).status_code == 303
    assert c.get("/__pufa/list/cases").status_code == 303


def test_https_cookie_is_secure_host_prefixed(server: tuple[Any, Path, Path]) -> None:
    app, _, _ = server
    c = TestClient(app, base_url=f"https://127.0.0.1:{PORT}", follow_redirects=False)
    r = c.post("/__pufa/login", data={"name": "张三", "password": PASSWORDS["张三"]})
    cookie = r.headers["set-cookie"]
    assert cookie.startswith("__Host-pufa_session=") and "; Secure" in cookie
    assert "Path=/" in cookie and "Domain" not in cookie


def test_csrf_and_roles(server: tuple[Any, Path, Path]) -> None:
    app, content, _ = server
    editor = login(app, "张三")
    before = (content / "site.yml").read_text("utf-8")
    r = editor.post("/__pufa/api/save/cases/lease-deposit", data={"f.title": "x"})
    assert r.status_code == 403 and "安全令牌" in r.json()["message"]
    token = csrf_of(editor)
    r = editor.post("/__pufa/api/save/site/site", data={"csrf": token, "f.name": "改名"})
    assert r.status_code == 403 and "管理员" in r.json()["message"]
    assert editor.post("/__pufa/api/build", data={"csrf": token}).status_code == 403
    assert (content / "site.yml").read_text("utf-8") == before
    # A session's token does not work with another session.
    other = login(app, "李四")
    r = other.post("/__pufa/api/paste", data={"csrf": token, "html": "<b>x</b>"})
    assert r.status_code == 403


def test_password_change_ends_other_sessions(server: tuple[Any, Path, Path]) -> None:
    app, _, state = server
    desk, phone = login(app, "张三"), login(app, "张三", address="10.0.0.7")
    old_cookie = dict(phone.cookies)
    token = csrf_of(desk)
    wrong = desk.post(
        "/__pufa/password",
        data={
            "csrf": token,
            "old": "wrong-one-x",
            "new": "new-password-99",
            "again": "new-password-99",
        },
    )
    assert wrong.status_code == 400
    r = desk.post(
        "/__pufa/password",
        data={
            "csrf": token,
            "old": PASSWORDS["张三"],
            "new": "new-password-99",
            "again": "new-password-99",
        },
    )
    assert r.status_code == 200 and "密码已修改" in r.text
    assert desk.get("/__pufa/list/cases").status_code == 200
    assert phone.get("/__pufa/list/cases").status_code == 303
    stale = TestClient(app, base_url=BASE, cookies=old_cookie, follow_redirects=False)
    assert stale.get("/__pufa/list/cases").status_code == 303
    assert UserStore(state).verify("张三", "new-password-99")


def test_lockout_delays_the_stranger_not_the_admin(server: tuple[Any, Path, Path]) -> None:
    app, _, _ = server
    stranger = TestClient(app, base_url=BASE, client=("10.9.9.9", 1), follow_redirects=False)
    codes = [
        stranger.post(
            "/__pufa/login", data={"name": "王五", "password": f"guess-{i}-xxxx"}
        ).status_code
        for i in range(4)
    ]
    assert codes[0] == 401 and 429 in codes
    r = stranger.post("/__pufa/login", data={"name": "王五", "password": PASSWORDS["王五"]})
    assert r.status_code == 429 and "秒后再试" in r.text  # even the right password waits
    admin = login(app, "王五", address="10.0.0.2")
    assert admin.get("/__pufa/review").status_code == 200


def test_hostile_input_is_escaped_in_the_workbench(server: tuple[Any, Path, Path]) -> None:
    from tests.test_hostile import STEM, H, write_content

    app, content, _ = server
    write_content(content, "free")
    editor = login(app, "张三")
    token = csrf_of(editor)
    reviewer = login(app, "李四")
    rtoken = csrf_of(reviewer)
    editor.post(
        "/__pufa/review/submit", data={"csrf": token, "path": f"cases/{STEM}.md", "comment": H}
    )
    blob = re.search(
        r'name="blob" value="([0-9a-f]+)"', reviewer.get(f"/__pufa/edit/cases/{STEM}").text
    )
    assert blob
    reviewer.post(
        "/__pufa/review/return",
        data={"csrf": rtoken, "path": f"cases/{STEM}.md", "blob": blob.group(1), "comment": H},
    )
    urls = [
        f"/__pufa/list/{f}" for f in ("cases", "villages", "advisors", "services", "rules", "pages")
    ]
    urls += [
        f"/__pufa/edit/{f}/{STEM}" for f in ("cases", "villages", "advisors", "services", "rules")
    ]
    urls += [
        "/__pufa/edit/pages/" + STEM,
        "/__pufa/site",
        "/__pufa/review",
        f"/__pufa/history/cases/{STEM}",
    ]
    urls += [f"/__pufa/login?next={H}"]
    for url in urls:
        page = editor.get(url).text
        for raw in ("<script>alert", "<img src=x", "<svg onload", "</textarea>]]>"):
            assert raw not in page, (url, raw)
    queue = editor.get("/__pufa/review").text
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in queue
