"""Which user agents are residents' browsers, and which are robots to leave out.

Left out: search-engine crawlers, link-preview fetchers (a link pasted into a chat is fetched
by the chat's server, not opened by a person), HTTP libraries and command-line tools, pufa's
own checks (``pufa-check``), and requests without a user agent.
"""

from __future__ import annotations

import re

ROBOTS = re.compile(
    r"(?<!cu)bot\b|bot/|spider|crawl|slurp|scrap|fetch|preview|monitor|uptime|headless|phantom"
    r"|pufa-check|facebookexternalhit|facebookcatalog|meta-externalagent|whatsapp|telegram"
    r"|slack|discord|skype|linkedin|pinterest|embedly|quora link|vkshare|w3c_validator"
    r"|baidu|sogou|yisou|360spider|haosou|bytespider|petalbot|yandex|ahrefs|semrush|mj12"
    r"|curl/|wget/|python-|python/|aiohttp|httpx|go-http-client|java/|okhttp|libwww|lwp-"
    r"|apache-httpclient|node-fetch|axios/|postman|insomnia|httpie|scrapy|zgrab|masscan"
    r"|nmap|nikto|sqlmap|censys|expanse|nuclei",
    re.IGNORECASE,
)


class AgentFilter:
    """``is_robot(ua)``, cached per distinct user agent (logs repeat them endlessly)."""

    def __init__(self, limit: int = 20_000) -> None:
        self._cache: dict[str, bool] = {}
        self._limit = limit

    def is_robot(self, ua: str) -> bool:
        hit = self._cache.get(ua)
        if hit is None:
            hit = len(ua) < 8 or ua == "-" or ROBOTS.search(ua) is not None
            if len(self._cache) >= self._limit:
                self._cache.clear()
            self._cache[ua] = hit
        return hit
