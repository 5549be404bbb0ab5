"""load_config / parse_config: the example loads; every error names file, key and problem."""
from __future__ import annotations

from pathlib import Path

import pytest
from pydantic import ValidationError

from pipeline.config import DEFAULT_USER_AGENT, Config, FetchSettings, Ownership, load_config, parse_config
from pipeline.errors import ConfigError, PermanentError

EXAMPLE = Path(__file__).parents[2] / "outlets.example.toml"


def outlet(oid: str, *, feeds: list[str] | None = None, **fields: str) -> str:
    """One [[outlets]] table; fields replace the defaults verbatim (TOML values)."""
    values = {"id": f'"{oid}"', "name": '"Outlet"', "homepage": f'"https://{oid}.example/"',
              "feeds": "[" + ", ".join(f'"{f}"' for f in (feeds or [f"https://{oid}.example/feed.xml"])) + "]",
              "language": '"en"', "country": '"GB"', "ownership": '"private"'} | fields
    return "[[outlets]]\n" + "".join(f"{k} = {v}\n" for k, v in values.items()) + "\n"


GOOD = outlet("alpha") + outlet("beta", feeds=["https://beta.example/rss", "https://beta.example/world/rss"])


def error_of(text: str, source: str = "outlets.toml") -> ConfigError:
    """The ConfigError that parse_config raises for the text."""
    with pytest.raises(ConfigError) as caught:
        parse_config(text, source=source)
    return caught.value


# --- what loads ---------------------------------------------------------------------------------------


def test_example_config_loads() -> None:
    if not EXAMPLE.exists():
        pytest.skip(f"{EXAMPLE.name} is not there yet")
    config = load_config(EXAMPLE)
    assert isinstance(config, Config) and len(config.outlets) >= 1
    ids = [o.id for o in config.outlets]
    assert len(ids) == len(set(ids))
    assert all(o.feeds and o.feed_ids() for o in config.outlets)
    assert config.fetch.user_agent.strip() and config.schedule.cron


def test_minimal_config_gets_the_defaults(tmp_path: Path) -> None:
    path = tmp_path / "outlets.toml"
    path.write_text(GOOD, encoding="utf-8")
    config = load_config(path)
    assert [o.id for o in config.outlets] == ["alpha", "beta"]
    assert config.fetch == FetchSettings() and config.fetch.user_agent == DEFAULT_USER_AGENT
    assert config.outlets[1].feeds == ("https://beta.example/rss", "https://beta.example/world/rss")
    assert config.outlets[0].ownership is Ownership.PRIVATE and config.outlets[0].active
    assert len(config.outlets[1].feed_ids()) == 2 and len({f for f, _ in config.outlets[1].feed_ids()}) == 2
    assert load_config(str(path)) == config  # a str path works too


def test_settings_tables_are_read() -> None:
    config = parse_config('[fetch]\nuser_agent = "Me/1.0 (me@example.org)"\nper_host_min_gap_s = 0\n'
                          '[extract]\nworkers = 4\n[schedule]\ncron = "30 3 * * 1-5"\ntimezone = "Europe/Berlin"\n'
                          + GOOD)
    assert config.fetch.user_agent == "Me/1.0 (me@example.org)" and config.fetch.per_host_min_gap_s == 0
    assert config.extract.workers == 4
    assert (config.schedule.cron, config.schedule.timezone) == ("30 3 * * 1-5", "Europe/Berlin")


# --- errors name file, key and problem -----------------------------------------------------------


def test_toml_syntax_error(tmp_path: Path) -> None:
    path = tmp_path / "broken.toml"
    path.write_text(GOOD + "[[outlets]\nid = 'x'\n", encoding="utf-8")
    with pytest.raises(ConfigError) as caught:
        load_config(path)
    error = caught.value
    assert error.path == str(path) and error.key == "(syntax)" and "line" in error.problem
    assert str(error).startswith(f"{path}: (syntax): ")
    assert isinstance(error, PermanentError) and not error.transient


def test_missing_file(tmp_path: Path) -> None:
    path = tmp_path / "nope.toml"
    with pytest.raises(ConfigError) as caught:
        load_config(path)
    assert (caught.value.path, caught.value.key, caught.value.problem) == (str(path), "(file)", "no such file")


def test_unreadable_file(tmp_path: Path) -> None:
    path = tmp_path / "latin1.toml"
    path.write_bytes(GOOD.encode("utf-8") + b"# caf\xe9\n")
    with pytest.raises(ConfigError) as caught:
        load_config(path)
    assert caught.value.key == "(file)" and "cannot be read" in caught.value.problem
    with pytest.raises(ConfigError) as caught:
        load_config(tmp_path)  # a directory
    assert caught.value.key == "(file)"


@pytest.mark.parametrize(("text", "key"), [
    ("colour = 1\n" + GOOD, "colour"),
    ("[fetch]\ncolour = 1\n" + GOOD, "fetch.colour"),
    ("[schedule]\nevery = 'day'\n" + GOOD, "schedule.every"),
    (outlet("alpha") + outlet("x", colour='"red"'), "outlets[1] (id 'x').colour"),
    (outlet("alpha", Colour='"red"'), "outlets[0] (id 'alpha').Colour"),
])
def test_unknown_keys_are_errors(text: str, key: str) -> None:
    error = error_of(text)
    assert (error.path, error.key, error.problem) == ("outlets.toml", key, "unknown key")
    assert str(error) == f"outlets.toml: {key}: unknown key"


