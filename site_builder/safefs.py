"""File-system safety shared by every command that writes: atomic writes, output folders
that cannot eat input, and operating-system errors in Chinese."""

from __future__ import annotations

import errno
import os
import tempfile
from dataclasses import dataclass
from pathlib import Path

from .errors import UnsafeOutput

# Every folder pufa builds carries this file; a folder without it is not pufa's to replace.
SITE_MARKER = ".pufa-site"
WORK_MARKER = ".pufa-work"
_MARKER_TEXT = "这个文件夹由 pufa 生成，每次构建都会整个替换；请不要在里面放别的文件。\n"

_REASONS = {
    errno.ENOENT: "找不到这个文件或文件夹",
    errno.EACCES: "没有权限",
    errno.EPERM: "没有权限",
    errno.ENOSPC: "磁盘空间不够",
    errno.EDQUOT: "磁盘配额用完了",
    errno.EROFS: "磁盘是只读的",
    errno.EISDIR: "这是一个文件夹，不是文件",
    errno.ENOTDIR: "路径里有一段不是文件夹",
    errno.EEXIST: "已经存在",
    errno.ENAMETOOLONG: "文件名太长",
    errno.EBUSY: "正被别的程序使用",
    errno.ENOTEMPTY: "文件夹不是空的",
    errno.EXDEV: "不能跨磁盘移动",
    errno.EMFILE: "同时打开的文件太多",
    errno.EIO: "磁盘读写出错",
}


def os_reason(exc: OSError) -> str:
    """A Chinese reason for an operating-system error (never the English strerror alone)."""
    reason = _REASONS.get(exc.errno or 0)
    if reason:
        return reason
    name = errno.errorcode.get(exc.errno or 0, "")
    return f"系统错误{f'（{name}）' if name else ''}"


def os_message(exc: OSError) -> str:
    """``无法写入 x/y.html：找不到这个文件或文件夹`` — the path and the reason."""
    where = f"{exc.filename}：" if exc.filename else ""
    return f"{where}{os_reason(exc)}"


def atomic_write(path: Path, data: bytes) -> None:
    """Write ``data`` to ``path`` so that a crash leaves either the old file or the new one.

    The bytes go to a temporary file beside it, fsynced, renamed over ``path``; then the
    folder is fsynced so the rename itself is durable.
    """
    fd, tmp = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=path.parent)
    try:
        with os.fdopen(fd, "wb") as fh:
            fh.write(data)
            fh.flush()
            os.fsync(fh.fileno())
        os.replace(tmp, path)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise
    try:
        dir_fd = os.open(path.parent, os.O_RDONLY)
    except OSError:
        return
    try:
        os.fsync(dir_fd)
    except OSError:
        pass
    finally:
        os.close(dir_fd)


@dataclass(frozen=True)
class Protected:
    """The folders no command may replace, remove or write generated files into."""

    content: Path
    themes: Path
    project: Path

    def folders(self) -> list[tuple[Path, str]]:
        """(resolved folder, Chinese name) of everything that must never be eaten."""
        out = [
            (self.content, "内容文件夹"),
            (self.themes, "样式文件夹"),
            (self.project, "项目文件夹"),
            (Path.home(), "用户主目录"),
            (Path("/"), "根目录"),
        ]
        return [(_real(p), label) for p, label in out]


def _real(path: Path) -> Path:
    return Path(os.path.realpath(path))


def check_output_dir(
    out: Path,
    protected: Protected,
    *,
    marker: str = SITE_MARKER,
    legacy: tuple[str, ...] = (),
    what: str = "输出文件夹",
    example: str = "site",
) -> None:
    """Refuse (UnsafeOutput, touching nothing) a folder the command would replace when it
    is, or holds, something pufa did not make.

    Refused: ``out`` is or contains the content, themes or project folder, a home folder or
    the filesystem root; ``out`` lies inside the content or themes folder; ``out`` exists, is
    not empty, and carries neither ``marker`` nor one of the ``legacy`` files (how folders
    built before the marker existed are recognised). ``what`` names the folder in messages,
    ``example`` is the folder they suggest instead.
    """
    real = _real(out)
    for folder, label in protected.folders():
        if real == folder or folder.is_relative_to(real):
            relation = "就是" if real == folder else "包含了"
            raise UnsafeOutput(
                f"{what} {out} {relation}{label} {folder}：生成时会整个替换{what}，"
                f"这样会删掉您的文件。请换一个新的文件夹，如 {example}"
            )
    for folder, label in protected.folders()[:2]:
        if real.is_relative_to(folder):
            raise UnsafeOutput(
                f"{what} {out} 在{label} {folder} 里面：生成的文件不能放进{label}，"
                f"请换一个文件夹，如 {example}"
            )
    if real.is_file():
        raise UnsafeOutput(f"{what} {out} 是一个文件，不是文件夹：请换一个名字")
    if real.is_dir() and any(real.iterdir()):
        if marker and (real / marker).is_file():
            return
        if any((real / name).exists() for name in legacy):
            return
        raise UnsafeOutput(
            f"{what} {out} 里已经有别的文件，而且不是 pufa 生成的：为了不删掉它们，"
            "没有做任何改动。请换一个新的或空的文件夹"
        )


def check_output_file(out: Path, protected: Protected) -> None:
    """Refuse a file a command would write into the content or themes folder."""
    real = _real(out)
    for folder, label in protected.folders()[:2]:
        if real.is_relative_to(folder):
            raise UnsafeOutput(
                f"不能把输出写到{label}里（{out}）：那里的文件是内容本身，会被覆盖。"
                "请写到别的地方，如 文章.html"
            )
    if real.is_dir():
        raise UnsafeOutput(f"{out} 是一个文件夹：请写一个文件名，如 文章.html")
    if not real.parent.is_dir():
        raise UnsafeOutput(f"没有文件夹 {out.parent}：请先建好这个文件夹，或换一个位置")


def write_marker(folder: Path, marker: str = SITE_MARKER) -> None:
    """Mark ``folder`` as made by pufa (see :func:`check_output_dir`)."""
    (folder / marker).write_text(_MARKER_TEXT, encoding="utf-8")
