"""The two embedding backends compute the same function; the ONNX export is made once and reused;
int8 is a different embedder, close to fp32 but not equal, and named apart."""

import os
import subprocess
import sys
from pathlib import Path

import numpy as np
import pytest

from search import embed

TEXTS = [
    "Ashby Borough Council and the Fenwick Trust set up a shared advice service in 2019.",
    "Short.",
    "The peer learning group met monthly " * 40,  # over 256 tokens: truncated the same way
]


@pytest.fixture(scope="module")
def torch_vectors():
    return embed.load_model().encode(TEXTS, normalize_embeddings=True, convert_to_numpy=True)


def test_onnx_matches_sentence_transformers(torch_vectors):
    onnx = embed._onnx_embed(TEXTS, 1, "fp32")
    assert onnx.shape == (3, embed.DIM) and onnx.dtype == np.float32
    assert np.allclose(np.linalg.norm(onnx, axis=1), 1.0, atol=1e-5)
    assert (onnx * torch_vectors).sum(axis=1).min() > 0.9999


@pytest.mark.parametrize("precision", embed.PRECISIONS)
def test_a_texts_vector_does_not_depend_on_its_neighbours(precision):
    """int8 quantises activations with one scale per input: batched, a text's vector moved with
    its batch-mates (cosine 0.98), so each text is embedded alone."""
    one_by_one = np.stack([embed._onnx_embed([t], 1, precision)[0] for t in TEXTS])
    together = embed._onnx_embed(TEXTS[::-1] * 3, 2, precision, step=2)[:3][::-1]
    assert np.allclose(one_by_one, together, atol=1e-6)


@pytest.mark.parametrize("precision", embed.PRECISIONS)
def test_query_is_a_unit_row_of_the_batch(precision):
    q = embed.embed_query(TEXTS[0], precision=precision)
    assert q.shape == (embed.DIM,)
    assert np.allclose(q, embed.embed_batch(TEXTS[:1], precision=precision)[0], atol=1e-5)


def test_int8_is_close_to_fp32_but_another_embedder(torch_vectors):
    int8 = embed.Embedder("int8")(TEXTS)
    assert np.allclose(np.linalg.norm(int8, axis=1), 1.0, atol=1e-5)
    cos = (int8 * torch_vectors).sum(axis=1)
    assert cos.min() > 0.95 and cos.max() < 0.99999  # near, yet vectors of the two must not be mixed
    assert embed.Embedder("int8").id != embed.Embedder("fp32").id
    assert embed.embedder_from_id(embed.Embedder("int8").id) == embed.Embedder("int8")


def test_cpu_default_is_int8_and_the_environment_can_say_otherwise(monkeypatch):
    monkeypatch.delenv("CASEGRAPH_EMBED_PRECISION", raising=False)
    assert embed.embedder().precision == ("int8" if embed.backend() == "onnx" else "fp32")
    monkeypatch.setenv("CASEGRAPH_EMBED_PRECISION", "fp32")
    assert embed.embedder() == embed.Embedder("fp32")
    monkeypatch.setenv("CASEGRAPH_EMBED_PRECISION", "int4")
    with pytest.raises(RuntimeError, match="CASEGRAPH_EMBED_PRECISION='int4'"):
        embed.embedder()


def test_an_unknown_recorded_embedder_says_what_to_do():
    with pytest.raises(RuntimeError, match="delete the store's chroma/ folder"):
        embed.embedder_from_id("bge-small/fp16")


def test_export_into_an_empty_model_folder(tmp_path, monkeypatch):
    """A fresh machine: prepare() exports the package's weights, atomically, and the file answers
    like the one every other test uses (same weights, same name)."""
    import onnxruntime as ort

    used = embed.prepare()
    monkeypatch.setenv("CASEGRAPH_MODEL_DIR", str(tmp_path))
    embed.onnx_model_path.cache_clear()
    try:
        path = embed.prepare()
        assert path.parent == tmp_path and path.name == used.name
        assert [p.name for p in tmp_path.iterdir()] == [path.name]  # no temporary file left
        ids = np.array([[101, 7592, 102]], dtype="int64")
        feeds = {"input_ids": ids, "attention_mask": np.ones_like(ids), "token_type_ids": np.zeros_like(ids)}
        out = [ort.InferenceSession(str(p)).run(None, feeds)[0] for p in (path, used)]
        assert np.allclose(out[0], out[1], atol=1e-5)
        import logging

        level = logging.getLogger().level
        quantised = embed.prepare("int8")  # from the fp32 file just made, beside it
        assert logging.getLogger().level == level  # the quantiser's warnings are hushed only while it runs
        assert quantised.parent == tmp_path and quantised.name.startswith(path.stem + "-int8-")
        assert sorted(p.name for p in tmp_path.iterdir()) == sorted([path.name, quantised.name])
        assert quantised.stat().st_size < 0.7 * path.stat().st_size  # int8 MatMul weights (the token table stays fp32)
        out8 = ort.InferenceSession(str(quantised)).run(None, feeds)[0]
        assert not np.allclose(out8, out[0], atol=1e-5) and np.allclose(out8, out[0], atol=0.5)
    finally:
        embed.onnx_model_path.cache_clear()


def test_unknown_backend_is_named(monkeypatch):
    monkeypatch.setenv("CASEGRAPH_EMBED_BACKEND", "tensorflow")
    embed.backend.cache_clear()
    try:
        with pytest.raises(RuntimeError, match="CASEGRAPH_EMBED_BACKEND='tensorflow'"):
            embed.backend()
    finally:
        monkeypatch.delenv("CASEGRAPH_EMBED_BACKEND")
        embed.backend.cache_clear()


def test_a_model_folder_that_cannot_be_written_falls_back_to_torch(tmp_path, monkeypatch, capsys):
    blocked = tmp_path / "file"
    blocked.write_text("not a folder")
    monkeypatch.setenv("CASEGRAPH_MODEL_DIR", str(blocked / "models"))
    monkeypatch.delenv("CASEGRAPH_EMBED_BACKEND", raising=False)
    embed.onnx_model_path.cache_clear(), embed.backend.cache_clear()
    try:
        assert embed.backend() == "torch"
        assert "CASEGRAPH_MODEL_DIR" in capsys.readouterr().err
    finally:
        monkeypatch.undo()
        embed.onnx_model_path.cache_clear(), embed.backend.cache_clear()
    assert embed.backend() == "onnx"


@pytest.mark.skipif(os.path.exists("/proc/driver/nvidia/version"), reason="a GPU machine asks torch")
def test_choosing_the_embedder_on_a_cpu_does_not_import_torch():
    """Importing torch costs a new process ~2 s; on a machine without NVIDIA's driver the choice
    and a query embedding need only onnxruntime."""
    code = ("import sys; from search import embed; e = embed.embedder(); e.query('a question'); "
            "print(e.precision, embed.device(), 'torch' in sys.modules)")
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True,
                         cwd=Path(__file__).parent.parent).stdout.split()
    assert out == ["int8", "cpu", "False"]
