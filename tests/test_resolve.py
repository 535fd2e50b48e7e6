"""Resolution within and across documents, on tiny texts through the real spaCy pipeline."""

import random

from ingest.extract import extract
from ingest.nlp import load_nlp
from ingest.records import Document, content_hash
from ingest.resolve import resolve_corpus
from ingest.text import name_key


def run(text: str, name: str):
    doc = Document(doc=name, text=text, title=name, format="txt", sha256=content_hash(text))
    return extract(doc, load_nlp()(text))


def test_name_key_ignores_spacing_case_possessives_plurals_and_legal_form():
    assert name_key("Holts and Lees") == name_key("Holt and\nLees")
    assert name_key("The Wigan Deal") == name_key("Wigan  Deal")
    assert name_key("Barnardo’s") == name_key("Barnardo's") == name_key("Barnardo")
    assert name_key("Stone King LLP") == name_key("Stone King")
    assert name_key("Oxford University Hospitals NHS Foundation Trust") == name_key("Oxford University Hospitals")
    assert name_key("Wigan Council") != name_key("Wigan")


A = ("Oxford University Hospitals (OUH) worked in partnership with Oxford City Council on a pilot. "
     "OUH staff joined the Council's weekly co-working day.")
B = ("Oxford University Hospitals NHS Foundation Trust\nhosted the event. Dr Jane Smith, Chief Executive of "
     "Oxford City Council, opened it.")


def test_within_document_acronym_and_council_reference():
    rec = run(A, "a.txt")
    ouh = [e for e in rec.entities if e.name == "Oxford University Hospitals"]
    assert len(ouh) == 1 and "OUH" in ouh[0].aliases
    assert not any(e.name == "OUH" for e in rec.entities)
    council = next(e for e in rec.entities if e.name == "Oxford City Council")
    assert any(a.lower() == "the council" for a in council.aliases)


def test_corpus_merge_is_deterministic_and_rewrites_relations():
    recs = [run(A, "a.txt"), run(B, "b.txt")]
    entities, relations = resolve_corpus(recs)
    hospitals = [e for e in entities if name_key(e.name) == name_key("Oxford University Hospitals")]
    assert len(hospitals) == 1
    assert hospitals[0].docs == ("a.txt", "b.txt")
    assert {"OUH", "Oxford University Hospitals"} <= {hospitals[0].name, *hospitals[0].aliases}
    council = [e for e in entities if e.name == "Oxford City Council"]
    assert len(council) == 1 and council[0].docs == ("a.txt", "b.txt")
    ids = {e.id for e in entities}
    assert relations and all(r.source in ids and r.target in ids for r in relations)
    assert any(r.relation == "partners_with" and {r.source, r.target} == {hospitals[0].id, council[0].id} for r in relations)
    shuffled = recs[::-1]
    random.Random(1).shuffle(shuffled)
    assert resolve_corpus(shuffled) == (entities, relations)
    assert len(set(relations)) == len(relations)
