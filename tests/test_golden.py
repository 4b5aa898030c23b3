"""Golden files: the pages generated for a tiny county, and its print manifest.

A change to what the compiler generates shows up here as a readable diff. When the change
is intended, regenerate the files with one command and review the diff in git:

    make golden        # PUFA_GOLDEN_UPDATE=1 .venv/bin/pytest tests/test_golden.py

Editions (date + content hash, which hashes the font files of the machine) are replaced by
``<edition>``, and a case's audio file name (which hashes the speech engine's version) by
``speech-<hash>.mp3``; everything else is compared byte for byte.
"""

from __future__ import annotations

import difflib
import json
import os
import re
import shutil

import pytest

from site_builder.build import build
from tests.conftest import ROOT, build_opts

FIXTURE = ROOT / "tests" / "fixtures" / "tiny"
GOLDEN = ROOT / "tests" / "golden" / "tiny"
UPDATE = os.environ.get("PUFA_GOLDEN_UPDATE") == "1"


AUDIO_NAME = re.compile(r"speech-[0-9a-f]{12}\.mp3")


def normalise_manifest(text: str) -> str:
    entries = json.loads(text)
    for entry in entries:
        entry["edition"] = "<edition>"
    entries.sort(key=lambda e: e["file"])
    return json.dumps(entries, ensure_ascii=False, indent=1) + "\n"


@pytest.fixture(scope="module")
def generated(tmp_path_factory: pytest.TempPathFactory) -> dict[str, str]:
    """Relative path → text of every generated page and the normalised manifest."""
    base = tmp_path_factory.mktemp("golden")
    content = base / "content"
    shutil.copytree(FIXTURE, content)
    work = base / "work"
    build(build_opts(content, base / "site", work))
    out = {
        f"docs/{p.relative_to(work / 'docs').as_posix()}": AUDIO_NAME.sub(
            "speech-<hash>.mp3", p.read_text(encoding="utf-8")
        )
        for p in sorted((work / "docs").rglob("*.md"))
    }
    manifest = (base / "site" / "print" / "manifest.json").read_text(encoding="utf-8")
    out["manifest.json"] = normalise_manifest(manifest)
    return out


def test_generated_files_match_the_golden_files(generated: dict[str, str]) -> None:
    if UPDATE:
        shutil.rmtree(GOLDEN, ignore_errors=True)
        for rel, text in generated.items():
            path = GOLDEN / rel
            path.parent.mkdir(parents=True, exist_ok=True)
            path.write_text(text, encoding="utf-8")
    expected = {
        p.relative_to(GOLDEN).as_posix(): p.read_text(encoding="utf-8")
        for p in sorted(GOLDEN.rglob("*"))
        if p.is_file()
    }
    assert sorted(generated) == sorted(expected), "files added or missing (run make golden)"
    diffs = []
    for rel, text in generated.items():
        if text != expected[rel]:
            diffs += difflib.unified_diff(
                expected[rel].splitlines(), text.splitlines(), f"golden/{rel}", rel, lineterm=""
            )
    assert not diffs, "\n".join(diffs[:200])


def test_golden_files_hold_no_machine_paths() -> None:
    """What is compared does not depend on where the test runs."""
    for path in GOLDEN.rglob("*"):
        if path.is_file():
            text = path.read_text(encoding="utf-8")
            assert "/tmp/" not in text and str(ROOT) not in text, path
            assert not re.search(r"\d{4}-\d{2}-\d{2} [0-9a-f]{8}", text), path