def test_duplicate_outlet_id() -> None:
    error = error_of(outlet("alpha") + outlet("alpha", feeds=["https://other.example/feed"]))
    assert error.key == "outlets" and error.problem == "duplicate outlet id 'alpha'"


@pytest.mark.parametrize(("first", "second"), [
    ("https://alpha.example/feed.xml", "https://alpha.example/feed.xml"),
    ("https://alpha.example/feed.xml", "https://alpha.example/feed.xml?utm_source=x&utm_medium=rss"),
    ("https://alpha.example/feed.xml", "https://ALPHA.Example/feed.xml"),
    ("https://alpha.example/feed.xml", "https://alpha.example:443/feed.xml#top"),
])
def test_duplicate_feed_url(first: str, second: str) -> None:
    error = error_of(outlet("alpha", feeds=[first]) + outlet("beta", feeds=[second]))
    assert error.key == "outlets" and error.problem.startswith("duplicate feed URL")
    error = error_of(outlet("alpha", feeds=[first, second]))  # within one outlet too
    assert error.problem.startswith("duplicate feed URL")


@pytest.mark.parametrize(("url", "words"), [
    ("alpha.example/feed", "no scheme"),
    ("https://alpha.example/my feed.xml", "spaces"),
    ("ftp://alpha.example/feed.xml", "ftp"),
    ("file:///etc/passwd", "file"),
    ("javascript:alert(1)", "javascript"),
    ("https:///feed.xml", "no host"),
    ("https://alpha.example:99999/feed", "port"),
    ("http://[::1/feed", "malformed"),
])
def test_invalid_feed_url(url: str, words: str) -> None:
    error = error_of(outlet("alpha", feeds=[url]))
    assert error.key == "outlets[0] (id 'alpha').feeds"
    assert words in error.problem and "more problem" not in error.problem  # one bad URL is one problem


def test_invalid_homepage() -> None:
    error = error_of(outlet("alpha", homepage='"ftp://alpha.example/"'))
    assert error.key == "outlets[0] (id 'alpha').homepage" and "ftp" in error.problem


@pytest.mark.parametrize(("field", "value"), [
    ("language", '"English"'), ("language", '"EN"'), ("language", '""'),
    ("country", '"gb"'), ("country", '"GBR"'),
    ("ownership", '"corporate"'), ("ownership", "1"),
    ("id", '"Alpha Outlet"'), ("name", '""'),
])
def test_bad_outlet_fields(field: str, value: str) -> None:
    error = error_of(outlet("good") + outlet("alpha", **{field: value}))
    expected_id = "alpha" if field != "id" else "Alpha Outlet"
    assert error.key == f"outlets[1] (id '{expected_id}').{field}"
    assert error.problem and "more problem" not in error.problem


def test_several_problems_are_counted() -> None:
    error = error_of(outlet("alpha", language='"English"', country='"gb"'))
    assert error.key == "outlets[0] (id 'alpha').language" and error.problem.endswith("(and 1 more problem)")


@pytest.mark.parametrize(("table", "key", "value", "words"), [
    ("schedule", "cron", '"61 2 * * *"', "invalid cron expression"),
    ("schedule", "cron", '"every night"', "invalid cron expression"),
    ("schedule", "timezone", '"Mars/Olympus_Mons"', "unknown time zone"),
    ("fetch", "read_timeout_s", "0", "greater than 0"),
    ("fetch", "connect_timeout_s", "-1", "greater than 0"),
    ("fetch", "deadline_s", "-0.5", "greater than 0"),
    ("extract", "deadline_s", "0", "greater than 0"),
    ("fetch", "user_agent", '""', "non-empty"),
    ("fetch", "user_agent", '"   "', "non-empty"),
    ("fetch", "user_agent", '"Bot\\nInjected: header"', "single line"),
    ("fetch", "per_host_concurrency", "0", "greater than or equal to 1"),
    ("extract", "memory_mb", "64", "greater than or equal to 256"),
])
def test_bad_settings(table: str, key: str, value: str, words: str) -> None:
    error = error_of(f"[{table}]\n{key} = {value}\n" + GOOD)
    assert error.key == f"{table}.{key}" and words in error.problem


@pytest.mark.parametrize("text", ["outlets = []\n", "", "[fetch]\nretries = 1\n"])
def test_no_outlets(text: str) -> None:
    error = error_of(text)
    assert error.key == "outlets" and error.problem


# --- nothing is half-applied -------------------------------------------------------------------------


def test_a_bad_file_changes_nothing(tmp_path: Path) -> None:
    good_path, bad_path = tmp_path / "good.toml", tmp_path / "bad.toml"
    good_path.write_text(GOOD, encoding="utf-8")
    # Valid settings and a valid first outlet, then one bad outlet at the end.
    bad_path.write_text('[fetch]\nuser_agent = "Changed/2.0"\nretries = 5\n' + GOOD
                        + outlet("gamma", country='"gb"'), encoding="utf-8")
    before = load_config(good_path)
    with pytest.raises(ConfigError) as caught:
        load_config(bad_path)
    assert caught.value.key == "outlets[2] (id 'gamma').country"
    assert load_config(good_path) == before
    assert FetchSettings().user_agent == DEFAULT_USER_AGENT and FetchSettings().retries == 2


def test_a_loaded_config_cannot_be_changed() -> None:
    config = parse_config(GOOD)
    with pytest.raises(ValidationError):
        config.fetch.retries = 5  # type: ignore[misc]
    with pytest.raises(ValidationError):
        config.outlets[0].feeds = ()  # type: ignore[misc]
    assert config.fetch.retries == 2 and config.outlets[0].feeds
