"""mkdocs.yml is read with MkDocs' own loader: its documented tags work; only pufa's key
(site_url) is checked by pufa, with Chinese messages."""

from __future__ import annotations

from pathlib import Path

import pytest

from site_builder.errors import ConfigError
from site_builder.pages.mkdocs_site import read_project_config
from tests.conftest import ROOT


def project_with(tmp_path: Path, site_url_line: str) -> Path:
    text = (ROOT / "mkdocs.yml").read_text(encoding="utf-8")
    lines = [site_url_line if ln.startswith("site_url:") else ln for ln in text.splitlines()]
    path = tmp_path / "mkdocs.yml"
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return path


def test_env_tag_gives_the_site_url(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    path = project_with(tmp_path, 'site_url: !ENV [PUFA_SITE_URL, "https://pufa.example.cn/"]')
    monkeypatch.delenv("PUFA_SITE_URL", raising=False)
    assert read_project_config(path)["site_url"] == "https://pufa.example.cn/"
    monkeypatch.setenv("PUFA_SITE_URL", "https://www.zhanhe.gov.cn/sfj/pufa")
    assert read_project_config(path)["site_url"] == "https://www.zhanhe.gov.cn/sfj/pufa/"


def test_inherit_is_followed(tmp_path: Path) -> None:
    (tmp_path / "base.yml").write_text("site_url: https://pufa.example.cn/\n", encoding="utf-8")
    path = tmp_path / "mkdocs.yml"
    path.write_text("INHERIT: base.yml\nsite_name: 测试\n", encoding="utf-8")
    assert read_project_config(path)["site_url"] == "https://pufa.example.cn/"


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("site_url: [\n", "{p}第 2 行：格式错误，无法读取"),
        ("INHERIT: missing.yml\n", "{p}：INHERIT 指定的设置文件不存在"),
        (
            'site_url: "https://pufa.example.cn/a b"\n',
            "{p}：site_url“https://pufa.example.cn/a b”里有空格：网址里不能有空格、引号或尖括号；"
            "所有二维码都由它生成",
        ),
        (
            "site_name: 测试\n",
            "{p}：缺少 site_url（网站正式地址，如 https://pufa.example.cn/）；"
            "所有二维码都由它生成，没有它不能构建",
        ),
    ],
)
def test_config_errors_in_chinese(tmp_path: Path, text: str, message: str) -> None:
    path = tmp_path / "mkdocs.yml"
    path.write_text(text, encoding="utf-8")
    with pytest.raises(ConfigError) as info:
        read_project_config(path)
    assert str(info.value) == message.format(p=path)
