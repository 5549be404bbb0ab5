"""The outlets configuration: loaded from TOML, validated whole before anything runs."""
from __future__ import annotations

import enum
import tomllib
import zoneinfo
from datetime import datetime
from pathlib import Path
from typing import Annotated, Any

import cronsim
from pydantic import BaseModel, ConfigDict, Field, ValidationError, field_validator

from pipeline.errors import ConfigError
from pipeline.ids import feed_id
from pipeline.urls import UrlError, canonical_url, check_http_url

DEFAULT_USER_AGENT = "Parallax/0.1 (news coverage research; set [fetch] user_agent to add your contact)"


class Ownership(str, enum.Enum):
    """What kind of organisation an outlet is."""

    WIRE = "wire"
    PUBLIC_BROADCASTER = "public_broadcaster"
    STATE_CONTROLLED = "state_controlled"
    PRIVATE = "private"
    PARTY_PRESS = "party_press"
    OFFICIAL_SOURCE = "official_source"
    NONPROFIT = "nonprofit"
    OTHER = "other"


class _Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


Seconds = Annotated[float, Field(gt=0, le=3600)]


class FetchSettings(_Strict):
    """How Parallax talks to servers it does not control."""

    user_agent: str = DEFAULT_USER_AGENT
    allowed_hosts: tuple[str, ...] = ()
    allow_private_networks: bool = False
    per_host_concurrency: Annotated[int, Field(ge=1, le=16)] = 2
    per_host_min_gap_s: Annotated[float, Field(ge=0, le=60)] = 1.0
    connect_timeout_s: Seconds = 10.0
    read_timeout_s: Seconds = 10.0
    deadline_s: Seconds = 30.0
    max_feed_bytes: Annotated[int, Field(ge=1024, le=200 * 2**20)] = 15 * 2**20
    max_page_bytes: Annotated[int, Field(ge=1024, le=200 * 2**20)] = 5 * 2**20
    max_redirects: Annotated[int, Field(ge=0, le=20)] = 5
    max_entries_per_feed: Annotated[int, Field(ge=1, le=100_000)] = 2000
    retries: Annotated[int, Field(ge=0, le=5)] = 2
    max_retry_wait_s: Annotated[float, Field(ge=0, le=600)] = 30.0
    page_attempts: Annotated[int, Field(ge=1, le=20)] = 3
    global_concurrency: Annotated[int, Field(ge=1, le=256)] = 16

    @field_validator("user_agent")
    @classmethod
    def _ua_not_blank(cls, value: str) -> str:
        if not value.strip() or any(ord(c) < 32 for c in value):
            raise ValueError("must be a non-empty single line")
        return value


class ExtractSettings(_Strict):
    """Bounds on the extraction of one page."""

    deadline_s: Seconds = 20.0
    memory_mb: Annotated[int, Field(ge=256, le=16384)] = 1536
    workers: Annotated[int, Field(ge=1, le=64)] = 2
    min_text_chars: Annotated[int, Field(ge=0, le=10_000)] = 250


class MatchConfig(_Strict):
    """Event matching knobs; unset ones keep pipeline.matching.MatchSettings' defaults."""

    threshold: Annotated[float, Field(gt=0, lt=1)] | None = None
    quiet_days: Annotated[float, Field(gt=0, le=365)] | None = None

    def overrides(self) -> dict[str, float]:
        """The knobs the config sets."""
        return {k: v for k, v in self.model_dump().items() if v is not None}


class ScheduleSettings(_Strict):
    """When the nightly run fires (used by the Prefect deployment)."""

    cron: str = "0 2 * * *"
    timezone: str = "UTC"

    @field_validator("cron")
    @classmethod
    def _valid_cron(cls, value: str) -> str:
        try:
            cronsim.CronSim(value, datetime(2024, 1, 1))
        except (cronsim.CronSimError, ValueError) as exc:
            raise ValueError(f"invalid cron expression {value!r}: {exc}") from None
        return value

    @field_validator("timezone")
    @classmethod
    def _valid_zone(cls, value: str) -> str:
        try:
            zoneinfo.ZoneInfo(value)
        except (zoneinfo.ZoneInfoNotFoundError, ValueError):
            raise ValueError(f"unknown time zone {value!r}") from None
        return value


