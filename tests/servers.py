"""Real servers for the tests, on 127.0.0.1 only, in temporary folders, stopped after the session.

Each server is a small class with ``start``/``stop`` and a session-scoped factory fixture that
starts as many as a test needs and stops them all at the end:

- :class:`Nginx` — Debian's nginx with a ``server { … }`` body given by the test (an access log
  in its folder: ``access_log``), e.g. a published tree under ``/sfj/pufa/`` or a reverse proxy;
- :class:`Sshd` — OpenSSH's ``sshd`` as a throw-away instance (its own host key, a user key made
  here, ``-o`` options only: nothing from /etc/ssh), with ``known_hosts`` pinning its host key;
- :class:`Webdav` — ``rclone serve webdav`` with a user name and password;
- :class:`S3` — moto's standalone S3 server (``moto_server``).

Use them with the fixtures ``nginx_servers``, ``sshd_server``, ``webdav_server``, ``s3_server``.
"""

from __future__ import annotations

import getpass
import os
import shutil
import signal
import socket
import subprocess
import sys
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import TypeVar

import pytest

HOST = "127.0.0.1"  # never another address
_S = TypeVar("_S", bound="Server")


def free_port() -> int:
    """A TCP port free on 127.0.0.1 right now."""
    with socket.socket() as s:
        s.bind((HOST, 0))
        return int(s.getsockname()[1])


