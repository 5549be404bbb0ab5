"""One night of event matching: assign new articles to events, then find who originated each story."""
from __future__ import annotations

from collections.abc import Mapping, Sequence
from datetime import datetime, timedelta

from pipeline.matching import Assignment, MatchItem, MatchSettings, Member, match
from pipeline.records import ArticleText
from pipeline.syndication import Origin, SyndicationItem, origins


def window_start(new: Sequence[ArticleText], settings: MatchSettings) -> datetime | None:
    """The earliest publication time whose events can still attract the night's articles."""
    if not new:
        return None
    first = min(a.published_at for a in new)
    day_start = first.replace(hour=0, minute=0, second=0, microsecond=0)
    # two quiet windows back: the open events, and the members that make them what they are
    return day_start - timedelta(days=2 * settings.quiet_days)


def match_night(new: Sequence[ArticleText], window: Sequence[ArticleText], settings: MatchSettings,
                outlet_names: Mapping[str, str]) -> tuple[list[Assignment], list[Origin]]:
    """Assignments of the new articles (against the window's events) and their origins."""
    members = [Member(item=_item(a), event_id=a.event_id) for a in window if a.event_id]
    assignments = match([_item(a) for a in new], members, settings)
    event_of = {x.article_id: x.event_id for x in assignments}
    found = origins([_syndication(a, event_of[a.article_id]) for a in new],
                    [_syndication(a, a.event_id) for a in window if a.event_id], outlet_names)
    return assignments, found


def _item(a: ArticleText) -> MatchItem:
    return MatchItem(article_id=a.article_id, outlet_id=a.outlet_id, published_at=a.published_at,
                     title=a.title, text=a.text)


def _syndication(a: ArticleText, event_id: str) -> SyndicationItem:
    return SyndicationItem(article_id=a.article_id, outlet_id=a.outlet_id, event_id=event_id,
                           published_at=a.published_at, text=a.text)
