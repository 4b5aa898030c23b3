"""发布上线: `pufa publish` to a folder, SFTP, S3-compatible storage or WebDAV (via rclone),
the post-publish check, the history a fresh machine reads back, and the CSP hashes."""

from __future__ import annotations

from .csp import csp_hashes, write_csp
from .rclone import PublishError
from .run import CheckFailed, Progress, PublishOptions, PublishResult, publish, summary

__all__ = [
    "CheckFailed",
    "Progress",
    "PublishError",
    "PublishOptions",
    "PublishResult",
    "csp_hashes",
    "publish",
    "summary",
    "write_csp",
]
