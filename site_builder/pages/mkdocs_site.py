"""The thin MkDocs layer: derive a config from the project's mkdocs.yml and run a build.

Everything MkDocs-specific lives here, so that moving to another renderer (Zensical reads
the same mkdocs.yml) touches one module.
"""

from __future__ import annotations

import hashlib
import io
import logging
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

import yaml

from ..content import Content, registry
from ..errors import BuildError, ConfigError
from ..safefs import os_reason

SANITIZER = "site_builder.pages.sanitize"


def nav() -> list[dict[str, str]]:
    """A few top-level entries whatever the size of the site: home, then each listed type."""
    return [{"首页": "index.md"}] + [
        {k.nav_title or "": f"{k.folder}/index.md"} for k in registry.listed()
    ]


def read_project_config(path: Path) -> dict[str, Any]:
    """Read mkdocs.yml (plain YAML); site_url is required: every QR code is built from it."""
    if not path.is_file():
        raise ConfigError(
            f"找不到 {path}：请在项目根目录（有 mkdocs.yml 的文件夹）运行，或用 --config 指定"
        )
    data = _load_mkdocs_yaml(path)
    if not isinstance(data, dict):
        raise ConfigError(f"{path}：应为“键: 值”的设置文件")
    url = str(data.get("site_url") or "").strip()
    if not url:
        raise ConfigError(
            f"{path}：缺少 site_url（网站正式地址，如 https://pufa.example.cn/）；"
            "所有二维码都由它生成，没有它不能构建"
        )
    problem = site_url_problem(url)
    if problem:
        raise ConfigError(f"{path}：site_url“{url}”{problem}；所有二维码都由它生成")
    data["site_url"] = url if url.endswith("/") else url + "/"
    return data


def _load_mkdocs_yaml(path: Path) -> Any:
    """mkdocs.yml read with MkDocs' own loader, so its documented tags (``!ENV``,
    ``INHERIT``) mean what MkDocs says; errors in Chinese with the line."""
    from mkdocs.exceptions import ConfigurationError
    from mkdocs.utils.yaml import get_yaml_loader, yaml_load

    try:
        with path.open("rb") as fh:
            return yaml_load(fh, get_yaml_loader())
    except UnicodeDecodeError:
        raise ConfigError(f"{path}：不是 UTF-8 编码，请另存为 UTF-8") from None
    except OSError as exc:
        raise ConfigError(f"{path}：无法读取（{os_reason(exc)}）") from None
    except (ConfigurationError, yaml.YAMLError) as exc:
        cause = exc.__context__ if isinstance(exc, ConfigurationError) else exc
        mark = getattr(cause, "problem_mark", None)
        where = f"第 {mark.line + 1} 行" if mark is not None else ""
        if isinstance(exc, ConfigurationError) and mark is None:
            raise ConfigError(f"{path}：{_mkdocs_reason(str(exc))}") from None
        raise ConfigError(f"{path}{where}：格式错误，无法读取") from None


def _mkdocs_reason(text: str) -> str:
    if "Inherited config file" in text:
        return "INHERIT 指定的设置文件不存在"
    if "Environment variable" in text or "!ENV" in text:
        return "!ENV 引用的环境变量没有设置，也没有默认值"
    return "格式错误，无法读取"


# Characters that would end an HTML attribute, a tag, a QR payload or a URL in a sitemap.
_URL_FORBIDDEN = {
    '"': "引号",
    "'": "引号",
    "<": "尖括号",
    ">": "尖括号",
    "`": "反引号",
    "\\": "反斜杠",
}


