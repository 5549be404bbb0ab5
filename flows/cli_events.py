"""`parallax events`: list events, show why articles were grouped, merge and split them."""
from __future__ import annotations

from datetime import datetime
from pathlib import Path
from typing import Annotated, Optional

import typer

from flows.cli_options import DataOption, DbOption
from flows.cli_options import fail as _fail
from flows.settings import resolve_paths
from pipeline.errors import ParallaxError

events_app = typer.Typer(name="events", add_completion=False, invoke_without_command=True,
                         help="List events; show, merge or split them (decisions survive later nights).")

@events_app.callback()
def list_events(ctx: typer.Context, db: DbOption = None, data_dir: DataOption = None,
                since: Annotated[Optional[datetime], typer.Option(help="Only events seen since this date.")] = None,
                limit: Annotated[int, typer.Option(help="Most events listed.")] = 50) -> None:
    """List events, most recently seen first."""
    if ctx.invoked_subcommand is not None:
        return
    from warehouse import read
    from warehouse.connect import reader

    try:
        with reader(resolve_paths(db, data_dir).db) as con:
            rows = read.event_list(con, since=since, limit=limit)
    except ParallaxError as exc:
        _fail(str(exc))
    for r in rows:
        seen = f"{r['first_seen']:%Y-%m-%d}..{r['last_seen']:%m-%d}" if r["first_seen"] else "undated"
        typer.echo(f"{r['event_id']}  {seen}  {r['articles']:>3} articles  {r['outlets']:>2} outlets  "
                   f"{r['originators']:>2} originators  {r['label'][:80]}")


@events_app.command("show")
def show(event_id: str, db: DbOption = None, data_dir: DataOption = None) -> None:
    """The articles of one event, with the evidence that placed each there."""
    from warehouse import read
    from warehouse.connect import reader

    try:
        with reader(resolve_paths(db, data_dir).db) as con:
            members = read.event_members(con, event_id)
    except ParallaxError as exc:
        _fail(str(exc))
    if not members:
        _fail(f"no event {event_id}")
    for m in members:
        why = "started the event" if m["new_event"] else (
            f"score {m['score']:.2f} (content {m['content']:.2f}, names/numbers {m['evidence']:.2f}), "
            f"{m['gap_days']:.1f} days after; shared: {', '.join(list(m['shared_names'])[:5] + list(m['shared_numbers'])[:3])}")
        runner = f"; runner-up {m['runner_up_event']} at {m['runner_up_score']:.2f}" if m["runner_up_event"] else ""
        origin = "" if m["origin_method"] == "own" else f" [copy of {m['originator']} ({m['origin_method']})]"
        typer.echo(f"{m['published_at']:%Y-%m-%d %H:%M} {m['outlet']:<12} {m['title'][:70]}{origin}")
        typer.echo(f"    {m['article_id']}  {why}{runner}")


@events_app.command("merge")
def merge(keep: Annotated[str, typer.Argument(help="The event to keep.")],
          others: Annotated[list[str], typer.Argument(help="Events merged into it.")],
          db: DbOption = None, data_dir: DataOption = None) -> None:
    """Merge events into one; later nights keep them merged."""
    _decide(db, data_dir, lambda con, load: [load.record_decision(con, kind="merge", event_id=o, into_event_id=keep)
                                             for o in others if o != keep])
    typer.echo(f"merged {', '.join(others)} into {keep}")


@events_app.command("split")
def split(event_id: str, articles: Annotated[list[str], typer.Argument(help="Article ids or URLs to move out.")],
          db: DbOption = None, data_dir: DataOption = None) -> None:
    """Move articles out of an event into a new one; later nights keep them apart."""
    from pipeline.ids import stable_id

    new_id = "ev-split-" + stable_id("split", event_id, *sorted(articles), datetime.now().isoformat())[:8]

    def decide(con, load) -> None:
        from warehouse import read

        ids = read.resolve_article_ids(con, articles)
        unknown = [k for k, v in ids.items() if v is None]
        if unknown:
            raise _Refused(f"unknown article(s): {', '.join(unknown)}")
        load.record_decision(con, kind="split", event_id=event_id, into_event_id=new_id,
                             article_ids=sorted(set(ids.values())))

    _decide(db, data_dir, decide)
    typer.echo(f"moved {len(articles)} article(s) from {event_id} to new event {new_id}")


class _Refused(ParallaxError):
    """A decision that cannot be recorded."""


def _decide(db: Optional[Path], data_dir: Optional[Path], action) -> None:
    from warehouse import load
    from warehouse.connect import writer
    from warehouse.lock import writer_lock

    paths = resolve_paths(db, data_dir)
    if not paths.db.exists():
        _fail(f"no warehouse at {paths.db}: run `parallax run` first")
    try:
        with writer_lock(paths.db, "events-cli"), writer(paths.db) as con:
            action(con, load)
    except ParallaxError as exc:
        _fail(str(exc))
