"""The `timeline` command: tag, evaluate, serve."""

from __future__ import annotations

import datetime as dt
import json
import sys
from enum import Enum
from pathlib import Path
from typing import Optional

import typer

from timeline.documents import InputError, find_inputs, load_document
from timeline.export import FORMATS, render

app = typer.Typer(add_completion=False, no_args_is_help=True, help="News articles in, an event timeline out.")


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
    from timeline.tagger import default_tagger

    default_dct = _parse_date(dct, "--dct")
    inputs = find_inputs(paths)
    if not inputs:
        _say("no input files found")
        raise typer.Exit(2)
    if output_dir:
        output_dir.mkdir(parents=True, exist_ok=True)
    tagger = default_tagger()
    done, failed = 0, 0
    for path in inputs:
        try:
            loaded = load_document(path, default_dct)
        except InputError as exc:
            _say(f"error: {exc}")
            failed += 1
            continue
        for warning in loaded.warnings:
            _say(f"warning: {warning}")
        tagged = tagger.tag_document(loaded.document, mode=mode.value)
        for warning in tagged.warnings:
            _say(f"warning: {path}: {warning}")
        _write(render(tagged, output_format.value), path, output_dir, output_format.value)
        done += 1
    _say(f"tagged {done} of {len(inputs)} inputs" + (f"; {failed} failed" if failed else ""))
    if done == 0:
        raise typer.Exit(1)


def _write(content: str, source: Path, output_dir: Optional[Path], output_format: str) -> None:
    if output_dir is None:
        sys.stdout.write(content)
        return
    target = output_dir / (source.stem + FORMATS[output_format])
    target.write_text(content, encoding="utf-8")


@app.command()
def build(
    corpus: list[Path] = typer.Argument(..., help="Articles (.txt .html .tml .jsonl .csv) or folders of them."),
    output_dir: Path = typer.Option(..., "-o", "--output", help="Folder for events.csv, mentions.csv, ..."),
    published: Optional[str] = typer.Option(None, "--published", help="Publication date (YYYY-MM-DD) for articles without one."),
    entity: Optional[str] = typer.Option(None, "--entity", help="Only the events this actor takes part in (aliases resolved)."),
    strict: bool = typer.Option(False, "--strict", help="Exit non-zero if any input failed."),
    jobs: int = typer.Option(1, "--jobs", min=1, help="spaCy worker processes (worth it for large corpora)."),
) -> None:
    """Build the event timeline of a corpus: an ordered event table and its files."""
    from tqdm import tqdm

    from timeline.build import build as run_build
    from timeline.build import entity_events, event_table, write_outputs

    default_date = _parse_date(published, "--published")
    missing = [p for p in corpus if not p.exists()]
    for path in missing:
        _say(f"error: {path}: no such file or folder")
    bar = tqdm(desc="documents", unit="doc", file=sys.stderr, disable=None)

    def progress(item) -> None:
        if item.kind == "article":
            bar.update(1)
        for warning in item.warnings:
            bar.write(f"warning: {warning}", file=sys.stderr)
        if item.error:
            bar.write(f"error: {item.error}", file=sys.stderr)

    result = run_build([p for p in corpus if p.exists()], default_date, progress=progress, n_process=jobs)
    bar.close()
    if entity:
        result.events = entity_events(result, entity)
        result.table = event_table(result.events)
    write_outputs(result, output_dir)
    articles = [i for i in result.documents if i.kind == "article"]
    failed = len(result.failed) + len(missing)
    dated = int((result.table["value"] != "").sum()) if len(result.table) else 0
    _say(f"built {len(result.built)} of {len(articles) + len(missing)} inputs"
         + (f" ({failed} failed, see documents.csv)" if failed else "")
         + f": {len(result.table)} events, {dated} dated -> {output_dir}")
    if not result.built or (strict and failed):
        raise typer.Exit(1)


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
) -> None:
    """Serve the dashboard: a built timeline (OUT_DIR), the timeline of CORPUS, or of the seed articles."""
    from dashboard.app import run

    missing = [p for p in corpus or [] if not p.exists()]
    if missing:
        raise typer.BadParameter(f"{missing[0]}: no such file or folder", param_hint="CORPUS")
    run(host=host, port=port, corpus=corpus or None)


def main() -> None:
    """Entry point of the `timeline` console script."""
    app()


if __name__ == "__main__":
    main()
