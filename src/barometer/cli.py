"""The ``barometer`` command: thin commands that parse options, call one library function and format the result."""

from __future__ import annotations

import json
import os
import sys
from enum import Enum
from pathlib import Path
from typing import Annotated, Any, Optional

import typer
from rich.console import Console
from rich.progress import BarColumn, MofNCompleteColumn, Progress, SpinnerColumn, TextColumn, TimeElapsedColumn

from barometer.errors import BarometerError
from barometer.dedup import DuplicateIndex
from barometer.inputs import InputOptions, iter_sources
from barometer.models import Analysis, Duplicate, Failure, Source
from barometer.output import write_rows
from barometer.pipeline import run
from barometer.reading import normalise_date
from barometer.series import dyad_series, sparkline, turning_points
from barometer.settings import SETTINGS, Settings, load_settings
from barometer.errors import OutputError, StoreError
from barometer.store import FORECAST_STATUSES, Filters, Store, parse_country, parse_day, parse_dyad

app = typer.Typer(add_completion=False, no_args_is_help=True, rich_markup_mode=None,
                  help="Barometer: events, quotes and forecasts from the news, stored with their evidence.")
err = Console(stderr=True, soft_wrap=True)   # one error, one line, however long

EXIT_SOME_FAILED = 1
_TABLE_COLUMNS = {
    "events": ("date", "source", "code", "event", "target", "verb", "negated", "reported", "sentence"),
    "quotes": ("date", "speaker", "affiliation", "kind", "cue", "text"),
    "forecasts": ("id", "date", "forecaster", "probability", "horizon", "status", "outcome", "text"),
}


class Conventions(str, Enum):
    barometer = "barometer"
    petrarch = "petrarch"


class UserAgents(str, Enum):
    add = "add"
    replace = "replace"


AgentsOpt = Annotated[Optional[UserAgents], typer.Option(
    "--agents", help="The user_agents setting for this run; default: replace for PETRARCH records (their agent file "
                     "is the only one, as PETRARCH reads it), else the setting.")]


class Fmt(str, Enum):
    table = "table"
    csv = "csv"
    jsonl = "jsonl"
    json = "json"


class AnalyzeFmt(str, Enum):
    jsonl = "jsonl"
    json = "json"
    table = "table"


class Period(str, Enum):
    day = "day"
    week = "week"
    month = "month"


PathsArg = Annotated[list[str], typer.Argument(
    help="Files, directories, http(s) URLs or '-' for stdin: pages (.html, .htm, also .gz), texts (.txt, .md), "
         "records (.jsonl, .json), web archives (.warc, .warc.gz), feeds (.rss, .atom, .xml) and OPML lists.")]
IncludeOpt = Annotated[Optional[list[str]], typer.Option(
    "--include", help="In directories, read only files matching this glob (e.g. '*.html' or '2025/*'); repeatable. "
                      "Default: every file with a known suffix, hidden ones skipped.")]
ExcludeOpt = Annotated[Optional[list[str]], typer.Option(
    "--exclude", help="In directories, skip files matching this glob (e.g. 'drafts/*'); repeatable.")]
DateOpt = Annotated[Optional[str], typer.Option("--date", help="Story date (YYYY-MM-DD) for documents that carry none.")]
DbOpt = Annotated[Optional[str], typer.Option("--db", help="DuckDB file (default: the 'db' setting, ./barometer.duckdb).")]
ConfigOpt = Annotated[Optional[Path], typer.Option("--config", help="TOML config file with a [barometer] table.")]
FmtOpt = Annotated[Fmt, typer.Option("--format", "-f", help="Output format.")]
DyadOpt = Annotated[Optional[str], typer.Option("--dyad", help="Two country codes, e.g. USA-RUS (either direction).")]
SinceOpt = Annotated[Optional[str], typer.Option("--since", help="First story date to include (YYYY-MM-DD).")]
UntilOpt = Annotated[Optional[str], typer.Option("--until", help="Last story date to include (YYYY-MM-DD).")]
LimitOpt = Annotated[Optional[int], typer.Option("--limit", min=1, help="At most this many rows.")]
DictOpt = Annotated[Optional[list[Path]], typer.Option(
    "--dictionary", "-d", help="Actor dictionary to lay over the built-in knowledge (PETRARCH actors/agents or "
                               "Barometer TSV); repeat for more, later ones win. Replaces the 'dictionaries' setting.")]


def _check_date(value: str | None, option: str) -> str | None:
    if value is None:
        return None
    parsed = normalise_date(value) if len(value) >= 8 and value[:4].isdigit() else None
    day = parse_day(parsed or value, option)     # a QueryError naming the option for anything but a date
    return day.isoformat() if day else None


