"""The store under faults, and the engine under hostile questions.

- Crash safety: `casegraph ingest` is SIGKILLed at moments spread over its run (a crash on top of
  a crash, alternating two corpus versions), re-run, and compared with a clean ingest: the same
  stats, manifest, record files, passage ids in the keyword snapshot and in Chroma, and graph.
  (`python -m bench.crash` is the full form: 12 kill points, each re-run and checked.)
- Disk full / read-only: the store lives on a real small tmpfs; when it fills up or is remounted
  read-only, ingest stops with one clear line and the previous store still answers.
- Hostile questions: empty, 10,000 characters, punctuation, other scripts, emoji, query-language
  injection: a clear answer or a clear "no supported answer", never an exception.
"""

from __future__ import annotations

import json
import shutil
import subprocess
import time
from pathlib import Path

import pytest

from bench.crash import differences, fingerprint, kill_when, make_corpora, run_ingest
from ingest.records import Answer
from ingest.store import Store

MINI = Path(__file__).parent / "data" / "mini"


# -- crash safety ----------------------------------------------------------------------------------


def test_kill_at_points_through_the_ingest_then_rerun_matches_a_clean_ingest(tmp_path):
    a, b = make_corpora(tmp_path)
    clean = tmp_path / "clean"
    rc, _, err = run_ingest(b, clean)
    assert rc == 0, err
    want = fingerprint(clean)
    assert want["snapshot_ids"] and want["nodes"] and not differences(want, want)

    store = tmp_path / "crashed"
    kills = []
    # Alternate the corpus, so every run has work (extraction, a manifest commit, new embeddings)
    # whatever the previous killed run left. Each kill follows the file a stage just wrote: right
    # after the manifest commit (graph not rebuilt), while embedding (keyword switched, Chroma
    # not synced), and inside the Chroma write.
    for corpus, trigger, after in ((b, "manifest committed", 0.0), (a, "keyword switched", 0.2),
                                   (b, "chroma written", 0.0)):
        kills.append(kill_when(corpus, store, trigger, after))
    assert sum(k["killed"] for k in kills) >= 2, kills
    rc, _, err = run_ingest(b, store)
    assert rc == 0, err
    got = fingerprint(store)
    assert differences(got, want) == [], kills
    assert not [t for t in got["temp_files"] if t.startswith("docs/")]


def test_a_reader_that_reloads_mid_ingest_sees_the_new_corpus_afterwards(tmp_path):
    from bench.load import NEW_DOC, NEW_QUESTION
    from app import consumers
    from ingest.pipeline import ingest
    from search.engine import Engine

    a, b = make_corpora(tmp_path)
    store = Store(tmp_path / "store")
    assert ingest(a, store, consumers=consumers(), progress=False).ok
    engine = Engine(store)
    engine.state()

    def reader_reloads(s):  # a question arrives right after the manifest commit
        engine.state()
        return {}

    assert ingest(b, store, consumers=(reader_reloads, *consumers()), progress=False).ok
    assert NEW_DOC in {s.doc for s in Engine(store).ask(NEW_QUESTION).sources}  # the control: a fresh reader
    state = engine.state()
    assert state.snapshot.key == state.key and state.graph.graph.get("key") == state.key
    assert NEW_DOC in {s.doc for s in engine.ask(NEW_QUESTION).sources}


# -- disk full and read-only store (a real small filesystem) -----------------------------------------


@pytest.fixture
def small_fs(tmp_path):
    """A 64 MB tmpfs mounted at tmp_path/fs (we run as root); unmounted afterwards."""
    mount = tmp_path / "fs"
    mount.mkdir()
    proc = subprocess.run(["mount", "-t", "tmpfs", "-o", "size=64m", "tmpfs", str(mount)], capture_output=True,
                          text=True)
    if proc.returncode != 0:
        pytest.skip(f"cannot mount a tmpfs here ({proc.stderr.strip()}); the disk-full tests need root")
    try:
        yield mount
    finally:
        subprocess.run(["umount", "-l", str(mount)], capture_output=True)


def _remount(mount: Path, options: str) -> None:
    subprocess.run(["mount", "-o", f"remount,{options}", str(mount)], check=True, capture_output=True)


def _used_kb(mount: Path) -> int:
    out = subprocess.run(["df", "-k", "--output=used", str(mount)], check=True, capture_output=True, text=True)
    return int(out.stdout.split()[-1])


