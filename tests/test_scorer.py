"""The learned answer scorer: weights over named features, the isotonic confidence map, withholding,
and the calibration figures `casegraph eval` prints."""

import json

import pytest

from evaluation.answers import calibration
from search.scorer import MODEL_PATH, Scorer, features, question_features

SPEC = {"weights": {"cov": 2.0, "rank_inv": 1.0}, "mean": {"cov": 0.5}, "scale": {"cov": 0.25},
        "intercept": -1.0, "isotonic": {"x": [0.1, 0.5, 0.9], "y": [0.0, 0.4, 0.8]}, "threshold": 0.3}


def test_probability_is_the_logistic_of_the_standardised_dot_product():
    s = Scorer(SPEC)
    # z = -1 + 2 * (0.75 - 0.5) / 0.25 + 1 * 1.0 = 2
    assert s.probability({"cov": 0.75, "rank_inv": 1.0}) == pytest.approx(1 / (1 + 2.718281828 ** -2), rel=1e-6)
    assert s.probability({}) < s.probability({"cov": 1.0})  # a missing feature is 0


def test_confidence_is_the_piecewise_linear_isotonic_map_clipped_at_the_ends():
    s = Scorer(SPEC)
    assert s.confidence(0.05) == 0.0 and s.confidence(0.95) == 0.8
    assert s.confidence(0.5) == pytest.approx(0.4)
    assert s.confidence(0.7) == pytest.approx(0.6)
    assert Scorer(dict(SPEC, isotonic=None)).confidence(0.37) == 0.37


class _Cand:
    def __init__(self, name, type_, instances, feats, graph=(), entity=None):
        self.name, self.type, self.instances, self.feats, self.graph, self.entity = name, type_, instances, feats, list(graph), entity
        self.score = 0.5  # the hand formula's score, set before features are read


class _Q:
    kind, role = "who", None


def test_features_name_the_components_of_the_best_occurrence():
    c = _Cand("Tobias Wren", "person", [(0.2, 3, 0, 5, 0, 9, 0.4), (0.5, 0, 0, 5, 0, 9, 0.7)],
              [{"kind": "name", "rank": 3, "cov": 0.4, "typed": 0.6}, {"kind": "label", "rank": 0, "cov": 0.7, "label_role": 1.8}],
              graph=[(1.0, 1.6)])
    x = features(c, _Q())
    assert x["bias_kind:label"] == 1.0 and x["cov"] == 0.7 and x["rank_inv"] == 1.0
    assert x["max_cov"] == 0.7 and x["graph_fit"] == pytest.approx(1.6) and x["untyped"] == 0.0
    assert x["q:who&kind:label"] == 1.0
    other = features(_Cand("Saltmarsh University", "organisation", [(0.1, 2, 0, 5, 0, 9, 0.5)],
                           [{"kind": "mention", "rank": 2, "cov": 0.5}]), _Q())
    xs = [x, other]
    question_features(xs)
    assert x["gap:cov"] == 0.0 and other["gap:cov"] == pytest.approx(-0.2)


def _row(conf, right, answered=True):
    return {"type": "who", "hybrid": {"confidence": conf, "raw_right": right, "had_answer": answered}}


def test_calibration_reliability_ece_and_coverage():
    rows = [_row(0.95, True)] * 9 + [_row(0.95, False)] + [_row(0.25, False)] * 3 + [_row(0.25, True)] \
        + [_row(0.0, False, answered=False)] * 2
    cal = calibration(rows, "hybrid", threshold=0.5)
    assert cal["n"] == 14
    top = cal["reliability"][9]
    assert top["n"] == 10 and top["accuracy"] == pytest.approx(0.9)
    # |0.95 - 0.9| * 10/14 + |0.25 - 0.25| * 4/14
    assert cal["ece"] == pytest.approx(0.05 * 10 / 14)
    at = cal["at_threshold"]
    assert at["coverage"] == pytest.approx(10 / 16) and at["accuracy"] == pytest.approx(0.9)


@pytest.mark.skipif(not MODEL_PATH.exists(), reason="no trained scorer installed (make train)")
def test_the_installed_model_is_plain_json_with_a_monotone_calibration():
    spec = json.loads(MODEL_PATH.read_text("utf-8"))
    assert set(spec["weights"]) == set(spec["features"]) and spec["rank"] in ("hand", "learned")
    for rank in ("hand", "learned"):  # each ranking carries its own calibration
        cal = spec["calibration"][rank]
        ys = cal["isotonic"]["y"]
        assert ys == sorted(ys) and 0.0 <= ys[0] and ys[-1] <= 1.0
        assert 0.0 <= cal["threshold"] <= 1.0


def test_the_environment_picks_the_ranking_and_the_threshold(monkeypatch, tmp_path):
    from search.scorer import load_scorer

    path = tmp_path / "m.json"
    path.write_text(json.dumps(dict(SPEC, rank="hand", calibration={"hand": {"threshold": 0.7}, "learned": {"threshold": 0.6}})))
    monkeypatch.setenv("CASEGRAPH_SCORER", str(path))
    monkeypatch.delenv("CASEGRAPH_MIN_CONFIDENCE")
    s = load_scorer()
    assert (s.rank, s.threshold) == ("hand", 0.7)
    monkeypatch.setenv("CASEGRAPH_RANK", "learned")
    assert (load_scorer().rank, load_scorer().threshold) == ("learned", 0.6)
    monkeypatch.setenv("CASEGRAPH_MIN_CONFIDENCE", "0.25")
    assert load_scorer().threshold == 0.25
    monkeypatch.setenv("CASEGRAPH_SCORER", "off")
    assert load_scorer() is None
    monkeypatch.delenv("CASEGRAPH_SCORER")
    assert load_scorer() is None  # opt-in until the confidence holds on real reports
    monkeypatch.setenv("CASEGRAPH_SCORER", "on")
    assert load_scorer() is not None


def test_a_confidence_under_the_threshold_withholds_the_answer_but_keeps_candidates_and_sources(qa_engine):
    from search.answer import answer

    state, vectors = qa_engine.state(), qa_engine.vectors
    question = "Who leads the Lanterns Network?"
    # A scorer that always answers, and the same one that never trusts itself enough.
    sure = Scorer(dict(SPEC, isotonic={"x": [0.0, 1.0], "y": [0.99, 0.99]}, threshold=0.5))
    unsure = Scorer(dict(SPEC, isotonic={"x": [0.0, 1.0], "y": [0.1, 0.1]}, threshold=0.5))
    given = answer(question, state, vectors, scorer=sure)
    withheld = answer(question, state, vectors, scorer=unsure)
    assert given.answer is not None and given.confidence == pytest.approx(0.99)
    assert withheld.answer is None and withheld.confidence == pytest.approx(0.1)
    assert withheld.candidates == given.candidates and withheld.sources == given.sources
    hand = answer(question, state, vectors, scorer=None)
    assert hand.confidence is None


def test_the_threshold_is_the_lowest_confidence_that_keeps_answers_right_often_enough():
    from train.answers import choose_threshold

    conf = [0.2] * 10 + [0.6] * 10 + [0.95] * 100
    right = [0] * 8 + [1] * 2 + [1] * 7 + [0] * 3 + [1] * 97 + [0] * 3
    assert choose_threshold(conf, right) == 0.6  # 104/110 kept right, lower bound above 0.9
    # No level is sure enough by the bound: the plain share decides; nor by the share: the surest level.
    assert choose_threshold([0.5] * 10 + [0.9] * 10, [0] * 10 + [1] * 9 + [0]) == 0.9
    assert choose_threshold([0.5, 0.8], [0, 0]) == 0.8