def _with_dictionaries(config: Path | None, dictionaries: list[Path] | None, **flags: Any) -> Settings:
    """Settings with ``--dictionary`` files applied; says on stderr how each user dictionary loaded."""
    from barometer.actors import knowledge_for

    for path in dictionaries or ():
        if os.pathsep in str(path):
            raise BarometerError(f"dictionary path {str(path)!r} contains {os.pathsep!r}, the path separator of the "
                                 "'dictionaries' setting; rename the file or its folder")
    joined = os.pathsep.join(str(p) for p in dictionaries) if dictionaries else None
    settings = load_settings(config, dictionaries=joined, **flags)
    for dictionary in knowledge_for(settings).dictionaries:
        hint = f" (barometer actors check {dictionary.path} lists them)" if dictionary.issues else ""
        err.print(f"dictionary {dictionary.summary()}{hint}", highlight=False, markup=False)
    return settings


def _analyse(paths: list[str], settings: Settings, date: str | None, include: list[str] | None,
             exclude: list[str] | None, duplicates: DuplicateIndex | None = None):
    options = InputOptions(max_bytes=settings.max_file_bytes, include=tuple(include or ()),
                           exclude=tuple(exclude or ()), fetch_timeout=settings.fetch_timeout)
    return run(iter_sources(paths, options), settings, default_date=date, duplicates=duplicates)


def _report(failure: Failure) -> None:
    err.print(f"[red]Error:[/red] {failure.origin}: {failure.stage}: {failure.reason}", markup=True, highlight=False)


def _note(item: Analysis | Duplicate) -> None:
    """One line on stderr for a document read but not analysed: a copy, or a text not in English."""
    if isinstance(item, Duplicate):
        similar = f", {item.similarity:.0%} similar" if item.kind == "near" else ""
        err.print(f"{item.origin}: {item.kind} duplicate of document {item.original_id}{similar}; not analysed again",
                  highlight=False, markup=False)
    elif item.article.language != "en":
        err.print(f"{item.article.origin}: the text is in {item.article.language}, not English; not analysed",
                  highlight=False, markup=False)


@app.command()
def analyze(paths: PathsArg, date: DateOpt = None, fmt: Annotated[AnalyzeFmt, typer.Option(
        "--format", "-f", help="jsonl: one object per document; json: a list; table: a readable summary.")] = AnalyzeFmt.jsonl,
            config: ConfigOpt = None, dictionary: DictOpt = None, include: IncludeOpt = None,
            exclude: ExcludeOpt = None) -> None:
    """Analyse documents without storing them and print the records (docs/output.md); a copy of a document
    already read in the same run is named on stderr instead.

    Example: barometer analyze examples/corpus/html/2025-03-04-diplomats.html --format json
    """
    settings = _with_dictionaries(config, dictionary)
    date = _check_date(date, "--date")
    failed = 0
    results: list[dict[str, Any]] = []
    for item in _analyse(paths, settings, date, include, exclude, DuplicateIndex(settings.near_duplicate_threshold)):
        if isinstance(item, Failure):
            failed += 1
            _report(item)
            continue
        _note(item)
        if isinstance(item, Duplicate):
            continue
        if fmt is AnalyzeFmt.jsonl:
            sys.stdout.write(json.dumps(item.to_dict(), ensure_ascii=False) + "\n")
        elif fmt is AnalyzeFmt.json:
            results.append(item.to_dict())
        else:
            _print_analysis(item)
    if fmt is AnalyzeFmt.json:
        json.dump(results, sys.stdout, ensure_ascii=False, indent=2)
        sys.stdout.write("\n")
    if failed:
        raise typer.Exit(EXIT_SOME_FAILED)


def _print_analysis(analysis: Analysis) -> None:
    article = analysis.article
    out = Console()
    out.print(f"[bold]{article.title or article.origin}[/bold]  {article.date or ''}  id={article.id}")
    write_rows(({"source": e.source.code if e.source else "", "event": f"{e.code} {e.name}",
                 "target": e.target.code if e.target else "", "verb": e.verb, "negated": e.negated,
                 "reported": e.reported} for e in analysis.events), "table", title="events")
    write_rows(({"speaker": q.speaker.name if q.speaker else "", "kind": q.kind, "quote": q.text}
                for q in analysis.quotes), "table", title="quotes")
    write_rows(({"forecaster": f.forecaster.name if f.forecaster else "", "p": f.probability, "horizon": f.horizon,
                 "status": f.status, "text": f.text} for f in analysis.forecasts), "table", title="forecasts")


