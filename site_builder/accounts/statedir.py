"""The state folder: git-ignored, outside the content folder, readable by its owner only."""

from __future__ import annotations

import json
import os
from pathlib import Path
from typing import Any

from ..safefs import atomic_write


def ensure_state(state: Path) -> Path:
    """Create the state folder (mode 0700) if needed and tighten its mode; return it."""
    state.mkdir(parents=True, exist_ok=True)
    os.chmod(state, 0o700)
    return state


def read_json(path: Path, default: Any) -> Any:
    """The JSON in ``path``, or ``default`` when there is no such file."""
    try:
        return json.loads(path.read_text(encoding="utf-8"))
    except FileNotFoundError:
        return default


def write_private_json(path: Path, data: Any) -> None:
    """Write JSON atomically, readable by the owner only (0600)."""
    ensure_state(path.parent)
    atomic_write(path, json.dumps(data, ensure_ascii=False, indent=1).encode("utf-8"))
    os.chmod(path, 0o600)
