"""Where `pufa publish` sends the site: the URL in site.yml and the credentials beside it.

The URL names the place; the secrets never live in the content folder. They come from the
environment (``PUFA_PUBLISH_*``) or from a ``KEY=VALUE`` file readable by its owner alone
(``PUFA_PUBLISH_CREDENTIALS``, default ``~/.config/pufa/publish.env``). The target becomes an
rclone remote defined through rclone's own environment variables, so nothing secret is ever
on a command line (visible in ``ps``) or written to disk.
"""

from __future__ import annotations

import os
import stat
import subprocess
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import parse_qs, unquote, urlsplit

from ..errors import ConfigError

REMOTE = "pufa"  # the rclone remote's name, defined only in the environment of rclone
ENV_PREFIX = "PUFA_PUBLISH_"
SECRET_KEYS = (
    "USER",
    "PASSWORD",
    "SSH_KEY",
    "KNOWN_HOSTS",
    "ACCESS_KEY_ID",
    "SECRET_ACCESS_KEY",
    "CA_FILE",
)
DEFAULT_CREDENTIALS = Path("~/.config/pufa/publish.env")
LOOPBACK = ("127.0.0.1", "localhost", "::1")
SCHEMES = (
    "file:///文件夹、sftp://主机/路径、s3://桶/前缀?endpoint=https://…、webdav+https://主机/路径"
)


@dataclass
class Target:
    """A parsed ``publish.to``: the rclone remote (``env``) and the path on it (``root``)."""

    url: str
    kind: str  # file | sftp | s3 | webdav
    root: str  # "pufa:<path>" for rclone
    env: dict[str, str] = field(default_factory=dict)  # RCLONE_CONFIG_PUFA_* and friends
    flags: list[str] = field(default_factory=list)  # extra rclone flags (never secrets)

    def path(self, rel: str) -> str:
        """The rclone path of ``rel`` under the target's root."""
        return f"{self.root.rstrip('/')}/{rel}" if rel else self.root


def credentials(content: Path | None, environ: dict[str, str] | None = None) -> dict[str, str]:
    """``USER``, ``PASSWORD`` … from the environment, else from the credentials file.

    The file must belong to the user running pufa, be readable by that user alone (mode
    600 or 400) and lie outside the content folder; anything else is refused in Chinese.
    """
    env = dict(os.environ if environ is None else environ)
    named = env.get(ENV_PREFIX + "CREDENTIALS")
    path = Path(named).expanduser() if named else DEFAULT_CREDENTIALS.expanduser()
    values: dict[str, str] = {}
    if named or path.is_file():
        values = _read_credentials(path, content)
    for key in SECRET_KEYS:
        if env.get(ENV_PREFIX + key):
            values[key] = env[ENV_PREFIX + key]
    return values


def _read_credentials(path: Path, content: Path | None) -> dict[str, str]:
    try:
        info = path.stat()
    except OSError:
        raise ConfigError(f"找不到发布凭据文件 {path}（PUFA_PUBLISH_CREDENTIALS）") from None
    if content is not None and _inside(path, content):
        raise ConfigError(
            f"发布凭据文件 {path} 在内容文件夹里：内容会提交到版本库，密码不能放在那里。"
            "请移到 ~/.config/pufa/publish.env"
        )
    _owner_only(path, info, "发布凭据文件")
    values = {}
    for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1):
        line = line.strip()
        if not line or line.startswith("#"):
            continue
        key, sep, value = line.partition("=")
        key = key.strip().removeprefix(ENV_PREFIX)
        if not sep or key not in SECRET_KEYS:
            raise ConfigError(
                f"{path} 第 {number} 行：应为 名称=值，名称可用 "
                + "、".join(ENV_PREFIX + k for k in SECRET_KEYS)
            )
        values[key] = value.strip().strip('"')
    return values


def _owner_only(path: Path, info: os.stat_result, what: str) -> None:
    if info.st_uid != os.geteuid() or info.st_mode & (stat.S_IRWXG | stat.S_IRWXO):
        raise ConfigError(
            f"{what} {path} 别人也能读（或不属于当前用户）：请运行 chmod 600 {path}，只让自己能读"
        )


def _inside(path: Path, folder: Path) -> bool:
    try:
        path.resolve().relative_to(folder.resolve())
    except ValueError:
        return False
    return True