def _ingest_cli(corpus: Path, store: Path, capsys) -> tuple[int, str]:
    import cli

    capsys.readouterr()
    code = cli.main(["ingest", str(corpus), "--store", str(store), "--quiet"])
    captured = capsys.readouterr()
    return code, captured.err + captured.out


def _answers_from(store: Path, spans: set) -> None:
    from search.engine import Engine

    ans = Engine(Store(store)).ask("Who works in partnership with Riverside Council?")
    assert isinstance(ans, Answer) and ans.sources
    assert {(s.doc, s.start, s.end) for s in ans.sources} <= spans


def test_disk_full_gives_a_clear_error_and_keeps_the_previous_store(small_fs, tmp_path, capsys):
    from bench.load import passage_spans

    a, b = make_corpora(tmp_path)
    store = small_fs / "store"
    code, out = _ingest_cli(a, store, capsys)
    assert code == 0, out
    before = fingerprint(store)
    spans = passage_spans(store)
    # Leave a few kilobytes free: the new records do not fit.
    _remount(small_fs, f"size={_used_kb(small_fs) + 8}k")
    try:  # fill what rounding left, to the last page
        with open(small_fs / "filler", "wb") as fh:
            while True:
                fh.write(b"\0" * 4096)
                fh.flush()
    except OSError:
        pass
    code, out = _ingest_cli(b, store, capsys)
    assert code != 0, out
    lines = [line for line in out.splitlines() if line.strip()]
    assert any("space" in line.lower() and str(store) in line for line in lines), out
    assert "Traceback" not in out
    assert differences(fingerprint(store), before) == []
    _answers_from(store, spans)
    # With room again, the same ingest completes and matches a clean one.
    (small_fs / "filler").unlink(missing_ok=True)
    _remount(small_fs, "size=64m")
    code, out = _ingest_cli(b, store, capsys)
    assert code == 0, out
    clean = tmp_path / "clean"
    assert _ingest_cli(b, clean, capsys)[0] == 0
    assert differences(fingerprint(store), fingerprint(clean)) == []


def test_read_only_store_gives_a_clear_error_and_keeps_the_store(tmp_path, capsys, answers_too=False):
    """The store seen through a read-only bind mount (a remount of a folder in use is refused)."""
    a, b = make_corpora(tmp_path)
    store = tmp_path / "store"
    assert _ingest_cli(a, store, capsys)[0] == 0
    before = fingerprint(store)
    view = tmp_path / "read-only-store"
    view.mkdir()
    proc = subprocess.run(["mount", "--bind", str(store), str(view)], capture_output=True, text=True)
    if proc.returncode != 0:
        pytest.skip(f"cannot bind-mount here ({proc.stderr.strip()}); the read-only test needs root")
    try:
        subprocess.run(["mount", "-o", "remount,bind,ro", str(view)], check=True, capture_output=True)
        code, out = _ingest_cli(b, view, capsys)
        assert code != 0, out
        assert "Traceback" not in out and str(view) in out and "read-only" in out.lower(), out
        if answers_too:
            # `casegraph ask` reads the store's own vector files, so a read-only store answers...
            import cli
            from ingest.store import Store, StoreError
            from search.engine import Engine

            capsys.readouterr()
            code = cli.main(["ask", "Who leads the partnership?", "--json", "--store", str(view)])
            out, err = capsys.readouterr()
            assert code == 0 and json.loads(out)["sources"] and "Traceback" not in err, err
            # ... while Chroma, which writes to its database when it opens, gives a clear message
            with pytest.raises(StoreError, match="read-only"):
                Engine(Store(view)).ask("Who leads the partnership?")
    finally:
        subprocess.run(["umount", "-l", str(view)], capture_output=True)
    assert differences(fingerprint(store), before) == []


def test_asking_a_read_only_store_answers_or_gives_a_clear_error(tmp_path, capsys):
    test_read_only_store_gives_a_clear_error_and_keeps_the_store(tmp_path, capsys, answers_too=True)


# -- hostile questions -------------------------------------------------------------------------------


@pytest.fixture(scope="module")
def engine_store(tmp_path_factory):
    from app import consumers
    from ingest.pipeline import ingest

    root = tmp_path_factory.mktemp("hostile")
    corpus = root / "corpus"
    shutil.copytree(MINI, corpus)
    store = Store(root / "store")
    assert ingest(corpus, store, consumers=consumers(), progress=False).ok
    return store


