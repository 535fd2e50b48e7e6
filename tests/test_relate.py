"""The relation classifier's candidates, features and scoring (ingest/relate.py), on made-up sentences."""

from ingest.nlp import load_nlp
from ingest.relate import Pair, RelationModel, candidate_pairs, decode, label_of, load_relation_model, pair_features

TEXT = ("Kestrel Homes was commissioned by Brackenford District Council to run Open Doors. "
        "Evictions fell by 31%.")


def _at(name: str, type_: str) -> tuple[int, int, str]:
    return TEXT.index(name), TEXT.index(name) + len(name), type_


ORG1 = _at("Kestrel Homes", "organisation")
ORG2 = _at("Brackenford District Council", "organisation")
PROG = _at("Open Doors", "programme")
OUT = _at("Evictions fell by 31%", "outcome")
UNITS = [(0, TEXT.index("Evictions") - 1), (TEXT.index("Evictions"), len(TEXT))]


def test_candidates_pair_mentions_of_a_sentence_and_an_outcome_in_the_next():
    pairs = candidate_pairs([ORG1, ORG2, PROG, OUT], UNITS)
    got = {(p.a, p.b, p.cross) for p in pairs}
    assert (ORG1, ORG2, False) in got and (ORG2, PROG, False) in got and (ORG1, PROG, False) in got
    assert (PROG, OUT, True) in got  # the result stated in its own sentence after the programme
    assert all(p.a[0] < p.b[0] for p in pairs)


def test_features_read_the_words_between_and_the_dependency_path():
    sdoc = load_nlp()(TEXT)
    pair = Pair(ORG1, ORG2, UNITS[0])
    f = pair_features(TEXT, pair, [ORG1, ORG2, PROG], sdoc)
    assert f["types=organisation>organisation"] == 1.0
    assert f["bw=commissioned"] == 1.0 and f["bb=commissioned_by"] == 1.0
    assert any(k.startswith("path=") for k in f)
    # another mention between the two ends is masked, so its words are never read as cues
    f2 = pair_features(TEXT, Pair(ORG1, PROG, UNITS[0]), [ORG1, ORG2, PROG], sdoc)
    assert "bw=brackenford" not in f2 and "bw=eorg" in f2


def test_direction_is_folded_into_the_label_and_decoded_back():
    pair = Pair(ORG1, ORG2, UNITS[0])
    assert label_of("commissions", ORG2, ORG1, pair) == "commissions<"
    assert decode("commissions<", pair) == ("commissions", ORG2, ORG1)
    assert label_of("partners_with", ORG2, ORG1, pair) == "partners_with"
    assert decode("none", pair) is None
    assert decode("works_for", pair) is None  # a body cannot work for a body


def test_model_scores_with_its_json_weights():
    model = RelationModel({"classes": ["commissions<", "none"], "intercept": [0.0, 0.5],
                           "weights": {"bb=commissioned_by": [[0, 3.0]]}})
    assert model.predict({"bb=commissioned_by": 1.0})[0] == "commissions<"
    assert model.predict({"bw=met": 1.0})[0] == "none"
    probs = model.probabilities({"bb=commissioned_by": 1.0})
    assert abs(sum(probs) - 1.0) < 1e-9


def test_the_committed_model_reads_a_passive_commission():
    model = load_relation_model()
    assert model is not None, "ingest/models/relations.json is missing: run `make train`"
    sdoc = load_nlp()(TEXT)
    pair = Pair(ORG1, ORG2, UNITS[0])
    label, _ = model.predict(pair_features(TEXT, pair, [ORG1, ORG2, PROG], sdoc))
    assert decode(label, pair) == ("commissions", ORG2, ORG1)
