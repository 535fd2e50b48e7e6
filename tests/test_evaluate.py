"""The outside check's answer matching, implemented in evaluation.answers, on hand-made cases."""

from ingest.records import Answer, Candidate, Source
from evaluation.answers import answer_matches, evidence_in, format_report, score_answer


def test_answer_matching_rules():
    assert answer_matches("Barnardo's", ["Barnardo’s"])  # curly vs straight quote
    assert answer_matches("The Upstream Collaborative", ["Upstream Collaborative"])  # leading "the"
    assert answer_matches("£10 million over a four-year period", ["£10 million"])  # contains, within +25 chars
    assert answer_matches("Mears and Pinnacle", ["Mears"])  # 18 <= 5 + 25
    assert not answer_matches("Pinnacle and Mears and several other agents", ["Mears"])  # too long
    assert not answer_matches("Barnardo", ["Barnardo’s"])
    assert not answer_matches(None, ["x"]) and not answer_matches("", ["x"])
    assert answer_matches("Dr Carolyn Wilkins, chief executive", ["Carolyn Wilkins"])  # 3x length rule


def test_evidence_uses_first_40_normalised_characters():
    evidence = "The Healthy London Partnership \nfunded and championed the initiative – an umbrella body"
    assert evidence_in(evidence, ["Intro. The Healthy London Partnership funded and championed the initiative, which"])
    assert not evidence_in(evidence, ["The Healthy London Partnership was set up in 2016."])


def _src(doc, text):
    return Source(doc=doc, title=doc, page=None, passage=text, start=0, end=len(text), score=1.0)


def test_score_answer_flags_and_report():
    item = {"id": "x1", "q": "Who leads the Lanterns Network?", "answers": ["Tobias Wren"], "doc": "b.md",
            "evidence": "It is led by Tobias Wren of Saltmarsh University."}
    ans = Answer(question=item["q"], answer="Saltmarsh University", answer_type="person",
                 candidates=(Candidate("Saltmarsh University", "organisation", 0.6), Candidate("Tobias Wren", "person", 0.4)),
                 sources=(_src("a.txt", "nothing here"), _src("c.txt", "nor here"),
                          _src("b.md", "The network. It is led by Tobias Wren of Saltmarsh University. More.")))
    flags = score_answer(ans, item)
    assert flags == {"answer@1": False, "answer@5": True, "source@3": True, "evidence@3": True}
    result = {"n": 1, "modes": {"hybrid": {"answer@1": 0.0, "answer@5": 1.0, "source@3": 1.0, "evidence@3": 1.0,
                                           "latency_ms_p50": 1.0, "latency_ms_p95": 2.0}},
              "rows": [{"id": "x1", "q": item["q"], "gold": "Tobias Wren", "doc": "b.md",
                        "hybrid": {"answer": ans.answer, "candidates": [], "sources": [], **flags}}]}
    text = format_report(result)
    assert "hybrid" in text and "x1" in text and "missed: answer@1" in text


def test_report_separates_baselines_from_ablations():
    def row(a1):
        return {"answer@1": a1, "answer@5": a1, "source@3": 1.0, "evidence@3": 0.5,
                "latency_ms_p50": 1.0, "latency_ms_p95": 2.0, "evidence_mrr": None}
    result = {"n": 2, "modes": {"hybrid": row(1.0), "bm25": row(0.5), "naive-dense": row(0.0), "naive-bm25": row(0.5)},
              "rows": [], "baselines": ["naive-dense", "naive-bm25"],
              "ahead_of_baselines": {"answer@1": "ahead", "answer@5": "ahead", "source@3": "tied", "evidence@3": "tied"}}
    text = format_report(result)
    system, baselines = text.split("baselines (")
    assert "hybrid" in system and "bm25" in system and "retrieval ablations" in system and "naive" not in system
    assert "naive-dense" in baselines and "naive-bm25" in baselines
    assert "source@3 tied" in text and "answer@1 ahead" in text
