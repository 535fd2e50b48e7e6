"""Incremental ingest end to end on a tiny corpus, with the real spaCy, model and Chroma."""

import json
import shutil
from pathlib import Path

import pytest

import app
import cli
from graph.build import load_graph
from graph.stats import stats
from ingest.pipeline import ingest
from ingest.store import Store
from search.index import load_snapshot, vector_index

DATA = Path(__file__).parent / "data" / "mini"


@pytest.fixture()
def corpus(tmp_path):
    folder = tmp_path / "corpus"
    shutil.copytree(DATA, folder)
    return folder


def _run(corpus, store):
    return ingest(corpus, store, consumers=app.consumers(), progress=False, log=lambda m: None)


def _passage_ids(store):
    return {p.id for p in load_snapshot(store).passages}


def test_first_ingest_fills_every_part_of_the_store(corpus, tmp_path):
    store = Store(tmp_path / "store")
    report = _run(corpus, store)
    assert sorted(report.added) == ["harbour-learning.md", "riverside-partnership.txt"]
    assert report.ok and not report.unchanged
    ids = _passage_ids(store)
    assert ids and vector_index(store).ids() == ids
    graph = load_graph(store.graph_path)
    names = {d["name"] for _, d in graph.nodes(data=True)}
    assert "Riverside Borough Council" in names
    for _, _, d in graph.edges(data=True):
        assert d["evidence"] and d["doc"] in {"harbour-learning.md", "riverside-partnership.txt"}


def test_reingest_of_an_unchanged_corpus_does_no_work(corpus, tmp_path):
    store = Store(tmp_path / "store")
    _run(corpus, store)
    records = {p.name: p.stat().st_mtime_ns for p in store.docs_dir.iterdir()}
    graph_bytes = store.graph_path.read_bytes()
    report = _run(corpus, store)
    assert sorted(report.unchanged) == ["harbour-learning.md", "riverside-partnership.txt"]
    assert not (report.added or report.updated or report.removed)
    assert {p.name: p.stat().st_mtime_ns for p in store.docs_dir.iterdir()} == records
    assert store.graph_path.read_bytes() == graph_bytes
    assert report.timings.get("embedded", 0) == 0


def test_changed_file_replaces_its_passages_and_edges(corpus, tmp_path):
    store = Store(tmp_path / "store")
    _run(corpus, store)
    before = _passage_ids(store)
    path = corpus / "harbour-learning.md"
    path.write_text(path.read_text().replace("Tom Ashdown", "Priya Natarajan"))
    report = _run(corpus, store)
    assert report.updated == ["harbour-learning.md"]
    after = _passage_ids(store)
    assert after != before and vector_index(store).ids() == after
    texts = " ".join(p.text for p in load_snapshot(store).passages)
    assert "Tom Ashdown" not in texts and "Priya Natarajan" in texts
    names = {d["name"] for _, d in load_graph(store.graph_path).nodes(data=True)}
    assert "Tom Ashdown" not in names


def test_removed_file_leaves_graph_and_index(corpus, tmp_path):
    store = Store(tmp_path / "store")
    _run(corpus, store)
    (corpus / "harbour-learning.md").unlink()
    report = _run(corpus, store)
    assert report.removed == ["harbour-learning.md"]
    assert {p.doc for p in load_snapshot(store).passages} == {"riverside-partnership.txt"}
    assert vector_index(store).ids() == _passage_ids(store)
    for _, d in load_graph(store.graph_path).nodes(data=True):
        assert "harbour-learning.md" not in d["docs"]


def test_renamed_file_is_moved_not_duplicated(corpus, tmp_path):
    store = Store(tmp_path / "store")
    _run(corpus, store)
    count = len(_passage_ids(store))
    (corpus / "harbour-learning.md").rename(corpus / "Harbour — learning notes.md")
    report = _run(corpus, store)
    assert report.renamed == [("harbour-learning.md", "Harbour — learning notes.md")]
    assert report.timings.get("embedded", 0) == 0  # moved text reuses its embeddings
    docs = {p.doc for p in load_snapshot(store).passages}
    assert docs == {"riverside-partnership.txt", "Harbour — learning notes.md"}
    assert len(_passage_ids(store)) == count == len(vector_index(store).ids())


def test_bad_file_fails_alone_with_a_clear_line_and_exit_status_1(corpus, tmp_path, capsys):
    (corpus / "broken.pdf").write_bytes(b"\x00\x01 not a pdf at all \xff" * 20)
    (corpus / "notes.xyz").write_text("unsupported")
    store = tmp_path / "store"
    code = cli.main(["ingest", str(corpus), "--store", str(store), "--quiet"])
    err = capsys.readouterr().err
    assert code == 1
    assert "broken.pdf" in err and "notes.xyz" in err
    manifest = Store(store).read_manifest()
    assert manifest["files"]["broken.pdf"]["status"] == "failed"
    assert manifest["files"]["riverside-partnership.txt"]["status"] == "ok"


