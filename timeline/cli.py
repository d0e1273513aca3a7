"""The `timeline` command: tag, evaluate, serve."""

from __future__ import annotations

import datetime as dt
import json
import re
import signal
import sys
from enum import Enum
from pathlib import Path
from typing import Callable, Optional

import typer

from timeline.export import FORMATS, render
from timeline.models import STATUSES

app = typer.Typer(add_completion=False, no_args_is_help=True, help="News articles in, an event timeline out.")


TAG_SUFFIXES = (".txt", ".tml")


class OutputFormat(str, Enum):
    timeml = "timeml"
    json = "json"
    csv = "csv"


class Mode(str, Enum):
    news = "news"
    narrative = "narrative"


def _parse_date(value: Optional[str], option: str) -> Optional[dt.date]:
    if value is None:
        return None
    try:
        return dt.date.fromisoformat(value)
    except ValueError:
        raise typer.BadParameter(f"{value!r} is not a date in YYYY-MM-DD form", param_hint=option)


def _say(message: str) -> None:
    typer.echo(message, err=True)


@app.command()
def tag(
    paths: list[Path] = typer.Argument(..., help="Text (.txt) or TimeML (.tml) files, or folders of them."),
    dct: Optional[str] = typer.Option(None, "--dct", help="Publication date (YYYY-MM-DD) for inputs without one."),
    mode: Mode = typer.Option(Mode.news, "--mode", help="news: relative to the DCT; narrative: to the last date."),
    output_format: OutputFormat = typer.Option(OutputFormat.json, "--format", help="Output format."),
    output_dir: Optional[Path] = typer.Option(None, "-o", "--output", help="Folder for one output per input."),
) -> None:
    """Find and normalise the time expressions of each input."""
    from timeline.corpus import iter_corpus
    from timeline.tagger import default_tagger

    default_dct = _parse_date(dct, "--dct")
    if output_dir:
        output_dir.mkdir(parents=True, exist_ok=True)
    tagger = default_tagger()
    done, failed = 0, 0
    for item in iter_corpus(paths, default_dct, suffixes=TAG_SUFFIXES):
        for warning in item.warnings:
            _say(f"warning: {warning}")
        if item.error:
            _say(f"error: {item.error}")
            failed += 1
            continue
        if item.document is None:
            continue
        tagged = tagger.tag_document(item.document, mode=mode.value)
        for warning in tagged.warnings:
            _say(f"warning: {item.name}: {warning}")
        _write(render(tagged, output_format.value), item.document.doc_id, output_dir, output_format.value)
        done += 1
    _say(f"tagged {done} of {done + failed} inputs" + (f"; {failed} failed" if failed else ""))
    if done == 0:
        raise typer.Exit(1)


def _write(content: str, doc_id: str, output_dir: Optional[Path], output_format: str) -> None:
    if output_dir is None:
        sys.stdout.write(content)
        return
    safe = re.sub(r"[^\w.-]+", "_", doc_id).lstrip(".") or "document"
    target = output_dir / (safe + FORMATS[output_format])
    target.write_text(content, encoding="utf-8")


@app.command()
def build(
    corpus: list[Path] = typer.Argument(..., help="Articles (.txt .html .tml .jsonl .csv) or folders of them."),
    output_dir: Path = typer.Option(..., "-o", "--output", help="Folder for events.csv, mentions.csv, ..."),
    published: Optional[str] = typer.Option(None, "--published", help="Publication date (YYYY-MM-DD) for articles without one."),
    entity: Optional[str] = typer.Option(None, "--entity", help="Only the events this actor takes part in (aliases resolved)."),
    strict: bool = typer.Option(False, "--strict", help="Exit non-zero if any input failed."),
    jobs: int = typer.Option(1, "--jobs", min=1, max=64, help="Worker processes (worth it for large corpora)."),
    scheduler: Optional[str] = typer.Option(
        None, "--scheduler", help="Build on a Dask cluster: its scheduler (tcp://HOST:8786), or 'local' for a "
        "local cluster of --jobs worker processes. Connect only to a cluster you trust."),
) -> None:
    """Build the event timeline of a corpus: an ordered event table and its files."""
    from timeline.build import build as run_build
    from timeline.build import entity_events
    from timeline.outputs import check_writable
    from timeline.table import result_table

    default_date = _parse_date(published, "--published")

    def make(progress, client):
        result = run_build(corpus, default_date, progress=progress, jobs=jobs, client=client)
        if entity:
            result.events = entity_events(result, entity)
            result.table = result_table(result)
        return result

    lock = _locked(output_dir, check_writable)
    result = _run_and_write(output_dir, lock, make, scheduler, jobs, {"published": published, "entity": entity})
    _report("built", result, output_dir, strict)


