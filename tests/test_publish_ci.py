"""The CI samples in deploy/ci/: check, build, the ledger guard and publish, in that order, on
pushes to main; the guard fails when the build changed an uncommitted ledger."""

from __future__ import annotations

import subprocess
from pathlib import Path

import yaml

from tests.conftest import ROOT

CI = ROOT / "deploy" / "ci"
ORDER = ["pufa check", "pufa build", "ledger-committed.sh", "pufa publish"]


def positions(commands: list[str]) -> list[int]:
    return [next(i for i, c in enumerate(commands) if step in c) for step in ORDER]


def test_forgejo_workflow_runs_the_steps_in_order_on_main() -> None:
    flow = yaml.safe_load((CI / "forgejo-publish.yml").read_text(encoding="utf-8"))
    assert flow[True]["push"]["branches"] == ["main"]  # YAML 1.1 reads "on" as True
    steps = [s.get("run", "") for s in flow["jobs"]["publish"]["steps"]]
    found = positions(steps)
    assert found == sorted(found)


def test_gitlab_sample_runs_the_steps_in_order_on_main() -> None:
    job = yaml.safe_load((CI / "gitlab-ci.yml").read_text(encoding="utf-8"))["publish"]
    assert 'CI_COMMIT_BRANCH == "main"' in job["rules"][0]["if"]
    found = positions(job["script"])
    assert found == sorted(found)


def git(repo: Path, *args: str) -> None:
    subprocess.run(["git", "-C", str(repo), *args], check=True, capture_output=True)


def test_ledger_guard_fails_on_an_uncommitted_ledger_change(tmp_path: Path) -> None:
    ledger = tmp_path / "content" / ".published.json"
    ledger.parent.mkdir()
    ledger.write_text('[\n"cases/a/"\n]\n', encoding="utf-8")
    git(tmp_path, "init", "-q")
    git(tmp_path, "add", ".")
    git(tmp_path, "-c", "user.name=t", "-c", "user.email=t@example.cn", "commit", "-qm", "x")
    guard = ["bash", str(CI / "ledger-committed.sh")]
    ok = subprocess.run(guard, cwd=tmp_path, capture_output=True, text=True)
    assert ok.returncode == 0
    ledger.write_text('[\n"cases/a/",\n"cases/b/"\n]\n', encoding="utf-8")  # what a build adds
    bad = subprocess.run(guard, cwd=tmp_path, capture_output=True, text=True)
    assert bad.returncode == 1
    assert "没有提交到版本库" in bad.stderr and "本次没有发布" in bad.stderr
