"""vCard 3.0 text of a person (pure function): saved to the phone's contacts from the web."""

from __future__ import annotations

import re

from ..content import Advisor

# Two-character surnames; every other Han name of 2–4 characters is split after its first
# character. Other names (那仁格日勒·巴图, 阿卜杜热合曼, names in Latin letters) keep their form.
COMPOUND_SURNAMES = (
    "欧阳",
    "司马",
    "上官",
    "诸葛",
    "东方",
    "皇甫",
    "尉迟",
    "公孙",
    "慕容",
    "令狐",
    "长孙",
    "宇文",
    "司徒",
    "夏侯",
    "轩辕",
    "端木",
    "呼延",
    "南宫",
)


_HAN_NAME = re.compile(r"[\u3400-\u4dbf\u4e00-\u9fff]{2,4}")
_CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")


def _escape(text: str) -> str:
    """A vCard text value (RFC 2426 §4, RFC 6350 §3.4): ``\\``, ``,`` and ``;`` escaped, each
    line break (CR LF, CR or LF) written as ``\\n``, other control characters dropped."""
    text = text.replace("\r\n", "\n").replace("\r", "\n")
    text = _CONTROL.sub("", text)
    return text.replace("\\", "\\\\").replace(",", "\\,").replace(";", "\\;").replace("\n", "\\n")


def _fold(line: str) -> str:
    """Fold a content line at 75 octets without splitting a UTF-8 character (RFC 2425)."""
    out, current = [], ""
    for ch in line:
        if len((current + ch).encode("utf-8")) > 75:
            out.append(current)
            current = " " + ch
        else:
            current += ch
    out.append(current)
    return "\r\n".join(out)


def split_name(name: str) -> tuple[str, str]:
    """(family, given) of a Han name of two to four characters; any other name — with an
    间隔号 (那仁格日勒·巴图), longer, or not in Han characters — is kept whole as the given
    name, with no family name: it is not cut at a guessed surname."""
    if not _HAN_NAME.fullmatch(name):
        return "", name
    if len(name) > 2 and name[:2] in COMPOUND_SURNAMES:
        return name[:2], name[2:]
    return (name[:1], name[1:]) if len(name) > 1 else (name, "")


def vcard_text(person: Advisor, url: str) -> str:
    """A vCard 3.0 (UTF-8, CRLF line ends) for ``person``, linking back to ``url``."""
    family, given = split_name(person.name)
    phone = person.phone.replace("-", "").replace("转", ",")
    kind = "CELL" if phone.startswith("1") and len(phone) == 11 else "WORK"
    lines = [
        "BEGIN:VCARD",
        "VERSION:3.0",
        f"N:{_escape(family)};{_escape(given)};;;",
        f"FN:{_escape(person.name)}",
        f"TITLE:{_escape(person.role)}",
        f"TEL;TYPE={kind},VOICE:{phone}",
    ]
    if person.org:
        lines.append(f"ORG:{_escape(person.org)}")
    if person.hours:
        lines.append(f"NOTE:{_escape('服务时间：' + person.hours)}")
    lines += [f"URL:{url}", "END:VCARD"]
    return "\r\n".join(_fold(line) for line in lines) + "\r\n"