@app.command()
def add(
    output_dir: Path = typer.Argument(..., help="A folder written by `timeline build`."),
    articles: list[Path] = typer.Argument(..., help="Articles or folders of them to add."),
    published: Optional[str] = typer.Option(None, "--published", help="Publication date (YYYY-MM-DD) for added articles without one."),
    strict: bool = typer.Option(False, "--strict", help="Exit non-zero if any added input failed."),
    jobs: int = typer.Option(1, "--jobs", min=1, max=64, help="Worker processes."),
    scheduler: Optional[str] = typer.Option(None, "--scheduler", help="Parse on a Dask cluster, as in `build`."),
) -> None:
    """Add articles to a build: only they are parsed; the events are merged again, ids kept."""
    from timeline.build import add_articles
    from timeline.outputs import OutputError, check_is_build, load_build, read_record

    default_date = _parse_date(published, "--published")
    lock = _locked(output_dir, check_is_build, "OUTPUT_DIR")
    try:
        record = read_record(output_dir)
        if (record.get("options") or {}).get("entity"):
            raise OutputError(f"{output_dir}: built with --entity, so it holds only some events; "
                              "add to a build of the whole corpus")
        current = load_build(output_dir, record)
    except OutputError as exc:
        lock.release()
        raise typer.BadParameter(str(exc), param_hint="OUTPUT_DIR")
    before = len(current.documents)

    def make(progress, client):
        return add_articles(current, articles, default_date, progress=progress, jobs=jobs, client=client)

    result = _run_and_write(output_dir, lock, make, scheduler, jobs, record.get("options") or {})
    _report("added", result, output_dir, strict, first=before)


def _locked(output_dir: Path, check: Callable, hint: str = "-o"):
    """The output folder's build lock, held, once `check(output_dir)` finds the folder fit."""
    from filelock import Timeout

    from timeline.outputs import OutputError, build_lock

    try:
        check(output_dir)
        lock = build_lock(output_dir)
        lock.acquire()
    except OutputError as exc:
        raise typer.BadParameter(str(exc), param_hint=hint)
    except Timeout:
        _say(f"error: {output_dir}: another build is writing this folder; wait for it to finish or choose another")
        raise typer.Exit(2)
    return lock


def _run_and_write(output_dir: Path, lock, make: Callable, scheduler: Optional[str], jobs: int, options: dict):
    """make(progress, client)'s build written to output_dir; Ctrl-C or a lost cluster writes nothing."""
    from tqdm import tqdm

    from timeline.cluster import ClusterError
    from timeline.outputs import write_outputs

    bar = tqdm(desc="documents", unit="doc", file=sys.stderr, disable=None)

    def progress(item) -> None:
        if item.kind == "article":
            bar.update(1)
        for warning in item.warnings:
            bar.write(f"warning: {warning}", file=sys.stderr)
        if item.error:
            bar.write(f"error: {item.error}", file=sys.stderr)

    _interrupt_on_sigterm()
    try:
        with _cluster_client(scheduler, jobs) as client:
            result = make(progress, client)
        bar.close()
        write_outputs(result, output_dir, options=options, lock=lock)
    except KeyboardInterrupt:
        bar.close()
        _say(f"interrupted: nothing was written; {output_dir} is as it was")
        raise typer.Exit(130)
    except ClusterError as exc:
        bar.close()
        _say(f"error: {exc}; nothing was written; {output_dir} is as it was")
        raise typer.Exit(2)
    finally:
        lock.release()
    return result


def _report(verb: str, result, output_dir: Path, strict: bool, first: int = 0) -> None:
    """One line on what was built (of the inputs from `first` on); exit 1 if nothing was, or --strict and any failed."""
    from timeline.table import dated_count

    inputs = result.documents[first:]
    articles = [i for i in inputs if i.kind == "article"]
    built, failed = [i for i in inputs if i.ok], [i for i in inputs if i.error]
    _say(f"{verb} {len(built)} of {len(articles)} inputs"
         + (f" ({len(failed)} failed, see documents.csv)" if failed else "")
         + f": {len(result.table)} events, {dated_count(result.table)} dated -> {output_dir}")
    if not result.built or (strict and failed):
        raise typer.Exit(1)


