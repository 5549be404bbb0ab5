"""Backfill: archives load without fetching; bad lines are reported by number and skipped."""
from __future__ import annotations

import io
import json
from pathlib import Path

import duckdb
import pytest
from warcio.statusandheaders import StatusAndHeaders
from warcio.warcwriter import WARCWriter

from flows.backfill import backfill
from flows.nightly import RunFailed
from tests.support.server import FIXTURES

GOOD_TEXT = "The council approved the budget on Monday after a long debate about bus lanes and schools. " * 5


def _lines() -> list[str]:
    html = (FIXTURES / "pages" / "jsonld-library-hours.html").read_text(encoding="utf-8")
    good = [
        {"url": "https://news.example/2024/01/15/budget", "outlet": "Example Courier", "title": "Budget passes",
         "published": "2024-01-15T09:00:00Z", "text": GOOD_TEXT, "language": "en", "summary": "The budget."},
        {"url": "https://news.example/2024/01/16/library?utm_source=x", "outlet": "example courier",
         "title": "Library hours", "html": html},
        {"url": "https://other.example/a", "outlet": "Gazette Two", "title": "Undated", "text": GOOD_TEXT + " Two."},
    ]
    bad = ['{"url": "https://x.example/1", "outlet": "X"', '[1, 2]',
           json.dumps({"url": "ftp://x.example/1", "outlet": "X", "text": "t"}),
           json.dumps({"url": "https://x.example/2", "outlet": "X", "title": "no body"}),
           json.dumps({"url": "https://x.example/3", "outlet": "X", "text": "t", "published": "last week"}),
           json.dumps({"url": "https://x.example/4", "outlet": "X", "text": "t", "published": "2203-01-01T00:00:00Z"}),
           json.dumps({"url": "https://x.example/5", "outlet": "", "text": "t"}),
           json.dumps({"url": "https://x.example/6", "outlet": "X", "text": "t", "language": "English"})]
    return [json.dumps(good[0]), bad[0], json.dumps(good[1]), "", bad[1], *bad[2:], json.dumps(good[2])]


@pytest.fixture(scope="module")
def loaded(tmp_path_factory: pytest.TempPathFactory):
    tmp = tmp_path_factory.mktemp("backfill")
    archive = tmp / "archive.jsonl"
    archive.write_text("\n".join(_lines()) + "\n", encoding="utf-8")
    first = backfill(file=str(archive), data_dir=str(tmp / "data"))
    second = backfill(file=str(archive), data_dir=str(tmp / "data"))
    return dict(db=tmp / "data" / "warehouse.duckdb", first=first, second=second, archive=archive, tmp=tmp)


def _rows(db: Path, sql: str) -> list[tuple]:
    with duckdb.connect(str(db), read_only=True) as con:
        return con.execute(sql).fetchall()


def test_good_lines_become_articles(loaded) -> None:
    rows = _rows(loaded["db"], "SELECT o.name, a.title, a.date_source, a.url FROM articles a "
                               "JOIN outlets o USING (outlet_id) ORDER BY a.title")
    assert [(n, t) for n, t, _, _ in rows] == [("Example Courier", "Budget passes"),
                                              ("Example Courier", "Millbrook library will open on Sundays from March"),
                                              ("Gazette Two", "Undated")]
    assert rows[0][2] == "archive" and rows[1][2] == "markup" and rows[2][2] == "none"
    assert not any("utm_" in url for *_, url in rows)


def test_outlets_matched_by_name_in_any_case(loaded) -> None:
    rows = _rows(loaded["db"], "SELECT outlet_id, name, country, tags->>'origin' FROM outlets ORDER BY 1")
    assert rows == [("example-courier", "Example Courier", "ZZ", "archive"), ("gazette-two", "Gazette Two", "ZZ", "archive")]


def test_bad_lines_reported_by_number(loaded) -> None:
    rejects = dict(_rows(loaded["db"], "SELECT line, reason FROM archive_rejects WHERE run_id = "
                                        "(SELECT min(run_id) FROM runs)"))
    assert sorted(rejects) == [2, 5, 6, 7, 8, 9, 10, 11]
    assert "not valid JSON" in rejects[2] and "not a JSON object" in rejects[5]
    assert "only http and https" in rejects[6] and "non-empty 'text' or 'html'" in rejects[7]
    assert "not ISO 8601" in rejects[8] and "future" in rejects[9] and "empty" in rejects[10]
    assert "ISO 639" in rejects[11]


def test_rerun_adds_nothing(loaded) -> None:
    assert loaded["first"]["status"] == "completed_with_failures"
    stage = [s for s in loaded["second"]["stages"] if s["stage"] == "archive"][0]
    assert stage["new_rows"] == 0
    assert _rows(loaded["db"], "SELECT count(*) FROM articles") == [(3,)]


def test_html_item_kept_as_page_for_reextraction(loaded) -> None:
    assert _rows(loaded["db"], "SELECT count(*) FROM pages") == [(1,)]


def _warc(path: Path) -> None:
    html = (FIXTURES / "pages" / "german-radweg-kanal.html").read_bytes()
    with path.open("wb") as handle:
        writer = WARCWriter(handle, gzip=True)
        for url, status, ctype, body in [("https://www.rundschau.example/news/radweg", "200 OK", "text/html", html),
                                         ("https://www.rundschau.example/logo.png", "200 OK", "image/png", b"\x89PNG"),
                                         ("https://www.rundschau.example/missing", "404 Not Found", "text/html", b"no")]:
            headers = StatusAndHeaders(status, [("Content-Type", ctype)], protocol="HTTP/1.1")
            writer.write_record(writer.create_warc_record(url, "response", payload=io.BytesIO(body),
                                                          http_headers=headers))


def test_warc_pages_are_extracted(tmp_path: Path) -> None:
    archive = tmp_path / "crawl.warc.gz"
    _warc(archive)
    result = backfill(file=str(archive), data_dir=str(tmp_path / "data"))
    rows = _rows(tmp_path / "data" / "warehouse.duckdb", "SELECT outlet_id, language, title FROM articles")
    assert result["status"] == "completed"
    assert len(rows) == 1 and rows[0][0] == "rundschau-example" and rows[0][1] == "de"


def test_archive_with_nothing_loadable_fails(tmp_path: Path) -> None:
    archive = tmp_path / "bad.jsonl"
    archive.write_text("nope\n{}\n", encoding="utf-8")
    with pytest.raises(RunFailed, match="none of 2 archive items could be loaded"):
        backfill(file=str(archive), data_dir=str(tmp_path / "data"))
