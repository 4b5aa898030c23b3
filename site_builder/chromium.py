"""Debian's Chromium for tests, screenshots and benchmarks (never a downloaded browser).

The flags keep Chromium from reaching out to Google's hosts, which this network refuses.
"""

CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]