def _cluster_client(scheduler: Optional[str], jobs: int):
    """A Dask client for --scheduler, or a context giving None (the build runs here or in a pool)."""
    import contextlib

    if not scheduler:
        return contextlib.nullcontext(None)
    from timeline.cluster import dask_client, valid_scheduler

    if not valid_scheduler(scheduler):
        raise typer.BadParameter(f"{scheduler!r}: expected 'local' or an address such as tcp://HOST:8786",
                                 param_hint="--scheduler")
    return dask_client(scheduler, jobs)


def _interrupt_on_sigterm() -> None:
    """`kill` stops a build as Ctrl-C does: workers ended, nothing half-written."""
    signal.signal(signal.SIGTERM, signal.default_int_handler)


class ChartFormat(str, Enum):
    png = "png"
    svg = "svg"
    pdf = "pdf"
    html = "html"


class Theme(str, Enum):
    light = "light"
    dark = "dark"
    print = "print"


def _filters_from_options(date_from, date_to, entity, status, **narrowing):
    """The table filters the options ask for; bad dates are usage errors naming the option."""
    from timeline.table import Filters

    start, end = _parse_date(date_from, "--from"), _parse_date(date_to, "--to")
    if start and end and start > end:
        raise typer.BadParameter(f"--from {start} is after --to {end}", param_hint="--from")
    return Filters(start=start, end=end, statuses=[s.value for s in status or []], entity=entity, **narrowing)


def _document_metadata(documents) -> dict[str, dict]:
    """doc id -> title, source and url, for the briefing's sources."""
    return {d["doc_id"]: {"title": d.get("title") or None, "source": d.get("source") or None, "url": d.get("url") or ""}
            for d in documents}


def _load_selected(out_dir: Path, date_from, date_to, entity, status):
    """(the build in OUT_DIR read whole, the filters the options ask for, its documents' metadata)."""
    from timeline.outputs import OutputError, load_build

    filters = _filters_from_options(date_from, date_to, entity, status)
    try:
        result = load_build(out_dir)
    except OutputError as exc:
        raise typer.BadParameter(str(exc), param_hint="OUT_DIR")
    documents = {d.doc_id: {"title": d.title, "source": d.source, "url": d.url or ""} for d in result.built}
    return result, filters, documents


def _chart_selection(out_dir: Path, date_from, date_to, entity, status, top, stated_only: bool = False):
    """The key events of OUT_DIR narrowed by the chart options, with a note, the documents and the number
    of articles; queried from the build's store, so only the events drawn are read."""
    from timeline.outputs import OutputError
    from timeline.store import StoredBuild
    from timeline.table import DEFAULT_TOP

    filters = _filters_from_options(date_from, date_to, entity, status, stated_only=stated_only,
                                    top=top or DEFAULT_TOP)
    try:
        stored = StoredBuild(out_dir)
    except OutputError as exc:
        raise typer.BadParameter(str(exc), param_hint="OUT_DIR")
    selection = stored.events.select(filters)
    return selection.table, selection.note, _document_metadata(stored.built), len(stored.built)


Status = Enum("Status", {status: status for status in STATUSES}, type=str)


