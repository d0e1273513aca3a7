"""The build pipeline: documents -> parse -> time expressions -> event mentions -> events -> table.

Each document is processed on its own: an error in one becomes a `failed` row naming the file
and the error, and every other document is still built.  Long texts are parsed in
paragraph-aligned chunks, so no text is too long for spaCy.  With jobs > 1 the documents are
processed by a pool of worker processes, and with a Dask client by the workers of a
`dask.distributed` cluster; either way each worker loads spaCy once, runs the same
`process_batch`, and results are taken in input order, so the output does not depend on where
or by how many workers it was built.
"""

from __future__ import annotations

import datetime as dt
import multiprocessing
import signal
from collections import deque
from concurrent.futures import Future, ProcessPoolExecutor
from dataclasses import dataclass, replace
from pathlib import Path
from typing import Callable, Iterable, Iterator

from timeline.corpus import iter_corpus
from timeline.entities import EntityResolver
from timeline.events import extract_mentions
from timeline.merge import merge_all
from timeline.models import BuildResult, CorpusItem, Document, Event, EventMention
from timeline.nlp import text_chunks
from timeline.table import result_table

PIPE_BATCH = 16
MAX_WARNINGS = 20  # per document: a text dense with impossible dates must not flood documents.csv


@dataclass
class DocumentResult:
    """What processing one document gave: its mentions and warnings, or the error that stopped it."""

    mentions: list[EventMention]
    warnings: list[str]
    error: str | None = None


def build(paths: list[Path], published: dt.date | None = None, progress: Callable | None = None,
          jobs: int = 1, client=None) -> BuildResult:
    """Read, tag, extract and merge: the whole pipeline over files and folders.

    `client`: a `dask.distributed.Client`; the documents are then processed on its cluster.
    """
    return build_from_items(iter_corpus(paths, published), progress=progress, jobs=jobs, client=client)


def build_from_items(items: Iterable[CorpusItem], progress: Callable | None = None, jobs: int = 1,
                     client=None) -> BuildResult:
    """The pipeline over corpus items (documents or failures), streamed in batches."""
    result = BuildResult()
    mentions_of: dict[int, list[EventMention]] = {}
    for item, outcome in _processed(_accounted(items, result, progress), jobs, client):
        _record(item, outcome, mentions_of)
    result.events = merge_all([m for found in mentions_of.values() for m in found])
    result.table = result_table(result)
    return result


def _accounted(items: Iterable[CorpusItem], result: BuildResult, progress) -> Iterator[CorpusItem]:
    """Every item enters the account; those with a document go on to be processed."""
    for item in items:
        result.documents.append(item)
        if progress is not None:
            progress(item)
        if item.document is not None:
            yield item


def _record(item: CorpusItem, outcome: DocumentResult, mentions_of: dict[int, list[EventMention]]) -> None:
    """Keep a document's mentions and the account of it, not its text: memory grows with the table only."""
    if item.document is None:
        return  # retired meanwhile as the worse copy of a duplicate
    item.warnings.extend(outcome.warnings[:MAX_WARNINGS])
    if len(outcome.warnings) > MAX_WARNINGS:
        item.warnings.append(f"{item.name}: {len(outcome.warnings) - MAX_WARNINGS} more warnings like these")
    if outcome.error:
        item.error, item.document = f"{item.name}: {outcome.error}", None
        return
    if item.supersedes is not None:
        # A better-dated copy of an article read earlier: the earlier copy's events are dropped.
        mentions_of.pop(id(item.supersedes), None)
    mentions_of[id(item)] = outcome.mentions
    item.document = replace(item.document, text="")


# ---------------------------------------------------------------- processing


def _processed(items: Iterator[CorpusItem], jobs: int, client=None) -> Iterator[tuple[CorpusItem, DocumentResult]]:
    """(item, result) for every item, in input order: on a Dask cluster, a pool of `jobs` workers, or here."""
    batches = _batches(items, PIPE_BATCH)
    if client is not None:
        from timeline.cluster import on_cluster

        yield from on_cluster(client, map(_live, batches), process_batch)
        return
    if jobs <= 1:
        for batch in batches:
            batch = _live(batch)
            yield from zip(batch, process_batch([i.document for i in batch]))
        return
    yield from _pooled(batches, jobs)


def _live(batch: list[CorpusItem]) -> list[CorpusItem]:
    """The items still to process (a better copy of a duplicate read meanwhile retires the earlier one)."""
    return [i for i in batch if i.document is not None]


def _batches(items: Iterator[CorpusItem], size: int) -> Iterator[list[CorpusItem]]:
    batch: list[CorpusItem] = []
    for item in items:
        batch.append(item)
        if len(batch) == size:
            yield batch
            batch = []
    if batch:
        yield batch


def process_batch(documents: list[Document]) -> list[DocumentResult]:
    """Parse, tag and extract a batch of documents, each isolated from the others' failures."""
    from timeline.nlp import load_nlp

    nlp = load_nlp("full")
    parts = [text_chunks(d.text) for d in documents]
    whole = [n for n, chunks in enumerate(parts) if len(chunks) == 1]  # long texts are parsed part by part
    parsed = dict(zip(whole, _parse_each(nlp, [documents[n].text for n in whole])))
    return [_process(d, nlp, chunks, parsed.get(n)) for n, (d, chunks) in enumerate(zip(documents, parts))]


def _parse_each(nlp, texts: list[str]) -> list:
    """spaCy docs of these texts: in one batch, or one by one when the batch fails (the error for a failure)."""
    try:
        return list(nlp.pipe(texts, batch_size=PIPE_BATCH))
    except Exception:  # noqa: BLE001 - find the text that failed; the others are parsed alone
        return [_parse_one(nlp, text) for text in texts]