def test_two_stores_from_the_same_corpus_give_the_same_stats(corpus, tmp_path, capsys):
    a, b = Store(tmp_path / "a"), Store(tmp_path / "b")
    _run(corpus, a)
    _run(corpus, b)
    assert stats(a) == stats(b)
    assert stats(a)["documents"] == 2 and stats(a)["passages"] >= 2
    assert cli.main(["stats", "--json", "--store", str(a.root)]) == 0
    assert json.loads(capsys.readouterr().out) == stats(a)


def test_one_report_in_four_formats_answers_alike_and_the_pdf_cites_its_page(tmp_path):
    from docx import Document as Docx

    from search.engine import Engine
    from tests.test_loaders import write_pdf

    intro = "Harbour Learning Network: annual review"
    body = ("The Harbour Learning Network is a peer learning group for councils on the south coast. "
            "Tom Ashdown, director at the Coastal Policy Institute, chairs the network.")
    corpus = tmp_path / "corpus"
    corpus.mkdir()
    (corpus / "review.txt").write_text(f"{intro}\n\n{body}\n", "utf-8")
    (corpus / "review.html").write_text(f"<html><head><title>{intro}</title></head><body><h1>{intro}</h1>"
                                        f"<p>{body}</p></body></html>", "utf-8")
    doc = Docx()
    doc.add_heading(intro, 1)
    doc.add_paragraph(body)
    doc.save(corpus / "review.docx")
    # The answer sits on page 2 of the PDF.
    write_pdf(corpus / "review.pdf", [[intro, "Contents and thanks."], [s + "." for s in body.rstrip(".").split(". ")]])

    store = Store(tmp_path / "store")
    report = _run(corpus, store)
    assert report.ok and sorted(report.added) == ["review.docx", "review.html", "review.pdf", "review.txt"]
    engine = Engine(store)
    ans = engine.ask("Who chairs the Harbour Learning Network?", k=8)
    assert ans.answer == "Tom Ashdown"
    cited = {s.doc: s for s in ans.sources if "Tom Ashdown" in s.passage}
    assert set(cited) == {"review.docx", "review.html", "review.pdf", "review.txt"}
    assert cited["review.pdf"].page == 2
    assert cited["review.txt"].page is None
    for s in cited.values():
        assert engine.document(s.doc).text[s.start:s.end] == s.passage


def test_adding_a_report_indexes_only_that_report(corpus, tmp_path):
    # The keyword index is one segment per document: a new report writes its own segment, leaves
    # the others' files untouched, and compares only its passages with Chroma.
    store = Store(tmp_path / "store")
    _run(corpus, store)
    segments = store.keyword_dir / "segments"
    before = {p.name: p.stat().st_mtime_ns for p in segments.iterdir()}
    (corpus / "third.txt").write_text(
        "Harbour Trust and Riverside Borough Council opened the Quayside Hub in 2021.\n\n"
        "The Quayside Hub helped 1,200 families in its first year.\n", encoding="utf-8")
    report = _run(corpus, store)
    assert report.added == ["third.txt"]
    assert report.timings["segments_built"] == 1
    new = [p for p in load_snapshot(store).passages if p.doc == "third.txt"]
    assert new and report.timings["vectors_read"] == len(new) and report.timings["embedded"] == 0
    after = {p.name: p.stat().st_mtime_ns for p in segments.iterdir()}
    assert {k: v for k, v in after.items() if k in before} == before and len(after) == len(before) + 2
    assert vector_index(store).ids() == _passage_ids(store)
    assert load_snapshot(store).keyword.scores("Quayside families").argmax() in \
        {i for i, p in enumerate(load_snapshot(store).passages) if p.doc == "third.txt"}


def test_chroma_out_of_step_is_found_and_repaired(corpus, tmp_path):
    # A store whose vector index lost passages (a crash, a copied folder) is compared id by id.
    store = Store(tmp_path / "store")
    _run(corpus, store)
    vi = vector_index(store)
    lost = sorted(vi.ids())[:1]
    vi.delete(lost)
    report = _run(corpus, store)
    assert report.timings["vectors_read"] == 1 and report.timings["embedded"] == 0  # from the store's vectors
    assert vector_index(store).ids() == _passage_ids(store)