def site_url_problem(url: str) -> str:
    """What is wrong with ``url`` as the site's address (Chinese), or "" when it is fine:
    an absolute http(s) URL with a host, without spaces, quotes, angle brackets, query or
    fragment (every page address is the site_url followed by a path)."""
    for ch in url:
        if ch.isspace() or not ch.isprintable() or ch in _URL_FORBIDDEN:
            what = _URL_FORBIDDEN.get(ch, "空格" if ch.isspace() else "控制字符")
            return f"里有{what}：网址里不能有空格、引号或尖括号"
    parts = urlsplit(url)
    if parts.scheme not in ("http", "https") or not url.lower().startswith(parts.scheme + "://"):
        return "不是完整的网址：应以 http:// 或 https:// 开头，如 https://pufa.example.cn/"
    if "@" in parts.netloc:
        return "里不能有用户名或“@”：只写网站的地址，如 https://pufa.example.cn/"
    try:
        host = parts.hostname
        parts.port  # noqa: B018 - raises ValueError for a port that is not a number
    except ValueError:
        return "的端口号不对：冒号后面应是数字，如 https://pufa.example.cn:8080/"
    if not host or ("." not in host and ":" not in host and host != "localhost"):
        return "缺少域名：应写成 https://域名/，如 https://pufa.example.cn/"
    if "?" in url or "#" in url:
        return "里不能有“?”或“#”：只写网站的地址，如 https://pufa.example.cn/"
    return ""


def site_config(
    project: dict[str, Any],
    content: Content,
    docs: Path,
    out: Path,
    theme_dir: Path,
    pages: list[str] | None = None,
) -> dict[str, Any]:
    """The config MkDocs builds with: project settings plus what the content decides."""
    site = content.site
    cfg = dict(project)
    theme = dict(cfg.get("theme") or {})
    theme.setdefault("name", "material")
    theme["language"] = "zh"
    theme["font"] = False
    custom = theme_dir / "site"
    if custom.is_dir():
        theme["custom_dir"] = str(custom.resolve())
    cfg["theme"] = theme
    cfg["site_name"] = site.name
    cfg["docs_dir"] = str(docs.resolve())
    cfg["site_dir"] = str(out.resolve())
    cfg["nav"] = nav()
    cfg["not_in_nav"] = "*"
    cfg["plugins"] = [p for p in (cfg.get("plugins") or []) if p != "search"]
    # Our assets carry a content hash in their URL: WeChat caches hard.
    css = list(cfg.get("extra_css") or [])
    if (custom / "assets" / "pufa.css").is_file():
        css.append(hashed(custom, "assets/pufa.css"))
    cfg["extra_css"] = css
    js = list(cfg.get("extra_javascript") or [])
    if (custom / "assets" / "pufa.js").is_file():
        js.append(hashed(custom, "assets/pufa.js"))
    cfg["extra_javascript"] = js
    extra = dict(cfg.get("extra") or {})
    extra["generator"] = False
    extra["pufa"] = {
        "org": site.org,
        "hotline": site.hotline,
        "hotline_digits": site.hotline.replace("-", ""),
        "icp": site.icp,
        "police_filing": site.police_filing,
        "search_js": hashed(custom, "assets/search.js"),
    }
    cfg["extra"] = extra
    exts = list(cfg.get("markdown_extensions") or [])
    if SANITIZER not in exts:
        exts.append(SANITIZER)
    cfg["markdown_extensions"] = exts
    cfg["copyright"] = site.org
    cfg["strict"] = False
    return cfg


def hashed(folder: Path, asset: str) -> str:
    """``assets/x.css?h=<first 10 hex of sha256>``: a URL that changes with the content."""
    path = folder / asset
    digest = hashlib.sha256(path.read_bytes()).hexdigest()[:10] if path.is_file() else "0"
    return f"{asset}?h={digest}"


def run_mkdocs(cfg: dict[str, Any], config_path: Path) -> list[str]:
    """Write ``cfg`` to ``config_path`` and build; return MkDocs warnings (as text)."""
    from mkdocs.commands.build import build
    from mkdocs.config import load_config
    from mkdocs.exceptions import MkDocsException

    config_path.write_text(
        yaml.safe_dump(cfg, allow_unicode=True, sort_keys=False), encoding="utf-8"
    )
    stream = io.StringIO()
    handler = logging.StreamHandler(stream)
    handler.setLevel(logging.WARNING)
    log = logging.getLogger("mkdocs")
    old_level, old_propagate = log.level, log.propagate
    log.addHandler(handler)
    log.setLevel(logging.WARNING)
    log.propagate = False
    try:
        config = load_config(config_file=str(config_path))
        build(config)
    except (MkDocsException, OSError) as exc:
        raise BuildError(f"MkDocs 生成网页失败：{exc}") from None
    finally:
        log.removeHandler(handler)
        log.setLevel(old_level)
        log.propagate = old_propagate
    return [line for line in stream.getvalue().splitlines() if line.strip()]