def wait_port(port: int, proc: subprocess.Popen[bytes], log: Path, timeout: float = 20) -> None:
    """Wait until something listens on ``port``; fail with the server's log if it died."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if proc.poll() is not None:
            raise RuntimeError(f"server exited ({proc.returncode}): {log.read_text()[-2000:]}")
        try:
            with socket.create_connection((HOST, port), timeout=0.5):
                return
        except OSError:
            time.sleep(0.05)
    raise RuntimeError(f"server not listening on {port}: {log.read_text()[-2000:]}")


@dataclass
class Server:
    """A process listening on ``HOST:port``, its files in ``folder``."""

    folder: Path
    port: int = 0
    proc: subprocess.Popen[bytes] | None = None

    @property
    def log(self) -> Path:
        return self.folder / "server.log"

    def _spawn(self, argv: list[str], env: dict[str, str] | None = None) -> None:
        self.folder.mkdir(parents=True, exist_ok=True)
        out = self.log.open("ab")
        self.proc = subprocess.Popen(argv, stdout=out, stderr=out, env=env, cwd=self.folder)
        out.close()
        wait_port(self.port, self.proc, self.log)

    def stop(self) -> None:
        if self.proc and self.proc.poll() is None:
            self.proc.terminate()
            try:
                self.proc.wait(10)
            except subprocess.TimeoutExpired:
                self.proc.kill()
                self.proc.wait()


NGINX_CONF = """\
{user}
worker_processes 1;
daemon off;
pid {folder}/nginx.pid;
error_log {folder}/error.log warn;
events {{ worker_connections 256; }}
http {{
  include /etc/nginx/mime.types;
  default_type application/octet-stream;
  client_body_temp_path {folder}/tmp/body;
  proxy_temp_path {folder}/tmp/proxy;
  fastcgi_temp_path {folder}/tmp/fastcgi;
  uwsgi_temp_path {folder}/tmp/uwsgi;
  scgi_temp_path {folder}/tmp/scgi;
{http}
  access_log {folder}/access.log{log_format};
  server {{
    listen {host}:{port};
    server_name localhost;
{body}
  }}
}}
"""


@dataclass
class Nginx(Server):
    """Debian's nginx; ``body`` is the inside of its one ``server`` block, ``http`` more
    ``http``-level settings (a ``map``, a ``log_format``; name it in ``log_format`` to write
    ``access.log`` in it, else nginx's ``combined``)."""

    body: str = ""
    http: str = ""
    log_format: str = ""

    @property
    def url(self) -> str:
        return f"http://{HOST}:{self.port}"

    @property
    def access_log(self) -> Path:
        return self.folder / "access.log"

    def start(self) -> Nginx:
        self.port = self.port or free_port()
        (self.folder / "tmp").mkdir(parents=True, exist_ok=True)
        user = "user root;" if os.geteuid() == 0 else ""  # workers must read the tmp folders
        conf = self.folder / "nginx.conf"
        conf.write_text(
            NGINX_CONF.format(
                user=user,
                folder=self.folder,
                host=HOST,
                port=self.port,
                body=self.body,
                http=self.http,
                log_format=f" {self.log_format}" if self.log_format else "",
            ),
            encoding="utf-8",
        )
        nginx = shutil.which("nginx") or "/usr/sbin/nginx"
        self._spawn([nginx, "-p", str(self.folder), "-c", str(conf), "-e", str(self.log)])
        return self


@dataclass
class Sshd(Server):
    """A throw-away OpenSSH server for SFTP: its host key is pinned in ``known_hosts``, the
    login is ``user`` with the private key ``user_key`` (no password)."""

    user: str = field(default_factory=getpass.getuser)

    @property
    def user_key(self) -> Path:
        return self.folder / "user_key"

    @property
    def known_hosts(self) -> Path:
        return self.folder / "known_hosts"

    def start(self) -> Sshd:
        self.port = self.port or free_port()
        self.folder.mkdir(parents=True, exist_ok=True)
        keygen = ["ssh-keygen", "-q", "-t", "ed25519", "-N", ""]
        subprocess.run([*keygen, "-f", str(self.folder / "host_key")], check=True)
        subprocess.run([*keygen, "-f", str(self.user_key)], check=True)
        authorized = self.folder / "authorized_keys"
        shutil.copy(self.folder / "user_key.pub", authorized)
        authorized.chmod(0o600)
        host_pub = (self.folder / "host_key.pub").read_text().split()
        self.known_hosts.write_text(f"[{HOST}]:{self.port} {host_pub[0]} {host_pub[1]}\n")
        if os.geteuid() == 0:
            Path("/run/sshd").mkdir(mode=0o755, exist_ok=True)  # sshd's privilege separation
        config = self.folder / "sshd_config"
        config.write_text("# all options are given with -o\n")
        options = {
            "ListenAddress": f"{HOST}:{self.port}",
            "HostKey": str(self.folder / "host_key"),
            "AuthorizedKeysFile": str(authorized),
            "PidFile": str(self.folder / "sshd.pid"),
            "PasswordAuthentication": "no",
            "KbdInteractiveAuthentication": "no",
            "PermitRootLogin": "prohibit-password",
            "AllowUsers": self.user,
            "StrictModes": "no",
            "UsePAM": "no",
            "Subsystem": "sftp internal-sftp",
            "LogLevel": "ERROR",
        }
        argv = ["/usr/sbin/sshd", "-D", "-e", "-f", str(config)]
        for key, value in options.items():
            argv += ["-o", f"{key}={value}"]
        self._spawn(argv)
        return self


@dataclass
class Webdav(Server):
    """``rclone serve webdav`` of ``root`` with a user name and password."""

    user: str = "pufa"
    password: str = "webdav-test-secret"

    @property
    def root(self) -> Path:
        return self.folder / "root"

    @property
    def url(self) -> str:
        return f"http://{HOST}:{self.port}/"

    def start(self) -> Webdav:
        self.port = self.port or free_port()
        self.root.mkdir(parents=True, exist_ok=True)
        argv = ["rclone", "serve", "webdav", str(self.root), "--addr", f"{HOST}:{self.port}"]
        argv += ["--user", self.user, "--pass", self.password, "--config", "/dev/null"]
        self._spawn(argv)
        return self


@dataclass
class S3(Server):
    """moto's standalone S3 server (keys are accepted, not checked)."""

    access_key: str = "pufa-test-key"
    secret_key: str = "pufa-test-secret"

    @property
    def url(self) -> str:
        return f"http://{HOST}:{self.port}"

    def start(self) -> S3:
        self.port = self.port or free_port()
        moto = Path(sys.executable).with_name("moto_server")
        self._spawn([str(moto), "-H", HOST, "-p", str(self.port)])
        return self


class Servers:
    """Starts servers on demand; :meth:`stop_all` ends every one it started."""

    def __init__(self, base: Path) -> None:
        self.base = base
        self.started: list[Server] = []

    def _folder(self, kind: str) -> Path:
        return self.base / f"{kind}-{len(self.started)}"

    def nginx(self, body: str, port: int = 0, http: str = "", log_format: str = "") -> Nginx:
        server = Nginx(self._folder("nginx"), port, body=body, http=http, log_format=log_format)
        return self._add(server.start())

    def sshd(self) -> Sshd:
        return self._add(Sshd(self._folder("sshd")).start())

    def webdav(self) -> Webdav:
        return self._add(Webdav(self._folder("webdav")).start())

    def s3(self) -> S3:
        return self._add(S3(self._folder("s3")).start())

    def _add(self, server: _S) -> _S:
        self.started.append(server)
        return server

    def stop_all(self) -> None:
        for server in reversed(self.started):
            server.stop()


@pytest.fixture(scope="session")
def servers(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Servers]:
    """Start any number of servers; all are stopped when the session ends."""
    s = Servers(tmp_path_factory.mktemp("servers"))
    yield s
    s.stop_all()


@pytest.fixture(scope="session")
def sshd_server(servers: Servers) -> Sshd:
    return servers.sshd()


@pytest.fixture(scope="session")
def webdav_server(servers: Servers) -> Webdav:
    return servers.webdav()


@pytest.fixture(scope="session")
def s3_server(servers: Servers) -> S3:
    return servers.s3()


def static_under(path: str, root: Path, extra: str = "") -> str:
    """An nginx server body serving ``root`` at ``path`` (``/sfj/pufa/``), with the site's
    own 404 page, the way a portal publishes a department's folder."""
    return f"""
    location = {path.rstrip("/")} {{ return 301 {path}; }}
    location {path} {{
      alias {root}/;
      index index.html;
      error_page 404 {path}404.html;
      {extra}
    }}
"""


@contextmanager
def pufa_serve(args: list[str], ready: str, timeout: float = 60) -> Iterator[None]:
    """Run `pufa serve ARGS` until the block ends: wait for the line starting with ``ready``
    (or ``timeout`` seconds), stop it with Ctrl+C (SIGINT to its process group) after."""
    proc = subprocess.Popen(
        [sys.executable, "-m", "site_builder.cli", "serve", *args],
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
        env={**os.environ, "PYTHONUNBUFFERED": "1"},
        start_new_session=True,
    )
    assert proc.stdout is not None
    deadline = time.monotonic() + timeout
    for line in proc.stdout:
        if line.startswith(ready) or time.monotonic() > deadline:
            break
    try:
        yield
    finally:
        os.killpg(proc.pid, signal.SIGINT)
        proc.wait(timeout=20)