HOSTILE_QUESTIONS = [
    "", " ", "\n\t\r", "?", "?!.,;:'\"()[]{}<>/\\|`~@#$%^&*-_=+" * 40, "x" * 10_000,
    "Who leads " + "the " * 2_500 + "network?", "🤖🏳️‍🌈🔥 who leads? 🙏", "من يقود الشبكة؟", "谁领导学习网络？",
    "Кто руководит сетью?", "कौन नेतृत्व करता है?", "\u202eWho leads\u202c \u200b\u200d\ufeff", "Who\x00leads\x07?",
    "MATCH (n) DETACH DELETE n RETURN n", "'; DROP TABLE passages; --", "Robert'); DROP TABLE Students;--",
    "{{7*7}} ${jndi:ldap://127.0.0.1/a} %s%s%n", "<script>alert(1)</script> Who leads the network?",
    "((((((((((a*)*)*)*)*)*)*)*)*)*)*$", "AND OR NOT ( * ~ ^ \" :", "who who who who who",
    "Who is chief executive of Harbour Trust?",
]


def _check_answer(ans, question: str, store: Store) -> None:
    assert isinstance(ans, Answer)
    assert ans.question == question or ans.question == question.strip()
    assert ans.answer is None or (isinstance(ans.answer, str) and ans.answer.strip())
    assert isinstance(ans.answer_type, str) and ans.answer_type
    if ans.answer is None:
        assert ans.candidates == ()  # the contract: no guess dressed as an answer
    docs = {}
    for src in ans.sources:
        if src.doc not in docs:
            entry = store.read_manifest()["files"][src.doc]
            docs[src.doc] = store.read_records(entry["record"]).document.text
        assert 0 <= src.start < src.end <= len(docs[src.doc])
        assert docs[src.doc][src.start:src.end] == src.passage
    for fact in ans.facts:
        assert fact.source is None or 0 <= fact.source < len(ans.sources)


@pytest.mark.parametrize("question", HOSTILE_QUESTIONS, ids=range(len(HOSTILE_QUESTIONS)))
def test_hostile_question_gets_an_answer_or_a_clear_no_answer(engine_store, question):
    from search.engine import Engine

    engine = Engine(engine_store)
    before = json.dumps(fingerprint(engine_store.root)["stats"])
    t = time.perf_counter()
    ans = engine.ask(question)
    took = time.perf_counter() - t
    _check_answer(ans, question, engine_store)
    assert took < 30, f"{took:.1f}s for a {len(question)}-character question"
    if not question.strip(" \n\t\r?"):
        assert ans.answer is None
    assert json.dumps(fingerprint(engine_store.root)["stats"]) == before


@pytest.mark.parametrize("question", ["\ud800 lone surrogate", "Who leads \udcff\udcfe?"])
def test_question_with_unencodable_characters(engine_store, question):
    from search.engine import Engine

    ans = Engine(engine_store).ask(question)
    assert isinstance(ans, Answer) and (ans.answer is None or ans.answer.strip())


def test_a_real_question_is_still_answered(engine_store):
    """The control: the hostile list is not passing because nothing is ever answered."""
    from search.engine import Engine

    ans = Engine(engine_store).ask("Who is chief executive of Harbour Trust?")
    assert ans.sources and ans.answer


def test_cli_batch_of_hostile_questions_prints_one_json_object_a_line(engine_store, tmp_path, capsys):
    import cli

    lines = [q for q in HOSTILE_QUESTIONS if "\n" not in q and "\r" not in q and q.strip()]
    batch = tmp_path / "questions.txt"
    batch.write_text("\n".join(lines) + "\n", "utf-8")
    capsys.readouterr()
    assert cli.main(["ask", "--json", "--batch", str(batch), "--store", str(engine_store.root)]) == 0
    out = [json.loads(line) for line in capsys.readouterr().out.splitlines() if line.strip()]
    assert len(out) == len(lines)
    for obj in out:
        assert set(obj) >= {"question", "answer", "answer_type", "candidates", "facts", "sources"}
        assert obj["answer"] is None or obj["answer"].strip()
        if obj["answer"] is None:
            assert obj["candidates"] == []
