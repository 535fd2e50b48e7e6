"""Typed relations between mentions: partnership cues, weak co-mention edges, relations of recurring names,
evidence offsets (made-up names, real spaCy)."""

from ingest.resolve import contains_surface

from .test_extract import edges, partners, run, typed_pairs


def test_partners_in_nearby_sentences_get_a_weak_edge_whose_evidence_holds_both():
    text = ("The Tallowmere Trust, a cultural charity, had been running shows since 2006. Working closely with its "
            "partners at Fenmoor Borough Council, it had been driving a new venue.")
    rec = run(text)
    by_id = {e.id: e for e in rec.entities}
    assert any({by_id[r.source].name, by_id[r.target].name} == {"Tallowmere Trust", "Fenmoor Borough Council"}
               for r in rec.relations)
    for r in rec.relations:
        for end in (by_id[r.source], by_id[r.target]):
            assert contains_surface(r.evidence, (end.name, *end.aliases))


def test_sentences_split_at_several_blank_lines_keep_their_offsets():
    rec = run("Shift to outcomes\n\n‘deciding how to use resources’\nAdapted from a handbook\n\n"
              "Dr Ysolde Marrack OBE, the chief executive of Quenby Council, spoke at the launch.")
    rels = [r for r in rec.relations if r.source == "person:ysolde-marrack" and r.target == "organisation:quenby-council"]
    assert rels and rels[0].relation in {"leads", "works_for"}
    assert rels[0].evidence.startswith("Dr Ysolde Marrack")


def test_partnership_cues_type_the_edge_between_bodies():
    rec = run("How Brackwater Health Trust and Gullcliff Studio used service design to reach more people.\n\n"
              "Key partners include: Harbourside County Council; Harbourside CCG; and Tidewater Education Trust.\n\n"
              "Saltmarsh Council works with young carers in conjunction with Pennock Foundation.")
    typed = edges(rec, "partners_with")
    pairs = {frozenset(p) for p in typed}
    assert frozenset({"organisation:brackwater-health-trust", "organisation:gullcliff-studio"}) in pairs
    assert frozenset({"organisation:harbourside-county-council", "organisation:harbourside-ccg"}) in pairs
    assert frozenset({"organisation:saltmarsh-council", "organisation:pennock-foundation"}) in pairs


def test_a_long_sentence_with_a_partnership_cue_ties_its_two_bodies():
    text = ("Brackwater Foundation Trust and their visionary chief executive, Tom Pell, who worked with us over three long "
            "and busy years to develop the largest prevention project in the whole of the country, did so in "
            "conjunction with Gullcliff Children’s Society.")
    start, end = text.index("Trust") + 5, text.index("Gullcliff")
    assert end - start > 160  # longer than the plain cue-word window
    rec = run(text)
    assert frozenset({"organisation:brackwater-foundation-trust", "organisation:gullcliff-childrens-society"}) in partners(rec)


def test_a_recurring_name_carries_the_relation_of_its_sentence():
    rec = run("Kestrel Arts England backs many venues. Storyloft raises most of its money from trading.\n\n"
              "Kestrel Arts England invested £3 million in the project and has been supporting Storyloft as a charity.")
    mentions = [m.start for m in rec.mentions if m.entity == "organisation:kestrel-arts-england"]
    assert len(mentions) == 2
    assert frozenset({"organisation:kestrel-arts-england", "organisation:storyloft"}) in typed_pairs(rec)