@app.command()
def ingest(paths: PathsArg, db: DbOpt = None, date: DateOpt = None, config: ConfigOpt = None,
           dictionary: DictOpt = None, include: IncludeOpt = None, exclude: ExcludeOpt = None) -> None:
    """Analyse documents and store them with their records; the same document is stored once, and a copy of a
    stored one (exact or near) is recorded as its duplicate, not analysed again (barometer duplicates lists them).

    Example: barometer ingest examples/corpus --db barometer.duckdb
    """
    settings = _with_dictionaries(config, dictionary, db=db)
    date = _check_date(date, "--date")
    stored = unchanged = copies = failed = 0
    with Store(settings.db) as store, Progress(
            SpinnerColumn(), TextColumn("{task.description}"), BarColumn(), MofNCompleteColumn(), TimeElapsedColumn(),
            console=err, transient=True, disable=not err.is_terminal) as progress:
        task = progress.add_task("ingesting", total=None)
        index = store.duplicate_index(settings.near_duplicate_threshold)
        for item in _analyse(paths, settings, date, include, exclude, index):
            if isinstance(item, Failure):
                store.add_failure(item)
                _report(item)
                failed += 1
            elif isinstance(item, Duplicate):
                if store.add_duplicate(item):
                    copies += 1
                    _note(item)
                else:
                    unchanged += 1
            else:
                try:
                    added = store.add(item)
                except StoreError as exc:
                    failure = Failure(item.article.origin, "store", str(exc), item.article.id)
                    store.add_failure(failure)
                    _report(failure)
                    failed += 1
                    continue
                if added:
                    _note(item)
                stored += added
                unchanged += not added
            summary = f"stored {stored}, already stored {unchanged}, duplicates {copies}, failed {failed}"
            progress.update(task, advance=1, description=summary)
            done = stored + unchanged + copies + failed
            if not err.is_terminal and done % 100 == 0:   # logs get a line now and then instead of a bar
                err.print(f"… {done} inputs: {summary}", highlight=False)
        counts = store.counts()
    err.print(f"stored {stored} new documents, skipped {unchanged} already stored, recorded {copies} duplicates of "
              f"stored documents, {failed} failed; the store now holds {counts['documents']} documents, "
              f"{counts['events']} events, {counts['quotes']} quotes, {counts['forecasts']} forecasts ({settings.db})",
              highlight=False)
    if failed:
        raise typer.Exit(EXIT_SOME_FAILED)


def _query(kind: str, db: str | None, dyad: str | None, since: str | None, until: str | None, limit: int | None,
           fmt: Fmt, config: Path | None) -> None:
    settings = load_settings(config, db=db)
    filters = Filters(parse_dyad(dyad), _check_date(since, "--since"), _check_date(until, "--until"), limit)
    with Store(settings.db, read_only=True) as store:
        rows = getattr(store, kind)(filters)
    if fmt is Fmt.table:   # a terminal table shows what a reader scans; machine formats keep every column
        rows = [{k: row[k] for k in _TABLE_COLUMNS[kind]} for row in rows]
    write_rows(rows, fmt.value, title=kind)


@app.command()
def events(dyad: DyadOpt = None, since: SinceOpt = None, until: UntilOpt = None, limit: LimitOpt = None,
           fmt: FmtOpt = Fmt.table, db: DbOpt = None, config: ConfigOpt = None) -> None:
    """List stored events with their sentence.

    Example: barometer events --dyad USA-RUS --since 2025-03-01 --format csv
    """
    _query("events", db, dyad, since, until, limit, fmt, config)


@app.command()
def quotes(dyad: DyadOpt = None, since: SinceOpt = None, until: UntilOpt = None, limit: LimitOpt = None,
           fmt: FmtOpt = Fmt.table, db: DbOpt = None, config: ConfigOpt = None) -> None:
    """List stored quotes with speaker and affiliation (--dyad: speakers of either country).

    Example: barometer quotes --dyad USA-RUS --format jsonl
    """
    _query("quotes", db, dyad, since, until, limit, fmt, config)


forecasts_app = typer.Typer(no_args_is_help=False, invoke_without_command=True,
                            help="The forecast register: list, resolve against later events, set outcomes, score.")
app.add_typer(forecasts_app, name="forecasts")


ForecastStatus = Enum("ForecastStatus", {name: name for name in FORECAST_STATUSES}, type=str)


@forecasts_app.callback()
def forecasts(ctx: typer.Context, dyad: DyadOpt = None, since: SinceOpt = None, until: UntilOpt = None,
              limit: LimitOpt = None,
              status: Annotated[ForecastStatus, typer.Option("--status", help="Which forecasts to list.")] = "all",
              fmt: FmtOpt = Fmt.table, db: DbOpt = None, config: ConfigOpt = None) -> None:
    """List stored forecasts with their id, forecaster, probability, horizon and outcome.

    Example: barometer forecasts --status open --since 2025-06-01
    """
    if ctx.invoked_subcommand is not None:
        return
    settings = load_settings(config, db=db)
    filters = Filters(parse_dyad(dyad), _check_date(since, "--since"), _check_date(until, "--until"), limit)
    with Store(settings.db, read_only=True) as store:
        rows = store.forecasts(filters, status.value)
    if fmt is Fmt.table:
        rows = [{k: row[k] for k in _TABLE_COLUMNS["forecasts"]} for row in rows]
    write_rows(rows, fmt.value, title="forecasts")


@forecasts_app.command("resolve")
def forecasts_resolve(
        accept: Annotated[bool, typer.Option("--accept", help="Store the proposed outcomes with their evidence.")] = False,
        as_of: Annotated[Optional[str], typer.Option("--as-of", help="Judge as of this date: later events do not count (default: newest story).")] = None,
        window: Annotated[int, typer.Option("--window-days", min=1, help="Horizon for forecasts that give none.")] = 365,
        fmt: FmtOpt = Fmt.table, db: DbOpt = None, config: ConfigOpt = None) -> None:
    """Propose outcomes for open forecasts from the events coded since (same dyad, same CAMEO root, within the horizon).

    Example: barometer forecasts resolve            (review)   then   barometer forecasts resolve --accept
    """
    from barometer.register import accept as accept_proposals, propose

    settings = load_settings(config, db=db)
    with Store(settings.db, read_only=not accept, create=False) as store:
        proposals = propose(store, as_of=_check_date(as_of, "--as-of"), window_days=window)
        if accept:
            accept_proposals(store, proposals)
    title = f"{len(proposals)} outcomes " + ("stored" if accept else "proposed (store them with --accept)")
    write_rows([p.as_row() for p in proposals], fmt.value, title=title)


