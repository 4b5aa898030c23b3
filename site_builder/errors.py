"""The small exception hierarchy of the compiler and the problem records it reports."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True, order=True)
class Problem:
    """One thing wrong with the content, located by file, line and key."""

    path: str
    line: int
    key: str
    message: str
    warning: bool = False

    def __str__(self) -> str:
        return f"{self.path}:{self.line}: {self.key}: {self.message}"


class PufaError(Exception):
    """Base of every error the CLI turns into a Chinese message instead of a traceback."""


class ContentError(PufaError):
    """The content did not validate; carries every problem found, not just the first."""

    def __init__(self, problems: list[Problem]) -> None:
        self.problems = sorted(problems)
        super().__init__(f"{len(self.problems)} 个问题")


class ConfigError(PufaError):
    """mkdocs.yml, a theme or the environment (fonts, tools) is not usable."""


class BuildError(PufaError):
    """A build stage failed; the previous output is left in place."""


class LedgerError(ContentError):
    """The ledger of published URLs cannot be read: the build stops instead of forgetting."""


class UnsafeOutput(PufaError):
    """A command was asked to write or remove files where it must not (exit code 2)."""