@app.command()
def chart(
    out_dir: Path = typer.Argument(..., help="A `timeline build` output folder."),
    output: Path = typer.Option(..., "-o", "--output", help="The file to write (its suffix follows --format)."),
    formats: list[ChartFormat] = typer.Option([ChartFormat.png], "--format", help="png, svg, pdf or html; repeatable."),
    date_from: Optional[str] = typer.Option(None, "--from", help="Only events up to this date's start (YYYY-MM-DD)."),
    date_to: Optional[str] = typer.Option(None, "--to", help="Only events from before this date (YYYY-MM-DD)."),
    entity: Optional[str] = typer.Option(None, "--entity", help="Only events this actor takes part in."),
    status: Optional[list[Status]] = typer.Option(None, "--status", help="Only events with this status; repeatable."),
    top: Optional[int] = typer.Option(None, "--top", min=1, help="At most N events, the key ones (highest salience; default 40)."),
    stated_only: bool = typer.Option(False, "--stated-only", help="Only events whose date the text states."),
    size: str = typer.Option("slide", "--size", help="slide, a4, square or WIDTHxHEIGHT in pixels."),
    title: Optional[str] = typer.Option(None, "--title"),
    theme: Theme = typer.Option(Theme.light, "--theme"),
) -> None:
    """Export the timeline chart as PNG, SVG, PDF or an HTML snippet to paste into a page."""
    from timeline.briefing import BriefingError, parse_size, write_charts
    from timeline.briefing import chart as build_chart

    try:
        dimensions = parse_size(size)
    except BriefingError as exc:
        raise typer.BadParameter(str(exc), param_hint="--size")
    table, note, _, articles = _chart_selection(out_dir, date_from, date_to, entity, status, top, stated_only)
    if not len(table):
        _say("no events match: the chart says so")
    figure = build_chart(table, title or "Event timeline", dimensions, theme.value, note, articles)
    jobs = [(figure, output.with_suffix("." + f.value), f.value) for f in dict.fromkeys(formats)]
    output.parent.mkdir(parents=True, exist_ok=True)
    for path in write_charts(jobs):
        _say(f"wrote {path}" + (f" ({note})" if note else ""))


@app.command()
def brief(
    out_dir: Path = typer.Argument(..., help="A `timeline build` output folder."),
    output: Path = typer.Option(..., "-o", "--output", help="briefing.html or briefing.pdf"),
    date_from: Optional[str] = typer.Option(None, "--from"),
    date_to: Optional[str] = typer.Option(None, "--to"),
    entity: Optional[str] = typer.Option(None, "--entity"),
    status: Optional[list[Status]] = typer.Option(None, "--status"),
    top: Optional[int] = typer.Option(None, "--top", min=1, help="At most N events, the key ones (highest salience; default 40)."),
    stated_only: bool = typer.Option(False, "--stated-only", help="Only events whose date the text states."),
    title: Optional[str] = typer.Option(None, "--title"),
) -> None:
    """A one-page briefing: title, chart, key events with sources, coverage and a plain-text summary."""
    import tempfile

    from timeline.briefing import BriefingError, briefing_html, html_to_pdf
    from timeline.briefing import chart as build_chart

    if output.suffix.lower() not in (".html", ".pdf"):
        raise typer.BadParameter(f"{output.name}: the briefing is written as .html or .pdf", param_hint="-o")
    table, note, documents, articles = _chart_selection(out_dir, date_from, date_to, entity, status, top,
                                                        stated_only)
    heading = title or "Timeline briefing"
    figure = build_chart(table, heading, (1100, 520), "print", note, articles)
    figure.update_layout(title={"text": ""})
    page = briefing_html(table, figure, heading, documents, note, articles)
    output.parent.mkdir(parents=True, exist_ok=True)
    if output.suffix.lower() == ".html":
        output.write_text(page, "utf-8")
    else:
        with tempfile.TemporaryDirectory() as folder:
            source = Path(folder) / "briefing.html"
            source.write_text(page, "utf-8")
            try:
                html_to_pdf(source, output)
            except BriefingError as exc:
                _say(f"error: {exc}")
                raise typer.Exit(1)
    _say(f"wrote {output}: {len(table)} events" + (f" ({note})" if note else ""))


@app.command()
def summarize(
    out_dir: Path = typer.Argument(..., help="A `timeline build` output folder."),
    dates: int = typer.Option(10, "--dates", min=1, help="How many days the summary tells (the most important)."),
    sentences: int = typer.Option(2, "--sentences", min=1, help="Sentences per day, chosen from the articles."),
    output: Path = typer.Option(..., "-o", "--output", help="summary.json, summary.md or summary.txt"),
    date_from: Optional[str] = typer.Option(None, "--from", help="Only days from this date (YYYY-MM-DD)."),
    date_to: Optional[str] = typer.Option(None, "--to", help="Only days up to this date (YYYY-MM-DD)."),
    entity: Optional[str] = typer.Option(None, "--entity", help="Only events this actor takes part in."),
    status: Optional[list[Status]] = typer.Option(None, "--status", help="Only events with this status; repeatable."),
) -> None:
    """The most important days of the timeline, each told in sentences from the articles, with their sources."""
    from timeline.summarize import SUMMARY_SUFFIXES, summarize as summarize_days, write_summary

    if output.suffix.lower() not in SUMMARY_SUFFIXES:
        raise typer.BadParameter(f"{output.name}: a summary is written as {', '.join(SUMMARY_SUFFIXES)}",
                                 param_hint="-o")
    result, filters, documents = _load_selected(out_dir, date_from, date_to, entity, status)
    summary = summarize_days(result, dates, sentences, filters)
    write_summary(summary, output, documents)
    told, found = sum(len(item.sentences) for item in summary), len(summary)
    _say(f"wrote {output}: {_counted(found, 'date')}, {_counted(told, 'sentence')}"
         + ("" if found == dates else " (no other day has events dated to it)"))