@forecasts_app.command("set")
def forecasts_set(forecast_id: Annotated[str, typer.Argument(metavar="ID", help="Forecast id, DOCID:SEQ.")],
                  outcome: Annotated[str, typer.Argument(metavar="yes|no|open", help="Did the event happen? 'open' takes an outcome back.")],
                  note: Annotated[Optional[str], typer.Option("--note", help="Why, for the record.")] = None,
                  db: DbOpt = None, config: ConfigOpt = None) -> None:
    """Set a forecast's outcome by hand; it replaces a proposed one.

    Example: barometer forecasts set 3f9c2a1b0d4e5f60:2 yes --note "talks resumed 12 May"
    """
    from barometer.register import set_outcome

    settings = load_settings(config, db=db)
    with Store(settings.db, create=False) as store:
        set_outcome(store, forecast_id, outcome.lower(), note)
    Console().print(f"{forecast_id}: {outcome.lower()}", highlight=False)


@forecasts_app.command("scores")
def forecasts_scores(fmt: FmtOpt = Fmt.table, db: DbOpt = None, config: ConfigOpt = None) -> None:
    """Scorecards per forecaster (count, resolved, Brier score) and the calibration table (table and json;
    csv and jsonl carry the scorecards only).

    Example: barometer forecasts scores --format json
    """
    from barometer.register import calibration, scorecards

    settings = load_settings(config, db=db)
    with Store(settings.db, read_only=True) as store:
        cards, table = scorecards(store), calibration(store)
    if fmt in (Fmt.json, Fmt.jsonl):
        write_rows([{"scorecards": cards, "calibration": table}], fmt.value)
        return
    write_rows(cards, fmt.value, title="forecasters (Brier: 0 perfect, 0.25 = always 50%)")
    if fmt is Fmt.table:
        write_rows(table, "table", title="calibration: stated probability vs share that came true")


@app.command()
def failures(fmt: FmtOpt = Fmt.table, db: DbOpt = None, config: ConfigOpt = None) -> None:
    """List inputs that could not be processed, with the stage and the reason; documents stored but not analysed
    because they are not in English are listed at the stage 'language'.

    Example: barometer failures --format csv
    """
    settings = load_settings(config, db=db)
    with Store(settings.db, read_only=True) as store:
        write_rows(store.failures(), fmt.value, title="failures")


@app.command()
def duplicates(limit: LimitOpt = None, fmt: FmtOpt = Fmt.table, db: DbOpt = None, config: ConfigOpt = None) -> None:
    """List copies of stored documents that were not analysed again, each with the document it repeats.

    Example: barometer duplicates --format csv
    """
    settings = load_settings(config, db=db)
    with Store(settings.db, read_only=True) as store:
        write_rows(store.duplicates(Filters(limit=limit)), fmt.value, title="duplicates")


PenaltyOpt = Annotated[Optional[float], typer.Option("--penalty", min=0.01,
                                                    help="Turning-point penalty (default: the turning_penalty setting).")]


@app.command()
def dyad(a: Annotated[str, typer.Argument(help="First country code, e.g. USA.")],
         b: Annotated[str, typer.Argument(help="Second country code, e.g. RUS.")],
         by: Annotated[Period, typer.Option("--by", help="Period length.")] = Period.month,
         since: SinceOpt = None, until: UntilOpt = None,
         directed: Annotated[bool, typer.Option("--directed", help="Only events from A to B.")] = False,
         plot: Annotated[Optional[Path], typer.Option("--plot", help="Also write the chart to this PNG file.")] = None,
         penalty: PenaltyOpt = None, fmt: FmtOpt = Fmt.table, db: DbOpt = None, config: ConfigOpt = None) -> None:
    """Relations between two countries, period by period, and where they turned.

    Per period: events by QuadClass, Goldstein sum and mean, net cooperation, share of all coded events, tone.

    Example: barometer dyad USA RUS --by week --since 2025-01-01 --plot usa-rus.png
    """
    settings = load_settings(config, db=db, turning_penalty=penalty)
    a, b = parse_country(a), parse_country(b)
    with Store(settings.db, read_only=True) as store:
        rows = dyad_series(store, a, b, by=by.value, since=_check_date(since, "--since"),
                           until=_check_date(until, "--until"), directed=directed)
        shown = fmt is Fmt.table or plot is not None   # machine formats print the rows only
        points = turning_points(store, a, b, rows, by=by.value, penalty=settings.turning_penalty,
                                directed=directed) if shown else []
    title = f"{a}–{b} by {by.value}" + (" (directed)" if directed else "")
    if plot is not None:
        from barometer.plot import plot_series

        plot_series(rows, points, title, plot)
    write_rows(rows, fmt.value, title=title)
    if fmt is Fmt.table and rows:
        out = Console()
        line = sparkline([r["goldstein_mean"] for r in rows])
        out.print(f"Goldstein mean by {by.value}: {line}  ({rows[0]['period']} → {rows[-1]['period']})")
        for point in points:
            out.print(f"Turning point {point.period}: {point.direction}, Goldstein mean {point.before:+.2f} → "
                      f"{point.after:+.2f}", highlight=False)
            for event in point.events[:3]:
                out.print(f"  {event['date']} {event['source']} {event['code']} {event['target']}: "
                          f"{event['sentence'][:110]} [{event['doc_id']}:{event['start_char']}]", highlight=False)
        if plot is not None:
            out.print(f"plot written to {plot}", highlight=False)