def parse_target(url: str, secrets: dict[str, str], content: Path | None = None) -> Target:
    """Turn ``publish.to`` into an rclone remote; refuse what would leak or go unverified."""
    parts = urlsplit(url.strip())
    scheme = parts.scheme.lower()
    if parts.password:
        raise ConfigError(
            f"发布地址 {_safe(url)} 里写了密码：site.yml 会提交到版本库，密码不能写在这里。"
            "请改用环境变量 PUFA_PUBLISH_PASSWORD 或凭据文件（见 docs/hosting.md）"
        )
    env: dict[str, str] = {}
    flags: list[str] = []
    if secrets.get("CA_FILE"):
        flags += ["--ca-cert", secrets["CA_FILE"]]

    def conf(key: str, value: str) -> None:
        env[f"RCLONE_CONFIG_{REMOTE.upper()}_{key.upper()}"] = value

    path = unquote(parts.path)
    if scheme == "file":
        if parts.netloc not in ("", "localhost") or not path.startswith("/"):
            raise ConfigError(f"发布地址 {url} 应写成 file:///绝对路径，如 file:///mnt/share/pufa")
        conf("type", "local")
        return Target(url, "file", f"{REMOTE}:{path}", env, flags)
    if scheme == "sftp":
        if not parts.hostname:
            raise ConfigError(f"发布地址 {url} 缺少主机名，如 sftp://web.example.gov.cn/srv/pufa")
        conf("type", "sftp")
        conf("host", parts.hostname)
        conf("port", str(parts.port or 22))
        user = secrets.get("USER") or parts.username or ""
        if user:
            conf("user", user)
        known = Path(secrets.get("KNOWN_HOSTS") or "~/.ssh/known_hosts").expanduser()
        if not known.is_file():
            raise ConfigError(
                f"没有找到 SFTP 服务器的主机密钥登记文件 {known}：为了不把网站发到冒充的服务器，"
                "主机密钥必须事先登记。请向服务器管理员要主机密钥指纹，核对后运行 "
                f"ssh-keyscan -p {parts.port or 22} {parts.hostname} >> {known}"
                "（或用 PUFA_PUBLISH_KNOWN_HOSTS 指定文件）"
            )
        conf("known_hosts_file", str(known))
        conf("disable_hashcheck", "true")  # no shell commands on the server: SFTP only
        if secrets.get("SSH_KEY"):
            key = Path(secrets["SSH_KEY"]).expanduser()
            try:
                info = key.stat()
            except OSError:
                raise ConfigError(f"找不到 SSH 私钥文件 {key}（PUFA_PUBLISH_SSH_KEY）") from None
            if content is not None and _inside(key, content):
                raise ConfigError(f"SSH 私钥 {key} 在内容文件夹里，请移到别处（如 ~/.ssh/）")
            _owner_only(key, info, "SSH 私钥")
            conf("key_file", str(key))
        elif secrets.get("PASSWORD"):
            conf("pass", obscure(secrets["PASSWORD"]))
        else:
            raise ConfigError(
                "SFTP 发布需要私钥或密码：请设置 PUFA_PUBLISH_SSH_KEY（私钥文件）"
                "或 PUFA_PUBLISH_PASSWORD"
            )
        return Target(url, "sftp", f"{REMOTE}:{path or '.'}", env, flags)
    if scheme == "s3":
        query = {k: v[-1] for k, v in parse_qs(parts.query).items()}
        endpoint = query.get("endpoint", "")
        if not parts.hostname or not endpoint:
            raise ConfigError(
                f"发布地址 {url} 应写成 s3://桶名/前缀?endpoint=https://对象存储地址，"
                "如 s3://pufa/site?endpoint=https://oss-cn-zhengzhou.example.com"
            )
        _require_tls(endpoint, url)
        conf("type", "s3")
        conf("provider", query.get("provider", "Other"))
        conf("endpoint", endpoint)
        if query.get("region"):
            conf("region", query["region"])
        if not (secrets.get("ACCESS_KEY_ID") and secrets.get("SECRET_ACCESS_KEY")):
            raise ConfigError(
                "对象存储发布需要访问密钥：请设置 PUFA_PUBLISH_ACCESS_KEY_ID 和 "
                "PUFA_PUBLISH_SECRET_ACCESS_KEY"
            )
        conf("access_key_id", secrets["ACCESS_KEY_ID"])
        conf("secret_access_key", secrets["SECRET_ACCESS_KEY"])
        conf("acl", query.get("acl", "private"))
        bucket = parts.netloc.rsplit("@", 1)[-1]
        return Target(url, "s3", f"{REMOTE}:{bucket}{path}", env, flags)
    if scheme in ("webdav+https", "webdav+http", "webdav"):
        if not parts.hostname:
            raise ConfigError(f"发布地址 {url} 缺少主机名，如 webdav+https://dav.example.cn/pufa")
        http = "http" if scheme == "webdav+http" else "https"
        base = f"{http}://{parts.netloc.rsplit('@', 1)[-1]}{parts.path or '/'}"
        _require_tls(base, url)
        conf("type", "webdav")
        conf("url", base)
        conf("vendor", "other")
        user = secrets.get("USER") or parts.username or ""
        if user:
            conf("user", user)
        if secrets.get("PASSWORD"):
            conf("pass", obscure(secrets["PASSWORD"]))
        return Target(url, "webdav", f"{REMOTE}:", env, flags)
    raise ConfigError(f"不认识的发布地址 {_safe(url)}：应以 {SCHEMES} 开头")


def _require_tls(address: str, url: str) -> None:
    """Plain HTTP only to this machine (tests, a local proxy): anything else is HTTPS."""
    parts = urlsplit(address)
    if parts.scheme == "http" and parts.hostname not in LOOPBACK:
        raise ConfigError(
            f"发布地址 {_safe(url)} 用的是不加密的 http：密码和网站会明文传输。请改用 https"
        )
    if parts.scheme not in ("http", "https"):
        raise ConfigError(f"发布地址 {_safe(url)} 的 endpoint 应以 https:// 开头")


def _safe(url: str) -> str:
    """``url`` without a password, for messages."""
    parts = urlsplit(url)
    if parts.password:
        return url.replace(f":{parts.password}@", ":***@")
    return url


def obscure(secret: str) -> str:
    """rclone's reversible config encoding of a password (it requires it), via stdin."""
    done = subprocess.run(
        ["rclone", "obscure", "-"], input=secret.encode(), capture_output=True, check=False
    )
    if done.returncode != 0:
        raise ConfigError("rclone 无法处理发布密码：" + done.stderr.decode(errors="replace"))
    return done.stdout.decode().strip()
