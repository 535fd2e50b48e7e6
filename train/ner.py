"""Fine-tune spaCy's NER on the team's annotated corpus (`make train`; settings in train/ner.cfg).

    python train/ner.py [--base md|sm] [--epochs N] [--config train/ner.cfg]

Reads train/corpus.jsonl (built by `python train/corpus.py build`), trains on the documents of the
`train` split only (a hashed share of them chooses the best epoch), never on `heldout`, and writes
the NER component and a meta file to ingest/models/ner-<base>/. Deterministic for a seed on one
machine; CPU only.
"""

from __future__ import annotations

import argparse
import hashlib
import json
import random
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "train"))

import corpus as C  # noqa: E402


def _windows(text: str, size: int) -> list[tuple[int, int]]:
    """Paragraph-aligned windows of about `size` characters covering the text."""
    out, start = [], 0
    while start < len(text):
        end = min(len(text), start + size)
        if end < len(text):
            cut = text.rfind("\n\n", start + size // 3, end)
            if cut < 0:
                cut = text.rfind("\n", start + size // 3, end)
            end = cut + 1 if cut > start else end
        out.append((start, end))
        start = end
    return out


def examples(nlp, docs, labels: dict, window: int) -> list:
    """spaCy Examples: windows of each document with its entity spans (REF and OUTCOME spans are left out)."""
    from spacy.training import Example

    out, dropped = [], 0
    for d in docs:
        for ws, we in _windows(d.text, window):
            piece = d.text[ws:we]
            if not piece.strip():
                continue
            pdoc = nlp.make_doc(piece)
            ents = []
            for s in d.spans:
                if s.type not in labels or s.start < ws or s.end > we:
                    continue
                span = pdoc.char_span(s.start - ws, s.end - ws, label=labels[s.type], alignment_mode="contract")
                if span is None or not span.text.strip():
                    dropped += 1
                    continue
                ents.append(span)
            ents.sort(key=lambda sp: (sp.start, -sp.end))
            kept, last = [], -1
            for sp in ents:
                if sp.start >= last:
                    kept.append(sp)
                    last = sp.end
            ref = nlp.make_doc(piece)
            ref.ents = [ref.char_span(sp.start_char, sp.end_char, label=sp.label_) for sp in kept]
            out.append(Example(nlp.make_doc(piece), ref))
    if dropped:
        print(f"  {dropped} spans did not align with token boundaries and were left out")
    return out


def _save(out_dir: Path, ner, nlp, base, labels, tr, best, best_epoch, fit_docs, tune_docs, corpus_path, t0, log):
    """Write the component and its meta; called at every new best epoch, so a stopped run keeps its best."""
    out_dir.mkdir(parents=True, exist_ok=True)
    ner.to_disk(out_dir / "ner", exclude=["vocab"])  # the vocab (and its vectors) comes from the base model
    component_cfg = dict(nlp.config["components"]["ner"])
    component_cfg.pop("factory", None)
    meta = {
        "base": base,
        "labels": labels,
        "component": component_cfg,
        "seed": tr["seed"],
        "best_epoch": best_epoch,
        "tune_f": round(best, 4),
        "train_docs": len(fit_docs),
        "tune_docs": len(tune_docs),
        "corpus_sha256": hashlib.sha256(corpus_path.read_bytes()).hexdigest(),
        "train_seconds": round(time.time() - t0, 1),
        "log": log,
    }
    (out_dir / "meta.json").write_text(json.dumps(meta, indent=1, sort_keys=True) + "\n", encoding="utf-8")


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--config", default=str(ROOT / "train" / "ner.cfg"))
    ap.add_argument("--base", choices=("md", "sm"))
    ap.add_argument("--epochs", type=int)
    ap.add_argument("--output")
    args = ap.parse_args(argv)

    import spacy
    from spacy.util import fix_random_seed, load_config, minibatch, compounding

    from ingest.nlp import base_model_path

    cfg = load_config(args.config)
    tr = cfg["training"]
    base = args.base or cfg["base"]["name"]
    epochs = args.epochs or tr["epochs"]
    labels = dict(cfg["labels"])
    out_dir = Path(args.output) if args.output else ROOT / cfg["paths"]["output"] / f"ner-{base}"
    corpus_path = ROOT / cfg["paths"]["corpus"]
    docs = C.read_jsonl(corpus_path)
    train_docs = [d for d in docs if d.split == "train"]

    def tune(d) -> bool:
        return int(hashlib.sha256(f"tune/{d.id}".encode()).hexdigest()[:8], 16) / 0xFFFFFFFF < tr["tune_share"]

    fit_docs = [d for d in train_docs if not tune(d)]
    tune_docs = [d for d in train_docs if tune(d)]
    print(f"corpus: {len(docs)} documents; training on {len(fit_docs)}, choosing the epoch on {len(tune_docs)}, "
          f"{len(docs) - len(train_docs)} held out and not read")

    fix_random_seed(tr["seed"])
    t0 = time.time()
    nlp = spacy.load(base_model_path(base), exclude=["tok2vec", "tagger", "parser", "attribute_ruler", "lemmatizer",
                                                      "senter"])
    ner = nlp.get_pipe("ner")
    for lab in labels.values():
        ner.add_label(lab)
    fit = examples(nlp, fit_docs, labels, tr["window_chars"])
    held = examples(nlp, tune_docs, labels, tr["window_chars"])
    optimizer = nlp.resume_training()
    optimizer.learn_rate = tr["learn_rate"]
    rng = random.Random(tr["seed"])
    best, best_bytes, best_epoch, since = -1.0, None, 0, 0
    log = []
    for epoch in range(1, epochs + 1):
        rng.shuffle(fit)
        losses: dict = {}
        for batch in minibatch(fit, size=compounding(tr["batch_start"], tr["batch_stop"], tr["batch_compound"])):
            nlp.update(batch, drop=tr["dropout"], sgd=optimizer, losses=losses)
        scores = nlp.evaluate(held)
        per = {k: round(float(v["f"]), 3) for k, v in (scores.get("ents_per_type") or {}).items() if k in labels.values()}
        f = float(scores["ents_f"] or 0.0)
        log.append({"epoch": epoch, "loss": round(float(losses.get("ner", 0.0)), 1), "f": round(f, 4), "per_type": per})
        print(f"epoch {epoch:3d}  loss {losses.get('ner', 0.0):9.1f}  tune F {f:.3f}  {per}  {time.time() - t0:6.0f}s",
              flush=True)
        if f > best:
            best, best_bytes, best_epoch, since = f, ner.to_bytes(), epoch, 0
            _save(out_dir, ner, nlp, base, labels, tr, best, best_epoch, fit_docs, tune_docs, corpus_path, t0, log)
        else:
            since += 1
            if since >= tr["patience"]:
                break
    ner.from_bytes(best_bytes)
    _save(out_dir, ner, nlp, base, labels, tr, best, best_epoch, fit_docs, tune_docs, corpus_path, t0, log)
    print(f"best epoch {best_epoch} (tune F {best:.3f}); wrote {out_dir} in {time.time() - t0:.0f}s")
    return 0


if __name__ == "__main__":
    sys.exit(main())
