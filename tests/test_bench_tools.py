"""The benchmark tools: the scaled-corpus generator is deterministic and varies what it should,
and the harness measures a real job in a fresh interpreter."""

import json
import os
import shutil
from pathlib import Path

import pytest

from bench.measure import run_job, tree_rss, write_result
from bench.scale import corpus_words, make_corpus, make_report, variant_name, variant_text
from bench.workers import _percentile
from ingest.records import content_hash

DATA = Path(__file__).parent / "data"
MINI = DATA / "mini"

TEXT = (
    "The Riverside Partnership was set up in 2019 by Okonkwo Council and the Harbour Trust.\n"
    "Its director, Priya Ramaswamy, said 42 families were helped, and 7 council teams joined.\n\n"
    "The partnership works with the NHS and with OCC, the council of the county."
)


def test_variant_zero_is_the_text_itself():
    assert variant_text(TEXT, 0) == TEXT
    assert variant_name("a/report.txt", 0) == "a/report.txt"
    assert variant_name("report.txt", 7) == "report--v007.txt"


def test_variants_are_deterministic_and_differ_from_each_other():
    one, two = variant_text(TEXT, 1), variant_text(TEXT, 2)
    assert one == variant_text(TEXT, 1)
    assert len({TEXT, one, two}) == 3
    assert content_hash(one) != content_hash(two)


def test_names_and_numbers_change_but_words_and_layout_stay():
    out = variant_text(TEXT, 3)
    assert len(out.split()) == len(TEXT.split())
    assert out.count("\n") == TEXT.count("\n")
    for name in ("Okonkwo", "Ramaswamy", "Priya", "OCC", "42"):
        assert name not in out.split() and name + "," not in out
    # generic words (and capitalised words the text also uses in lower case) are kept
    for kept in ("The", "Partnership", "Council", "Trust", "NHS", "director", "families"):
        assert kept in out
    # one name gets one stand-in throughout a variant
    words = variant_text("Okonkwo met Okonkwo.", 5).split()
    assert words[0] == words[2][:-1] != "Okonkwo"


def test_acronyms_keep_their_shape_and_years_stay_years():
    out = variant_text("PSTA and SIBs met in 2019 and 1998.", 4).split()
    assert out[0].isupper() and len(out[0]) == 4 and out[0] != "PSTA"
    assert out[2].endswith("s") and out[2][:-1].isupper() and out[2] != "SIBs"
    years = [int(out[-3]), int(out[-1].rstrip("."))]
    assert all(1990 <= y < 2025 for y in years)


def test_make_corpus_writes_n_variants_idempotently(tmp_path):
    out = tmp_path / "corpus-3x"
    files = make_corpus(MINI, out, 3)
    sources = sorted(MINI.iterdir())
    assert len(files) == 3 * len(sources)
    assert (out / sources[0].name).read_bytes() == sources[0].read_bytes()  # variant 0 is the report
    assert len({content_hash(p.read_bytes()) for p in files}) == len(files)
    stamps = {p: p.stat().st_mtime_ns for p in files}
    (out / "stray.txt").write_text("left from a bigger corpus")
    assert make_corpus(MINI, out, 3) == files
    assert {p: p.stat().st_mtime_ns for p in files} == stamps  # unchanged files are not rewritten
    assert not (out / "stray.txt").exists()
    n, words, size = corpus_words(out)
    _, src_words, _ = corpus_words(MINI)
    assert n == len(files) and words == 3 * src_words


def test_make_corpus_names_the_folder_when_it_has_no_reports(tmp_path):
    with pytest.raises(FileNotFoundError, match="no .txt or .md reports"):
        make_corpus(tmp_path, tmp_path / "out", 2)


def test_make_report_cuts_a_deterministic_report_of_about_the_asked_size(tmp_path):
    src = tmp_path / "src"
    src.mkdir()
    (src / "long.txt").write_text("\n\n".join(f"Paragraph {i} names Zubrowski Council and {i} people."
                                              for i in range(400)))
    a = make_report(src, tmp_path / "a.txt", words=500)
    b = make_report(src, tmp_path / "b.txt", words=500)
    assert a.read_bytes() == b.read_bytes()
    words = len(a.read_text().split())
    assert 500 <= words < 520
    assert "Zubrowski" not in a.read_text() and a.read_text().endswith("people.")


def test_percentiles_interpolate():
    values = [float(v) for v in range(1, 101)]
    assert _percentile(values, 50) == pytest.approx(50.5)
    assert _percentile(values, 95) == pytest.approx(95.05)
    assert _percentile([3.0], 99) == 3.0


def test_tree_rss_counts_a_live_process_and_not_a_gone_one():
    assert tree_rss(os.getpid()) > 10 * 2**20
    assert tree_rss(2**22 + 12345) == 0


def test_run_job_measures_an_export_in_a_fresh_interpreter(tmp_path):
    store = tmp_path / "store"
    store.mkdir()
    shutil.copyfile(DATA / "graph" / "demo_graph.json", store / "graph.json")
    m = run_job("export", "--store", str(store), "--out", str(tmp_path / "out"), "--formats", "json")
    assert m.returncode == 0 and m.wall_s > 0 and m.cpu_s > 0
    assert 20 < m.peak_rss_mb < 2000
    assert m.result["graph_nodes"] == len(json.loads((store / "graph.json").read_text())["nodes"])
    written = json.loads((tmp_path / "out" / "partnerships.json").read_text())
    assert len(written["nodes"]) == m.result["view_nodes"] > 0


def test_run_job_failure_names_the_job_and_shows_its_error(tmp_path):
    with pytest.raises(RuntimeError, match=r"bench job ask .*failed"):
        run_job("ask", "--store", str(tmp_path / "none"), "--questions", str(tmp_path / "missing.json"))


def test_write_result_records_the_machine(tmp_path):
    path = write_result("demo", {"x": 1}, folder=tmp_path)
    data = json.loads(path.read_text())
    assert path.name.startswith("demo-") and data["x"] == 1
    assert data["machine"]["cores"] >= 1 and data["machine"]["ram_gb"] > 0 and data["machine"]["date"]


def test_add_warm_times_one_new_report_and_leaves_the_store_as_it_was(tmp_path):
    import argparse

    from bench.workers import job_add_warm

    corpus = tmp_path / "corpus"
    shutil.copytree(MINI, corpus)
    store, extra = tmp_path / "store", corpus / "zz-new.txt"
    result = job_add_warm(argparse.Namespace(instrument=False, corpus=str(corpus), store=str(store),
                                             extra=str(extra), report_source=str(MINI)))
    assert result["added"] == ["zz-new.txt"]
    assert result["timings"]["segments_built"] == 1 and result["timings"]["vectors_read"] > 0
    assert 0 < result["wall_in_process"]
    assert not extra.exists()
    manifest = json.loads((store / "manifest.json").read_text())
    assert sorted(manifest["files"]) == sorted(p.name for p in MINI.iterdir())
