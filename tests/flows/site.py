"""A fixture news site on a ScriptedServer: good feeds and pages plus scripted faults."""
from __future__ import annotations

import tomllib
from pathlib import Path

from tests.support.server import FIXTURES, ScriptedServer, fixture_bytes

RSS = "application/rss+xml; charset=utf-8"
ATOM = "application/atom+xml; charset=utf-8"


def expected_pages() -> dict[str, dict]:
    """The fixture pages' expectations, by file name."""
    return tomllib.loads((FIXTURES / "pages" / "expected.toml").read_text(encoding="utf-8"))


def build_site(server: ScriptedServer) -> None:
    """Serve the fixture feeds and pages, with faults on some feed routes."""
    base = server.base
    server.serve("/robots.txt", b"User-agent: *\nDisallow: /private/\n", content_type="text/plain")
    server.serve("/feeds/rss2.xml", fixture_bytes("feeds/rss2.xml", base), content_type=RSS,
                 etag='"rss2-v1"', last_modified="Mon, 05 Feb 2024 10:00:00 GMT")
    server.serve("/feeds/atom.xml", fixture_bytes("feeds/atom.xml", base), content_type=ATOM, gzip=True)
    server.serve("/feeds/broken.xml", fixture_bytes("feeds/broken.xml", base), content_type=RSS)
    server.serve("/feeds/gone.xml", b"not here", status=404, content_type="text/plain")
    server.serve("/feeds/error.xml", b"oops", status=500, content_type="text/plain")
    server.stall("/feeds/stall.xml", seconds=10)
    server.trickle("/feeds/trickle.xml", fixture_bytes("feeds/rss2.xml", base), bytes_per_s=2, max_s=20)
    server.redirect("/feeds/moved.xml", base + "/feeds/atom.xml", status=301)
    server.serve("/feeds/extra.xml", _extra_feed(base), content_type=RSS)
    server.serve("/private/staff-notice", b"<html><body><p>internal</p></body></html>")
    server.redirect("/news/short-link", base + "/news/riverside-market-reopens")
    for name, spec in expected_pages().items():
        body = (FIXTURES / "pages" / name).read_bytes()
        kind = "text/html; charset=utf-8" if spec.get("encoding") is None else "text/html; charset=utf-8"
        server.serve(spec["route"], body, content_type=kind)


def _extra_feed(base: str) -> bytes:
    """A feed linking the app-shell page (with feed content to fall back on) and a robots-blocked page."""
    fallback = " ".join(["Buses on the eastern routes are diverted around the closed bridge until Friday."] * 12)
    return f"""<?xml version="1.0" encoding="utf-8"?>
<rss version="2.0"><channel><title>Extra</title><link>{base}/</link><description>extra</description>
<item><title>Live: bus and tram disruption map</title><link>{base}/news/live-transit-map</link>
<guid>extra-1</guid><pubDate>Tue, 06 Feb 2024 08:00:00 GMT</pubDate><description>{fallback}</description></item>
<item><title>Staff notice</title><link>{base}/private/staff-notice</link><guid>extra-2</guid></item>
<item><title>Short link</title><link>{base}/news/short-link</link><guid>extra-3</guid></item>
</channel></rss>""".encode()


def write_config(server: ScriptedServer, path: Path, feeds: list[str]) -> Path:
    """A config whose one outlet reads the given feed paths, with tight test timeouts."""
    urls = ", ".join(f'"{server.base}{f}"' for f in feeds)
    path.write_text(f"""
[fetch]
allowed_hosts = ["127.0.0.1"]
per_host_min_gap_s = 0.0
per_host_concurrency = 4
read_timeout_s = 1.0
connect_timeout_s = 1.0
deadline_s = 3.0
retries = 1
max_retry_wait_s = 1.0

[extract]
deadline_s = 20
workers = 2

[[outlets]]
id = "fixture"
name = "Fixture Gazette"
homepage = "{server.base}/"
feeds = [{urls}]
language = "en"
country = "GB"
ownership = "private"
tags = {{ leaning = "centre" }}
""", encoding="utf-8")
    return path
