"""The segmented keyword index scores exactly as the reference BM25 (bm25s, lucene variant)."""

import bm25s  # dev extra: the reference implementation
import numpy as np
import pytest

from search.keyword import KeywordIndex, build_postings, postings_bytes, read_postings, tokenize

TEXTS = [
    "Riverside Council set up the Family Hubs Partnership with Northgate NHS Trust in 2019.",
    "The partnership invested £2.5 million in early help; 4,000 families used the hubs.",
    "",
    "Councils' peer learning groups met monthly. The group was led by Tobias Wren.",
    "Tobias Wren, Director of Children's Services, Riverside Council, chaired the board.",
    "Hubs hubs hubs: repeated words count more, up to the BM25 saturation.",
]
QUERIES = ["Who leads the peer learning group?", "How much did the partnership invest?",
           "Riverside council hubs", "hubs hubs", "nothing matches zebra", "Tobias Wren director"]


def _reference(texts, query):
    ret = bm25s.BM25()
    ret.index([tokenize(t) or [""] for t in texts], show_progress=False)
    tokens = [t for t in tokenize(query) if t in ret.vocab_dict]
    return np.asarray(ret.get_scores(tokens), dtype="float32") if tokens else np.zeros(len(texts), "float32")


@pytest.mark.parametrize("query", QUERIES)
def test_scores_match_reference_bm25(query):
    ours = KeywordIndex.build(TEXTS).scores(query)
    np.testing.assert_allclose(ours, _reference(TEXTS, query), rtol=1e-5, atol=1e-6)


def test_segments_combine_to_the_index_of_all_passages(tmp_path):
    # One segment per document, written and read back, scores as one index built over everything.
    paths = []
    for i, part in enumerate((TEXTS[:2], TEXTS[2:5], TEXTS[5:])):
        path = tmp_path / f"seg{i}.npz"
        path.write_bytes(postings_bytes(build_postings(part)))
        paths.append(path)
    combined = KeywordIndex.from_segments([read_postings(p) for p in paths])
    assert combined.size == len(TEXTS)
    for query in QUERIES:
        np.testing.assert_allclose(combined.scores(query), KeywordIndex.build(TEXTS).scores(query), rtol=1e-6)
    assert combined.scores("Tobias Wren").argmax() in (3, 4)


def test_empty_index_and_empty_query():
    assert KeywordIndex.from_segments([]).scores("anything").shape == (0,)
    assert not KeywordIndex.build(TEXTS).scores("the of and").any()