def test_graph_from_the_slim_copies_equals_the_graph_from_full_records(corpus, tmp_path):
    # Resolution reads each document's slim copy (entities, relations); a store written before the
    # copies existed falls back to the full records and must give the same graph.
    from graph.build import _INPUTS, refresh

    store = Store(tmp_path / "store")
    _run(corpus, store)
    slim = sorted(store.docs_dir.glob("*.graph.json"))
    assert len(slim) == 2 and all(p.stat().st_size < p.with_name(p.name.replace(".graph", "")).stat().st_size
                                  for p in slim)
    built = store.graph_path.read_bytes()
    for p in slim:
        p.unlink()
    store.graph_path.with_suffix(".key").unlink()
    _INPUTS.clear()  # a fresh process: nothing read yet
    refresh(store)
    assert store.graph_path.read_bytes() == built


def test_a_long_lived_process_reads_only_new_graph_inputs_and_builds_the_same_graph(corpus, tmp_path):
    from graph.build import _INPUTS, refresh

    store = Store(tmp_path / "store")
    _run(corpus, store)
    cache = _INPUTS[str(store.root.resolve())]
    assert set(cache) == {e["record"] for e in store.read_manifest()["files"].values()}
    (corpus / "third.txt").write_text("Harbour Trust and Riverside Borough Council opened the Quayside Hub in 2021.\n",
                                      encoding="utf-8")
    (corpus / "harbour-learning.md").write_text((corpus / "harbour-learning.md").read_text("utf-8") + "\nMore notes.\n",
                                                encoding="utf-8")
    _run(corpus, store)  # one file added, one changed: the changed file's old inputs leave the cache
    assert set(cache) == {e["record"] for e in store.read_manifest()["files"].values()}
    built = store.graph_path.read_bytes()
    _INPUTS.clear()
    store.graph_path.with_suffix(".key").unlink()
    refresh(store)
    assert store.graph_path.read_bytes() == built


def test_an_empty_folder_ingests_and_a_first_report_then_lands(tmp_path):
    corpus = tmp_path / "corpus"
    corpus.mkdir()
    store = Store(tmp_path / "store")
    report = _run(corpus, store)
    assert report.ok and not report.added and load_snapshot(store).passages == ()
    shutil.copy(DATA / "riverside-partnership.txt", corpus)
    report = _run(corpus, store)
    assert report.added == ["riverside-partnership.txt"] and _passage_ids(store) == vector_index(store).ids()


def test_passages_are_embedded_while_parsing_and_the_index_reads_those_vectors(corpus, tmp_path):
    import numpy as np

    from search.embed import embedder

    store = Store(tmp_path / "store")
    report = _run(corpus, store)
    passages = load_snapshot(store).passages
    assert report.timings["vectors_read"] == len(passages) and report.timings["embedded"] == 0
    made_by = embedder()
    assert vector_index(store).embedder == made_by
    files = store.read_manifest()["files"]
    for name, entry in files.items():
        ahead = store.read_vectors(entry["record"], made_by.id)
        mine = [p for p in passages if p.doc == name]
        assert set(ahead) == {p.id for p in mine}
        fresh = made_by([p.text for p in mine])
        assert np.allclose(np.stack([ahead[p.id] for p in mine]), fresh, atol=1e-5)
    got = vector_index(store).collection.get(ids=[passages[0].id], include=["embeddings"])
    first = store.read_vectors(files[passages[0].doc]["record"], made_by.id)[passages[0].id]
    assert np.allclose(got["embeddings"][0], first, atol=1e-6)
    # a removed file's vectors go with its records
    (corpus / "harbour-learning.md").unlink()
    _run(corpus, store)
    assert sorted(p.name for p in store.docs_dir.glob("*.vec.npz")) == \
        [f"{e['record']}.vec.npz" for e in store.read_manifest()["files"].values()]


def test_unreadable_vectors_are_embedded_by_the_index_instead(corpus, tmp_path):
    store = Store(tmp_path / "store")
    ingest(corpus, store, progress=False, log=lambda m: None)  # records only, no consumers: no vectors
    assert not list(store.docs_dir.glob("*.vec.npz"))
    record = next(iter(store.read_manifest()["files"].values()))["record"]
    store.vectors_path(record).write_bytes(b"not an npz")
    assert store.read_vectors(record, "all-MiniLM-L6-v2/int8") == {}
    report = _run(corpus, store)  # nothing changed: the index embeds every passage itself
    assert report.timings["embedded"] == len(_passage_ids(store)) and report.timings["vectors_read"] == 0
    vi = vector_index(store)
    assert vi.ids() == _passage_ids(store)
    # ... and writes them back, so a lost index is refilled without embedding
    kept = {i for e in store.read_manifest()["files"].values() for i in store.read_vectors(e["record"], vi.embedder.id)}
    assert kept == _passage_ids(store)
    vi.rebuild(vi.embedder)
    report = _run(corpus, store)
    assert report.timings["vectors_read"] == len(kept) and report.timings["embedded"] == 0
    assert vector_index(store).ids() == _passage_ids(store)


