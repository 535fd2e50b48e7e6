"""The two embedding backends compute the same function; the ONNX export is made once and reused."""

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
    onnx = embed._onnx_embed(TEXTS, batch_size=2, threads=1)
    assert onnx.shape == (3, embed.DIM) and onnx.dtype == np.float32
    assert np.allclose(np.linalg.norm(onnx, axis=1), 1.0, atol=1e-5)
    assert (onnx * torch_vectors).sum(axis=1).min() > 0.9999


def test_batching_and_order_do_not_change_vectors():
    one_by_one = np.stack([embed._onnx_embed([t], batch_size=1, threads=1)[0] for t in TEXTS])
    together = embed._onnx_embed(TEXTS[::-1], batch_size=16, threads=2)[::-1]
    assert np.allclose(one_by_one, together, atol=1e-5)


def test_query_is_a_unit_row_of_the_batch():
    q = embed.embed_query(TEXTS[0])
    assert q.shape == (embed.DIM,)
    assert np.allclose(q, embed.embed_batch(TEXTS[:1])[0], atol=1e-5)


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
