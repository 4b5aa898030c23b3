"""Reading one content file: decoding, front matter, YAML with line numbers.

Everything here reports problems in Chinese with the file and line; nothing raises for
bad input. Huge files and deeply nested or alias-bombed YAML are refused.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import yaml

from ..errors import Problem
from .textnorm import INVISIBLE_NAMES, SPACE_LIKE, char_name, invisible_chars

MAX_BYTES = 1_000_000
MAX_DEPTH = 12
MAX_NODES = 20_000

FILE_KEY = "文件"
HEAD_KEY = "头部"


@dataclass
class Source:
    """A parsed content file: its YAML values, raw scalars, key lines and body."""

    path: str
    data: dict[str, Any] = field(default_factory=dict)
    raw: dict[str, Any] = field(default_factory=dict)
    lines: dict[str, int] = field(default_factory=dict)
    head_line: int = 1
    body: str = ""
    body_line: int = 1


def read_text(path: Path, rel: str, problems: list[Problem]) -> str | None:
    """Decode a file as UTF-8 (a BOM is accepted); explain GBK and other encodings."""
    try:
        data = path.read_bytes()
    except OSError as exc:
        problems.append(Problem(rel, 1, FILE_KEY, f"无法读取文件：{exc.strerror or exc}"))
        return None
    if len(data) > MAX_BYTES:
        problems.append(
            Problem(
                rel, 1, FILE_KEY, f"文件太大（{len(data) // 1024} KB），上限 {MAX_BYTES // 1000} KB"
            )
        )
        return None
    if data.startswith(b"\xef\xbb\xbf"):
        data = data[3:]
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError as exc:
        line = data[: exc.start].count(b"\n") + 1
        try:
            data.decode("gb18030")
            guess = "看起来是 GBK 编码（Windows 记事本、WPS 的默认保存方式）"
        except UnicodeDecodeError:
            guess = "编码无法识别"
        problems.append(
            Problem(
                rel,
                line,
                FILE_KEY,
                f"文件不是 UTF-8 编码，{guess}；请用记事本或 VS Code 打开，"
                "“另存为”时编码选择“UTF-8”后保存",
            )
        )
        return None
    if "\x00" in text:
        problems.append(Problem(rel, 1, FILE_KEY, "这不是文本文件（含有二进制内容）"))
        return None
    return text.replace("\r\n", "\n").replace("\r", "\n")


_FENCE = re.compile(r"^(---|－－－|———)\s*$")


def split_front_matter(text: str) -> tuple[str | None, int, str, int]:
    """Split ``---`` front matter from the body.

    Returns (yaml text or None, line of its first line, body, line of the body's first line).
    """
    lines = text.split("\n")
    if not lines or not _FENCE.match(lines[0]):
        return None, 1, text, 1
    for i in range(1, len(lines)):
        if lines[i].rstrip() in ("---", "...", "－－－", "———"):
            return "\n".join(lines[1:i]), 2, "\n".join(lines[i + 1 :]), i + 2
    raise UnclosedFrontMatter(_unclosed_line(lines))


class UnclosedFrontMatter(ValueError):
    """The file opens front matter with ``---`` and never closes it."""

    def __init__(self, line: int) -> None:
        super().__init__(line)
        self.line = line


_BODY_START = re.compile(r"^(#|>|\s*$)")


def _unclosed_line(lines: list[str]) -> int:
    """The line where the closing ``---`` is probably missing: before the first line that
    looks like body text (a heading, a quote, an empty line followed by prose)."""
    for i in range(1, len(lines)):
        line = lines[i]
        if line.startswith("#") or line.startswith(">"):
            return i + 1
        if not line.strip() and i + 1 < len(lines) and lines[i + 1].strip():
            nxt = lines[i + 1]
            if not _KEY_AT.match(nxt) and not nxt.lstrip().startswith("-"):
                return i + 1
    return len(lines)


# Full-width characters typed by Chinese input methods where YAML needs ASCII syntax.
_FW_COLON_KEY = re.compile(r"^(\s*(?:[-－]\s*)?)([A-Za-z_][A-Za-z0-9_]*|[\u4e00-\u9fff]+)\s*：")
_FW_LIST = re.compile(r"^\s*([－—–•·])\s*\S")
_CN_KEY = re.compile(r"^([\u4e00-\u9fff]+)\s*[:：]")
_FW_SPACE_INDENT = re.compile(r"^\s*\u3000")
_KEY_AT = re.compile(r"^\s*([A-Za-z_][A-Za-z0-9_]*)\s*:")


def fullwidth_problems(
    yaml_text: str, rel: str, first_line: int, *, chinese_keys: bool = False
) -> list[Problem]:
    """Find full-width punctuation used as YAML syntax, with a hint for each. Chinese keys
    are refused unless the file's keys are words (``chinese_keys``: the thesaurus)."""
    found: list[Problem] = []
    for i, line in enumerate(yaml_text.split("\n")):
        n = first_line + i
        if line.lstrip().startswith("#"):
            continue
        m = _FW_COLON_KEY.match(line)
        cn = None if chinese_keys else _CN_KEY.match(line)
        if cn:
            found.append(
                Problem(
                    rel,
                    n,
                    cn.group(1),
                    f"键名要用英文（如 title、name），不能用中文“{cn.group(1)}”；"
                    "各类内容能用的键见 README",
                )
            )
        elif m:
            found.append(
                Problem(
                    rel,
                    n,
                    m.group(2),
                    "用了全角冒号“：”；键名后面要用半角冒号“:”再加一个空格，如 title: 标题",
                )
            )
        if _FW_LIST.match(line):
            mark = _FW_LIST.match(line).group(1)  # type: ignore[union-attr]
            found.append(
                Problem(
                    rel,
                    n,
                    HEAD_KEY,
                    f"列表项用了“{mark}”；列表每项要以半角减号“-”加空格开头，如 - 不按规定交纳水费",
                )
            )
        if _FW_SPACE_INDENT.match(line):
            found.append(Problem(rel, n, HEAD_KEY, "行首有全角空格；缩进请用半角空格"))
    return found


_YAML_HINTS = (
    ("mapping values are not allowed", "这里不能出现冒号“:”；值里有冒号时，请给整个值加上引号"),
    ("could not find expected ':'", "缺少冒号：键和值之间要用半角冒号“:”加空格分开"),
    ("cannot start any token", "这一行有不能出现在开头的字符（如 Tab 或 @ ` 等）；缩进请用空格"),
    ("did not find expected key", "缩进不一致：同一层的键要左对齐"),
    ("did not find expected '-' indicator", "列表项缩进不一致：每项的“-”要对齐"),
    ("expected <block end>", "缩进不一致：同一层的键要左对齐"),
    ("while scanning a quoted scalar", "引号没有配对"),
    ("found unexpected end of stream", "引号或括号没有配对"),
    ("while parsing a flow", "方括号 [ ] 或花括号 { } 没有配对，或其中缺少逗号"),
    ("found undefined alias", "“*”开头的写法不支持；以“*”开头的文字请加引号"),
    ("found character that cannot start", "这一行开头的字符需要加引号"),
)


def _yaml_reason(exc: yaml.MarkedYAMLError) -> str:
    text = f"{exc.context or ''} {exc.problem or ''}"
    for needle, hint in _YAML_HINTS:
        if needle in text:
            return f"YAML 格式错误：{hint}"
    return "YAML 格式错误：请检查这一行的冒号、引号、缩进和括号"


def parse_yaml(
    yaml_text: str,
    rel: str,
    first_line: int,
    problems: list[Problem],
    into: Source,
    *,
    chinese_keys: bool = False,
) -> bool:
    """Parse a YAML mapping into ``into`` (data, raw scalars, key lines). False on failure."""
    fw = fullwidth_problems(yaml_text, rel, first_line, chinese_keys=chinese_keys)
    if fw:
        problems.extend(fw)
        return False
    offset = first_line - 1
    yaml_text = _visible(yaml_text, rel, first_line, problems)
    deep = _too_deep(yaml_text)
    if deep is not None:
        problems.append(Problem(rel, offset + deep, HEAD_KEY, "头部信息嵌套太深或太长，已拒绝读取"))
        return False
    loader = yaml.SafeLoader(yaml_text)
    try:
        node = loader.get_single_node()
        if node is None:
            return True
        if not isinstance(node, yaml.MappingNode):
            shape = (
                "格式应为“网页里的词: [居民的说法, …]”，每行一条"
                if chinese_keys
                else "头部信息应为“键: 值”的形式，每行一项"
            )
            problems.append(Problem(rel, first_line, HEAD_KEY, shape))
            return False
        counter = [0]
        if not _check_shape(node, 0, counter):
            problems.append(
                Problem(rel, first_line, HEAD_KEY, "头部信息嵌套太深或太长，已拒绝读取")
            )
            return False
        data = loader.construct_document(node)
    except yaml.MarkedYAMLError as exc:
        # An unclosed quote or bracket is found at the end: point at where it was opened.
        opened = exc.context and ("quoted scalar" in exc.context or "flow" in exc.context)
        mark = (exc.context_mark if opened else exc.problem_mark) or exc.context_mark
        line = (mark.line + 1 + offset) if mark else first_line
        text_lines = yaml_text.split("\n")
        at = text_lines[line - 1 - offset] if 0 <= line - 1 - offset < len(text_lines) else ""
        key = _KEY_AT.match(at)
        reason = _yaml_reason(exc)
        partly = _PARTLY_QUOTED.match(at)
        if partly:
            reason = (
                "YAML 格式错误：只有值的一部分加了引号；要么给整个值加引号，"
                f'如 {partly.group(1)}: "{partly.group(3)}{partly.group(4)}"，要么都不加'
            )
        problems.append(Problem(rel, line, key.group(1) if key else HEAD_KEY, reason))
        return False
    except (yaml.YAMLError, ValueError, TypeError, OverflowError) as exc:
        problems.append(Problem(rel, first_line, HEAD_KEY, f"YAML 无法解析：{type(exc).__name__}"))
        return False
    finally:
        loader.dispose()
    into.data = data
    _record(node, "", offset, rel, into, problems)
    return True


def _visible(yaml_text: str, rel: str, first_line: int, problems: list[Problem]) -> str:
    """Replace invisible characters (NBSP → space, zero-width → nothing) before parsing, with
    a note on the line where each stands and the key it belongs to.

    Without this an NBSP after ``title:`` makes YAML read one long key and report the next
    line, with the wrong key.
    """
    if not any(ch in INVISIBLE_NAMES for ch in yaml_text):
        return yaml_text
    out = []
    key = HEAD_KEY
    for i, line in enumerate(yaml_text.split("\n")):
        chars = invisible_chars(line)
        clean = "".join(
            " " if ch in SPACE_LIKE else "" if ch in INVISIBLE_NAMES else ch for ch in line
        )
        at = _KEY_AT.match(clean)
        if at:
            key = at.group(1)
        for ch in chars:
            what = "已当作普通空格" if ch in SPACE_LIKE else "已去掉"
            problems.append(
                Problem(
                    rel,
                    first_line + i,
                    key,
                    f"有看不见的字符“{char_name(ch)}”，{what}；建议删掉后重新输入这一项",
                    warning=True,
                )
            )
        out.append(clean)
    return "\n".join(out)


_PARTLY_QUOTED = re.compile(r"^\s*([A-Za-z_][A-Za-z0-9_]*)\s*:\s*([\"'])(.*?)\2([^\s#].*?)\s*$")


def _too_deep(yaml_text: str) -> int | None:
    """The 1-based line where nesting passes MAX_DEPTH, or None.

    PyYAML's composer recurses once per level: thousands of ``[`` exhaust Python's stack
    before :func:`_check_shape` could look. The scanner is iterative, so count levels there.
    """
    depth = 0
    try:
        for token in yaml.scan(yaml_text, Loader=yaml.SafeLoader):
            if isinstance(
                token,
                yaml.FlowSequenceStartToken
                | yaml.FlowMappingStartToken
                | yaml.BlockMappingStartToken
                | yaml.BlockSequenceStartToken,
            ):
                depth += 1
                if depth > MAX_DEPTH:
                    return int(token.start_mark.line) + 1
            elif isinstance(
                token, yaml.FlowSequenceEndToken | yaml.FlowMappingEndToken | yaml.BlockEndToken
            ):
                depth -= 1
    except yaml.YAMLError:
        return None  # the parser below reports the syntax error with its hint
    return None


def _check_shape(node: yaml.Node, depth: int, counter: list[int]) -> bool:
    counter[0] += 1
    if depth > MAX_DEPTH or counter[0] > MAX_NODES:
        return False
    if isinstance(node, yaml.MappingNode):
        return all(
            _check_shape(k, depth + 1, counter) and _check_shape(v, depth + 1, counter)
            for k, v in node.value
        )
    if isinstance(node, yaml.SequenceNode):
        return all(_check_shape(v, depth + 1, counter) for v in node.value)
    return True


def _record(
    node: yaml.MappingNode,
    prefix: str,
    offset: int,
    rel: str,
    into: Source,
    problems: list[Problem],
) -> None:
    """Remember the line of every key and list item, and the raw text of scalars."""
    seen: set[str] = set()
    for key_node, value_node in node.value:
        key = f"{prefix}{key_node.value}"
        line = key_node.start_mark.line + 1 + offset
        if key in seen:
            problems.append(Problem(rel, line, key, "这个键重复出现了，请只保留一个"))
        seen.add(key)
        into.lines[key] = line
        if isinstance(value_node, yaml.ScalarNode):
            into.raw[key] = value_node.value
        elif isinstance(value_node, yaml.SequenceNode):
            into.raw[key] = [
                v.value if isinstance(v, yaml.ScalarNode) else None for v in value_node.value
            ]
            for i, item in enumerate(value_node.value):
                into.lines[f"{key}[{i}]"] = item.start_mark.line + 1 + offset
        elif isinstance(value_node, yaml.MappingNode):
            _record(value_node, f"{key}.", offset, rel, into, problems)


def load_source(
    path: Path,
    rel: str,
    problems: list[Problem],
    *,
    whole_yaml: bool = False,
    chinese_keys: bool = False,
) -> Source | None:
    """Read a Markdown file with front matter (or, with ``whole_yaml``, a YAML file;
    ``chinese_keys``: a YAML file whose keys are Chinese words, not field names)."""
    text = read_text(path, rel, problems)
    if text is None:
        return None
    src = Source(rel)
    if whole_yaml:
        ok = parse_yaml(text, rel, 1, problems, src, chinese_keys=chinese_keys)
        return src if ok else None
    try:
        head, head_line, body, body_line = split_front_matter(text)
    except UnclosedFrontMatter as exc:
        problems.append(
            Problem(
                rel,
                exc.line,
                HEAD_KEY,
                "头部信息第 1 行以“---”开始，但没有结束的“---”：请在最后一个“键: 值”"
                "下面加一行“---”，再写正文",
            )
        )
        return None
    src.head_line, src.body, src.body_line = head_line, body, body_line
    if head is None:
        return src
    return src if parse_yaml(head, rel, head_line, problems, src) else None