def _counted(number: int, noun: str) -> str:
    """'1 date', '3 dates'."""
    return f"{number} {noun}{'' if number == 1 else 's'}"


@app.command()
def evaluate(
    gold_dir: Path = typer.Argument(..., help="Folder of TimeML gold files (searched recursively)."),
    mode: Mode = typer.Option(Mode.news, "--mode"),
    errors: bool = typer.Option(False, "--errors", help="Also print every disagreement with the gold."),
    as_json: bool = typer.Option(False, "--json", help="Print the metrics as JSON."),
) -> None:
    """Tag the raw text of each gold file with its DCT; print TempEval-3 Task A metrics."""
    from timeline.evaluate import evaluate as run_evaluation
    from timeline.evaluate import gold_files

    if not gold_dir.is_dir() or not gold_files(gold_dir):
        _say(f"error: {gold_dir}: no .tml files there")
        raise typer.Exit(2)
    scores = run_evaluation(gold_dir, mode=mode.value)
    for problem in scores.skipped:
        _say(f"skipped: {problem}")
    summary = scores.summary()
    if as_json:
        typer.echo(json.dumps(summary, indent=2))
    else:
        typer.echo(format_summary(summary))
    if errors:
        for error in scores.errors:
            typer.echo(f"{error.kind}\t{error.doc_id}\t{error.gold}\t{error.system}\t{error.context}")


def format_summary(summary: dict) -> str:
    """The metrics as an aligned table."""
    lines = [f"documents {summary['documents']}, gold timexes {summary['gold']}, system timexes {summary['system']}",
             f"{'':10}{'precision':>10}{'recall':>10}{'F1':>10}"]
    for name in ("strict", "relaxed"):
        lines.append(f"{name:10}{summary[name + '_precision']:10.3f}{summary[name + '_recall']:10.3f}"
                     f"{summary[name + '_f1']:10.3f}")
    lines.append(f"{'value':10}{'':20}{summary['value_f1']:10.3f}   (accuracy {summary['value_accuracy']:.3f})")
    lines.append(f"{'type':10}{'':20}{summary['type_f1']:10.3f}   (accuracy {summary['type_accuracy']:.3f})")
    return "\n".join(lines)


@app.command()
def serve(
    corpus: Optional[list[Path]] = typer.Argument(
        None, help="A `timeline build` output folder, or articles/folders to build (default: the seeds)."),
    host: str = typer.Option("127.0.0.1", "--host", help="Address to bind; 127.0.0.1 keeps it on this machine."),
    port: int = typer.Option(8050, "--port"),
    frame_ancestors: str = typer.Option(
        "'self'", "--frame-ancestors",
        help="Who may embed the page in a frame (CSP frame-ancestors), e.g. \"'self' https://intranet.example\"."),
    upload_workers: int = typer.Option(1, "--upload-workers", min=1, max=16,
                                       help="Worker processes that build uploaded articles (each keeps spaCy loaded)."),
) -> None:
    """Serve the dashboard: a built timeline (OUT_DIR), the timeline of CORPUS, or of the seed articles."""
    from dashboard.app import run
    from timeline.outputs import OutputError

    missing = [p for p in corpus or [] if not p.exists()]
    if missing:
        raise typer.BadParameter(f"{missing[0]}: no such file or folder", param_hint="CORPUS")
    if any(c in frame_ancestors for c in ";,\r\n"):
        raise typer.BadParameter("sources are separated by spaces; ';' and ',' are not allowed",
                                 param_hint="--frame-ancestors")
    try:
        run(host=host, port=port, corpus=corpus or None, frame_ancestors=frame_ancestors,
            upload_workers=upload_workers)
    except OutputError as exc:
        raise typer.BadParameter(str(exc), param_hint="CORPUS")


def main() -> None:
    """Entry point of the `timeline` console script."""
    app()


if __name__ == "__main__":
    main()