def test_warm_up_reads_the_graph_inputs_a_watch_keeps(corpus, tmp_path):
    from graph.build import _INPUTS
    from ingest.watch import warm_up

    store = Store(tmp_path / "store")
    _run(corpus, store)
    _INPUTS.clear()  # a watch started on a store that is already up to date has read nothing
    warm_up(store, app.consumers())
    assert set(_INPUTS[str(store.root.resolve())]) == {e["record"] for e in store.read_manifest()["files"].values()}


def test_the_index_keeps_its_embedder_and_queries_use_it(corpus, tmp_path, monkeypatch):
    """A store filled with fp32 vectors stays fp32 when today's default is another precision: new
    reports are embedded the same way and questions too; asking for another precision rebuilds it."""
    import numpy as np

    from search.embed import Embedder, embedder

    store = Store(tmp_path / "store")
    monkeypatch.setenv("CASEGRAPH_EMBED_PRECISION", "fp32")
    _run(corpus, store)
    assert vector_index(store).embedder == Embedder("fp32")
    monkeypatch.setenv("CASEGRAPH_EMBED_PRECISION", "int8")
    assert embedder() == Embedder("int8")
    monkeypatch.delenv("CASEGRAPH_EMBED_PRECISION")
    (corpus / "extra.txt").write_text("The Ashby Food Partnership was set up by Ashby Borough Council in 2021 "
                                      "with the Fenwick Trust to run community larders across the town.\n")
    report = _run(corpus, store)
    vi = vector_index(store)
    assert report.added == ["extra.txt"] and vi.embedder == Embedder("fp32")
    new = [p for p in load_snapshot(store).passages if p.doc == "extra.txt"]
    got = vi.collection.get(ids=[p.id for p in new], include=["embeddings"])
    assert np.allclose(got["embeddings"], Embedder("fp32")([p.text for p in new]), atol=1e-5)
    assert np.allclose(vi.embed_query("community larders"), Embedder("fp32").query("community larders"), atol=1e-6)
    # an explicit other precision re-embeds every passage (the old vectors do not compare)
    monkeypatch.setenv("CASEGRAPH_EMBED_PRECISION", "int8")
    (corpus / "extra.txt").write_text("The Ashby Food Partnership now runs six community larders.\n")
    _run(corpus, store)
    vi = vector_index(store)
    passages = load_snapshot(store).passages
    assert vi.embedder == Embedder("int8") and vi.ids() == {p.id for p in passages}
    got = vi.collection.get(ids=[passages[0].id], include=["embeddings"])
    assert np.allclose(got["embeddings"][0], Embedder("int8")([passages[0].text])[0], atol=1e-5)


def test_a_collection_made_before_embedders_were_recorded_is_fp32(tmp_path):
    from search.embed import Embedder
    from search.vector import _client

    store = Store(tmp_path / "store")
    _client(store.chroma_dir).create_collection(vector_index(store).name, embedding_function=None)
    assert vector_index(store).embedder == Embedder("fp32")


def test_new_extraction_rules_re_extract_without_re_embedding(corpus, tmp_path, monkeypatch):
    """A rules bump re-extracts every file; the passages are the same, so their vectors are kept.
    A new cleaning/chunking version (the first part) may cut them differently: embedded again."""
    import numpy as np

    from ingest import pipeline

    store = Store(tmp_path / "store")
    first = _run(corpus, store)
    n = len(_passage_ids(store))
    assert first.timings["embedded_ahead"] == n and first.timings["vectors_kept"] == 0
    before = {p: v for e in store.read_manifest()["files"].values()
              for p, v in store.read_vectors(e["record"], vector_index(store).embedder.id).items()}
    monkeypatch.setattr(pipeline, "EXTRACT_VERSION", pipeline.EXTRACT_VERSION + ".test")
    again = _run(corpus, store)
    assert sorted(again.updated) == sorted(first.added)
    assert again.timings["embedded_ahead"] == 0 and again.timings["vectors_kept"] == n
    after = {p: v for e in store.read_manifest()["files"].values()
             for p, v in store.read_vectors(e["record"], vector_index(store).embedder.id).items()}
    assert after.keys() == before.keys() and all(np.array_equal(after[p], before[p]) for p in before)
    assert vector_index(store).ids() == _passage_ids(store)
    monkeypatch.setattr(pipeline, "EXTRACT_VERSION", "99." + pipeline.EXTRACT_VERSION)
    third = _run(corpus, store)
    assert third.timings["embedded_ahead"] == n and third.timings["vectors_kept"] == 0
