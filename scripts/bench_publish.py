"""Publish figures for a generated county: build it, publish to a loopback SFTP server (OpenSSH),
edit one case, build and publish again. Prints files, bytes and seconds of both publishes.

    .venv/bin/python scripts/bench_publish.py [--villages 300]
"""

from __future__ import annotations

import argparse
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from site_builder.build import BuildOptions, build  # noqa: E402
from site_builder.publish import PublishOptions, publish  # noqa: E402
from site_builder.publish.run import human_bytes  # noqa: E402
from tests.servers import Servers  # noqa: E402


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--villages", type=int, default=300)
    args = ap.parse_args()
    with tempfile.TemporaryDirectory(prefix="pufa-bench-publish-") as tmp:
        base = Path(tmp)
        content = base / "content"
        pufa = str(Path(sys.executable).with_name("pufa"))
        subprocess.run(
            [pufa, "demo-data", "--villages", str(args.villages), "--out", str(content)],
            check=True,
            stdout=subprocess.DEVNULL,
        )
        opts = BuildOptions(
            content, base / "site", ROOT / "mkdocs.yml", ROOT / "themes", base / "work"
        )
        t = time.perf_counter()
        build(opts)
        print(f"county_build: {time.perf_counter() - t:.1f} s ({args.villages} villages)")
        servers = Servers(base / "servers")
        try:
            sshd = servers.sshd()
            www = base / "www"
            www.mkdir()
            env = {
                "PUFA_PUBLISH_SSH_KEY": str(sshd.user_key),
                "PUFA_PUBLISH_KNOWN_HOSTS": str(sshd.known_hosts),
            }
            to = f"sftp://{sshd.user}@127.0.0.1:{sshd.port}{www}"
            popts = PublishOptions(site=base / "site", content=content, to=to, environ=env)
            first = publish(popts)
            print(
                f"first_publish: {first.files_sent} files, {human_bytes(first.bytes_sent)}, "
                f"{first.seconds:.1f} s"
            )
            case = sorted((content / "cases").glob("*.md"))[0]
            text = case.read_text(encoding="utf-8")
            case.write_text(text.rstrip() + "\n\n（本案例已更新。）\n", encoding="utf-8")
            t = time.perf_counter()
            build(opts)
            print(f"one_case_build: {time.perf_counter() - t:.1f} s")
            again = publish(popts)
            print(
                f"one_case_publish: {again.files_sent} files, {human_bytes(again.bytes_sent)}, "
                f"{len(again.plan.delete)} deleted, {again.seconds:.1f} s"
            )
        finally:
            servers.stop_all()


if __name__ == "__main__":
    main()
