"""`python -m bench.levers`: measure the speed levers the issue lists, one at a time, on the
bundled corpus, instead of assuming them. Prints tables and writes bench/results/levers-<date>.json.

spaCy: batch size, the parser swapped for the sentence recogniser (the extractor reads sentences,
POS tags and entities, never dependencies), two processes, documents cut at paragraph breaks.
Embeddings: batch size, sorting by length, threads, torch against onnxruntime, int8 dynamic
quantisation in each (with how far its vectors move from the float32 ones and how often the top-5
neighbours change).
"""

from __future__ import annotations

import argparse
import sys
import time
from pathlib import Path

import ingest  # noqa: F401  (offline environment)

from .measure import ROOT, write_result


def _texts(corpus: Path) -> list[str]:
    return [p.read_text("utf-8") for p in sorted(corpus.iterdir()) if p.suffix in (".txt", ".md")]


def _paragraphs(texts: list[str], max_chars: int = 5000) -> list[str]:
    """Texts cut at blank lines into pieces of at most ~max_chars (how a pipeline could feed spaCy)."""
    out = []
    for text in texts:
        piece = ""
        for para in text.split("\n\n"):
            if piece and len(piece) + len(para) > max_chars:
                out.append(piece)
                piece = ""
            piece = f"{piece}\n\n{para}" if piece else para
        if piece:
            out.append(piece)
    return out


def _spacy_signature(docs) -> tuple[int, int, int]:
    return (sum(len(list(d.sents)) for d in docs), sum(len(d.ents) for d in docs),
            sum(1 for d in docs for t in d if t.pos_ == "PROPN"))


def spacy_levers(texts: list[str]) -> list[dict]:
    import psutil
    import spacy

    from ingest.nlp import MODEL_NAMES

    name = next(n for n in MODEL_NAMES if spacy.util.is_package(n))
    words = sum(len(t.split()) for t in texts)
    configs = [
        ("current: whole docs, batch 8, no lemmatizer", dict(exclude=["lemmatizer"]), {}, texts),
        ("whole docs, batch 1", dict(exclude=["lemmatizer"]), {"batch_size": 1}, texts),
        ("parser -> senter", dict(exclude=["lemmatizer", "parser"], senter=True), {}, texts),
        ("paragraph pieces <=5k chars, batch 32", dict(exclude=["lemmatizer"]), {"batch_size": 32},
         _paragraphs(texts)),
        ("paragraph pieces + senter", dict(exclude=["lemmatizer", "parser"], senter=True),
         {"batch_size": 32}, _paragraphs(texts)),
        ("paragraph pieces, 2 processes", dict(exclude=["lemmatizer"]), {"batch_size": 32, "n_process": 2},
         _paragraphs(texts)),
    ]
    rows = []
    for label, load_kw, pipe_kw, inputs in configs:
        load_kw = dict(load_kw)
        senter = load_kw.pop("senter", False)
        nlp = spacy.load(name, **load_kw)
        if senter:
            nlp.enable_pipe("senter")
        nlp.max_length = 5_000_000
        rss0 = psutil.Process().memory_info().rss
        t = time.perf_counter()
        docs = list(nlp.pipe(inputs, **{"batch_size": 8, **pipe_kw}))
        wall = time.perf_counter() - t
        sents, ents, propn = _spacy_signature(docs)
        rows.append({"config": label, "wall_s": wall, "words_per_s": words / wall, "inputs": len(inputs),
                     "sentences": sents, "entities": ents, "propn": propn,
                     "rss_growth_mb": (psutil.Process().memory_info().rss - rss0) / 2**20})
        print(f"  spacy {label}: {wall:.1f}s", file=sys.stderr, flush=True)
        del docs, nlp
    return rows


def _passages(texts: list[str]) -> list[str]:
    from ingest.chunk import chunk
    from ingest.records import Document, content_hash

    out = []
    for i, text in enumerate(texts):
        doc = Document(doc=f"d{i}", text=text, title="", format="txt", sha256=content_hash(text))
        out.extend(p.text for p in chunk(doc))
    return out