class ExportFmt(str, Enum):
    gdelt = "gdelt"
    icews = "icews"
    plover = "plover"
    parquet = "parquet"
    csv = "csv"


@app.command("export")
def export_cmd(fmt: Annotated[ExportFmt, typer.Option("--format", "-f", help="gdelt, icews, plover: one file of "
                                                      "events; parquet, csv: a folder with a file per table.")],
               out: Annotated[Path, typer.Option("--out", "-o", help="File (gdelt, icews, plover) or folder "
                                                 "(parquet, csv) to write.")],
               dyad: DyadOpt = None, since: SinceOpt = None, until: UntilOpt = None, limit: LimitOpt = None,
               db: DbOpt = None, config: ConfigOpt = None) -> None:
    """Export stored events as GDELT 2.0, ICEWS or PLOVER JSON lines, or every table as Parquet or CSV.

    Example: barometer export --format gdelt --out usa-rus.export.CSV --dyad USA-RUS --since 2025-01-01
    """
    from barometer.exports import export

    settings = load_settings(config, db=db)
    filters = Filters(parse_dyad(dyad), _check_date(since, "--since"), _check_date(until, "--until"), limit)
    with Store(settings.db, read_only=True) as store:
        result = export(store, fmt.value, out, filters)
    for path, rows in result.rows.items():
        err.print(f"wrote {rows} rows to {path}", highlight=False)


class DigestFmt(str, Enum):
    md = "md"
    html = "html"


@app.command()
def digest(dyad: DyadOpt = None, since: SinceOpt = None, until: UntilOpt = None,
           by: Annotated[Period, typer.Option("--by", help="Period length of the series.")] = Period.week,
           fmt: Annotated[DigestFmt, typer.Option("--format", help="Markdown or one self-contained HTML page.")] = DigestFmt.md,
           out: Annotated[Optional[Path], typer.Option("--out", help="Write to this file instead of the screen.")] = None,
           penalty: PenaltyOpt = None, db: DbOpt = None, config: ConfigOpt = None) -> None:
    """The analyst's roundup: direction and turning points, top events, quotes, forecasts, sources.

    Without --dyad: the three busiest international pairs in the window.

    Example: barometer digest --dyad USA-RUS --since 2025-01-01 --format html --out digest.html
    """
    from barometer.digest import build_digest, render_html, render_markdown

    settings = load_settings(config, db=db, turning_penalty=penalty)
    with Store(settings.db, read_only=True) as store:
        result = build_digest(store, parse_dyad(dyad), since=_check_date(since, "--since"),
                              until=_check_date(until, "--until"), by=by.value, penalty=settings.turning_penalty)
    text = render_html(result) if fmt is DigestFmt.html else render_markdown(result)
    if out is None:
        sys.stdout.write(text + "\n")
        return
    try:
        out.write_text(text, encoding="utf-8")
    except OSError as exc:
        raise OutputError(f"cannot write digest {out}: {exc.strerror or exc}") from None
    Console(stderr=True).print(f"digest written to {out}", highlight=False)


actors_app = typer.Typer(no_args_is_help=True, help="Who is known, and how a name resolves on a date.")
app.add_typer(actors_app, name="actors")


@actors_app.command("resolve")
def actors_resolve(text: Annotated[str, typer.Argument(help="A name or phrase, e.g. 'President Biden'.")],
                   date: DateOpt = None, fmt: FmtOpt = Fmt.table, config: ConfigOpt = None,
                   dictionary: DictOpt = None) -> None:
    """Resolve the actors in a phrase as of a date.

    Example: barometer actors resolve "President-elect Joe Biden" --date 2020-12-15
    """
    from barometer.actors import knowledge_for, resolve_actors
    from barometer.nlp import load_pipeline, parser_text

    settings = _with_dictionaries(config, dictionary)
    nlp = load_pipeline(settings.spacy_model)
    actors = resolve_actors(nlp(parser_text(text)), _check_date(date, "--date"), nlp, knowledge_for(settings))
    rows = [{"text": a.text, "name": a.name, "code": a.code, "country": a.country, "role": a.role, "kind": a.kind,
             "office": a.office, "affiliation": a.affiliation} for a in actors]
    if not rows:
        err.print(f"no known actor in {text!r}", highlight=False)
    write_rows(rows, fmt.value, title=f"{text} on {date or 'the latest date known'}")


