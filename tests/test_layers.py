"""Layers point one way: content → (pages | print | data | search | speech) → build → commands.

The test reads every module's imports (ast, no import side effects) and fails when one
crosses a layer: content/ knows nothing of the outputs, pages/ and print/ know nothing of
each other, and no output layer reaches up into the build or the commands.
"""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

PACKAGE = Path(__file__).resolve().parent.parent / "site_builder"

# Top-level parts of the package, and what each part may not import.
OUTPUTS = {"pages", "print", "data", "search", "speech"}
COMMANDS = {"build", "cli", "serve", "workbench", "publish", "review", "accounts", "display"}
FORBIDDEN: dict[str, set[str]] = {
    "errors": OUTPUTS | COMMANDS | {"content"},
    "safefs": OUTPUTS | COMMANDS | {"content"},
    "worklock": OUTPUTS | COMMANDS | {"content"},
    "content": OUTPUTS | COMMANDS,
    "pages": {"print", "search", "speech"} | COMMANDS,
    "print": {"pages", "search", "data", "speech"} | COMMANDS,
    "data": {"pages", "print", "search", "speech"} | COMMANDS,
    "search": {"pages", "print", "data", "speech"} | COMMANDS,
    "speech": {"pages", "print", "data", "search"} | COMMANDS,
}


def part_of(path: Path) -> str:
    rel = path.relative_to(PACKAGE)
    return rel.parts[0].removesuffix(".py")


def imported_parts(source: str, rel: Path) -> set[tuple[str, int]]:
    """(top-level part of site_builder, line) for every import of the package in the module
    ``source`` that sits at ``rel`` inside site_builder/."""
    tree = ast.parse(source)
    depth_of_file = len(rel.parts) - 1  # 0 for site_builder/x.py
    out: set[tuple[str, int]] = set()
    for node in ast.walk(tree):
        names: list[str] = []
        if isinstance(node, ast.ImportFrom):
            if node.level:  # relative: climb to site_builder, then down
                up = node.level - 1
                if up > depth_of_file:
                    continue
                base = list(rel.parts[:-1])
                base = base[: len(base) - up] if up else base
                mod = [*base, *(node.module.split(".") if node.module else [])]
                names = [".".join(mod)] if mod else [a.name for a in node.names]
            elif node.module and node.module.startswith("site_builder."):
                names = [node.module.removeprefix("site_builder.")]
        elif isinstance(node, ast.Import):
            names = [
                a.name.removeprefix("site_builder.")
                for a in node.names
                if a.name.startswith("site_builder.")
            ]
        for name in names:
            out.add((name.split(".")[0], node.lineno))
    return out


MODULES = sorted(p for p in PACKAGE.rglob("*.py") if part_of(p) in FORBIDDEN)


@pytest.mark.parametrize("path", MODULES, ids=lambda p: str(p.relative_to(PACKAGE)))
def test_imports_point_one_way(path: Path) -> None:
    part = part_of(path)
    crossing = sorted(
        f"{path.relative_to(PACKAGE)}:{line} imports {target}"
        for target, line in imported_parts(
            path.read_text(encoding="utf-8"), path.relative_to(PACKAGE)
        )
        if target in FORBIDDEN[part]
    )
    assert crossing == []


def test_the_checker_sees_a_crossing() -> None:
    """The import reader finds relative and absolute imports (so the test above can fail)."""
    text = "from ..pages.urls import x\nimport site_builder.pages.text\nfrom . import qr\n"
    found = imported_parts(text, Path("print") / "products.py")
    assert found == {("pages", 1), ("pages", 2), ("print", 3)}
