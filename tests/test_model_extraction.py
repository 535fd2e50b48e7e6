"""The trained recogniser and relation classifier inside extraction (ingest/nlp.py, ingest/extract.py), on a made-up report."""

import pytest

from ingest.extract import extract
from ingest.nlp import MODEL_SPAN_KEY, load_ingest_nlp, load_nlp, trained_ner_dir
from ingest.records import Document

TEXT = ("Kestrel Housing Association was commissioned by Brackenford District Council to deliver Open Doors, a tenancy "
        "support service for families in Lowmere.\n\n"
        "Priya Okafor, chief executive of Kestrel Housing Association, said the service had changed how the two bodies work.\n")


def _doc(text: str = TEXT) -> Document:
    return Document(doc="made-up.txt", text=text, title="t", format="text", sha256="0" * 64)


@pytest.fixture(autouse=True)
def _combined(monkeypatch):
    monkeypatch.setenv("CASEGRAPH_EXTRACT", "combined")


def test_a_trained_recogniser_is_installed_and_joins_the_ingest_pipeline():
    assert trained_ner_dir() is not None, "ingest/models/ner-*/ is missing: run `make train`"
    nlp = load_ingest_nlp()
    assert "casegraph_ner" in nlp.pipe_names
    sdoc = nlp(TEXT)
    labels = {(sp.text, sp.label_) for sp in sdoc.spans[MODEL_SPAN_KEY]}
    assert ("Priya Okafor", "PERSON") in labels
    # the base model's entities stay in doc.ents for the rules
    assert any(e.text == "Priya Okafor" for e in sdoc.ents)


def test_combined_extraction_finds_the_commission_stated_in_the_passive():
    rec = extract(_doc(), load_ingest_nlp()(TEXT))
    names = {e.id: e.name for e in rec.entities}
    edges = {(names.get(r.source), r.relation, names.get(r.target)) for r in rec.relations}
    assert ("Brackenford District Council", "commissions", "Kestrel Housing Association") in edges
    for r in rec.relations:  # every edge's evidence holds both ends
        assert names[r.source].split()[0] in r.evidence and names[r.target].split()[0] in r.evidence


def test_rules_mode_reads_spacy_small_alone(monkeypatch):
    monkeypatch.setenv("CASEGRAPH_EXTRACT", "rules")
    sdoc = load_nlp()(TEXT)
    assert MODEL_SPAN_KEY not in sdoc.spans
    rec = extract(_doc(), sdoc)
    assert {"Kestrel Housing Association", "Brackenford District Council"} <= {e.name for e in rec.entities}