@actors_app.command("list")
def actors_list(date: DateOpt = None,
                country: Annotated[Optional[str], typer.Option("--country", help="Three-letter country code.")] = None,
                fmt: FmtOpt = Fmt.table, config: ConfigOpt = None, dictionary: DictOpt = None) -> None:
    """List the office holders known on a date (every known term without --date), user dictionaries included.

    Example: barometer actors list --country RUS --date 2010-06-01
    """
    from datetime import date as _date

    from barometer.actors import knowledge_for, office_holders

    day = _check_date(date, "--date")
    settings = _with_dictionaries(config, dictionary)
    kb = knowledge_for(settings)
    write_rows(office_holders(_date.fromisoformat(day) if day else None, country.upper() if country else None, kb),
               fmt.value, title="office holders")


@actors_app.command("check")
def actors_check(files: Annotated[list[Path], typer.Argument(help="Dictionary files to read.")],
                 fmt: FmtOpt = Fmt.table,
                 show: Annotated[int, typer.Option("--show", min=0, help="List at most this many skipped lines per file.")] = 20
                 ) -> None:
    """Read user dictionaries (actors, agents, verbs) as ingest would, and say what each holds and which lines
    were skipped, and why; for verb dictionaries, also which codes are not CAMEO's.

    Example: barometer actors check my-actors.tsv Phoenix.agents.txt CAMEO.2.0.txt
    """
    from barometer.actors import knowledge_base
    from barometer.dictionaries import TABLE_COLUMNS, read_dictionary

    rows, failed = [], 0
    for path in files:
        try:
            dictionary = read_dictionary(path)
            if dictionary.format in TABLE_COLUMNS:
                knowledge_base((str(path),))     # table rows are checked as the knowledge is built
        except BarometerError as exc:
            err.print(f"Error: {exc}", highlight=False, markup=False)
            failed += 1
            continue
        rows.append({"file": str(path), "format": dictionary.format, "actors": len(dictionary.actors),
                     "phrases": sum(len(a.phrases) for a in dictionary.actors),
                     "dated_codes": sum(len(a.dated) for a in dictionary.actors),
                     "agent_nouns": len(dictionary.agents), "rows": len(dictionary.rows),
                     "verb_patterns": sum(len(b.patterns) for b in dictionary.verbs.blocks) if dictionary.verbs else 0,
                     "skipped": len(dictionary.issues)})
        for note in dictionary.verbs.notes[:show] if dictionary.verbs else ():
            err.print(f"note {note}", highlight=False, markup=False)
        for issue in dictionary.issues[:show]:
            err.print(f"skipped {issue}", highlight=False, markup=False)
        if len(dictionary.issues) > show:
            err.print(f"… and {len(dictionary.issues) - show} more in {path} (--show)", highlight=False)
    write_rows(rows, fmt.value, title="user dictionaries")
    if failed:
        raise typer.Exit(EXIT_SOME_FAILED)


eval_app = typer.Typer(no_args_is_help=True, help="Measure quality against labelled data.")
app.add_typer(eval_app, name="eval")


def _gold_file(path: Path) -> Path:
    if not path.is_file():
        raise BarometerError(f"gold file {path} does not exist")
    return path


def _records(sources: list[Source], settings: Settings, kind: str) -> list[list[Any]]:
    """The records of one kind ("actors", "events", "quotes", "forecasts") per source, in order; a failed document has none."""
    return [[] if isinstance(result, Failure) else list(getattr(result, kind)) for result in run(sources, settings)]


def _plover_records(gold: Path, config: Path | None, kind: str, dictionaries: list[Path] | None = None,
                    **flags: Any) -> tuple[list[Any], list[list[Any]]]:
    """The PLOVER gold sentences of ``gold`` and, for each, the records of ``kind`` found in its text."""
    from barometer.evaluation import read_plover_gold

    sentences = read_plover_gold(_gold_file(gold))
    sources = [Source(origin=f"{gold}:{i + 1}", content=s.text, kind="plain", date=s.date)
               for i, s in enumerate(sentences)]
    return sentences, _records(sources, _with_dictionaries(config, dictionaries, **flags), kind)


