"""IsolatedPool: real extraction in killable workers, deadlines, memory caps, deaths and errors."""
from __future__ import annotations

import time

import pytest

from pipeline.extract import extract_article
from pipeline.isolation import Failed, IsolatedPool, target_name
from pipeline.records import Extraction
from tests.pipeline.isolation_targets import behave
from tests.support.server import fixture_bytes

BASE = "http://127.0.0.1:8765"
PAGES = {"/news/city-library-weekend-hours": "jsonld-library-hours.html",
         "/news/neuer-radweg-am-kanal": "german-radweg-kanal.html",
         "/news/old-town-food-fair": "cp1252-food-fair.html"}


def pathological_page(spans: int = 60_000) -> bytes:
    """One <p> holding tens of thousands of inline <span>s: trafilatura is superlinear on it (~1 MB)."""
    words = "".join(f"<span>w{i} </span>" for i in range(spans))
    return (f"<html><head><title>Spans</title></head><body><article><p>{words}</p></article>"
            "</body></html>").encode("utf-8")


def page_call(route: str) -> tuple[str, tuple[bytes, str], dict]:
    """A pool call extracting one fixture page."""
    return route, (fixture_bytes(f"pages/{PAGES[route]}", BASE), BASE + route), {}


def test_target_name_is_an_importable_path() -> None:
    assert target_name(extract_article) == "pipeline.extract:extract_article"
    assert target_name(behave) == "tests.pipeline.isolation_targets:behave"


def test_real_extraction_in_workers() -> None:
    with IsolatedPool(extract_article, workers=2, deadline_s=20, memory_mb=1536) as pool:
        results = dict(pool.run(page_call(route) for route in PAGES))
    assert set(results) == set(PAGES)
    assert all(isinstance(r, Extraction) for r in results.values()), results
    assert results["/news/neuer-radweg-am-kanal"].language == "de"
    assert "crème brûlée" in results["/news/old-town-food-fair"].text
    assert results["/news/city-library-weekend-hours"].authors == ("Dana Whitfield", "Omar Castellanos")
    assert pool.killed == 0


def test_pathological_page_hits_the_deadline_and_the_pool_keeps_working() -> None:
    html = pathological_page()
    assert 900_000 < len(html) < 1_300_000
    with IsolatedPool(extract_article, workers=1, deadline_s=1.5, memory_mb=1536) as pool:
        warm = dict(pool.run([page_call("/news/city-library-weekend-hours")]))
        assert isinstance(warm["/news/city-library-weekend-hours"], Extraction)
        started = time.monotonic()
        (key, result), = pool.run([("spans", (html, "https://paper.example/spans"), {})])
        elapsed = time.monotonic() - started
        assert (key, result) == ("spans", Failed("deadline"))
        assert 1.4 < elapsed < 3.0
        assert pool.killed == 1
        # The replacement worker's start-up (imports) must not count against the next call's deadline.
        after = dict(pool.run([page_call("/news/neuer-radweg-am-kanal")]))
        assert isinstance(after["/news/neuer-radweg-am-kanal"], Extraction)
        assert pool.killed == 1


def test_deadline_is_per_call_and_other_calls_finish() -> None:
    with IsolatedPool(behave, workers=2, deadline_s=1.0, memory_mb=512) as pool:
        results = dict(pool.run([("slow", ("sleep", 30), {}), ("a", ("echo", 1), {}), ("b", ("echo", 2), {}),
                                 ("c", ("echo", 3), {})]))
    assert results == {"slow": Failed("deadline"), "a": 1, "b": 2, "c": 3}
    assert pool.killed == 1


def test_memory_limit_becomes_a_failure() -> None:
    with IsolatedPool(behave, workers=1, deadline_s=10, memory_mb=512) as pool:
        first = dict(pool.run([("big", ("allocate", 2048), {})]))
        second = dict(pool.run([("small", ("allocate", 16), {})]))
    assert first == {"big": Failed("memory_limit")}
    assert second == {"small": 16 * 2**20}
    assert pool.killed == 0  # a MemoryError is caught in the worker, which stays alive


def test_worker_death_becomes_a_failure_and_the_worker_is_replaced() -> None:
    with IsolatedPool(behave, workers=1, deadline_s=10, memory_mb=512) as pool:
        (_, before), = pool.run([("pid", ("pid",), {})])
        died = dict(pool.run([("die", ("exit", 3), {})]))
        (_, after), = pool.run([("pid", ("pid",), {})])
    assert died == {"die": Failed("worker_died")}
    assert pool.killed == 1 and before != after


def test_exceptions_become_failures_with_their_type_and_message() -> None:
    with IsolatedPool(behave, workers=1, deadline_s=10, memory_mb=512) as pool:
        (_, worker), = pool.run([("pid", ("pid",), {})])
        results = dict(pool.run([("bad", ("raise", 7), {}), ("lambda", ("unpicklable",), {}),
                                 ("ok", ("echo", 5), {}), ("pid", ("pid",), {})]))
    assert results["bad"] == Failed("error: ValueError: bad input 7")
    assert isinstance(results["lambda"], Failed) and results["lambda"].reason.startswith("error: ")
    assert results["ok"] == 5
    assert results["pid"] == worker and pool.killed == 0  # the same worker survived both errors


def test_many_calls_complete_with_their_keys() -> None:
    with IsolatedPool(behave, workers=3, deadline_s=10, memory_mb=512) as pool:
        results = dict(pool.run((i, ("echo", i * i), {}) for i in range(40)))
    assert results == {i: i * i for i in range(40)}


def test_workers_are_stopped_on_exit() -> None:
    with IsolatedPool(behave, workers=2, deadline_s=10, memory_mb=512) as pool:
        processes = [w.process for w in pool._workers]
        assert all(p.poll() is None for p in processes)
    assert all(p.poll() is not None for p in processes)


@pytest.mark.parametrize("kwargs", [{"deadline_s": 10}, {"deadline_s": 0.5}])
def test_empty_batch_returns_nothing(kwargs: dict) -> None:
    with IsolatedPool(behave, workers=1, memory_mb=512, **kwargs) as pool:
        assert list(pool.run([])) == []