class Outlet(_Strict):
    """One news outlet and the feeds we read from it."""

    id: Annotated[str, Field(pattern=r"^[a-z0-9][a-z0-9_-]{0,63}$")]
    name: Annotated[str, Field(min_length=1, max_length=200)]
    homepage: str
    feeds: Annotated[tuple[str, ...], Field(min_length=1, max_length=50)]
    language: Annotated[str, Field(pattern=r"^[a-z]{2,3}$")]
    country: Annotated[str, Field(pattern=r"^[A-Z]{2}$")]
    ownership: Ownership
    tags: dict[Annotated[str, Field(pattern=r"^[a-z][a-z0-9_]{0,31}$")], str] = {}
    active: bool = True

    def feed_ids(self) -> list[tuple[str, str]]:
        """(feed id, URL) of each of the outlet's feeds."""
        return [(feed_id(url), url) for url in self.feeds]

    @field_validator("homepage")
    @classmethod
    def _homepage_url(cls, value: str) -> str:
        return _checked_url(value)

    @field_validator("feeds")
    @classmethod
    def _feed_urls(cls, values: tuple[str, ...]) -> tuple[str, ...]:
        return tuple(_checked_url(v) for v in values)


class Config(_Strict):
    """A whole, validated configuration."""

    fetch: FetchSettings = FetchSettings()
    extract: ExtractSettings = ExtractSettings()
    schedule: ScheduleSettings = ScheduleSettings()
    match: MatchConfig = MatchConfig()
    outlets: Annotated[tuple[Outlet, ...], Field(min_length=1)]

    @field_validator("outlets")
    @classmethod
    def _unique(cls, outlets: tuple[Outlet, ...]) -> tuple[Outlet, ...]:
        _reject_duplicates([o.id for o in outlets], "outlet id")
        _reject_duplicates([canonical_url(f) for o in outlets for f in o.feeds], "feed URL")
        return outlets


def _checked_url(value: str) -> str:
    try:
        return check_http_url(value)
    except UrlError as exc:
        raise ValueError(str(exc)) from None


def _reject_duplicates(values: list[str], what: str) -> None:
    seen: set[str] = set()
    for value in values:
        if value in seen:
            raise ValueError(f"duplicate {what} {value!r}")
        seen.add(value)


def load_config(path: Path | str) -> Config:
    """Read and validate a config file; raise ConfigError naming file, key and problem."""
    path = Path(path)
    data = _read_toml(path)
    try:
        return Config.model_validate(data)
    except ValidationError as exc:
        raise _config_error(path, data, exc) from None


def parse_config(text: str, *, source: str = "<config>") -> Config:
    """Validate config text (the same checks as load_config)."""
    data = _parse_toml(text, source)
    try:
        return Config.model_validate(data)
    except ValidationError as exc:
        raise _config_error(Path(source), data, exc) from None


def _read_toml(path: Path) -> dict[str, Any]:
    try:
        text = path.read_text(encoding="utf-8")
    except FileNotFoundError:
        raise ConfigError(str(path), "(file)", "no such file") from None
    except (OSError, UnicodeDecodeError) as exc:
        raise ConfigError(str(path), "(file)", f"cannot be read: {exc}") from None
    return _parse_toml(text, str(path))


def _parse_toml(text: str, source: str) -> dict[str, Any]:
    try:
        return tomllib.loads(text)
    except tomllib.TOMLDecodeError as exc:
        raise ConfigError(source, "(syntax)", str(exc)) from None


def _config_error(path: Path, data: dict[str, Any], exc: ValidationError) -> ConfigError:
    errors = _root_errors(exc.errors())
    first = errors[0]
    key = _key_name(first["loc"], data)
    problem = first["msg"].removeprefix("Value error, ")
    if first["type"] == "extra_forbidden":
        problem = "unknown key"
    more = len(errors) - 1
    if more:
        problem += f" (and {more} more problem{'s' if more > 1 else ''})"
    return ConfigError(str(path), key, problem)


def _root_errors(errors: list[Any]) -> list[Any]:
    """The errors minus those that only follow from another (an outlets list left empty by a bad outlet)."""
    locs = [e["loc"] for e in errors]
    return [e for e in errors
            if not any(len(loc) > len(e["loc"]) and loc[:len(e["loc"])] == e["loc"] for loc in locs)] or errors


def _key_name(loc: tuple[Any, ...], data: dict[str, Any]) -> str:
    parts: list[str] = []
    node: Any = data
    for step in loc:
        if isinstance(step, int):
            parts[-1] += f"[{step}]"
            node = node[step] if isinstance(node, list) and step < len(node) else None
            if isinstance(node, dict) and "id" in node and len(parts) == 1:
                parts[-1] += f" (id {node['id']!r})"
        else:
            parts.append(str(step))
            node = node.get(step) if isinstance(node, dict) else None
    return ".".join(parts) or "(top level)"