@eval_app.command("events")
def eval_events(gold: Annotated[Path, typer.Option("--gold", help="PLOVER gold JSON lines, or PETRARCH XML records (.xml).")],
                fmt: FmtOpt = Fmt.table, config: ConfigOpt = None, dictionary: DictOpt = None,
                conventions: Annotated[Optional[Conventions], typer.Option(
                    "--conventions",
                    help="The event_conventions setting for this run; default: petrarch for PETRARCH records, "
                         "else the setting.")] = None, agents: AgentsOpt = None) -> None:
    """Precision, recall and F1 of coded events: for PLOVER gold on (source, target, PLOVER category) and on
    category alone; for PETRARCH records on full (source code, target code, event code), with the actor,
    agent and verb dictionaries the records name unless --dictionary is given.

    Example: barometer eval events --gold ../shared/gold/plover_gsr/dev.jsonl
    """
    if gold.suffix.lower() == ".xml":
        _eval_petrarch(gold, fmt, config, dictionary, conventions.value if conventions else "petrarch",
                       agents.value if agents else "replace")
        return
    from barometer.evaluation import evaluate_events

    report = evaluate_events(*_plover_records(gold, config, "events", dictionary,
                                              event_conventions=conventions.value if conventions else None,
                                              user_agents=agents.value if agents else None))
    rows = [{"measure": name, "precision": round(score.precision, 3), "recall": round(score.recall, 3),
             "f1": round(score.f1, 3), "true_positives": score.true_positives, "predicted": score.predicted,
             "expected": score.expected} for name, score in (("source-target-category", report.triples),
                                                              ("category", report.categories))]
    write_rows(rows, fmt.value, title=f"{gold.name}: {report.sentences} sentences, {report.silent} with no event")
    if fmt is Fmt.table:
        confusion = [{"gold": g, "coded": c, "sentences": n} for (g, c), n in sorted(report.confusion.items())]
        write_rows(confusion, "table", title="categories: gold vs coded")


def _petrarch_records(gold: Path, config: Path | None, dictionaries: list[Path] | None, kind: str,
                      **flags: Any) -> tuple[Any, list[list[Any]]]:
    """PETRARCH XML records and, for each, the records of ``kind``; with the actor and agent files they name."""
    from barometer.evaluation import read_petrarch_gold

    records = read_petrarch_gold(_gold_file(gold))
    if dictionaries is None:
        dictionaries = [records.dictionaries[t] for t in ("Actorfile", "Agentfile", "Verbfile")
                        if t in records.dictionaries and (kind == "events" or t != "Verbfile")]
    sources = [Source(origin=f"{gold}:{r.id}", content=r.text, kind="plain", date=r.date) for r in records.records]
    return records, _records(sources, _with_dictionaries(config, dictionaries, **flags), kind)


def _eval_petrarch_actors(gold: Path, fmt: Fmt, config: Path | None, dictionaries: list[Path] | None,
                          agents: str) -> None:
    from barometer.evaluation import evaluate_petrarch_actors

    records, actors = _petrarch_records(gold, config, dictionaries, "actors", user_agents=agents)
    err.print(f"agent nouns: user_agents={agents} (--agents)", highlight=False)
    counts = evaluate_petrarch_actors(records.records, actors)
    write_rows([{"category": c, "found": f, "expected": n, "share": round(f / n, 3) if n else None}
                for c, (f, n) in counts.items()], fmt.value,
               title=f"{gold.name}: expected source and target codes carried by a resolved actor of the record")


def _eval_petrarch(gold: Path, fmt: Fmt, config: Path | None, dictionaries: list[Path] | None,
                   conventions: str, agents: str) -> None:
    from barometer.evaluation import evaluate_petrarch

    records, events = _petrarch_records(gold, config, dictionaries, "events", event_conventions=conventions,
                                        user_agents=agents)
    err.print(f"events coded with {conventions} conventions (--conventions), agent nouns: user_agents={agents} "
              "(--agents)", highlight=False)
    report = evaluate_petrarch(records.records, events)
    rows = [{"measure": name, "found": round(score.recall, 3), "precision": round(score.precision, 3),
             "true_positives": score.true_positives, "predicted": score.predicted, "expected": score.expected}
            for name, score in (("source-target-event code", report.exact), ("event code", report.code_only),
                                ("source-target codes", report.actors_only))]
    write_rows(rows, fmt.value, title=f"{gold.name}: {len(records.records)} records ({records.skipped} skipped); "
                                      f"no-event records left quiet: {report.quiet[0]} of {report.quiet[1]}")
    if fmt is Fmt.table:
        write_rows([{"category": c, "found": f, "expected": n} for c, (f, n) in report.by_category.items()],
                   "table", title="exact matches by record category")


@eval_app.command("actors")
def eval_actors(gold: Annotated[Path, typer.Option("--gold", help="PLOVER gold JSON lines, or PETRARCH XML records (.xml).")],
                fmt: FmtOpt = Fmt.table, config: ConfigOpt = None, dictionary: DictOpt = None,
                agents: AgentsOpt = None) -> None:
    """How the sources and targets the gold standard names were resolved: found, right country, right sector.

    Example: barometer eval actors --gold ../shared/gold/plover_gsr/dev.jsonl
    """
    if gold.suffix.lower() == ".xml":
        _eval_petrarch_actors(gold, fmt, config, dictionary, agents.value if agents else "replace")
        return
    from barometer.evaluation import evaluate_actors

    sentences, actors = _plover_records(gold, config, "actors", dictionary, user_agents=agents.value if agents else None)
    scores = evaluate_actors(sentences, actors)
    rows = [{"role": s.role, "gold": s.gold, "found": round(s.recall, 3),
             "country_accuracy": round(s.country_accuracy, 3), "with_sector": s.with_sector,
             "sector_accuracy": round(s.sector_accuracy, 3)} for s in scores]
    write_rows(rows, fmt.value, title=f"{gold.name}: {len(sentences)} sentences")