def _parse_one(nlp, text: str):
    try:
        return nlp(text)
    except Exception as exc:  # noqa: BLE001 - reported by _process as this document's failure
        return exc


def _process(document: Document, nlp, chunks: list[tuple[int, int]], parsed) -> DocumentResult:
    """One document's mentions; any error is this document's failure alone."""
    try:
        if isinstance(parsed, Exception):
            raise parsed
        return _extract(document, nlp, chunks, parsed)
    except Exception as exc:  # noqa: BLE001 - isolation: one document never sinks the build
        return DocumentResult([], [], error=f"could not be processed ({type(exc).__name__}: {exc})")


def _extract(document: Document, nlp, chunks: list[tuple[int, int]], parsed) -> DocumentResult:
    """Tag and extract part by part (one part unless the text is long), offsets kept document-wide."""
    from timeline.tagger import default_tagger

    tagger = default_tagger()
    mentions: list[EventMention] = []
    warnings: list[str] = []
    first_number = 1
    for start, end in chunks:
        doc = parsed if parsed is not None else nlp(document.text[start:end])
        tagged = tagger.tag_document(replace(document, text=document.text[start:end]), doc=doc)
        warnings.extend(tagged.warnings)
        mentions.extend(extract_mentions(document, doc, tagged.expressions, offset=start, first_number=first_number))
        first_number += len(doc)  # ids count tokens at most: the next part's never meet this one's
    if len(chunks) > 1:
        warnings.append(f"{document.path or document.doc_id}: {len(document.text):,} characters, "
                        f"parsed in {len(chunks)} paragraph-aligned parts")
    return DocumentResult(mentions, warnings)


# ---------------------------------------------------------------- worker pool


def _pooled(batches: Iterator[list[CorpusItem]], jobs: int) -> Iterator[tuple[CorpusItem, DocumentResult]]:
    """Batches processed by `jobs` worker processes, at most 2 x jobs batches in flight, in order."""
    context = multiprocessing.get_context("spawn")
    pool = ProcessPoolExecutor(max_workers=jobs, mp_context=context, initializer=_worker_start)
    pending: deque[tuple[list[CorpusItem], Future]] = deque()
    try:
        for batch in map(_live, batches):
            pending.append((batch, pool.submit(process_batch, [i.document for i in batch])))
            if len(pending) >= 2 * jobs:
                done, future = pending.popleft()
                yield from zip(done, future.result())
        while pending:
            done, future = pending.popleft()
            yield from zip(done, future.result())
    except BaseException:
        _stop_now(pool)
        raise
    pool.shutdown(wait=True)


def _worker_start() -> None:
    """Workers leave Ctrl-C to the main process, which stops them; spaCy is loaded once per worker."""
    from timeline.nlp import load_nlp

    signal.signal(signal.SIGINT, signal.SIG_IGN)
    load_nlp("full")


def _stop_now(pool: ProcessPoolExecutor) -> None:
    """End the workers at once (Ctrl-C, or an error): queued work is dropped, nothing waits for it."""
    processes = list(getattr(pool, "_processes", {}).values())
    pool.shutdown(wait=False, cancel_futures=True)
    for process in processes:
        process.kill()
    for process in processes:
        process.join(timeout=2)


# ---------------------------------------------------------------- adding to a build


def add_articles(current: BuildResult, paths: list[Path], published: dt.date | None = None,
                 progress: Callable | None = None, jobs: int = 1, client=None) -> BuildResult:
    """The build with these articles added: only they are read and parsed, then every mention is
    merged again, so the result is the build of all the articles together."""
    taken = {i.document.doc_id: i for i in current.documents if i.ok}
    items = _marking_built(iter_corpus(paths, published, taken=taken), _by_digest(current))
    return add_to(current, build_from_items(items, progress=progress, jobs=jobs, client=client))


def _marking_built(items: Iterable[CorpusItem], built: dict[str, CorpusItem]) -> Iterator[CorpusItem]:
    """Every item; those already in the build are marked duplicates first, so they are not parsed again."""
    for item in items:
        _already_built(item, built)
        yield item


def _by_digest(result: BuildResult) -> dict[str, CorpusItem]:
    """The build's articles by the hash of their input."""
    return {i.digest: i for i in result.documents if i.ok and i.digest}


def _already_built(item: CorpusItem, built: dict[str, CorpusItem]) -> bool:
    """Whether the same article is in the build already; if so it is accounted for as a duplicate
    (as a full build would) and has no document to process."""
    kept = built.get(item.digest) if item.ok and item.kind == "article" else None
    if kept is None:
        return False
    item.error = f"{item.name}: same text as {kept.name}; skipped as a duplicate (that copy was kept)"
    item.document = None
    return True


def add_to(current: BuildResult, added: BuildResult) -> BuildResult:
    """The build of both: the added documents' mentions merged with the current ones, dates re-derived
    (an added article already in the build is accounted for as a duplicate and adds nothing)."""
    built = _by_digest(current)
    doc_ids = [i.document.doc_id if i.ok else None for i in added.documents]
    duplicates = {doc_id for doc_id, item in zip(doc_ids, added.documents) if _already_built(item, built)}
    mentions = [m for e in current.events for m in e.mentions]
    mentions += [m for e in added.events for m in e.mentions if m.doc_id not in duplicates]
    result = BuildResult(documents=current.documents + added.documents)
    result.events = merge_all(mentions)
    result.table = result_table(result)
    return result


def entity_events(result: BuildResult, name: str) -> list[Event]:
    """The events where an actor (under any of its aliases) takes part."""
    resolver = EntityResolver()
    resolver.learn_from(m for e in result.events for m in e.mentions)
    return [
        e for e in result.events
        if any(resolver.matches(a, name) for m in e.mentions for a in m.actors + m.affected)
    ]
