"""The annotated training corpus format (train/corpus.py): offsets, relation anchoring, clear errors."""

import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "train"))

import corpus as C  # noqa: E402

GOOD = """# genre: council-press-release
# title: Brackenford opens Open Doors
# format: text

⟦Brackenford District Council|ORG:bdc⟧ has joined forces with ⟦Wrenfield Trust|ORG:wt⟧ to run ⟦Open Doors|PROGRAMME:od⟧ in ⟦Lowmere|PLACE:lm⟧.⟪bdc partners_with wt⟫⟪bdc runs od⟫⟪od located_in lm⟫

⟦Open Doors|PROGRAMME:od⟧ began in 2022. Since then ⟦evictions have fallen by 31%|OUTCOME:o1⟧.⟪od achieved o1⟫ Cllr ⟦Tomasz Reyes|PERSON:tr⟧, ⟦Leader|ROLE⟧ of ⟦the council|REF:bdc⟧, welcomed it.⟪tr leads bdc⟫
"""


def _write(tmp_path, body: str, genre: str = "council-press-release", name: str = "doc") -> Path:
    folder = tmp_path / genre
    folder.mkdir(exist_ok=True)
    path = folder / f"{name}.txt"
    path.write_text(body, encoding="utf-8")
    return path


def test_spans_land_on_the_clean_text(tmp_path):
    doc = C.parse(_write(tmp_path, GOOD))
    assert "⟦" not in doc.text and "⟪" not in doc.text
    assert doc.text.startswith("Brackenford District Council has joined forces with Wrenfield Trust to run Open Doors")
    for span in doc.spans:
        assert doc.text[span.start:span.end] == span.text
    assert [s.text for s in doc.spans if s.type == "REF"] == ["the council"]
    assert {s.type for s in doc.entities()} == {"ORG", "PROGRAMME", "PLACE", "OUTCOME", "PERSON", "ROLE"}


def test_relations_anchor_on_their_sentence_and_the_one_before(tmp_path):
    doc = C.parse(_write(tmp_path, GOOD))
    rels = {(r.source, r.relation, r.target): r for r in doc.relations}
    assert set(rels) == {("bdc", "partners_with", "wt"), ("bdc", "runs", "od"), ("od", "located_in", "lm"),
                         ("od", "achieved", "o1"), ("tr", "leads", "bdc")}
    achieved = rels[("od", "achieved", "o1")]
    # the result is stated in the sentence after the programme is named: the evidence covers both
    assert doc.text[achieved.sent[0]:achieved.sent[1]].startswith("Open Doors began in 2022.")
    assert doc.text[slice(*achieved.target_span)] == "evictions have fallen by 31%"
    leads = rels[("tr", "leads", "bdc")]
    assert doc.text[slice(*leads.target_span)] == "the council"  # the REF span stands for the council


def test_gold_lists_have_one_name_per_entity(tmp_path):
    gold = C.gold_entities(C.parse(_write(tmp_path, GOOD)))
    assert gold["organisations"] == ["Brackenford District Council", "Wrenfield Trust"]
    assert gold["programmes"] == ["Open Doors"]
    assert gold["places"] == ["Lowmere"]
    assert [p["name"] for p in gold["people"]] == ["Tomasz Reyes"]
    assert gold["partnerships"] == [["Brackenford District Council", "Wrenfield Trust", "partners_with"]]


@pytest.mark.parametrize("body, message", [
    ("⟦Lowmere|TOWN⟧ is nice.", "unknown type 'TOWN'"),
    ("⟦the Wrenfield Trust|ORG⟧ met.", "lower-case article"),
    ("⟦Wrenfield Trust|ORG:wt⟧ met ⟦Lowmere|PLACE:lm⟧ today.\n\nLater.⟪wt partners_with zz⟫", "no span with id 'zz'"),
    ("⟦England|PLACE⟧ is a nation.", "nation name"),
    ("⟦it|REF⟧ ran.", "needs the id"),
    ("Broken ⟦span here.", "stray or malformed"),
    ("⟦Wrenfield Trust|ORG:wt⟧ and ⟦Lowmere|PLACE:lm⟧.⟪wt befriends lm⟫", "unknown relation 'befriends'"),
])
def test_bad_markup_names_the_file_and_the_problem(tmp_path, body, message):
    path = _write(tmp_path, "# genre: council-press-release\n\n" + body)
    with pytest.raises(C.CorpusError) as err:
        C.parse(path)
    assert str(path) in str(err.value) and message in str(err.value)


def test_split_is_fixed_by_genre_and_name():
    assert C.split_of(C.HELD_OUT_GENRES[0], "anything") == "heldout"
    splits = [C.split_of("council-press-release", f"doc-{i}") for i in range(400)]
    assert splits == [C.split_of("council-press-release", f"doc-{i}") for i in range(400)]
    assert 0.12 < splits.count("heldout") / len(splits) < 0.28


def test_a_document_under_train_fresh_is_in_the_fresh_split_whatever_its_genre(tmp_path, monkeypatch):
    monkeypatch.setattr(C, "FRESH", tmp_path / "fresh")
    (tmp_path / "fresh").mkdir()
    path = _write(tmp_path / "fresh", GOOD.replace("council-press-release", "lga-case-study"), genre="lga-case-study")
    doc = C.parse(path)
    assert (doc.split, doc.id) == ("fresh", "fresh/lga-case-study/doc")
    assert C.parse(_write(tmp_path, GOOD)).split in ("train", "heldout")  # outside it: genre and hash as before


def test_the_committed_corpus_is_valid_and_built():
    docs, errors = C.load()
    assert errors == []
    assert len(docs) >= 200
    assert len({d.genre for d in docs}) >= 12
    heldout = [d for d in docs if d.split == "heldout"]
    assert len(heldout) >= 0.2 * len(docs)
    assert {g for g in C.HELD_OUT_GENRES} <= {d.genre for d in heldout}
    built = {d.id: d for d in C.read_jsonl()}
    assert set(built) == {d.id for d in docs}, "train/corpus.jsonl is stale: run `python train/corpus.py build`"