@eval_app.command("quotes")
def eval_quotes(gold: Annotated[Path, typer.Option("--gold", help="Folder with attributions/*.ann and text/*.txt (brat).")],
                fmt: FmtOpt = Fmt.table, config: ConfigOpt = None) -> None:
    """Quote content-span precision and recall and speaker accuracy, direct and indirect separately.

    Example: barometer eval quotes --gold ../shared/gold/polnear/dev
    """
    from barometer.evaluation import evaluate_quotes, read_brat_attributions

    if not (gold / "attributions").is_dir() or not (gold / "text").is_dir():
        raise BarometerError(f"{gold} must hold attributions/*.ann and text/*.txt")
    documents = read_brat_attributions(gold)
    sources = [Source(origin=d.name, content=d.text, kind="plain") for d in documents]
    predicted = _records(sources, load_settings(config), "quotes")
    rows = [{"kind": s.kind, "precision": round(s.span.precision, 3), "recall": round(s.span.recall, 3),
             "speaker_accuracy": round(s.speaker_accuracy, 3), "predicted": s.span.predicted,
             "gold": s.span.expected, "found": s.span.found} for s in evaluate_quotes(documents, predicted)]
    write_rows(rows, fmt.value, title=f"{gold}: {len(documents)} documents")


@eval_app.command("forecasts")
def eval_forecasts(gold: Annotated[Path, typer.Option("--gold", help="JSON list of {original_text, extracted} records.")],
                   fmt: FmtOpt = Fmt.table, config: ConfigOpt = None) -> None:
    """Precision and recall of forecast statements, forecaster accuracy and probability error.

    Example: barometer eval forecasts --gold ../shared/gold/predictions/goldEN_dev.json
    """
    from barometer.evaluation import evaluate_forecasts, read_prediction_gold, sentence_baseline

    documents = read_prediction_gold(_gold_file(gold))
    sources = [Source(origin=f"{gold}:{i + 1}", content=d.text, kind="plain") for i, d in enumerate(documents)]
    report = evaluate_forecasts(documents, _records(sources, load_settings(config), "forecasts"))
    baseline, oracle = sentence_baseline(documents)
    s = report.statements
    rows = [{"run": "barometer", "precision": round(s.precision, 3), "recall": round(s.recall, 3), "f1": round(s.f1, 3),
             "forecaster_accuracy": round(report.forecaster_accuracy, 3),
             "probability_mae": round(report.probability_mae, 3), "predicted": s.predicted, "gold": s.expected,
             "found": s.found},
            {"run": "baseline: every sentence with a future/modal/likelihood word", "precision": round(baseline.precision, 3),
             "recall": round(baseline.recall, 3), "f1": round(baseline.f1, 3), "forecaster_accuracy": None,
             "probability_mae": None, "predicted": baseline.predicted, "gold": baseline.expected, "found": baseline.found},
            {"run": "ceiling: any sentence (recall only)", "precision": None, "recall": round(oracle.recall, 3),
             "f1": None, "forecaster_accuracy": None, "probability_mae": None, "predicted": None,
             "gold": oracle.expected, "found": oracle.found}]
    write_rows(rows, fmt.value, title=f"{gold}: {len(documents)} documents")


@app.command()
def serve(db: DbOpt = None, config: ConfigOpt = None,
          host: Annotated[str, typer.Option("--host", help="Address to listen on; the dashboard has no login, so "
                                                          "anything but 127.0.0.1 shares the store.")] = "127.0.0.1",
          port: Annotated[int, typer.Option("--port", min=1, max=65535, help="Port to listen on.")] = 8000,
          dictionary: DictOpt = None) -> None:
    """The web dashboard over the store (read-only): overview, dyads, documents, forecasts, search; every page
    also as JSON (add .json to its path) and described at /openapi.json.

    Example: barometer serve --db out/demo.duckdb --port 8000
    """
    from barometer.web import LOOPBACK, serve as run_server

    settings = _with_dictionaries(config, dictionary, db=db)
    if host not in LOOPBACK:
        err.print(f"Warning: serving on {host}: anyone who can reach it can read the store.", highlight=False)
    err.print(f"Barometer dashboard on http://{'[' + host + ']' if ':' in host else host}:{port}/ "
              f"(store {settings.db}, read-only); Ctrl+C stops it.", highlight=False, markup=False)
    run_server(settings, host=host, port=port)


@app.command("settings")
def show_settings(config: ConfigOpt = None, fmt: FmtOpt = Fmt.table) -> None:
    """Show every setting, its value and where the value came from.

    Example: BAROMETER_DB=/tmp/b.duckdb barometer settings
    """
    settings = load_settings(config)
    rows = [{"name": s.name, "value": getattr(settings, s.name), "from": settings.origins.get(s.name, "default"),
             "help": s.help} for s in SETTINGS]
    write_rows(rows, fmt.value, title="settings")


def main() -> None:
    """Entry point: run the app, turning Barometer errors into 'Error: ...' and exit code 2."""
    try:
        app()
    except BarometerError as exc:
        err.print(f"Error: {exc}", highlight=False, markup=False)
        sys.exit(2)