def embed_levers(passages: list[str]) -> list[dict]:
    """Each configuration's wall time on the passages, and how far its vectors move from the first
    (torch float32, batch 64): mean/min cosine and the share of top-5 neighbours kept."""

    import numpy as np
    import torch

    from search import embed

    model = embed.load_model()
    model.encode(passages[:8])  # first call pays one-off costs
    base = None
    rows = []
    threads = torch.get_num_threads()

    def measure(label, encode):
        nonlocal base
        t = time.perf_counter()
        vecs = encode()
        wall = time.perf_counter() - t
        row = {"config": label, "wall_s": wall, "passages_per_s": len(passages) / wall}
        if base is None:
            base = vecs
        else:
            cos = (vecs * base).sum(axis=1)
            sims, sims0 = vecs @ base.T, base @ base.T
            top = lambda s: np.argsort(-s, axis=1)[:, 1:6]  # noqa: E731  (5 nearest other passages)
            same = np.mean([len(set(a) & set(b)) / 5 for a, b in zip(top(sims), top(sims0))])
            row.update(mean_cos_to_fp32=float(cos.mean()), min_cos_to_fp32=float(cos.min()),
                       top5_neighbour_overlap=float(same))
        rows.append(row)
        print(f"  embed {label}: {wall:.1f}s", file=sys.stderr, flush=True)

    def torch_run(m=None, batch=64, sort=True, n_threads=threads):
        def encode():
            torch.set_num_threads(n_threads)
            try:
                if sort:  # encode() sorts by length itself; unsorted = one call per batch
                    return (m or model).encode(passages, batch_size=batch, normalize_embeddings=True, convert_to_numpy=True)
                return np.concatenate([(m or model).encode(passages[i:i + batch], batch_size=batch, normalize_embeddings=True,
                                                           convert_to_numpy=True) for i in range(0, len(passages), batch)])
            finally:
                torch.set_num_threads(threads)
        return encode

    measure(f"torch: batch 64, sorted by length, {threads} threads", torch_run())
    measure("torch batch 16", torch_run(batch=16))
    measure("torch batch 128", torch_run(batch=128))
    measure("torch unsorted batches of 64", torch_run(sort=False))
    measure("torch 1 thread", torch_run(n_threads=1))
    quantised = torch.ao.quantization.quantize_dynamic(model, {torch.nn.Linear}, dtype=torch.qint8)
    measure("torch int8 dynamic quantisation", torch_run(m=quantised))
    for precision in embed.PRECISIONS:  # casegraph's: each text alone (see embed._onnx_one)
        embed._onnx_embed(passages[:8], threads, precision)  # session start-up outside the timing
        measure(f"onnx {precision}, one text a call, {threads} threads",
                lambda p=precision: embed._onnx_embed(passages, threads, p))
        measure(f"onnx {precision}, 1 thread", lambda p=precision: embed._onnx_embed(passages, 1, p))
    return rows


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m bench.levers")
    parser.add_argument("--corpus", default=str(ROOT / "corpus"))
    parser.add_argument("--only", default="spacy,embed")
    args = parser.parse_args(argv)
    texts = _texts(Path(args.corpus))
    data: dict = {"words": sum(len(t.split()) for t in texts)}
    if "spacy" in args.only:
        data["spacy"] = spacy_levers(texts)
    if "embed" in args.only:
        passages = _passages(texts)
        data["passages"] = len(passages)
        data["embed"] = embed_levers(passages)
    from .__main__ import _table

    if "spacy" in data:
        print(_table(f"spaCy levers ({data['words']:,} words)",
                     ["config", "inputs", "wall s", "words/s", "sents", "ents", "PROPN", "RSS +MB"],
                     [[r["config"], r["inputs"], r["wall_s"], r["words_per_s"], r["sentences"], r["entities"],
                       r["propn"], r["rss_growth_mb"]] for r in data["spacy"]]))
    if "embed" in data:
        print(_table(f"Embedding levers ({data['passages']} passages)",
                     ["config", "wall s", "passages/s", "mean cos", "min cos", "top-5 overlap"],
                     [[r["config"], r["wall_s"], r["passages_per_s"], r.get("mean_cos_to_fp32"),
                       r.get("min_cos_to_fp32"), r.get("top5_neighbour_overlap")] for r in data["embed"]]))
    print(f"-> {write_result('levers', data).relative_to(ROOT)}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
