"""Mentions, entities and typed relations of one document, from spaCy's parse plus rules.

spaCy small's NER alone mislabels these reports (towns as people, common nouns as
organisations, names split at line breaks, programmes missed), so candidates come from three
sources, strongest first: name shapes with a typed head word ("X Council", "Department for X",
"X Programme"), label patterns ("Group LeadJames Ronicle", "Dr X"), and filtered spaCy entities.
Mentions are then resolved within the document (see `ingest.resolve`) and relations are typed
from cue words between two mentions of one sentence.
"""

from __future__ import annotations

import functools
import re
from dataclasses import dataclass, field

from . import patterns as P
from .nlp import MODEL_SPAN_KEY, extract_mode
from .outcomes import outcome_mentions as _outcomes
from .outcomes import outcome_records
from .records import DocRecords, Document, Entity, Mention, Relation
from .trace import Tracer
from .gazetteer import is_place_name
from .resolve import Cluster, build_entities, contains_surface, resolve_mentions
from .text import name_key as name_key_of

__all__ = ["extract", "check_evidence", "RULES_VERSION"]

# Bump when a rule changes what extract() returns: stores re-extract every file on the next ingest.
RULES_VERSION = "2.20"

_WS = re.compile(r"\s+")
_ACRONYM = re.compile(r"^[A-Z][A-Za-z0-9&]{1,9}$")
_PERSON_TOKEN = re.compile(r"^(?:[A-Z][a-z]+(?:[-'’][A-Z]?[a-z]+)*|Mc[A-Z][a-z]+|Mac[A-Z][a-z]+|O['’][A-Z][a-z]+|[A-Z]\.)$")
_GLUED_LABEL = re.compile(
    r"\b(?P<role>(?:[A-Z][a-z]+[ \t]+)?(?:[Ll]ead|Leader|Director|Chair|Manager|Authors?|Contact|Editor|Coordinator|"
    r"[Oo]fficer|[Oo]wner))"  # 'Group LeadJames Roe', 'Report ownerJo Bell', 'AuthorsDr Ann Lee'
    r"(?::[ \t]*|(?=[A-Z][a-z])|(?=(?:Dr|Prof|Professor|Cllr)\.?[ \t]+[A-Z]))"
    r"(?:(?:Dr|Prof|Professor|Cllr)\.?[ \t]+)?(?P<name>[A-Z][a-z]+(?:[-'’][A-Z][a-z]+)?[ \t]+(?:Mc|Mac|O')?[A-Z][a-z]+(?:-[A-Z][a-z]+)?)\b"
)
# "(OUH)", "(GS360)", and a company's own lower-case-led form "(i4B)"
_ACRONYM_DEF = re.compile(r"[ \t]*\((?P<acr>[A-Z][A-Za-z0-9&]{1,9}|[a-z](?=[a-z]{0,3}\d)[a-z0-9]*[A-Z][A-Za-z0-9]*)\)")
_COUNCIL_REF = re.compile(r"\b[Tt]he\s+(?:(?P<q>City|County|Borough|District)\s+)?Council\b(?!\s+(?:of|for)\b)")
_PAREN_ACR = re.compile(r"\(([A-Z][A-Za-z0-9&]{1,9})\)")
_QUOTED = re.compile(r"[‘“\"']([A-Z][^‘’“”\"\n]{2,60}?)[’”\"']")
_PASSIVE = re.compile(r"\b(?:by|from)\s*$", re.I)
_STRONG_PARTNER = re.compile(r"\b(in partnership with|partnership between|partnership with|collaboration between|"
                             r"collaboration with|jointly|joint (?:report|venture|team|work)|partnered with|partnering with|"
                             r"working with|work with|worked with|works with|together with|alongside|in conjunction with|"
                             r"partners? (?:include|includes|including|are|were|such as)|partners\s*:|on behalf of|"
                             r"supported by|with the support of|came together|co-(?:commission|fund|design|produc|deliver)\w*)\b", re.I)
# Two bodies joined by "and" ...
_AND = re.compile(r"^\s*(?:and|&)\s*(?:the\s+)?$", re.I)
# ... that act together as the subject of a verb ("X and Y used service design", "X and Y have jointly funded").
_JOINT_VERB = re.compile(
    r"^\s*(?:[’']s?\s*)?(?:(?:have|has|had|are|were|will|would|jointly|together|also|both|then|each|to|successfully)\s+)*"
    r"(?:co-?)?(?:commission|fund|deliver|set up|establish|launch|develop|design|use[ds]?\b|creat|run\b|ran\b|work|partner|"
    r"agree|sign|form|led\b|lead|build|built|share|invest|join|collaborat|came together|come together|produc|host|pilot|test)",
    re.I)
_HEADING_DASH = re.compile(r"^[ \t]*[–—:][ \t]")
_START_TRIM = {"the", "a", "an", "our", "this", "these", "that", "its", "their", "his", "her", "in", "at", "for",
               "by", "with", "and", "but", "both", "each", "as", "if", "when", "while", "from", "to", "of", "on",
               "new", "former", "all", "every", "some", "many", "other", "via", "through", "under", "after",
               "before", "during", "since", "also", "then", "now", "where", "why", "how", "what", "who",
               "which", "we", "you", "they", "he", "she", "it", "i", "my", "your", "complete", "ongoing",
               "deliver", "develop", "establish", "launch", "secure", "engage", "use", "expand", "support",
               "ensure", "review", "progress", "create", "continue", "link", "focus", "embed", "implement",
               "read", "join", "contact", "about", "see", "visit", "according", "meanwhile", "however",
               "there", "here", "so", "like", "including", "between", "among", "across", "following"}


@dataclass
class _Cand:
    start: int
    end: int
    type: str
    prio: int
    sector: str | None = None
    role: str | None = None
    nested: bool = False  # a place inside a larger name; may overlap top-level mentions
    alias_start: int | None = None  # surface incl. titles ("Sir Alan Pryce")
    alias_end: int | None = None
    extra: dict = field(default_factory=dict)
    stage: str = ""  # the stage that proposed it, for the trace
    score: float | None = None  # the model's probability, where it gives one


def _staged(stage: str, cands: list[_Cand]) -> list[_Cand]:
    """`cands` marked as proposed by `stage` (for the trace; what is extracted does not change)."""
    for c in cands:
        c.stage = c.stage or stage
    return cands


def extract(document: Document, sdoc) -> DocRecords:
    """Mentions, within-document entities and typed relations of one document (passages left empty)."""
    text = document.text
    sents = _sentences(sdoc, text)
    mode = extract_mode() if MODEL_SPAN_KEY in sdoc.spans else "rules"
    trace = Tracer(document.doc, text)
    if mode == "model":
        cands = _staged("model", _model_ents(sdoc, text))
        trace.proposed(cands)
        lost: list = []
        chosen = _select(cands, lost)
        trace.lost("select", lost)
    else:
        chosen = _rule_candidates(sdoc, text, sents, with_model=mode == "combined", trace=trace)
    chosen.sort(key=lambda c: (c.start, c.end))
    return _records(document, sdoc, text, sents, chosen, mode, trace)


def _rule_candidates(sdoc, text: str, sents, with_model: bool, trace: Tracer | None = None) -> list[_Cand]:
    """The rule stages over spaCy's parse (and the trained recogniser's entities when `with_model`), each
    named in `trace`: the proposing stages, then the filters, the selection and the passes."""
    trace = trace or Tracer("", text)
    lowered = _lower_words(text)
    person_tokens = _good_person_tokens(sdoc, lowered)
    cands: list[_Cand] = []
    if with_model:
        cands += _staged("model", _model_candidates(sdoc, text))
    cands += _staged("glued_labels", _glued_labels(text))
    cands += _staged("role_appositions", _role_appositions(text))
    cands += _staged("employers", _employers(text))
    cands += _staged("mayoralties", _mayoralties(text))
    cands += _staged("name_chunks", _name_chunks(sdoc, person_tokens, lowered))
    cands += _staged("spacy_ents", [c for c in _spacy_ents(sdoc, text) if not _layout_word(text, c, lowered)])
    cands += _staged("quoted_programmes", _quoted_programmes(text))
    cands += _staged("cued_programmes", _cued_programmes(sdoc, text))
    cands += _staged("joined_places", _joined_places(sdoc, text))
    cands += _staged("email_names", _email_names(text))
    cands += _staged("inner_acronym_names", _inner_acronym_names(text))
    trace.proposed(cands)
    cands = trace.stage(_department_lists, lambda cs: _department_lists(text, cs), cands)
    cands = trace.stage(_owner_initiatives, lambda cs: _owner_initiatives(text, cs), cands)
    cands = trace.stage(_named_thing, lambda cs: [c for c in cs if c.type != "organisation"
                                                  or not _named_thing(text[c.start:c.end], lowered)], cands)
    lost: list = []
    chosen = _select(cands, lost)
    trace.lost("select", lost)
    for fn in (_staffed_places, _back_references, _possessive_names, _ambiguous_heads, _unheaded_programmes,
               _named_people):
        chosen = trace.stage(fn, lambda cs, fn=fn: fn(text, cs), chosen)
    # the passes that add names, in order; each sees the names chosen before it
    for fn in (_initialisms, _repeat_mentions, _list_members, _paired_acronyms, _kind_appositions,
               _lower_case_initiatives, _nested_places, _council_places):
        if fn is _list_members:
            chosen = trace.stage(fn, lambda cs: cs + _list_members(text, cs, sents), chosen)
        elif fn is _lower_case_initiatives:
            chosen = trace.stage(fn, lambda cs: cs + _lower_case_initiatives(sdoc, text, cs), chosen)
        else:
            chosen = trace.stage(fn, lambda cs, fn=fn: cs + fn(text, cs), chosen)
    return chosen


def _records(document: Document, sdoc, text: str, sents, chosen: list[_Cand], mode: str,
             trace: Tracer | None = None) -> DocRecords:
    """Resolve the chosen mentions into entities, add outcomes and relations, and build the records."""
    trace = trace or Tracer(document.doc, text)
    units = _evidence_units(sents, chosen, len(text))
    merges: list = []
    clusters = resolve_mentions(text, chosen_to_raw(text, chosen), _acronym_definitions(text, chosen), log=merges)
    council = _dominant_council(clusters, document)
    mentions: list[Mention] = []
    mention_info: list[tuple[_Cand, Cluster]] = []
    for cand, cl in zip(chosen, clusters.assignment):
        if cl is None:
            continue
        mention_info.append((cand, cl))
    refs = _council_refs(text, chosen, clusters.assignment, council)
    for s_, e_, cl_ in refs:
        cl_.aliases.add(_WS.sub(" ", text[s_:e_]))
    entities, ent_of = build_entities(clusters.clusters, document.doc)
    for cand, cl in mention_info:
        us, ue = _unit_of(units, cand.start)
        mentions.append(Mention(doc=document.doc, start=cand.start, end=cand.end, text=text[cand.start:cand.end],
                                type=ent_of[id(cl)].type, entity=ent_of[id(cl)].id, sent_start=us, sent_end=ue,
                                page=document.page_at(cand.start), sector=ent_of[id(cl)].sector, role=cand.role))
    if refs:
        for s, e, cl_ in refs:
            us, ue = _unit_of(units, s)
            ent = ent_of[id(cl_)]
            mentions.append(Mention(doc=document.doc, start=s, end=e, text=text[s:e], type=ent.type, entity=ent.id,
                                    sent_start=us, sent_end=ue, page=document.page_at(s), sector=ent.sector))
    outcome_ents, outcome_mentions = _outcomes(document, sdoc, units)
    entities = list(entities) + outcome_ents
    mentions += outcome_mentions
    mentions.sort(key=lambda m: (m.start, m.end, m.entity))
    by_id = {e.id: e for e in entities}
    why: dict[tuple, tuple[str, str]] = {}
    relations = _relations(document, mentions, units, by_id, why)
    probs: dict[tuple, float] = {}
    if mode != "rules":
        relations = _with_classified(relations, _classified_relations(document, sdoc, mentions, units, probs), mode)
    checked = check_evidence(relations, by_id)
    used_outcomes = {r.target for r in checked if r.relation == "achieved"}
    entities = [e for e in entities if e.type != "outcome" or e.id in used_outcomes]
    keep = {e.id for e in entities}
    _trace_resolution(trace, text, chosen, clusters, merges, ent_of, refs, outcome_mentions, used_outcomes, entities,
                      mentions)
    _trace_relations(trace, relations, checked, by_id, why, probs)
    relations = checked
    mentions = [m for m in mentions if m.entity in keep]
    events = trace.events(units, {(m.start, m.end): m.entity for m in mentions})
    return DocRecords(document=document, mentions=tuple(mentions), relations=tuple(relations),
                      entities=tuple(sorted(entities, key=lambda e: e.id)),
                      outcomes=outcome_records(document, mentions, relations), trace=events)


def _trace_resolution(trace: Tracer, text: str, chosen: list[_Cand], clusters, merges: list, ent_of: dict, refs,
                      outcome_mentions: list[Mention], used_outcomes: set, entities: list[Entity],
                      mentions: list[Mention]) -> None:
    """The trace of resolution: each name one of its steps merged into another, the council references,
    the outcomes kept or dropped, and one `kept` event per entity of the document."""
    for stage, name, type_, k, detail in merges:
        final = clusters.assignment[k]
        ent = ent_of.get(id(final)) if final is not None else None
        c = chosen[k]
        trace.add(stage, "merged", c.start, c.end, type_, name=name, entity=ent.id if ent else "",
                  detail=f"'{name}' merged into '{ent.name if ent else '?'}': {detail}")
    for s, e, cl in refs:
        ent = ent_of[id(cl)]
        trace.add("council_refs", "merged", s, e, ent.type, entity=ent.id,
                  detail=f"names the document's own council, '{ent.name}'")
    for m in outcome_mentions:
        trace.add("outcomes", "proposed", m.start, m.end, "outcome", entity=m.entity)
        if m.entity not in used_outcomes:
            trace.add("outcomes", "dropped", m.start, m.end, "outcome",
                      detail="no relation says a body or programme achieved it")
    first: dict[str, Mention] = {}
    for m in mentions:
        first.setdefault(m.entity, m)
    for ent in entities:
        m = first.get(ent.id)
        if m is None:
            continue
        aliases = f"; aliases: {', '.join(ent.aliases[:8])}" if ent.aliases else ""
        trace.add("resolution", "kept", m.start, m.end, ent.type, name=ent.name, entity=ent.id,
                  detail=f"{ent.mentions} mention{'s' if ent.mentions != 1 else ''}{aliases}")


def _trace_relations(trace: Tracer, relations: list[Relation], checked: list[Relation], by_id: dict, why: dict,
                     probs: dict) -> None:
    """One `related` event per relation kept (its rule and cue, or the classifier's probability), one
    `dropped` per relation whose evidence sentence lacks a name of either end."""
    kept = {id(r) for r in checked}
    for r in relations:
        key = (r.source, r.target, r.relation, r.start)
        src, tgt = by_id.get(r.source), by_id.get(r.target)
        name = f"{src.name if src else r.source} -> {tgt.name if tgt else r.target}"
        if key in why:
            stage, detail = why[key]
            score = probs.get(key)
            if score is not None:
                detail += f"; the classifier agrees (p={score:.2f})"
        else:
            stage, score, detail = "classifier", probs.get(key), "the trained relation classifier"
        if id(r) in kept:
            trace.add(stage, "related", r.start, r.end, r.relation, score=score, detail=detail, name=name,
                      entity=r.source, target=r.target)
        else:
            trace.add("check_evidence", "dropped", r.start, r.end, r.relation, score=score, name=name,
                      entity=r.source, target=r.target,
                      detail=f"proposed by {stage}, but the evidence sentence lacks a name of one end")


def check_evidence(relations, entities_by_id) -> list[Relation]:
    """Keep only relations whose evidence sentence holds a surface form (name or alias) of both ends."""
    kept = []
    for rel in relations:
        src, tgt = entities_by_id.get(rel.source), entities_by_id.get(rel.target)
        if src is None or tgt is None or rel.source == rel.target:
            continue
        if contains_surface(rel.evidence, (src.name, *src.aliases)) and contains_surface(rel.evidence, (tgt.name, *tgt.aliases)):
            kept.append(rel)
    return kept


# -- relations from the trained classifier ---------------------------------------------------



def _classified_relations(document: Document, sdoc, mentions: list[Mention], units,
                          probs: dict | None = None) -> list[Relation]:
    """Relations the trained classifier finds between mentions of one unit (or an outcome in the next);
    `probs` gets the classifier's probability of each, keyed (source, target, relation, unit start)."""
    from .relate import candidate_pairs, decode, load_relation_model, mentions_by_unit, pair_features

    model = load_relation_model()
    if model is None:
        return []
    text = document.text
    ent_at = {(m.start, m.end, m.type): m.entity for m in mentions}
    keys = list(ent_at)
    out: dict[tuple, Relation] = {}
    pairs = candidate_pairs(keys, units)
    in_unit = mentions_by_unit(keys, pairs)
    for pair in pairs:
        label, prob = model.predict(pair_features(text, pair, in_unit[pair.unit], sdoc))
        found = decode(label, pair)
        if found is None or prob < model.threshold:
            continue
        rel, src, tgt = found
        s_id, t_id = ent_at[src], ent_at[tgt]
        if s_id == t_id:
            continue
        key = (s_id, t_id, rel, pair.unit[0])
        if key not in out:
            out[key] = Relation(source=s_id, target=t_id, relation=rel, doc=document.doc,
                                evidence=text[pair.unit[0]:pair.unit[1]], start=pair.unit[0], end=pair.unit[1],
                                page=document.page_at(pair.unit[0]))
            if probs is not None:
                probs[key] = round(float(prob), 4)
    return list(out.values())


def _with_classified(rule_rels: list[Relation], model_rels: list[Relation], mode: str) -> list[Relation]:
    """Rule and classifier relations combined: in the model mode the classifier's typed relations replace the
    rules' (the weak `mentioned_with` edges stay); in the combined mode they stand beside them. One edge per
    (ends, type, sentence)."""
    if mode == "model":
        rule_rels = [r for r in rule_rels if r.relation == "mentioned_with"]
    seen = {(r.source, r.target, r.relation, r.start) for r in rule_rels}
    seen |= {(r.target, r.source, r.relation, r.start) for r in rule_rels if r.relation == "partners_with"}
    merged = list(rule_rels) + [r for r in model_rels if (r.source, r.target, r.relation, r.start) not in seen]
    typed = {(r.source, r.target, r.start) for r in merged if r.relation != "mentioned_with"}
    typed |= {(t, s, st) for s, t, st in typed}
    merged = [r for r in merged if r.relation != "mentioned_with" or (r.source, r.target, r.start) not in typed]
    return sorted(merged, key=lambda r: (r.start, r.source, r.target, r.relation))


# -- candidates ------------------------------------------------------------------------------

# The trained recogniser's labels (train/ner.cfg) and the entity types they stand for.
_MODEL_TYPES = {"ORG": "organisation", "PERSON": "person", "GPE": "place", "PROGRAMME": "programme"}
# A model programme outranks spaCy-small-based guesses (2) and ties a name typed by its head word (3-4).
MODEL_PRIO = 3


def _model_candidates(sdoc, text: str) -> list[_Cand]:
    """The trained recogniser's names for the combined mode. Its bodies, people and places pass the same
    filters as spaCy's own entities; its programmes (a label spaCy lacks) go in when the name recurs in
    the document or spaCy also saw a name there, which kept dev programme precision (0.56 -> 0.71) at a
    cost of 0.03 programme F1 on the never-seen split (measured 2026-12-03, docs/evaluation.md)."""
    spans = [sp for sp in sdoc.spans[MODEL_SPAN_KEY] if sp.label_ in _MODEL_TYPES and sp.label_ != "PROGRAMME"]
    lowered = _lower_words(text)
    out = [c for c in _spacy_ents(sdoc, text, ents=spans) if not _layout_word(text, c, lowered)]
    progs = [c for c in _model_ents(sdoc, text) if c.type == "programme"]
    surfaces = [_WS.sub(" ", text[c.start:c.end]) for c in progs]
    base = [(e.start_char, e.end_char) for e in sdoc.ents]
    out += [c for c, sf in zip(progs, surfaces)
            if surfaces.count(sf) >= 2 or any(s < c.end and c.start < e for s, e in base)]
    return out


# Where a line or a table cell starts: only spaces, bars or a section number before it (not a bullet:
# list items are often names).
_CELL_START = re.compile(r"(?:^|\n|\|)[ \t\d.)]*$")
_CELL_END = re.compile(r"[ \t:]*(?:\||\n|$)")


def _layout_word(text: str, cand: _Cand, lowered: frozenset[str]) -> bool:
    """A recogniser's 'body' that the page's layout made: a heading or column word, or initials."""
    return _heading_word(text, cand, lowered) or _bare_initials(text, cand)


def _bare_initials(text: str, cand: _Cand) -> bool:
    """Two capitals the text never spells out as a name's short form ('CM noted that...', 'ED', 'Q4'):
    minute-takers' initials and abbreviations, not bodies."""
    word = text[cand.start:cand.end]
    return cand.type == "organisation" and bool(re.fullmatch(r"[A-Z]{2}|Q[1-4]", word)) and f"({word})" not in text


def _heading_word(text: str, cand: _Cand, lowered: frozenset[str]) -> bool:
    """True for one word the recogniser called a body that the text writes capitalised only where a line or
    a table cell starts, and that is either a word the text also uses in lower case or a whole line or cell
    by itself: a heading, a column name or page furniture ('Background', 'Measure', 'Unsubscribe'), not a
    body named in a sentence or a list ('funded by Crisis', '• Shelter')."""
    word = text[cand.start:cand.end]
    if cand.type != "organisation" or not word.isalpha() or word.isupper():
        return False
    common = word.lower() in lowered
    for m in re.finditer(rf"(?<![\w-]){re.escape(word)}(?![\w-])", text):
        if not _CELL_START.search(text, max(0, m.start() - 12), m.start()):
            return False
        if not common and not _CELL_END.match(text, m.end()):
            return False
    return True


def _model_ents(sdoc, text: str) -> list[_Cand]:
    """The trained recogniser's entities (doc.spans[MODEL_SPAN_KEY]), trimmed of edge punctuation."""
    out = []
    group = sdoc.spans[MODEL_SPAN_KEY] if MODEL_SPAN_KEY in sdoc.spans else ()
    # a span categoriser keeps a probability per span; the NER component gives none
    scores = getattr(group, "attrs", {}).get("scores")
    for k, sp in enumerate(group):
        type_ = _MODEL_TYPES.get(sp.label_)
        if type_ is None:
            continue
        s, e = sp.start_char, sp.end_char
        while s < e and not text[s].isalnum():
            s += 1
        while e > s and not (text[e - 1].isalnum() or text[e - 1] in ")"):
            e -= 1
        if text[e - 2:e] in ("'s", "’s"):
            e -= 2
        surface = _WS.sub(" ", text[s:e])
        if len(surface) < 2 or (type_ == "place" and surface.lower() in _NATIONS):
            continue
        sector = P.sector_of(surface.lower()) if type_ == "organisation" else None
        out.append(_Cand(s, e, type_, MODEL_PRIO, sector=sector,
                         score=float(scores[k]) if scores is not None else None))
    return out


def chosen_to_raw(text: str, chosen: list[_Cand]) -> list[tuple[str, str, int, str | None, str]]:
    """(surface, type, weight, sector, alias surface) for each chosen candidate, for resolution."""
    out = []
    for c in chosen:
        surface = _WS.sub(" ", text[c.start:c.end]).strip()
        alias = _WS.sub(" ", text[c.alias_start:c.alias_end]).strip() if c.alias_start is not None else surface
        alias = c.extra.get("alias", alias)
        if c.type == "programme" and alias == surface:
            alias = _without_tail(surface)  # readers name 'the Tidy Lanes programme' 'Tidy Lanes' too
        # a name placed by layout (byline, label, role apposition) outweighs spaCy calling it an organisation
        out.append((surface, c.type, 10 if c.type == "person" and c.prio >= 5 else c.prio, c.sector, alias))
    return out


def _without_tail(name: str) -> str:
    """'Tidy Lanes programme' -> 'Tidy Lanes': a lower-case programme word closing a capitalised name."""
    words = name.split()
    if len(words) >= 3 and words[-1] in P.PROGRAMME_TAILS and (words[-2][:1].isupper() or words[-2].isdigit()):
        return " ".join(words[:-1])
    return name


def _good_person_tokens(sdoc, lowered: frozenset[str]) -> set[int]:
    """Token indices of spaCy PERSON entities that look like real personal names."""
    keep: set[int] = set()
    for ent in sdoc.ents:
        span = _person_span(ent, lowered) if ent.label_ == "PERSON" else None
        if span is not None:
            s, e = span
            keep.update(range(s, e))
    return keep


def _person_span(span, lowered: frozenset[str] = frozenset()) -> tuple[int, int] | None:
    """Token range of a personal name inside a spaCy span (titles stripped), or None."""
    toks = [t for t in span if not t.is_space]
    if any("\t" in t.whitespace_ or "\n\n" in t.whitespace_ for t in toks[:-1]):
        return None
    for k, t in enumerate(toks[:-1]):
        if "\n" in t.whitespace_ or (t.i + 1 < len(t.doc) and "\n" in t.doc[t.i + 1].text):
            toks = toks[:k + 1]  # a heading line's name does not run into the next line ("X Y\nFollowing ...")
            break
    if toks:
        nxt = [t for t in toks[-1].doc[toks[-1].i + 1:toks[-1].i + 7] if not t.is_space]
        # not "of": "Tara Quill of Fenwick City Council" is a person and her body, split at "of"
        if nxt and nxt[0].lower_ in {"and", "&"} and any(t.lower_ in P.ORG_SUFFIX and t.text[:1].isupper() for t in nxt[1:]):
            return None  # the first half of a body's name ("Ashby East and Wellow Council")
    if toks and _body_use(toks[-1]):
        return None  # "Workwise Plus staff": a body the text speaks of, not a person
    while toks and (toks[0].lower_.rstrip(".") in P.TITLES or toks[0].lower_ in P.TITLES):
        toks = toks[1:]
    while toks and (toks[-1].lower_ in P.POST_NOMINALS or toks[-1].text in {"'s", "’s", ",", "."}):
        toks = toks[:-1]
    half = len(toks) // 2
    if len(toks) >= 4 and len(toks) % 2 == 0 and [t.text for t in toks[:half]] == [t.text for t in toks[half:]]:
        toks = toks[:half]  # a name repeated by page layout ("Sam Reed Sam Reed")
    if len(toks) == 3 and toks[2].text == toks[0].text:
        toks = toks[:2]
    if not 2 <= len(toks) <= 4:
        return None
    for t in toks:
        low = t.lower_
        if not _PERSON_TOKEN.match(t.text) or low in P.ORG_SUFFIX or low in P.PROGRAMME_SUFFIX or low in P.ROLE_WORDS \
                or low in P.GENERIC_SINGLE or low in P.CONNECTORS or t.is_stop:
            return None
    if _named_like_a_body(toks[0].lower_, toks[-1].lower_):
        return None  # "Healthwatch Brackwater", "Hollyfield Homecare": a body
    if " ".join(t.lower_ for t in toks) in P.REGIONS or toks[-1].lower_ in _FACILITY_HEADS \
            or is_place_name(toks[0].text) or is_place_name(" ".join(t.text for t in toks)):
        return None  # "Mill Street", "Wigan": a place, not a person
    if _wordy(toks[0].text, lowered):
        return None  # the 'given name' is an ordinary word here ("Silver Gate", "Innovation Corridor")
    return toks[0].i, toks[-1].i + 1


# Lower-case nouns after a name that make it a body ("Workwise Plus staff", "X said in its report").
_BODY_NOUNS = {"staff", "employees", "workers", "officers", "colleagues", "teams", "advisers", "advisors",
               "branches", "offices", "volunteers", "workforce", "premises", "website", "funding", "contract",
               "contracts", "commissioners", "partners"}


def _body_use(last) -> bool:
    """True when the words after a name's last token use the name as a body ('X staff', 'X said in its')."""
    doc = last.doc
    nxt = [t for t in doc[last.i + 1:last.i + 6] if not t.is_space]
    if nxt and nxt[0].text in {"'s", "’s"}:
        nxt = nxt[1:]
    if nxt and nxt[0].text.islower() and nxt[0].lower_ in _BODY_NOUNS:
        return True
    words = " ".join(t.lower_ for t in nxt[:4])
    return bool(re.match(r"(?:said|says|stated|states|reported|reports|announced) (?:in|that) its\b", words))


def _saint_named(toks: list) -> bool:
    """'St Aldric Ambulance', 'St Anselm Hospice': a saint's name and a third word name an institution, not a person
    (a listed town such as 'St Albans' is a place and never gets here)."""
    return len(toks) >= 3 and toks[0].text in {"St", "St."} and not is_place_name(" ".join(t.text for t in toks))


def _glued_labels(text: str) -> list[_Cand]:
    """People named on label lines: 'Group LeadJames Roe', 'Group Lead: Ravi Menon', 'AuthorsDr Ann Lee'."""
    out = []
    for m in _GLUED_LABEL.finditer(text):
        name = m.group("name")
        words = name.split()
        if any(w.lower() in P.ORG_SUFFIX or w.lower() in P.ROLE_WORDS or w.lower() in P.PROGRAMME_SUFFIX
               or w.lower() in P.PLACE_SUFFIX for w in words):
            continue
        out.append(_Cand(m.start("name"), m.end("name"), "person", 6, role=_WS.sub(" ", m.group("role")).strip()))
    return out


_NAME = r"(?:Mc|Mac|O['’])?[A-Z][a-z]+(?:-[A-Z][a-z]+)?"
_APPOSITION = re.compile(
    rf"(?:(?<=\n)|(?<=^)|(?<=\bBy )|(?<=\bby )|(?<=\bis )|(?<=: )|(?<=— )|(?<=– ))[ \t]*"  # '— Name, Role': a quote's attribution
    rf"(?:(?:Dr|Sir|Dame|Professor|Prof|Cllr|Lord|Lady|Baroness)\.?[ \t]+)?"
    rf"(?P<name>{_NAME}(?:[ \t]+{_NAME}){{1,2}})(?:[ \t]+(?:CBE|OBE|MBE|KBE|DBE|MP|PhD))*"
    rf"(?=[ \t]*(?:,[ \t]*|\n[ \t]*|[ \t]+is[ \t]+(?:currently[ \t]+|now[ \t]+)?)(?:(?:the|a|an)[ \t]+)?(?i:{P.ROLE_RE.pattern}))"
)
# "... its director of children's services, Carys Lund." -- a role, a comma, then the name closing the clause.
_ROLE_THEN_NAME = re.compile(
    rf"\b(?:chair|director|head|manager|leader|lead|chief executive|ceo|founder|secretary|commissioner|officer)"
    rf"\b[^.;:\n]{{0,50}}?,[ \t]+(?P<name>{_NAME}[ \t]+{_NAME})(?=[ \t]*(?:[.;)\n]|,[ \t]+(?:who|and)\b))", re.I)

# Contact and table lines: "Jane Roe, Centre for Civic Work" / "Jane Roe Panel Co-Chair" alone on a line.
_NAME_ORG_LINE = re.compile(
    rf"(?:^|\n)[ \t]*(?P<name>{_NAME}(?:[ \t]+{_NAME}){{1,2}}),[ \t]*(?:the[ \t]+)?(?P<org>[A-Z][^\n,;:()]{{2,80}}?)[ \t]*(?=\n|$|,)")
_NAME_ROLE_LINE = re.compile(
    rf"(?:^|\n)[ \t]*(?:(?:Dr|Sir|Dame|Professor|Prof|Cllr)\.?[ \t]+)?(?P<name>{_NAME}(?:[ \t]+{_NAME}){{1,2}}?)"
    rf"[ \t]+(?:[A-Z][\w-]*[ \t]+){{0,2}}(?:Co-Chair|Chair|Chairman|Director|Lead|Leader|Manager|Chief Executive|CEO|"
    rf"Member|Head|Officer|Secretary|Minister|Commissioner|Founder|Editor)[ \t]*(?=\n|$)")

_BYLINE = re.compile(rf"(?:^|\n)[ \t]*[Bb]y[ \t]+(?:(?:Dr|Sir|Dame|Professor|Prof|Cllr)\.?[ \t]+)?(?P<name>{_NAME}(?:[ \t]+{_NAME}){{1,2}})\b")


def _role_appositions(text: str) -> list[_Cand]:
    """People placed by layout: a byline ('By Donna Hall') or a name followed by a role ('X Y, Chief Executive')."""
    out = []
    for rx in (_BYLINE, _APPOSITION, _ROLE_THEN_NAME, _NAME_ORG_LINE, _NAME_ROLE_LINE):
        for m in rx.finditer(text):
            words = m.group("name").split()
            if rx is _NAME_ORG_LINE and _head_type(re.findall(r"[\w’'&-]+", m.group("org").lower())) != "organisation":
                continue
            if any(w.lower() in P.ORG_SUFFIX or w.lower() in P.ROLE_WORDS or w.lower() in P.PROGRAMME_SUFFIX
                   or w.lower() in _START_TRIM or w.lower() in _FACILITY_HEADS for w in words) \
                    or _named_like_a_body(words[0].lower(), words[-1].lower()):
                continue
            if is_place_name(words[0]) or " ".join(words).lower() in P.REGIONS or _wordy(words[0], _lower_words(text)):
                continue
            full = m.group(0).strip()
            if full.lower().startswith("by "):
                full = full[3:].strip()
            a_s = m.end() - len(full) if m.group(0).endswith(full) else m.start("name")
            # 'Cllr Janet Moore, Leader of ...': the title is not part of her name
            start = m.start("name")
            for w in words[:-2]:
                if w.lower().rstrip(".") not in P.TITLES and w.lower() not in P.TITLES:
                    break
                start = text.index(w, start) + len(w)
                start += len(text[start:]) - len(text[start:].lstrip())
            out.append(_Cand(start, m.end("name"), "person", 5, alias_start=a_s, alias_end=m.end()))
    return out


# 'Market Director at Zentra /Director of Velmont', 'a partner with Harwick': one capitalised word after a job title
# and at/of/with names the employer (ordinary words, places and titles are filtered by the caller).
_EMPLOYER = re.compile(r"\b(?i:director|manager|chief executive|ceo|chair|head|partner|founder|officer|lead|"
                       r"consultant|adviser|advisor|trustee|analyst|associate)[ \t]+(?:at|of|with)[ \t]+"
                       r"(?P<name>[A-Z][\w&’'-]*[A-Za-z])(?=[ \t]*(?:[,;/)\n]|\.(?:\s|$)|$|[ \t]+(?:and|in|for|from|where|"
                       r"since|until|before|after|to|who|which|between)\b))")


# A field of work in title case, not a body: 'Director of Nursing', 'Head of Governance', 'Lead for Strategy'.
_FIELD = re.compile(r"(?:ing|ion|ions|ment|ance|ence|ity|ics|ies|ure|gy|cy|ships?)$|^(?:finance|research|health|housing|"
                    r"digital|data|people|culture|operations|services|care|law|estates|audit|design|delivery)$")


def _employers(text: str) -> list[_Cand]:
    """Bodies named by one word after a job title: 'Director at Zentra', 'Deputy CEO of Velmont'."""
    lowered = _lower_words(text)
    out = []
    for m in _EMPLOYER.finditer(text):
        name = m.group("name")
        low = name.lower()
        if low in lowered or is_place_name(name) or low in P.REGIONS or low in P.ROLE_WORDS or low in _MONTHS \
                or low in P.GENERIC_SINGLE or low in P.TITLES or low in _START_TRIM or _FIELD.search(low):
            continue
        out.append(_Cand(m.start("name"), m.end("name"), "organisation", 3, sector=P.sector_of(name)))
    return out


# 'the Mayor of Harwick' standing for the office among other bodies; 'the Mayor of X, Jo Bloggs' is a person's role.
_MAYORALTY = re.compile(r"\b[Tt]he[ \t]+(?P<name>Mayor[ \t]+of[ \t]+(?:the[ \t]+)?(?P<place>[A-Z][a-z]+(?:[ \t]+[A-Z][a-z]+){0,2}))\b"
                        r"(?![ \t]*,?[ \t]*(?:(?:Cllr|Sir|Dame|Dr)\.?[ \t]+)?[A-Z][a-z]+[ \t]+[A-Z][a-z]+)")


def _mayoralties(text: str) -> list[_Cand]:
    """'the Mayor of Harwick' (a listed place) with no person named after it is the mayoral office, a body."""
    return [_Cand(m.start("name"), m.end("name"), "organisation", 3, sector="council") for m in _MAYORALTY.finditer(text)
            if is_place_name(m.group("place")) or m.group("place").lower() in P.REGIONS]


def _sentences(sdoc, text: str) -> list[tuple[int, int]]:
    """spaCy's sentences, also split at blank lines (a heading never shares a sentence with a paragraph)."""
    out = []
    for sent in sdoc.sents:
        s, e = sent.start_char, sent.end_char
        base = s  # match offsets are relative to the sentence start, not to the moving piece start
        for m in re.finditer(r"\n[ \t]*\n", text[base:e]):
            piece_end = base + m.start()
            if text[s:piece_end].strip():
                out.append((s, piece_end))
            s = base + m.end()
        if text[s:e].strip():
            out.append((s, e))
    return out


def _is_cap(tok) -> bool:
    t = tok.text
    return bool(t) and (t[0].isupper() or (len(t) > 1 and t[0] == "i" and t[1].isdigit()))


def _name_chunks(sdoc, person_tokens: set[int], lowered: frozenset[str] = frozenset()) -> list[_Cand]:
    """Capitalised name runs typed by their head word ('Wigan Council', 'Department for Transport')."""
    out: list[_Cand] = []
    n = len(sdoc)
    i = 0
    while i < n:
        tok = sdoc[i]
        if not _is_cap(tok) or i in person_tokens:
            i += 1
            continue
        run = [i]
        j = i + 1
        while j < n:
            t = sdoc[j]
            if j in person_tokens or re.search(r"[a-z]\.\d{1,2}$", sdoc[j - 1].text):
                break  # a footnote mark closes a sentence ('... Better Lives Fund.4 That has ...')
            if _is_cap(t) or (t.text in {"&", "-", "–"} and run) or (t.like_num and sdoc[j - 1].whitespace_ and _is_cap(sdoc[j - 1])) \
                    or (re.fullmatch(r"[\d/–-]+", t.text) and sdoc[j - 1].like_num and not sdoc[j - 1].whitespace_) \
                    or (t.like_num and j >= 2 and sdoc[j - 1].text in {"-", "–", "/"} and not sdoc[j - 1].whitespace_
                        and re.fullmatch(r"(?:19|20)\d\d", sdoc[j - 2].text) and not sdoc[j - 2].whitespace_):  # 'Plan 2024-27'
                run.append(j)
                j += 1
                continue
            if t.is_space and t.text.count("\n") == 1 and "\n\n" not in t.text:
                run.append(j)
                j += 1
                continue
            if (t.lower_ in P.CONNECTORS or t.text in {"'s", "’s"}) and j + 1 < n:
                # connectors only inside a name: the next real token must be capitalised
                k = j + 1
                while k < n and (sdoc[k].is_space or sdoc[k].lower_ in {"the"}) and k - j < 3:
                    k += 1
                if k < n and _is_cap(sdoc[k]) and k not in person_tokens and sdoc[k].lower_ not in _MONTHS:
                    run.extend(range(j, k))
                    j = k
                    continue
            if t.lower_ in P.LOWER_PROGRAMME_TAIL and run:
                run.append(j)
                j += 1
            break
        i = j if j > i else i + 1
        for piece in _split_run(sdoc, run):
            cand = _type_chunk(sdoc, piece, lowered)
            if cand is not None:
                out.append(cand)
    return out


def _split_run(sdoc, run: list[int]) -> list[list[int]]:
    """Split a run at line breaks (unless a name continues over the break) and at 'and' between two names."""
    pieces: list[list[int]] = [[]]
    for idx in run:
        if sdoc[idx].is_space:
            pieces.append([])
        else:
            pieces[-1].append(idx)
    pieces = [p for p in pieces if p]
    merged: list[list[int]] = []
    for p in pieces:
        if merged and _continues(sdoc, merged[-1], p):
            merged[-1] = merged[-1] + p
        else:
            merged.append(p)
    out = []
    for p in merged:
        # a dash or '&' at either end belongs to no name ('Chair – Friends of X', 'A and B Ltd – using ...')
        while p and sdoc[p[0]].text in {"&", "-", "–"}:
            p = p[1:]
        while p and sdoc[p[-1]].text in {"&", "-", "–"}:
            p = p[:-1]
        if p:
            out.extend(_split_and(sdoc, p))
    return out


def _continues(sdoc, left: list[int], right: list[int]) -> bool:
    """A name broken over a line: left ends with a connector, or right completes a head-less left."""
    if sdoc[left[-1]].lower_ in P.CONNECTORS or sdoc[right[0]].lower_ in P.CONNECTORS - {"the"}:
        return True
    left_words = [sdoc[i].lower_ for i in left]
    right_words = [sdoc[i].lower_ for i in right]
    if len(right_words) == 1 and (right_words[0] in P.ORG_SUFFIX or right_words[0] in P.PROGRAMME_SUFFIX) \
            and right_words[0] not in P.ROLE_WORDS:
        return True  # a lone head word wrapped onto the next line ("... Borough\nCouncil")
    if _head_type(left_words) is not None:
        return False
    if any(w in P.ROLE_WORDS for w in right_words) or any(w in P.ROLE_WORDS for w in left_words):
        return False
    return len(right) <= 3 and _head_type(right_words) is not None and _head_type(right_words[:-1] or ["x"]) is None


def _split_and(sdoc, piece: list[int]) -> list[list[int]]:
    # right to left: "Department for Food and Rural Affairs and X Trust" splits before X, not after Food
    for k in range(len(piece) - 1, -1, -1):
        idx = piece[k]
        if sdoc[idx].lower_ in {"for", "of"} and 1 < k < len(piece) - 1:
            left, right = piece[:k], [i for i in piece[k + 1:] if sdoc[i].lower_ != "the"]
            named = [i for i in left if sdoc[i].text not in {"&", "-", "–"} and sdoc[i].lower_ not in P.ROLE_WORDS]
            if len(named) == 1 and sdoc[named[0]].lower_ in P.ORG_PREFIX:
                continue  # 'Chair – Friends of X': the prefix word alone is no body of its own
            # only a left part with its own head word ("X Council of ..."): "Association of Directors of ..." is one name
            if right and sdoc[left[-1]].lower_ in P.ORG_SUFFIX and _head_type([sdoc[i].lower_ for i in left]) == "organisation" and \
                    P.ORG_SUFFIX.get(sdoc[right[-1]].lower_, "x") is not None and \
                    _head_type([sdoc[i].lower_ for i in right]) is not None:
                return _split_and(sdoc, left) + _split_and(sdoc, right)
            # 'Movement Framework for City Centre': a plan for a place names the plan and the place
            if right and sdoc[left[-1]].lower_ in P.PROGRAMME_SUFFIX and sdoc[idx].lower_ == "for" and \
                    _head_type([sdoc[i].lower_ for i in right]) == "place":
                return _split_and(sdoc, left) + _split_and(sdoc, right)
        if sdoc[idx].lower_ in {"and", "&"} and 0 < k < len(piece) - 1:
            left, right = piece[:k], piece[k + 1:]
            lw = [sdoc[i].lower_ for i in left]
            rw = [sdoc[i].lower_ for i in right]
            # after "X of/for ..." a short right part with a weak head is the same name ("... of Schools and Children's Services")
            weak = lw[-1] not in P.ORG_SUFFIX and len([w for w in rw if w not in {"'s", "’s"}]) < 3 and P.ORG_SUFFIX.get(rw[-1], "x") is None
            # a lone head word right of '&' names nothing alone ('X Platform & Partnership' is one name)
            lone_head = len(right) == 1 and rw[0] in _HEAD_WORDS
            if (_head_type(lw) is not None or _is_acronym_tok(sdoc[left[-1]])) and not weak and not lone_head and \
                    (_head_type(rw) is not None or (len(right) == 1 and _is_acronym_tok(sdoc[right[0]]))):
                return _split_and(sdoc, left) + _split_and(sdoc, right)
            if _head_type(lw) == "organisation" and lw[-1] in P.ORG_SUFFIX and any(w in _ROLE_HEADS for w in rw):
                # 'X Council and Y Group and Reform Lead for Z': bodies, then the job held besides
                return _split_and(sdoc, left) + [right]
    return [piece]


def _is_acronym_tok(tok) -> bool:
    t = tok.text
    return len(t) >= 2 and sum(c.isupper() for c in t) >= 2 and bool(_ACRONYM.match(t))


def _head_type(words: list[str]) -> str | None:
    """'organisation' / 'programme' / 'place' from a name's head word, or None."""
    if not words:
        return None
    last = words[-1]
    if last in P.PROGRAMME_SUFFIX or (last in P.LOWER_PROGRAMME_TAIL and last not in P.ORG_SUFFIX):
        return "programme"
    if len(words) >= 3 and words[0] in P.ORG_PREFIX and words[1] in {"of", "for", "on"}:
        return "organisation"
    if len(words) >= 4 and words[1] in P.ORG_PREFIX and words[2] in {"of", "for"}:
        return "organisation"  # "Royal Borough of X", "London Borough of X"
    if len(words) >= 5 and words[2] in P.ORG_PREFIX and words[3] in {"of", "for"}:
        return "organisation"  # "What Works Centre for X", "Royal Chartered Institute of X"
    if last in P.ORG_SUFFIX or (last == "libraries" and len(words) >= 2):
        return "organisation"  # "X Libraries" runs the libraries; "X Library" is a building
    if last in P.PLACE_SUFFIX and len(words) >= 2:
        return "place"
    return None


def _cell_start(tok) -> bool:
    """True for a token opening a line or a table cell (an action in a plan: 'Refresh the X Strategy')."""
    if tok.i == 0:
        return True
    prev = tok.doc[tok.i - 1]
    return "\n" in prev.whitespace_ or "\t" in prev.whitespace_ or (prev.is_space and ("\n" in prev.text or "\t" in prev.text))


def _opens_name(toks: list) -> bool:
    """A sentence word that is the name's own first word: hyphened to the next ('All-Party Parliamentary Group')
    or the 'What' of 'What Works' ('What Works Centre for Wellbeing')."""
    if len(toks) < 3 or not toks[0].text[:1].isupper():
        return False
    return (toks[1].text == "-" and not toks[0].whitespace_) or (toks[0].text == "What" and toks[1].text == "Works")


def _type_chunk(sdoc, piece: list[int], lowered: frozenset[str] = frozenset()) -> _Cand | None:
    # `lowered`: the text's lower-case words, passed in (Doc.text rebuilds the whole text on every call)
    toks = [sdoc[i] for i in piece]
    # drop leading sentence words, role phrases ("Chief Executive of the") and trailing connectors
    while toks and not _opens_name(toks) and (toks[0].lower_ in _START_TRIM or toks[0].text in {"&", "-", "–", "'s", "’s"}
                    or toks[0].lower_ in _MONTHS or toks[0].lower_ in {"throughout", "until", "within", "by"}
                    or (toks[0].text[:1].isdigit() and len(toks) > 1)
                    or (toks[0].tag_ == "VB" and toks[0].is_sent_start)
                    or (len(toks) > 2 and toks[1].lower_ in {"the", "a", "an"} and _cell_start(toks[0]))  # 'Refresh the X Plan'
                    or (toks[0].tag_ == "VBG" and len(toks) > 2 and toks[1].lower_ == "the")):  # 'Introducing the X'
        toks = toks[1:]  # "Throughout 2019 the Civic Lab", "October 2017 Dunmore Council"
    if any(t.lower_ in _ROLE_HEADS for t in toks[:-1]):
        toks = _drop_role_words(toks)  # "Board Member of the X Network"
    cut = 0
    for k, t in enumerate(toks):
        if t.lower_ in P.ROLE_WORDS or t.lower_ in P.ROLE_MODIFIERS or t.lower_[:-1] in P.ROLE_WORDS:
            continue
        if t.lower_ in {"of", "for", "at", "in"} and k > 0:  # "Head of X", "Partners in the X"
            cut = k + 1
            while cut < len(toks) and toks[cut].lower_ == "the":
                cut += 1
        elif k > 0 and all(x.lower_ in P.ROLE_WORDS or x.lower_ in P.ROLE_MODIFIERS for x in toks[:k]) \
                and any(x.lower_ in P.ROLE_WORDS for x in toks[:k]):
            cut = k
        break
    toks = toks[cut:]
    if len(toks) > 3 and toks[0].lower_ in _PART_WORDS and toks[1].like_num and toks[2].lower_ == "of":
        toks = [t for t in toks[3:] if t.lower_ != "the"] if toks[3].lower_ == "the" else toks[3:]  # 'Phase 2 of the X'
    while toks and toks[0].text in {"&", "-", "–"}:
        toks = toks[1:]  # 'Chair – Friends of X' after its role word
    while toks and (toks[-1].lower_ in P.CONNECTORS or toks[-1].text in {"'s", "’s", "&", "-", "–"}):
        toks = toks[:-1]
    whole = _body_after_preposition(toks, lowered)
    toks = _owner_split(whole)
    if not toks:
        return None
    dated = len(toks)
    while dated > 1 and (toks[dated - 1].like_num or toks[dated - 1].text in {"-", "–", "/"}):
        dated -= 1
    words = [_bare(t).lower() for t in toks[:dated]]
    type_ = _head_type(words)
    if dated < len(toks) and type_ != "programme":
        # years end a plan's name ('Vale Plan 2017-22'); after a body they date a citation
        words = [_bare(t).lower() for t in toks]
        type_ = _head_type(words)
    if len(words) == 2 and words[0] in _NUMBER_WORDS:
        return None  # 'One project explored ...'
    if type_ is None or " ".join(words) in _SECTOR_NAMES or words[-1] in _PLURAL_ROLES or words[0] in _PLURAL_ROLES:
        return None
    if type_ == "place" and words[-1] == "library" and _town_of_library(toks[:-1], lowered):
        # annotators and readers place 'X Library' at its town X; the building is no place of its own
        return _Cand(toks[0].idx, toks[-2].idx + len(toks[-2].text), "place", 4)
    if type_ == "organisation" and words[-1] in _PLURAL_KINDS and _generic_plural(toks, lowered):
        return None
    if type_ == "organisation" and words[-1] in _FUNCTION_HEADS and _generic_function(words, lowered):
        return None
    if len(toks) == 1 or all(w in P.ROLE_WORDS or w in P.ROLE_MODIFIERS or w in P.GENERIC_SINGLE or w in P.CONNECTORS
                             for w in words):
        return None
    if len([t for t in toks if t.lower_ not in P.CONNECTORS and t.text not in {"'s", "’s"}]) > 8:
        return None
    if all(t.text.isupper() and len(t.text) > 4 for t in toks if t.is_alpha):
        return None  # an upper-case heading ("PERFORMANCE MANAGEMENT")
    start, end = toks[0].idx, toks[-1].idx + len(_bare(toks[-1]))
    sector = P.sector_of(" ".join(words)) if type_ == "organisation" else None
    prio = 4 if words[-1] not in P.AMBIGUOUS_SUFFIX else 3
    # a unit named with its owner ("X Trust’s Y Team") keeps that longer form as an alias
    alias_start = whole[0].idx if toks[0].i > whole[0].i and toks[-1].i == whole[-1].i else None
    return _Cand(start, end, type_, prio, sector=sector, alias_start=alias_start,
                 alias_end=end if alias_start is not None else None)


# A footnote number glued to a name's last word ("Fund5", "Budgets,3", "Fund.4"), not a name's own digits ("Rapid7").
_FOOTNOTE = re.compile(r"^(?P<w>[A-Z][A-Za-z’']{2,}?)(?P<n>[.,]?\d{1,2})$")
_HEAD_WORDS = frozenset(P.ORG_SUFFIX) | P.PROGRAMME_SUFFIX | P.PLACE_SUFFIX
# Heads of a body's department ("the Council’s Children’s Services"): the body acts, not its department.
_DEPARTMENT_HEADS = {"services", "service", "department", "directorate", "division"}
# Plural heads naming a kind of body ("District Councils", "Rehabilitation Companies"), not one body.
_PLURAL_KINDS = {"councils", "companies", "authorities", "departments", "agencies", "organisations", "bodies",
                 "services", "trusts", "boards", "partnerships", "teams", "groups", "networks"}


def _bare(tok) -> str:
    """A token's text without a glued footnote number ('Fund5' -> 'Fund')."""
    m = _FOOTNOTE.match(tok.text)
    if m and (m.group("n")[0] in ".," or m.group("w").lower() in _HEAD_WORDS):
        return m.group("w")
    return tok.text


# Capitalised words naming a kind of library rather than its town ('Central Library', 'British Library').
_LIBRARY_KINDS = {"central", "british", "national", "county", "city", "public", "main", "royal", "mobile", "district",
                  "town", "community", "local", "new", "old", "university", "school", "children’s", "children's"}


def _town_of_library(toks: list, lowered: frozenset[str]) -> bool:
    """True when the words before 'Library' name its town: capitalised, not a kind of library, not ordinary words."""
    if not 1 <= len(toks) <= 3 or toks[0].lower_ in _START_TRIM:
        return False
    name = " ".join(t.text for t in toks)
    return all(_is_cap(t) and t.lower_ not in _LIBRARY_KINDS for t in toks) and \
        (toks[-1].lower_ not in lowered or is_place_name(name))  # 'Long Melford': the last word decides


def _owner_split(toks: list) -> list:
    """'Owner’s Name': a body's department names the body ('X Council’s Children’s Services' -> 'X Council');
    a named unit of a body, a place or an acronym is the unit ('Y School’s Z Lab' -> 'Z Lab')."""
    poss = [k for k, t in enumerate(toks) if t.text in {"'s", "’s"} and 0 < k < len(toks) - 1]
    if not poss:
        return toks
    k = poss[0]
    left, right = toks[:k], toks[k + 1:]
    lw, rw = [t.lower_ for t in left], [_bare(t).lower() for t in right]
    owner_type = _head_type(lw)
    owner = owner_type == "organisation" or _is_acronym_tok(left[-1]) or is_place_name(" ".join(t.text for t in left))
    if not owner or _head_type(rw) is None:
        return toks
    if rw[-1] in _DEPARTMENT_HEADS and owner_type == "organisation":
        return left
    return right


def _body_after_preposition(toks: list, lowered: frozenset[str] = frozenset()) -> list:
    """'Digital at X Health Agency', 'Planning in Y County Council': a function of the body named after at/in.
    The body needs a body's head word, unless the function is one or two ordinary words and the body a
    run of two or more capitalised words ('Digital at Public Health Harwick')."""
    for k, t in enumerate(toks[1:-1], 1):
        if t.lower_ in {"at", "in"} and _is_cap(toks[k + 1]) and toks[k + 1].lower_ not in _MONTHS:
            right = toks[k + 1:]
            if len(right) < 2:
                continue
            if _head_type([x.lower_ for x in _owner_split(right)]) == "organisation":
                return right
            if k <= 2 and all(x.lower_ in lowered for x in toks[:k]) and all(_is_cap(x) or x.lower_ in P.CONNECTORS
                                                                           for x in right):
                return right
    return toks


def _generic_plural(toks: list, lowered: frozenset[str]) -> bool:
    """True for a plural kind of body in title case ('District Councils', 'Leaving Care Services'): its other
    words are ordinary words here, or no 'the' leads to it and it holds no place or acronym ('all Parish
    Councils', 'a review of Probation Delivery Companies'; not 'Harwick Councils')."""
    words = [_bare(t).lower() for t in toks]
    if words[-1] not in _PLURAL_KINDS or len(words) > 3:
        return False
    if all(re.sub(r"[’']s$", "", w) in lowered or w in P.CONNECTORS for w in words[:-1]):
        return True
    before = toks[0].nbor(-1).lower_ if toks[0].i > 0 else ""
    return before not in {"the", "'s", "’s"} and not any(_is_acronym_tok(t) or is_place_name(t.text) for t in toks)


_PART_WORDS = {"phase", "stage", "part", "section", "chapter", "round", "wave", "year", "tranche", "step"}
_FUNCTION_HEADS = {"services", "department", "directorate", "division"}


def _generic_function(words: list[str], lowered: frozenset[str]) -> bool:
    """True for a function any body has, in title case ('Children’s Services', 'Accident and Emergency Department'),
    when no owner is named: a department of ordinary words is no body of its own."""
    if words[-1] not in _FUNCTION_HEADS or not 2 <= len(words) <= 4:
        return False
    return all(re.sub(r"[’']s$", "", w) in lowered or w in P.CONNECTORS or w in {"'s", "’s"} for w in words[:-1])


def _ent_pieces(sdoc, ents=None):
    """spaCy's entities, those holding a comma, slash or semicolon cut there ('X Office/DCMS', 'Brent, Greater London')."""
    from spacy.tokens import Span

    for ent in sdoc.ents if ents is None else ents:
        cuts = [t.i for t in ent if t.text in {",", "/", ";"}] if ent.label_ in {"ORG", "GPE", "LOC", "FAC"} else []
        if not cuts:
            yield ent
            continue
        start = ent.start
        for c in cuts + [ent.end]:
            if c > start:
                yield Span(sdoc, start, c, label=ent.label_)
            start = c + 1


def _wrapped_name(toks: list):
    """A body's name a PDF wrapped over a blank line ('South Vale Academic Health\\n\\nScience Network'): a left line with
    no head word and a short right line, alone on its line, that ends with a body's head word; else None."""
    doc = toks[-1].doc
    gaps = [t.whitespace_ + "".join(x.text_with_ws for x in doc[t.i + 1:nxt.i]) for t, nxt in zip(toks, toks[1:])]
    breaks = [k for k, g in enumerate(gaps) if "\n" in g]
    if len(breaks) != 1 or gaps[breaks[0]].count("\n") != 2:
        return None
    left, right = toks[:breaks[0] + 1], toks[breaks[0] + 1:]
    lw, rw = [t.lower_ for t in left], [t.lower_ for t in right]
    alone = toks[-1].i + 1 >= len(doc) or "\n" in toks[-1].whitespace_ or doc[toks[-1].i + 1].is_space
    if not alone or len(right) > 3 or _head_type(lw) is not None or _head_type(rw) != "organisation" \
            or not all(_is_cap(t) for t in left + right if t.lower_ not in P.CONNECTORS):
        return None
    return toks


def _not_a_body_word(tok, terms: frozenset[str]) -> bool:
    """A lone word that names no body: a common abbreviation ('AGM', 'GCSE'), a term the text spells out in lower
    case ('gross value added (GVA)'), or people of a place ('Londoners')."""
    word = tok.text
    if word.lower() in P.ABBREVIATIONS or word in terms:
        return True
    for tail in ("ers", "er"):
        if word.endswith(tail) and len(word) > len(tail) + 2 and is_place_name(word[:-len(tail)]):
            return True
    return False


def _modifier_use(tok) -> bool:
    """'the Harvard professor', 'the Cameron administration': a lone name qualifying a common noun."""
    doc = tok.doc
    if tok.i == 0 or tok.i + 1 >= len(doc) or doc[tok.i - 1].lower_ not in {"the", "a", "an"}:
        return False
    nxt = doc[tok.i + 1]
    return nxt.pos_ == "NOUN" and nxt.text.islower() and nxt.lower_ not in _BODY_NOUNS | {"team", "group", "report"}


@functools.lru_cache(maxsize=8)
def _term_acronyms(text: str) -> frozenset[str]:
    """Acronyms the text defines by lower-case words ('gross value added (GVA)'): terms, not names."""
    out = set()
    for m in _PAREN_ACR.finditer(text):
        acr = m.group(1)
        if not acr.isupper():
            continue
        words = re.findall(r"[A-Za-z][\w’'-]*", text[max(0, m.start() - 80):m.start()])
        words = [w for w in words if w.lower() not in {"and", "of", "the", "for", "&"}][-len(acr):]
        if len(words) == len(acr) and all(w.islower() for w in words) \
                and "".join(w[0] for w in words).upper() == acr:
            out.add(acr)
    return frozenset(out)


def _cited_span(text: str, s: int, e: int) -> bool:
    """Names cited as authors of an idea: 'according to X and Y', 'X and Y observe that'."""
    before, after = text[max(0, s - 40):s], text[e:e + 50]
    if re.search(r"\b[Aa]ccording to\s+(?:[A-Z][\w’'-]+\s+(?:and|&)\s+)?$", before):
        return True
    return bool(re.match(r"(?:\s+(?:and|&)\s+[A-Z][\w’'-]+)?\s+(?:observes?|observed|argues?|argued|notes?|noted|"
                         r"writes?|wrote|suggests?|suggested)\b", after))


def _spacy_ents(sdoc, text: str, ents=None) -> list[_Cand]:
    """spaCy entities (or `ents`, the trained recogniser's) that survive the filters spaCy small needs on these reports."""
    out = []
    refs = _reference_lines(text)
    lowered = _lower_words(text)
    terms = _term_acronyms(text)
    titles = _cited_titles(text)
    for ent in _ent_pieces(sdoc, ents):
        label = ent.label_
        if _in_spans(refs, ent.start_char):
            continue  # footnotes and reading lists cite authors and publishers, not actors
        if label in {"PERSON", "ORG"} and len(ent) <= 2 and is_place_name(ent.text.strip()) \
                and ent.text.strip().lower() not in _MONTHS:
            out.append(_Cand(ent.start_char, ent.end_char, "place", 2))
            continue
        if label == "PERSON":
            toks = [t for t in ent if not t.is_space]
            if 2 <= len(toks) <= 4 and all(_PERSON_TOKEN.match(t.text) for t in toks) and \
                    (_body_use(toks[-1]) or toks[-1].lower_ in P.ORG_SUFFIX or _saint_named(toks)
                     or _named_like_a_body(toks[0].lower_, toks[-1].lower_)):
                out.append(_Cand(toks[0].idx, toks[-1].idx + len(toks[-1].text), "organisation", 2))
                continue
            span = _person_span(ent, lowered)
            if span is None or _cited(sdoc, span, text):
                continue
            s, e = sdoc[span[0]].idx, sdoc[span[1] - 1].idx + len(sdoc[span[1] - 1].text)
            a_s, a_e = _with_titles(sdoc, span)
            out.append(_Cand(s, e, "person", 3, alias_start=a_s, alias_end=a_e))
        elif label in {"ORG", "GPE", "LOC", "FAC", "NORP"}:
            toks = [t for t in ent if not t.is_space]
            if any(t.text in {"(", ")"} for t in toks):
                toks = toks[:[t.text in {"(", ")"} for t in toks].index(True)]
            wrapped = _wrapped_name(toks) if label == "ORG" else None
            for k, t in enumerate(toks[:-1] if wrapped is None else ()):
                if "\n" in t.whitespace_ or t.i + 1 < len(sdoc) and "\n" in sdoc[t.i + 1].text:
                    toks = toks[:k + 1]  # a name does not run on into the next table cell or line
                    break
            if wrapped is not None:
                out.append(_Cand(toks[0].idx, toks[-1].idx + len(toks[-1].text), "organisation", 3,
                                 sector=P.sector_of(" ".join(t.text for t in toks))))
                continue
            while toks and (toks[0].lower_ in _MONTHS or toks[0].like_num or toks[0].lower_ == "throughout"):
                toks = toks[1:]
            toks = _body_after_preposition(_drop_role_words(toks), lowered)
            split = _owner_split(toks)
            if label == "ORG" and split and split[0].i >= toks[0].i + 3:
                owner = [t for t in toks[:split[0].i - toks[0].i - 1] if t.lower_ not in _START_TRIM]
                if len(owner) >= 2 and _head_type([t.lower_ for t in owner]) == "organisation" \
                        and _head_type([t.lower_ for t in split]) == "programme":
                    # 'the Harwick Commission’s Social Venture Initiative': the owner is named too
                    out.append(_Cand(owner[0].idx, owner[-1].idx + len(owner[-1].text), "organisation", 2,
                                     sector=P.sector_of(" ".join(t.lower_ for t in owner))))
            toks = split
            if label == "ORG" and len(toks) == 1 and _is_acronym_tok(toks[0]) and toks[0].i + 1 < len(sdoc) \
                    and sdoc[toks[0].i + 1].pos_ == "NOUN" and sdoc[toks[0].i + 1].text.islower():
                continue  # an acronym used as a modifier ("DWP staff", "SIB development")
            if len(toks) == 1 and (_not_a_body_word(toks[0], terms) or _modifier_use(toks[0])):
                continue
            if label in {"ORG", "PERSON", "NORP"} and toks and _cited_span(text, toks[0].idx, toks[-1].idx + len(toks[-1].text)):
                continue  # authors of a cited idea ("according to X and Y", "X and Y observe")
            if len(toks) == 1 and (toks[0].lower_ in P.POST_NOMINALS or toks[0].lower_ in P.TITLES):
                continue
            if any("\t" in t.whitespace_ or "  " in t.whitespace_ for t in toks[:-1]) or any("\t" in t.text for t in ent):
                continue
            cap_trimmed = False
            while toks and not _opens_name(toks) and (toks[0].lower_ in _START_TRIM or toks[0].lower_ in P.ROLE_WORDS or
                            toks[0].pos_ in {"ADP", "DET", "ADV", "VERB", "AUX", "PRON", "NUM", "SCONJ", "CCONJ", "PART", "PUNCT"}) \
                    and not (label == "ORG" and _CAMEL.match(toks[0].text)):
                cap_trimmed |= toks[0].text[:1].isupper() and toks[0].lower_ not in {"the", "a", "an"}
                toks = toks[1:]
            if label in {"GPE", "LOC"} and cap_trimmed and len(toks) == 1 and not is_place_name(toks[0].text):
                continue  # 'New Horizons' cut to 'Horizons': the rest of a name, not a place
            if len(toks) > 1 and all(t.text.isupper() for t in toks if t.is_alpha) and any(len(t.text) > 4 for t in toks):
                continue
            while toks and (toks[-1].text in {"'s", "’s", "-", "–", ",", "."} or toks[-1].lower_ in P.CONNECTORS):
                toks = toks[:-1]
            if not toks or any(t.like_num and len(toks) == 1 for t in toks):
                continue
            if any("\n\n" in t.whitespace_ for t in toks[:-1]) or sum(t.is_space for t in ent) > 1:
                continue
            words = [t.lower_ for t in toks[:-1]] + [_bare(toks[-1]).lower()]
            if not (toks[0].text[0].isupper() or label == "ORG" and _CAMEL.match(toks[0].text)) \
                    or any(w in P.TITLES for w in words):
                continue
            if len(toks) == 1:
                w = toks[0].text
                if w.lower() in P.GENERIC_SINGLE or w.lower() in P.ROLE_WORDS or toks[0].is_stop:
                    continue
                if w.lower() in lowered and not w.isupper():
                    continue  # the word is also used as a common noun here ("Panel", "Friends")
            if all(w in P.ROLE_WORDS or w in P.ROLE_MODIFIERS or w in P.GENERIC_SINGLE for w in words):
                continue
            s, e = toks[0].idx, toks[-1].idx + len(_bare(toks[-1]))
            if label == "NORP" or " ".join(words) in _SECTOR_NAMES or words[-1] in _PLURAL_ROLES \
                    or words[0] in _PLURAL_ROLES or _in_spans(titles, s) or _PLURAL_KIND_AFTER.match(text, e):
                continue
            if label in {"GPE", "LOC"} or (label == "FAC" and len(toks) <= 4):
                if any(w in P.ORG_SUFFIX for w in words) or (len(words) > 1 and words[-1] in {"libraries", "services"}):
                    out.append(_Cand(s, e, "organisation", 2, sector=P.sector_of(" ".join(words))))
                elif label != "FAC" and any(re.search(r"[a-z][A-Z]", t.text) for t in toks):
                    out.append(_Cand(s, e, "organisation", 2))  # 'WestBank', 'zapSociety': a brand, not a place
                elif label != "FAC":
                    while len(toks) > 1 and toks[-1].lower_ in P.PLACE_TAIL:
                        toks = toks[:-1]
                        if len(toks) > 1 and toks[-1].lower_ == "city":
                            toks = toks[:-1]  # 'the Fenwick City Region' is placed at Fenwick
                    if " ".join(w for w in words) not in _NATIONAL_FRAME and not re.match(r"-(?:style|like|type)\b", text[e:e + 8]):
                        out.append(_Cand(s, toks[-1].idx + len(toks[-1].text), "place", 2))
            elif label == "ORG":
                if len(toks) > 6 or any(t.like_num for t in toks[:1]):
                    continue
                named = [w for t, w in zip(toks, words) if not t.text.islower()]
                if len(toks) >= 2 and _is_acronym_tok(toks[0]) and _head_type(named) is None and \
                        (toks[-1].text.islower() or len(toks) == 2 and toks[1].lower_.endswith("ing")) and \
                        re.search(rf"(?<![\w’'-]){re.escape(toks[0].text)}(?![\w’'-])(?![ \t]+[A-Z])", text):
                    # 'HDS Clienting', 'all HDS LATCo services': a body used elsewhere alone, then its activity
                    toks, words, e = toks[:1], words[:1], toks[0].idx + len(toks[0].text)
                if _head_type(words) is None and (_ROLE_AFTER.match(text, e) or _PLURAL_KIND_AFTER.match(text, e)):
                    continue  # 'Vale Regional Project Manager': the qualifier of a job title, not a body
                if words[0] == "state" and re.search(r"\bSecretary\s+of\s*$", text[max(0, s - 20):s]):
                    continue  # 'Secretary of State Amos': the rest of a title and a surname
                parts = [t for t in toks if t.lower_ not in {"and", "&"}]
                if len(toks) == 2 * len(parts) - 1 >= 3 and any(is_place_name(t.text) for t in parts) and \
                        _head_type(words) is None and not any(t.lower_ in lowered for t in parts):
                    # 'X and Y' of single names, one a listed town: two places, not a body
                    out += [_Cand(t.idx, t.idx + len(t.text), "place", 2) for t in toks if t.lower_ not in {"and", "&"}]
                    continue
                if len(toks) >= 2 and all(_PERSON_TOKEN.match(t.text) for t in toks) and \
                        not any(w in P.ORG_SUFFIX or w in P.PROGRAMME_SUFFIX for w in words) and len(toks) == 2 \
                        and words[0] in P.REGIONS:
                    continue
                poss = [k for k, t in enumerate(toks[:-2]) if t.text in {"'s", "’s"} and k > 0]
                if poss and (toks[poss[0] - 1].ent_type_ == "GPE" or _head_type(words[:poss[0]]) or
                             _is_acronym_tok(toks[poss[0] - 1]) or poss[0] >= 2):
                    toks = toks[poss[0] + 1:]  # "Leicestershire’s Children’s Innovation Partnership"
                    words = [t.lower_ for t in toks]
                    s = toks[0].idx
                if _head_type(words) == "programme" or any(w in P.PROGRAMME_SUFFIX and n in {"of", "for"}
                                                           for w, n in zip(words, words[1:])) \
                        or (_head_type(words) is None and _EVENT_AFTER.match(text, e)):
                    out.append(_Cand(s, e, "programme", 2))
                    continue
                if _head_type(words) is None and all(w in lowered or w in P.CONNECTORS or w in {"'s", "’s"} for w in words):
                    continue  # ordinary words in title case ("Best Value", "Project Management")
                if _generic_plural(toks, lowered) or _generic_function(words, lowered):
                    continue
                out.append(_Cand(s, e, "organisation", 2, sector=P.sector_of(" ".join(words))))
    return out


# A brand written in camel case from a lower-case start ('zapSociety', 'eBay'), which spaCy may tag as a number.
_CAMEL = re.compile(r"[a-z]{1,4}[A-Z][a-z]+")
# 'the Vale NHS Trusts’ faculty': spaCy's ORG before a plural kind word is a fragment of a kind of body
_PLURAL_KIND_AFTER = re.compile(r"[ \t]+(?:Trusts|Councils|Boards|Authorities|Partnerships|Hospitals)\b")
# People, not a body: 'Vale Council Officers', 'Heads of Service'
_PLURAL_ROLES = {"officers", "members", "managers", "directors", "leaders", "staff", "councillors", "heads", "chairs"}
_ROLE_AFTER = re.compile(r"(?:[ \t]+(?:Programme|Project|Regional|Senior|Deputy|Assistant|Operations))*[ \t]+"
                         r"(?:Manager|Director|Lead|Officer|Coordinator|Co-ordinator|Advisor|Adviser)\b")
# 'X events', 'X sessions': what a name without a body's head word holds is an activity, not a body.
_EVENT_AFTER = re.compile(r"[ \t]+(?:events?|sessions?|workshops?|festival)\b")


# Place heads that are not also common surnames (unlike Hall, Hill, Green).
_FACILITY_HEADS = {"street", "road", "square", "avenue", "centre", "centres", "station", "estate", "library",
                   "libraries", "docks", "wharf", "quarter", "reserve", "ground", "ambulance"}
# Last words of bodies' names that are nobody's surname ("Saltmarsh Housing", "Walk Grow Live").
_BODY_HEADS = {"housing", "homecare", "healthcare", "foodbank", "lottery", "live", "lives", "homes", "works",
               "recovery", "advocacy", "outreach", "learning", "training", "holdings"}


def _named_like_a_body(first: str, last: str) -> bool:
    """A name whose first or last word (lower case) makes it a body's: 'Healthwatch X', 'X Homecare'."""
    return first in P.ORG_PREFIX or last in _BODY_HEADS


# Given names that are also everyday English words, so their lower-case use says nothing.
_WORD_NAMES = {"mark", "frank", "will", "rob", "pat", "max", "bill", "grace", "hope", "faith", "rose", "ed", "sue",
               "dawn", "amber", "jay", "guy", "art", "drew", "gene", "victor", "joy", "sunny", "ray", "dean"}


# Head words of capitalised names that name a thing, not a body: 'Chatham House Rule',
# 'Place Study', 'Civic Service Day', 'Latest Public Sector News' ('Community Budgets' was a programme).
_THING_HEADS = {"rule", "rules", "study", "studies", "day", "news"}


_BEFORE_THE = {"of", "for", "and", "&", "in", "on", "at", "to", "from", "with", "by", "upon"}


def _named_thing(surface: str, lowered: frozenset[str]) -> bool:
    """A name that is no body: one headed by a thing word; one opening with a figure; one with
    'the' inside that no preposition leads to (a heading run into a clause: 'Prioritisation Match
    the Council'). (An activity head, 'Competitive Tendering', is no rule: 'Harwick Consulting'.)"""
    words = surface.split()
    if not words:
        return False
    if words[0][0].isdigit():
        return True
    if len(words) >= 2 and words[-1].lower() in _THING_HEADS:
        return True
    return any(w == "the" and words[i - 1].lower() not in _BEFORE_THE for i, w in enumerate(words) if i)


@functools.lru_cache(maxsize=8)
def _lower_words(text: str) -> frozenset[str]:
    """Words used in lower case in running text (e-mail addresses and links left out)."""
    # "benjamin.taylor@ example.org": a PDF may break an address after the @
    text = re.sub(r"\S+@\S*|https?://\S+|www\.\S+", " ", text)
    return frozenset(re.findall(r"(?<![\w’'.@-])[a-z][a-z]+(?![\w’'@-]|\.\w)", text))


def _wordy(given: str, lowered: frozenset[str]) -> bool:
    """True when a would-be given name is an ordinary word in this text ('Silver Gate', 'Innovation Corridor')."""
    low = given.lower()
    return low not in _WORD_NAMES and low in lowered


_MONTHS = {"january", "february", "march", "april", "may", "june", "july", "august", "september", "october",
           "november", "december"}
# The country every report here is set in: naming it places nothing.
_NATIONAL_FRAME = {"uk", "united kingdom", "britain", "great britain", "the uk", "england"}
# ... and the names the annotation policy counts neither way as places (for the trained recogniser).
_NATIONS = _NATIONAL_FRAME | {"wales", "scotland", "northern ireland", "europe"}
# Whole public sectors, not one body: 'worked within the NHS', 'joined the Civil Service'.
_SECTOR_NAMES = {"nhs", "civil service", "local government", "public service", "public services", "public sector"}
# Singular role heads: a name holding one is a job title ("Health Partner", "Commissioning Lead").
_ROLE_HEADS = {"director", "manager", "lead", "leader", "partner", "member", "officer", "consultant", "chair",
               "chairman", "chairwoman", "head", "secretary", "minister", "adviser", "advisor", "coordinator",
               "co-ordinator", "specialist", "analyst", "researcher", "ceo", "cfo", "coo", "dean", "editor",
               "champion", "founder", "co-founder", "president", "fellow", "commissioner"}


def _drop_role_words(toks: list) -> list:
    """The organisation after a job title ('Board Member of the X Network' -> 'X Network'), or [] when all title."""
    k = max((i for i, t in enumerate(toks) if t.lower_ in _ROLE_HEADS), default=-1)
    if k < 0:
        return toks
    rest = toks[k + 1:]
    while rest and (rest[0].lower_ in {"of", "for", "at", "the", "to", "in"} or rest[0].lower_ == "state"):
        rest = rest[1:]
    words = [t.lower_ for t in rest]
    if rest and (toks[k + 1].lower_ in {"of", "for", "at"} or _head_type(words) == "organisation"):
        return rest
    return []


# '... report ‘Are we there? Joining Up Care’', 'Adapted from Better Councils Handbook by ...': titles of works
_TITLE_QUOTE = re.compile(r"\b(?:report|paper|review|book|publication|study|article|guide|handbook|blog|essay|titled|called)"
                          r"[^‘’.\n]{0,15}?‘(?P<t>[^‘’\n]{8,140})’")
_ADAPTED = re.compile(r"\b(?:[Aa]dapted|[Tt]aken|[Qq]uoted|[Ee]xtracted) from (?P<t>[A-Z][^\n]{3,100}?) by [A-Z]")


def _cited_titles(text: str) -> list[tuple[int, int]]:
    """Spans of titles of reports and books the text cites: the names inside are the title's words, not actors."""
    return [m.span("t") for rx in (_TITLE_QUOTE, _ADAPTED) for m in rx.finditer(text)]


@functools.lru_cache(maxsize=8)
def _reference_lines(text: str) -> tuple[tuple[int, int], ...]:
    """Spans of footnote, citation and link lines ('1 Perez, Carlota (2003). ...'; a run of notes a PDF
    lost the breaks of holds three or more links)."""
    out = []
    for m in re.finditer(r"[^\n]+", text):
        line = m.group(0)
        links = len(re.findall(r"https?://\S+|www\.\S+", line))
        if re.match(r"\s*\d{1,2}\s+[A-Z]", line) and (re.search(r"\((?:19|20)\d\d\)|https?://|www\.", line)) \
                or links and (len(line) < 300 or links >= 3) and not re.search(r"@", line):
            out.append((m.start(), m.end()))
    return tuple(out)


def _in_spans(spans, offset: int) -> bool:
    return any(s <= offset < e for s, e in spans)


def _cited(sdoc, span: tuple[int, int], text: str) -> bool:
    """A name cited as an author or quoted sage ('Heifetz (1994)', '– Henry Ford', 'Margaret Mead who said')."""
    s, e = sdoc[span[0]].idx, sdoc[span[1] - 1].idx + len(sdoc[span[1] - 1].text)
    after, before = text[e:e + 60], text[max(0, s - 12):s]
    if re.match(r"\s*(?:\(\s*(?:19|20)\d\d|,?\s*(?:once\s+)?(?:said|wrote|observed|argued)\b|,?\s+who\s+(?:once\s+)?said)",
                after):
        return True
    if re.match(r"[’']s\s+(?:[\w-]+\s+){0,3}(?:model|theory|framework|law|principles?|hierarchy|ladder)\b", after):
        return True  # a thinker named for an idea ("Kotter’s eight-step change model")
    before = text[max(0, s - 30):s]
    return bool(re.search(r"[’”']\s*[–—-]\s*$|\b(?:quotes|quoting|according to|words of|paraphrase|"
                          r"(?:developed|devised|coined|popularised|popularized|conceived|written|adapted)\s+by)\s+$", before))


def _with_titles(sdoc, span: tuple[int, int]) -> tuple[int, int]:
    """Extend a person's token range over adjacent titles and post-nominals for the alias."""
    s, e = span
    while s > 0 and sdoc[s - 1].lower_.rstrip(".") in P.TITLES | {"dr", "prof"}:
        s -= 1
    while e < len(sdoc) and sdoc[e].text.upper() == sdoc[e].text and sdoc[e].lower_ in P.POST_NOMINALS:
        e += 1
    return sdoc[s].idx, sdoc[e - 1].idx + len(sdoc[e - 1].text)


_TITLE_SMALL = {"of", "for", "the", "and", "a", "an", "to", "in", "on", "my", "we", "our", "your", "n", "with", "at",
                "by", "is", "it", "all"}


def _quoted_programmes(text: str) -> list[_Cand]:
    """Quoted names of initiatives: 'the ‘Wigan Deal’', '‘Be Wigan’', '‘Well at Home’'."""
    out = []
    lowered = _lower_words(text)
    for m in _QUOTED.finditer(text):
        words = m.group(1).split()
        if not 1 <= len(words) <= 6 or m.group(1).rstrip()[-1:] in {".", "?", "!", ","} \
                or re.search(r"-[a-z]+$", words[-1]):  # '‘Seattle-style’ fund': a manner, not a name
            continue
        low = [w.lower().strip(".,") for w in words]
        content = [w for w, lw in zip(words, low) if lw not in _TITLE_SMALL]
        # a title-case name, not a quoted phrase of ordinary words ("Wicked problems", "It")
        titled = content and all(w[0].isupper() for w in content) and (
            len(words) >= 2 or (low[0] not in lowered and len(low[0]) > 4 and low[0] not in P.GENERIC_SINGLE))
        if low[-1] in P.PROGRAMME_SUFFIX and sum(w[0].isupper() for w in words) >= len(words) - 1 or titled:
            s = m.start(1)
            if low[0] == "the":
                s += len(words[0]) + 1
            out.append(_Cand(s, m.end(1), "programme", 4 if titled else 1))
    return out


# "initiatives such as Neighbour Links (...) and Safe at Home", "(e.g. Strong Families)"
_LIST_CUE = re.compile(r"\b(?:initiatives?|programmes?|projects?|schemes?|campaigns?|pilots?|services?)\s*"
                       r"(?:such as|like|including|called|named|\(e\.g\.?)\s+", re.I)
_CAP_NAME = re.compile(r"(?:[A-Z][\w’'-]*)(?:[ \t]+(?:(?:of|for|the|my|n|to)[ \t]+)?[A-Z][\w’'-]*){0,4}")
# lower-case nouns that say the capitalised words before them name an initiative ("Clear Minds service")
_SERVICE_TAIL = re.compile(r"[ \t]+(?:service|sessions?|referrals?|experience|website|site|events?|days?|"
                           r"offer|training|approach)\b")


_AUXILIARIES = {"is", "are", "was", "were", "do", "does", "did", "can", "could", "will", "would", "should", "has",
                "have", "had", "may", "might", "must", "shall"}
_NUMBER_WORDS = {"one", "two", "three", "four", "five", "six", "seven", "eight", "nine", "ten", "another", "each",
                 "every", "first", "second", "third"}


# "Fenwick Together, a collaboration between ...": a name the text defines as an initiative.
_DEFINED_AS = re.compile(
    r"(?<![\w’'-])(?P<name>[A-Z][A-Za-z’'-]+(?:\s+(?:(?:of|for|the|and|to|&)\s+)?[A-Z][A-Za-z’'-]+){0,4})(?:,|[ \t]+[–—])?[ \t]+"
    r"(?:(?:is|was)[ \t]+)?(?:a|an)[ \t]+(?:[\w-]+[ \t]+){0,3}?"
    r"(?:collaboration|partnership|initiative|programme|project|scheme|campaign|pilot|network|strategy|flagship)\b"
    r"(?![ \t]+(?:lead|leader|manager|director|officer|coordinator|co-ordinator|board|team)\b)")


def _cued_programmes(sdoc, text: str) -> list[_Cand]:
    """Capitalised names an initiative cue introduces, a definition names, or a service word follows."""
    out = []
    for m in _DEFINED_AS.finditer(text):
        name = m.group("name")
        words = name.lower().split()
        if words[0] in _START_TRIM or (_head_type(words) not in {None, "programme"} and words[-1] not in _INITIATIVE_HEADS) \
                or is_place_name(name) or "\n\n" in name \
                or name.lower() in P.REGIONS or (len(words) == 1 and (words[0] in _lower_words(text) or name.isupper())):
            continue
        # above spaCy's person label: "Healthy Steps is a pilot" defines a thing, not a person
        out.append(_Cand(m.start("name"), m.end("name"), "programme", 4))
    for m in _LIST_CUE.finditer(text):
        pos, stop = m.end(), min(len(text), m.end() + 160)
        while pos < stop:
            n = _CAP_NAME.match(text, pos)
            if not n:
                break
            low = n.group(0).lower()
            if " " in low or (low not in _lower_words(text) and len(low) > 4 and "-" not in low):
                out.append(_Cand(n.start(), n.end(), "programme", 3))
            rest = re.match(r"(?:\s*\([^()]{0,80}\))?\s*(?:,|and|or|;)\s*(?:the\s+)?", text[n.end():stop])
            if not rest or not rest.group(0).strip():
                break
            pos = n.end() + rest.end()
    refs, lowered = _reference_lines(text), _lower_words(text)
    for m in _SERVICE_TAIL.finditer(text):
        head = re.search(r"(?:[A-Z][\w’'-]+[ \t]+){0,3}[A-Z][\w’'-]+$", text[max(0, m.start() - 60):m.start()])
        if not head:
            continue
        s = m.start() - len(head.group(0))
        words = head.group(0).split()
        low = [w.lower() for w in words]
        if low[0] in _START_TRIM or low[0] in _AUXILIARIES or re.search(r"[’']s$", low[-1]) or _in_spans(refs, s):
            continue  # 'Is service failure inevitable?', 'the Council’s website', a reading list's title
        if len(low) == 1 and (low[0] in lowered or low[0] in P.GENERIC_SINGLE):
            continue  # 'Public service ...': an ordinary word opening a sentence
        if _head_type(low) is not None or all(w.isupper() for w in words) or is_place_name(head.group(0)) \
                or low[-1] in P.ROLE_WORDS:
            continue
        out.append(_Cand(s, m.start(), "programme", 1))
    return out


# 'Vale Futures (VF) Partnership': a name whose acronym the report gives before its head word
_INNER_ACR = re.compile(r"(?<![\w’'-])(?P<name>[A-Z][\w’'-]*(?:[ \t]+(?:(?:of|for|and|&|the)[ \t]+)?[A-Z][\w’'-]*){0,5})"
                        r"[ \t]+\((?P<acr>[A-Z][A-Za-z]{1,6})\)[ \t]+(?P<head>[A-Z][\w’'-]*)\b(?![ \t]+[A-Z])")


def _inner_acronym_names(text: str) -> list[_Cand]:
    """'Vale Futures (VF) Partnership', 'Better Lives (BL) SIBs': one name with its acronym inside, typed by the
    head word after it; the form without the acronym is an alias."""
    from .resolve import _initials

    out = []
    for m in _INNER_ACR.finditer(text):
        name, acr, head = m.group("name"), m.group("acr"), m.group("head")
        words = name.split()
        while words and words[0].lower() in _START_TRIM:
            words = words[1:]
        type_ = _head_type([head.lower()])
        spelled = {_initials(" ".join(words + add), small) for add in ([], [head]) for small in (False, True)}
        if not words or type_ not in {"organisation", "programme"} or head.lower() in P.ROLE_WORDS \
                or _head_type([w.lower() for w in words]) is not None or acr.upper() not in spelled:
            continue
        s = m.end("name") - len(" ".join(words)) if m.group("name").endswith(" ".join(words)) else m.start("name")
        out.append(_Cand(s, m.end(), type_, 5, sector=P.sector_of(f"{' '.join(words)} {head}") if type_ == "organisation"
                         else None, extra={"alias": f"{' '.join(words)} {head}"}))
    return out


# 'get in touch with Dana via dana.pell@example.org': the address names the person, a town's name or not
_EMAIL_NAME = re.compile(r"(?<![\w’'-])(?P<name>[A-Z][a-z]+(?:[ \t]+[A-Z][a-z]+)?)[ \t\n]+(?:via|at|on|by email|by e-mail|"
                         r"email|e-mail|:)?[ \t]*\(?(?P<local>[a-z]+)[._-]?[a-z]*@")


def _email_names(text: str) -> list[_Cand]:
    """A name just before an e-mail address whose local part starts with it is a person ('Dana via dana.x@')."""
    out = []
    for m in _EMAIL_NAME.finditer(text):
        if m.group("local") == m.group("name").split()[0].lower():
            out.append(_Cand(m.start("name"), m.end("name"), "person", 5))
    return out


# 'in Marlow and Keyhaven': two single names joined by 'and' after a word of location name one area.
_JOINED_PLACE = re.compile(r"\b(?:in|across|around|throughout|within)[ \t]+(?:the[ \t]+)?(?P<name>(?P<a>[A-Z][a-z]+)[ \t]+and[ \t]+"
                           r"(?P<b>[A-Z][a-z]+))\b(?![ \t]+[A-Z&])")
_MULTIWORD_REGIONS = sorted((r for r in P.REGIONS if " " in r and r not in _NATIONAL_FRAME), key=len, reverse=True)
_REGION_RE = re.compile(r"(?<![\w’'-])(?:" + "|".join(r"[ \t]+".join(w if w in {"and", "of", "the"} else w.capitalize()
                                                                       for w in r.split()) for r in _MULTIWORD_REGIONS)
                        + r")(?![\w’'-])")


def _joined_places(sdoc, text: str) -> list[_Cand]:
    """Areas named by two single names ('in Marlow and Keyhaven': both called places by spaCy, or the pair named
    again; not two listed towns, which are two places) and the statistical regions ('Yorkshire and Humber') where
    they stand alone, wherever the text writes them."""
    lowered = _lower_words(text)
    geo = {e.start_char for e in sdoc.ents if e.label_ in {"GPE", "LOC"}}
    names = set()
    for m in _JOINED_PLACE.finditer(text):
        a, b = m.group("a"), m.group("b")
        if any(w.lower() in lowered or w.lower() in _HEAD_WORDS or w.lower() in P.GENERIC_SINGLE or w.lower() in _MONTHS
               or w.lower() in P.ROLE_WORDS for w in (a, b)) or (is_place_name(a) and is_place_name(b)):
            continue
        again = len(re.findall(re.escape(a) + r"[ \t]+and[ \t]+" + re.escape(b) + r"\b", text)) >= 2
        if again or (m.start("a") in geo and m.start("b") in geo):
            names.add((a, b))
    # a region inside a longer name ('Vale South West Trust', 'South East Fenland Partnership') is not on its own
    out = [_Cand(m.start(), m.end(), "place", 4) for m in _REGION_RE.finditer(text)
           if not re.search(r"[A-Z][\w’'&-]*[ \t]+$", text[max(0, m.start() - 30):m.start()])
           and not re.match(r"[ \t]+(?:[A-Z]|of[ \t]|for[ \t])", text[m.end():m.end() + 6])]
    for a, b in names:
        # with the spelling variants a report mixes ('Holts and Lees' / 'Holt and Lees')
        rx = re.escape(a.removesuffix("s")) + r"s?[ \t\n]+and[ \t\n]+" + re.escape(b.removesuffix("s")) + r"s?"
        out += [_Cand(m.start(), m.end(), "place", 4) for m in re.finditer(r"(?<![\w’'-])" + rx + r"(?![\w’'-])", text)]
    return out


_DEPT_START = re.compile(r"^(?:Ministry|Department)\s+(?:of|for)\s")
_DEPT_WORD = r"[A-Z][\w’'-]*(?:[ \t\n]+[A-Z][\w’'-]*){0,2}"
# ', Communities and Local Government': the rest of a department's name listing its briefs
_DEPT_TAIL = re.compile(rf",[ \t\n]+{_DEPT_WORD}(?:,[ \t\n]+{_DEPT_WORD})*,?[ \t\n]+(?:and|&)[ \t\n]+{_DEPT_WORD}")


def _department_lists(text: str, cands: list[_Cand]) -> list[_Cand]:
    """A department named by a list of briefs ('Ministry of Trade, Skills and Regions') runs over its commas."""
    for c in cands:
        if c.type != "organisation" or not _DEPT_START.match(text[c.start:c.end]):
            continue
        m = _DEPT_TAIL.match(text, c.end)
        if not m or "\n\n" in m.group(0):
            continue
        briefs = re.findall(r"[A-Za-z][\w’'-]*", m.group(0))
        if any(w.lower() in P.ORG_SUFFIX or w.lower() in P.ORG_PREFIX for w in briefs):
            continue  # 'Department for Schools, Kenmore Council and ...': a list of bodies, not of briefs
        c.end, c.prio = m.end(), max(c.prio, 4)
    return cands


# Heads that end a body's name for certain; a name running on past one names a second thing.
_STRONG_BODY_HEADS = {"office", "department", "ministry", "council", "agency", "authority", "commission", "treasury",
                      "trust", "foundation", "university"}
_WORD = re.compile(r"[^\s]+")


def _owner_initiatives(text: str, cands: list[_Cand]) -> list[_Cand]:
    """'Harwick Office Procurement Academy', 'Vale Foundation Innovation Fund': a body's name run into the name of
    its initiative is two names, the body and the initiative (the rest needs two words and an initiative's head)."""
    out = []
    for c in cands:
        words = list(_WORD.finditer(text, c.start, c.end)) if c.type in {"organisation", "programme"} else []
        cut = next((k for k in range(len(words) - 3, 0, -1) if words[k].group().lower() in _STRONG_BODY_HEADS), None)
        if cut is None:
            out.append(c)
            continue
        rest = [w.group().lower() for w in words[cut + 1:]]
        if rest[0] in P.CONNECTORS or rest[0] in _BEFORE_THE or not all(w.group()[:1].isupper() for w in words) \
                or not (rest[-1] in P.PROGRAMME_SUFFIX or rest[-1] in P.AMBIGUOUS_SUFFIX):
            out.append(c)
            continue
        body = [w.group().lower() for w in words[:cut + 1]]
        out.append(_Cand(c.start, words[cut].end(), "organisation", c.prio, sector=P.sector_of(" ".join(body))))
        out.append(_Cand(words[cut + 1].start(), c.end, _head_type(rest) or c.type, c.prio))
    return out


_STAFFED = re.compile(r"(?:[ \t]*\([A-Za-z0-9&]{2,10}\))?[ \t]+(?:team|staff|officers|board)\b")


def _staffed_places(text: str, chosen: list[_Cand]) -> list[_Cand]:
    """A name with a place's head word that has a team or staff ('the Kenmore Public Estate (KPE) team') is a body."""
    for c in chosen:
        if c.type == "place" and not c.nested and text[c.start:c.end].split()[-1].lower() in P.PLACE_SUFFIX \
                and _STAFFED.match(text, c.end):
            c.type, c.sector = "organisation", P.sector_of(text[c.start:c.end])
    return chosen


def _select(cands: list[_Cand], lost: list | None = None) -> list[_Cand]:
    """Non-overlapping candidates, strongest (priority, then length) first; each one dropped goes to
    `lost` with the candidate that won over it."""
    cands = sorted(cands, key=lambda c: (-c.prio, -(c.end - c.start), c.start))
    out: list[_Cand] = []
    for c in cands:
        winner = next((t for t in out if c.start < t.end and t.start < c.end), None)
        if winner is not None:
            if lost is not None:
                lost.append((c, winner))
            continue
        out.append(c)
    return out


def _back_references(text: str, chosen: list[_Cand]) -> list[_Cand]:
    """A lone given name is the person ('Diarmaid is ...'); a lone head word ('the Catapult') no body of its own."""
    given = {text[c.start:c.end].split()[0] for c in chosen if c.type == "person" and len(text[c.start:c.end].split()) >= 2}
    heads = {text[c.start:c.end].split()[-1].lower() for c in chosen
             if c.type == "organisation" and len(text[c.start:c.end].split()) >= 2}
    out = []
    for c in chosen:
        surface = text[c.start:c.end]
        if c.type in {"organisation", "place"} and c.prio <= 2 and " " not in surface:
            if surface in given:
                c = _Cand(c.start, c.end, "person", 1)
            elif c.type == "organisation" and surface.lower() in heads and not surface.isupper():
                continue
        out.append(c)
    return out


# Heads that name a body or an initiative alike; boards and forums here are nearly always bodies, an academy
# is either (a training course run in cohorts, or the body that runs them), so the context decides.
_INITIATIVE_HEADS = {"partnership", "network", "group", "collaborative", "academy"}
# Words around "X Partnership/Network/Group" that make it a thing set up or joined, or a body that acts
# (not "member of": a board member of a network holds a post in a body).
_AS_PROGRAMME_BEFORE = re.compile(r"(?:\b(?:cohort|part|launch|evaluation|round|phase)\s+of|\b(?:launched|set up|"
                                  r"established|created|joined|join|joins|funded|through|via|attend(?:ed|s)?))\s+(?:the\s+)?$", re.I)
_AS_PROGRAMME_AFTER = re.compile(r"^[’']?s?\s*(?:met|meets|will be (?:independently )?evaluated|(?:was|is|will be) "
                                 r"(?:hosted|launched|set up|established|funded|evaluated|designed to|delivered through)|takes place|model|"
                                 r"programme|meetings?|sessions?|format|alumni|cohorts?)\b", re.I)
_AS_BODY_AFTER = re.compile(r"^(?:[’']s)?\s*(?:employs|said|says|(?:chief executive|chair|staff|board|director)\b)", re.I)
_AS_BODY_BEFORE = re.compile(r"\b(?:chief executive|director|chair|employed by|works? (?:for|at)|staff (?:at|of))\s+(?:of\s+)?(?:the\s+)?$", re.I)


def _ambiguous_heads(text: str, chosen: list[_Cand]) -> list[_Cand]:
    """'X Partnership/Network/Group' is a programme when the words around its mentions say it is set up, joined,
    met or evaluated, more often than they say it employs, speaks or has a chief executive."""
    votes: dict[str, int] = {}
    ambiguous = [c for c in chosen if c.type in {"organisation", "programme"} and not c.nested
                 and text[c.start:c.end].split()[-1].lower() in _INITIATIVE_HEADS and len(text[c.start:c.end].split()) >= 2]
    for c in ambiguous:
        before, after = text[max(0, c.start - 40):c.start], text[c.end:c.end + 40]
        vote = bool(_AS_PROGRAMME_BEFORE.search(before)) + bool(_AS_PROGRAMME_AFTER.match(after)) \
            - bool(_AS_BODY_AFTER.match(after)) - bool(_AS_BODY_BEFORE.search(before))
        key = name_key_of(text[c.start:c.end])
        votes[key] = votes.get(key, 0) + vote
    for c in ambiguous:
        if votes.get(name_key_of(text[c.start:c.end]), 0) > 0:
            c.type, c.sector = "programme", None
    return chosen


# Words around a name with no body's head word that make it an initiative: 'launching X', '£1.2m for X',
# 'X, a job-brokerage service', 'X launched in 2019', 'since X began'; and that make it a body: 'X said',
# 'X, a charity', 'chief executive of X'.
_KIND_AFTER = re.compile(r"^,\s+(?:a|an|the)\s+(?:[\w’'-]+\s+){0,3}?(?P<kind>service|scheme|programme|model|project|"
                         r"pilot|initiative|campaign|approach|fund|hubs?|charity|company|organisation|provider|"
                         r"social enterprise|council|trust|partnership|network|consultancy|firm)\b", re.I)
_RUN_BEFORE = re.compile(r"(?:\b(?:launch(?:ed|es|ing)?|run(?:s|ning)?|ran|deliver(?:s|ed|ing)?|host(?:s|ed|ing)?|"
                         r"pilot(?:s|ed|ing)?|expand(?:s|ed|ing)?|since|through|via)|£[\d.,]+\s*(?:m|bn|k|million|billion)?"
                         r"\s+for)\s+(?:the\s+)?$", re.I)
_STARTED_AFTER = re.compile(r"^\s+(?:(?:was|is|will be|has been)\s+(?:launched|commissioned|funded|delivered|hosted|run|"
                            r"piloted|rolled out)|(?:launched|started|began|begins|opened)\s+(?:in|on)\b|began\b)", re.I)
# Any word that makes a name a body's, an initiative's or a building's.
_NAME_HEADS = frozenset(P.ORG_SUFFIX) | frozenset(P.ORG_PREFIX) | _BODY_HEADS | _INITIATIVE_HEADS | _FACILITY_HEADS
_BODY_KINDS = {"charity", "company", "organisation", "provider", "social enterprise", "council", "trust", "consultancy",
               "firm"}


def _unheaded_programmes(text: str, chosen: list[_Cand]) -> list[_Cand]:
    """A name without any body's head word ('Bright Starts Lowmere', 'Wren Jobs') is an initiative when
    the words around its mentions treat it as one more often than as a body that acts or employs."""
    cands = [c for c in chosen if c.type == "organisation" and not c.nested]
    votes: dict[str, int] = {}
    unheaded = []
    for c in cands:
        name = text[c.start:c.end]
        words = name.split()
        if len(words) < 2 or "\n" in name or name.isupper() or any(w.lower().strip("’'s") in _NAME_HEADS for w in words) \
                or any(w.isupper() and len(w) > 1 for w in words):
            continue
        unheaded.append(c)
    for name in {text[c.start:c.end] for c in unheaded}:
        vote = 0
        for m in re.finditer(rf"(?<![\w-]){re.escape(name)}(?![\w-])", text):
            before, after = text[max(0, m.start() - 40):m.start()], text[m.end():m.end() + 80]
            kind = _KIND_AFTER.match(after)
            vote += (2 if kind and kind.group("kind").lower() not in _BODY_KINDS else -2 if kind else 0)
            vote += bool(_RUN_BEFORE.search(before)) + bool(_STARTED_AFTER.match(after)) \
                - bool(_AS_BODY_AFTER.match(after)) - bool(_AS_BODY_BEFORE.search(before))
        key = name_key_of(name)
        votes[key] = votes.get(key, 0) + vote
    for c in unheaded:
        if votes.get(name_key_of(text[c.start:c.end]), 0) > 0:
            c.type, c.sector = "programme", None
    return chosen


def _named_people(text: str, chosen: list[_Cand]) -> list[_Cand]:
    """'Apologies from Tobias Wrenfield': a common given name and a surname, nothing of a body's name in
    them, that a recogniser called an organisation, are a person."""
    for c in chosen:
        words = text[c.start:c.end].split()
        if c.type == "organisation" and c.prio <= MODEL_PRIO and 2 <= len(words) <= 3 \
                and words[0].lower() in P.GIVEN_NAMES and all(_PERSON_TOKEN.match(w) for w in words) \
                and not any(w.lower() in _NAME_HEADS or w.lower() in P.PROGRAMME_SUFFIX or w.lower() in P.GENERIC_SINGLE
                            for w in words) and not is_place_name(" ".join(words)):
            c.type, c.sector = "person", None
    return chosen


def _possessive_names(text: str, chosen: list[_Cand]) -> list[_Cand]:
    """A body's name that always carries 's, also where no noun follows ('with Pemberton’s.'), keeps it."""
    surfaces = {text[c.start:c.end] for c in chosen if c.type == "organisation" and "\n" not in text[c.start:c.end]}
    keep = set()
    for name in surfaces:
        if name + "’s" not in text and name + "'s" not in text:
            continue  # never written with 's: skip the scan of the whole text (2.4 s of 3 s before)
        after = [text[m.end():m.end() + 20] for m in re.finditer(r"(?<![\w’'-])" + re.escape(name) + r"(?![\w-])", text)]
        if after and all(re.match(r"[’']s\b", a) for a in after) and \
                any(re.match(r"[’']s[ \t]*(?:[,.;:)]|\n|(?:in|and|or|to|for|with|who|which|was|is|has)\b)", a) for a in after):
            keep.add(name)
    for c in chosen:
        if c.type == "organisation" and text[c.start:c.end] in keep:
            c.end += 2
    return chosen


# One bare item of a list: a short capitalised name, maybe after 'the'; and what separates items.
# Words that open a job title and never a body's name.
_ROLE_OPENERS = {"deputy", "assistant", "acting", "interim", "former", "vice", "associate"}
_LIST_ITEM = re.compile(r"(?:the[ \t]+)?([A-Z][\w&’'.-]*(?:[ \t]+[A-Z0-9][\w&’'.-]*){0,3})(?=[ \t]*(?:[,;.)]|\(|[ \t]and\b|$))")
_LIST_SEP = re.compile(r"(?:[ \t]*\([^()\n]{0,60}\))?[ \t]*(?:,[ \t]*(?:and[ \t]+)?|[ \t]+and[ \t]+|;[ \t]*)(?:the[ \t]+)?")


def _list_members(text: str, chosen: list[_Cand], sents=None) -> list[_Cand]:
    """Unlabelled names in a list whose named items are all bodies (or all places) are bodies (places) too:
    'the X Group, NCVO, E3M and the Y Network'; '(Oldham, Wigan, Wirral)'."""
    import bisect

    cands = sorted((c for c in chosen if not c.nested), key=lambda c: c.start)
    starts = [c.start for c in cands]
    out: list[_Cand] = []
    k = 0
    while k < len(cands):
        items: list[tuple[int, int, _Cand | None]] = [(cands[k].start, cands[k].end, cands[k])]
        pos, j = cands[k].end, k
        while True:
            sep = _LIST_SEP.match(text, pos)
            if not sep:
                break
            n = bisect.bisect_left(starts, sep.end())
            if n < len(cands) and cands[n].start == sep.end():
                items.append((cands[n].start, cands[n].end, cands[n]))
                pos, j = cands[n].end, n
                continue
            item = _LIST_ITEM.match(text, sep.end())
            if not item or (n < len(cands) and cands[n].start < item.end(1)):
                break
            items.append((item.start(1), item.end(1), None))
            pos = item.end(1)
        k = j + 1
        from collections import Counter

        votes = Counter(c.type for _, _, c in items if c is not None)
        if len(items) < 3 or not votes:
            continue
        type_, n_type = votes.most_common(1)[0]
        if type_ not in {"organisation", "place"} or n_type < 2 or n_type < len(items) / 2:
            continue
        for s, e, c in items:
            if c is not None:
                if c.type != type_ and c.prio <= 2 and " " not in text[c.start:c.end] and c.type in {"organisation", "place"}:
                    c.type, c.sector = type_, None  # spaCy's lone odd label in a list of places ('Oldham, Wigan, Wirral')
                continue
            name = text[s:e]
            words = name.lower().split()
            if len(words) > 1 and (words[0] in _ROLE_OPENERS or re.fullmatch(r"[a-z]\.?", words[-1])):
                continue  # 'Deputy Chief Office' (a job title cut short), 'Baby Q' (a person named by an initial)
            if _head_type(words) not in {None, type_} or words[0] in _START_TRIM or words[0] in P.ROLE_WORDS \
                    or words[0] in _MONTHS or (type_ == "organisation" and (is_place_name(name) or " ".join(words) in P.REGIONS)):
                continue
            out.append(_Cand(s, e, type_, 2, sector=P.sector_of(name) if type_ == "organisation" else None))
    return out


_KIND_NAME = r"[A-Z][\w’'&-]*(?:[ \t]+[A-Z][\w’'&-]*){0,3}"
# 'external agents X and Y', 'media companies X and Y': a plural kind of body names the two after it
_KIND_PAIR = re.compile(rf"\b(?:agents|providers|contractors|suppliers|firms|companies|charities)\s+(?:such as\s+|including\s+)?"
                        rf"(?P<a>{_KIND_NAME})[ \t]+and[ \t]+(?P<b>{_KIND_NAME})\b")
# 'X, commissioned by Y, delivers ...': what a body commissions or funds at a sentence start is a provider
_COMMISSIONED = re.compile(rf"(?:^|(?<=\n)|(?<=[.;:][ \t]))(?P<a>{_KIND_NAME}),[ \t]+(?:commissioned|funded|contracted|hired|"
                           rf"employed)[ \t]+by[ \t]+(?:the[ \t]+)?")


# 'credit card provider Zentra', 'not-for-profit Civic Capital': a singular kind of body names the one after it
_KIND_ONE = re.compile(rf"\b(?:provider|company|firm|charity|consultancy|supplier|contractor|not-for-profit|non-profit|"
                       rf"social enterprise|start-?up)[ \t]+(?P<a>{_KIND_NAME})\b(?![ \t]*[’']s\b)")
# 'the region’s tech sector (e.g. Zentra, Qubit9)': bodies given as examples of a kind
_KIND_EXAMPLES = re.compile(r"\b(?:sector|companies|firms|providers|organisations|charities|businesses|suppliers)[ \t\n]*"
                            r"\((?:e\.g\.,?|such as|including)[ \t\n]*(?P<list>[^()]{2,120})\)")


def _kind_appositions(text: str, chosen: list[_Cand]) -> list[_Cand]:
    """Unlabelled bodies placed by the words around them: 'providers X and Y', 'X, commissioned by <body>,',
    'provider X', 'the tech sector (e.g. X, Y)'."""
    taken = [(c.start, c.end) for c in chosen]
    body_starts = {c.start for c in chosen if c.type == "organisation"}
    spans = [m.span(g) for m in _KIND_PAIR.finditer(text) for g in ("a", "b")]
    spans += [m.span("a") for m in _COMMISSIONED.finditer(text) if m.end() in body_starts]
    spans += [m.span("a") for m in _KIND_ONE.finditer(text)]
    for m in _KIND_EXAMPLES.finditer(text):
        for item in re.finditer(_KIND_NAME, m.group("list")):
            if re.fullmatch(r"[ \t\n]*(?:,|and|&|or)?[ \t\n]*", m.group("list")[:item.start()].rsplit(",", 1)[-1].rsplit(" and", 1)[-1]):
                spans.append((m.start("list") + item.start(), m.start("list") + item.end()))
    out = []
    exact = {(c.start, c.end): c for c in chosen}
    for s, e in spans:
        name = text[s:e]
        c = exact.get((s, e))
        if c is not None and (c.prio <= 2 or c.type == "person" and c.prio <= 3) and c.type in {"place", "person"} \
                and not is_place_name(name):
            c.type, c.sector = "organisation", P.sector_of(name)  # spaCy's place or person label on a named firm
            continue
        if any(s < te and ts < e for ts, te in taken) or name.split()[0].lower() in _START_TRIM or is_place_name(name) \
                or _head_type(name.lower().split()) not in {None, "organisation"} or "\n" in name \
                or name.lower() in P.GENERIC_SINGLE or name.split()[0].lower() in P.ROLE_WORDS | _MONTHS:
            continue
        taken.append((s, e))
        out.append(_Cand(s, e, "organisation", 2, sector=P.sector_of(name)))
    return out


# Collective nouns a report gives its own initiatives in lower case ('listening circles', 'practice huddles').
_INITIATIVE_NOUNS = {"groups", "pods", "clubs", "circles", "labs", "hubs", "academies", "cafes", "cafés", "forums"}
_INITIATIVE_CUE = re.compile(r"\b(?:launch(?:ed|es)?|join(?:ed|s)?|set up|experiment(?:ing|ed)? with|incorporat(?:ed|es|ing)|"
                             r"introduc(?:ed|es|ing)|pilot(?:ed|ing|s)?|establish(?:ed|es)?|network of)\b[\w ]{0,30}$", re.I)


def _initiative_modifier(tok) -> bool:
    """A lower-case noun or '-ing' word qualifying the initiative noun ('peer', 'learning'); adjectives are not."""
    return tok.dep_ in {"compound", "amod"} and tok.text.isalpha() and tok.text.islower() and \
        (tok.pos_ == "NOUN" or tok.pos_ == "VERB" and tok.text.endswith("ing"))


def _lower_case_initiatives(sdoc, text: str, chosen: list[_Cand]) -> list[_Cand]:
    """A lower-case compound the report uses again and again for a kind of initiative it launches or joins
    ('experimenting with listening circles', 'join any of these practice huddles') is a programme."""
    uses: dict[str, list[tuple[int, int]]] = {}
    for tok in sdoc:
        if tok.text not in _INITIATIVE_NOUNS:
            continue
        left = tok.i
        while left > 0 and _initiative_modifier(sdoc[left - 1]) and sdoc[left - 1].head.i in range(left, tok.i + 1):
            left -= 1
        if left < tok.i:
            uses.setdefault(sdoc[left:tok.i + 1].text.lower(), []).append((sdoc[left].idx, tok.idx + len(tok.text)))
    taken = [(c.start, c.end) for c in chosen]
    out = []
    for spans in uses.values():
        if len(spans) < 2 or not any(_INITIATIVE_CUE.search(text[max(0, s - 60):s]) for s, _ in spans):
            continue
        for s, e in spans:
            if not any(s < te and ts < e for ts, te in taken):
                out.append(_Cand(s, e, "programme", 1))
    return out


_NAME_LEAD = frozenset(w.capitalize() for w in _START_TRIM)


def _repeat_mentions(text: str, chosen: list[_Cand]) -> list[_Cand]:
    """Later verbatim uses of a body or programme the document has named: spaCy misses a name where the
    context is unusual (a paragraph opening 'Heritage Fund Wales invested ...'), which loses the relation there."""
    import bisect

    kinds: dict[str, _Cand] = {}
    for c in chosen:
        surface = text[c.start:c.end]
        if c.type in {"organisation", "programme"} and not c.nested and "\n" not in surface and len(surface) >= 4 \
                and surface[0].isupper() and (" " in surface or surface.isupper() or c.prio >= 2):
            kinds.setdefault(surface, c)
    for k, acr in _acronym_definitions(text, chosen).items():
        kinds.setdefault(acr, chosen[k])  # 'Parkway 200 (PW200)' ... 'PW200 runs'
    if not kinds:
        return []
    names = sorted(kinds, key=len, reverse=True)
    pattern = re.compile(r"(?<![\w’'@./-])(?:" + "|".join(re.escape(n).replace(r"\ ", r"\s+") for n in names) + r")(?![\w@/-])")
    taken = sorted((c.start, c.end) for c in chosen)
    out = []
    for m in pattern.finditer(text):
        k = bisect.bisect_left(taken, (m.start(), -1))
        if any(ts < m.end() and m.start() < te for ts, te in taken[max(0, k - 2):k + 2]):
            continue
        # a capitalised word on either side makes it part of a longer name the rules did not take
        prev = re.search(r"([A-Z][\w’'-]*)[ \t]+$", text[max(0, m.start() - 30):m.start()])
        if prev and prev.group(1) not in _NAME_LEAD or re.match(r"[ \t]+(?:of[ \t]+)?[A-Z0-9]", text[m.end():m.end() + 6]):
            continue
        src = kinds[_WS.sub(" ", m.group(0))] if _WS.sub(" ", m.group(0)) in kinds else kinds.get(m.group(0))
        if src is None:
            continue
        # weight 0: a recurrence copies the name's type and must not outvote the mentions that decided it
        out.append(_Cand(m.start(), m.end(), src.type, 0, sector=src.sector))
    return out


def _initialisms(text: str, chosen: list[_Cand]) -> list[_Cand]:
    """Bare acronyms spelling the initials of exactly one named body or programme of the document ('PSTA')."""
    from .resolve import _initials

    by_acr: dict[str, set[tuple[str, str]]] = {}
    for c in chosen:
        name = _WS.sub(" ", text[c.start:c.end])
        if c.type in {"organisation", "programme"} and len(name.split()) >= 3:
            for acr in {_initials(name, False), _initials(name, True)}:
                by_acr.setdefault(acr, set()).add((c.type, name_key_of(name)))
    taken = [(c.start, c.end) for c in chosen]
    import bisect

    taken.sort()
    out = []
    for m in re.finditer(r"(?<![\w’'@./-])[A-Z][A-Z0-9&]{1,7}(?![\w’'@/-])", text):
        kinds = by_acr.get(m.group(0))
        if not kinds or len(kinds) != 1 or len(m.group(0)) < 3:
            continue
        k = bisect.bisect_left(taken, (m.start(), -1))
        if any(ts < m.end() and m.start() < te for ts, te in taken[max(0, k - 1):k + 2]):
            continue
        type_ = next(iter(kinds))[0]
        out.append(_Cand(m.start(), m.end(), type_, 2))
    return out


_PAIRED_ACR = re.compile(r"(?<![\w’'@./&-])(?P<a>[A-Z][A-Z0-9]{2,6})[ \t]+(?:and|&)[ \t]+(?:the[ \t]+)?$")
_ACR_AFTER = re.compile(r"^[ \t]+(?:and|&)[ \t]+(?P<a>[A-Z][A-Z0-9]{2,6})(?![\w’'@/&-])")


def _paired_acronyms(text: str, chosen: list[_Cand]) -> list[_Cand]:
    """An unlabelled acronym joined by 'and' to a named body is a body ('metrics from OFSR and the Vale Ombudsman')."""
    starts = {c.start for c in chosen}
    terms = _term_acronyms(text)
    out = []
    for c in chosen:
        if c.type != "organisation" or c.nested:
            continue
        for m in (_PAIRED_ACR.search(text, max(0, c.start - 16), c.start), _ACR_AFTER.match(text, c.end)):
            if m is None:
                continue
            acr = m.group("a")
            s, e = m.span("a")
            if acr.lower() in P.ABBREVIATIONS or acr.lower() in _SECTOR_NAMES or acr in terms or s in starts \
                    or re.search(r"[A-Z][\w’'&-]*[ \t]+$", text[max(0, s - 30):s]):
                continue  # ('Vale MBC and ...': the acronym ends a longer name)
            out.append(_Cand(s, e, "organisation", 2))
            starts.add(s)
    return out


_COUNCIL_PLACE = re.compile(
    r"^(?:(?:London|Royal) Borough of (?P<a>.+)|(?P<b>.+?)(?: (?:Metropolitan )?(?:County|City|District|Borough|Metropolitan Borough))?"
    r" (?:Council|MBC|CCG))$")


def _nested_places(text: str, chosen: list[_Cand]) -> list[_Cand]:
    """The place inside a council's name ('Wigan' in 'Wigan Council', 'Wexley' in 'London Borough of Wexley')."""
    out = []
    for c in chosen:
        out += _town_in_name(text, c)
        if c.type != "organisation" or c.sector not in {"council", "nhs"}:
            continue
        surface = text[c.start:c.end]
        m = _COUNCIL_PLACE.match(_WS.sub(" ", surface)) if "\n" not in surface else None
        if not m:
            continue
        group = "a" if m.group("a") else "b"
        place = m.group(group)
        if not place or not place[0].isupper() or len(place.split()) > 4:
            continue
        if any(w.lower() in P.ORG_SUFFIX or w.lower() in P.PROGRAMME_SUFFIX for w in place.split()):
            continue
        if place.lower() in _lower_words(text) and not is_place_name(place):
            continue  # 'Arts Council', 'Parish Council': an ordinary word, not the council's area
        s = c.start + m.start(group)
        out.append(_Cand(s, s + len(place), "place", 3, nested=True))
    return out


# "Ashby Library", "Friends of Wellow Library", "States of Sark": a listed town in a facility's or body's name.
_TOWN_FACILITY = re.compile(r"^(?:.* of )?(?P<p>[A-Z][\w’'-]+(?: [A-Z][\w’'-]+)?) (?:Library|Libraries|Station|Hospital|Harbour)$"
                            r"|^(?:States|Friends|Port|Bailiwick) of (?P<q>[A-Z][\w’'-]+(?: [A-Z][\w’'-]+)?)$")


def _town_in_name(text: str, c: _Cand) -> list[_Cand]:
    """The listed town inside a facility's or body's name is a place of the report too."""
    if c.nested or c.type not in {"organisation", "place", "programme"} or "\n" in text[c.start:c.end]:
        return []
    f = re.match(r"^Friends of (?:the )?(?P<f>[A-Z][\w’'&-]*(?: [A-Z][\w’'&-]*){1,4})$", text[c.start:c.end])
    if f and _head_type(f.group("f").lower().split()) == "place" and not f.group("f").endswith("Library"):
        s = c.start + f.start("f")  # 'Friends of Kenmore Nature Reserve': the reserve is a place of the report
        return [_Cand(s, s + len(f.group("f")), "place", 3, nested=True)]
    m = _TOWN_FACILITY.match(text[c.start:c.end])
    group = ("p" if m.group("p") else "q") if m else None
    if group is None:
        return []
    town = m.group(group)
    if not is_place_name(town) and not (text[c.start:c.end].endswith(" Library") and town.split()[0].lower() not in
                                        _LIBRARY_KINDS and town.lower() not in _lower_words(text)):
        return []
    s = c.start + m.start(group)
    return [_Cand(s, s + len(m.group(group)), "place", 3, nested=True)]


_COMPASS = {"north", "south", "east", "west", "north east", "north west", "south east", "south west", "midlands",
            "the north", "the south", "the midlands"}


def _council_places(text: str, chosen: list[_Cand]) -> list[_Cand]:
    """A place named by a council of the document ('Dunmore' of 'Dunmore Council') is a place wherever it stands
    alone; so is a region alone on a heading line ('South West')."""
    import bisect

    names = {_WS.sub(" ", text[c.start:c.end]) for c in chosen if c.nested and c.type == "place"}
    for c in chosen:
        if not c.nested and c.type in {"organisation", "person"} and c.prio <= 3 and _WS.sub(" ", text[c.start:c.end]) in names:
            c.type, c.sector = "place", None
    spans = sorted((c.start, c.end) for c in chosen)
    out = []
    found = []
    if names:
        rx = re.compile(r"(?<![\w’'-])(?:" + "|".join(re.escape(n) for n in sorted(names, key=len, reverse=True))
                        + r")(?![\w-]|[ \t]+[A-Z])")
        found += [(m.start(), m.end()) for m in rx.finditer(text)]
    for m in re.finditer(r"(?m)^[ \t]*([A-Z][a-z]+(?:[ \t]+[A-Z][a-z]+)?)[ \t]*$", text):
        if m.group(1).lower() in _COMPASS or m.group(1).lower() in P.REGIONS:
            found.append((m.start(1), m.end(1)))
    for s, e in found:
        k = bisect.bisect_left(spans, (s, -1))
        if any(ts < e and s < te for ts, te in spans[max(0, k - 1):k + 2]):
            continue
        out.append(_Cand(s, e, "place", 2))
    return out


def _acronym_definitions(text: str, chosen: list[_Cand]) -> dict[int, str]:
    """Index of a chosen candidate -> the acronym defined right after it ('Oxford University Hospitals (OUH)')."""
    defs = {}
    for k, c in enumerate(chosen):
        if c.type in {"organisation", "programme", "place"} and not c.nested:  # 'Kenmore Branch Line (KBL)' too
            m = _ACRONYM_DEF.match(text, c.end)
            if m and (sum(ch.isupper() for ch in m.group("acr")) >= 2 or m.group("acr")[0].islower()):
                defs[k] = m.group("acr")
    return defs


def _dominant_council(clusters, document: Document) -> Cluster | None:
    """The document's own council: the only one, the one its title names, or one mentioned twice as often."""
    councils = sorted((cl for cl in clusters.clusters if cl.type == "organisation" and cl.sector == "council"
                       and re.search(r"\b(council|borough|mbc)$", cl.name, re.I) and len(cl.name.split()) >= 2),
                      key=lambda cl: (-cl.count, cl.name))
    if not councils:
        return None
    title_words = set(re.findall(r"[a-z]+", f"{document.title} {document.doc}".lower()))
    named = [cl for cl in councils if cl.name.split()[0].lower() in title_words]
    if len(named) == 1:
        return named[0]
    if len(councils) == 1 or councils[0].count >= 2 * councils[1].count:
        return councils[0]
    return None


def _council_refs(text: str, chosen: list[_Cand], assignment: list, council) -> list[tuple[int, int, Cluster]]:
    """'the Council' / 'the City Council' spans that name the document's own council.

    Only the document's one council: 'the council' becomes an alias of the entity it names, and an alias that
    names a different council in each section misleads search (measured: a role question answered from the
    wrong council's section)."""
    if council is None:
        return []
    name_words = set(council.name.lower().split())
    out = []
    for m in _COUNCIL_REF.finditer(text):
        if m.group("q") and m.group("q").lower() not in name_words:
            continue
        s = m.start()
        if not any(c.start < m.end() and s < c.end for c in chosen):
            out.append((s, m.end(), council))
    return out


# -- evidence units (sentences) --------------------------------------------------------------


def _evidence_units(sents: list[tuple[int, int]], chosen: list[_Cand], n: int) -> list[tuple[int, int]]:
    """spaCy sentences, merged where a mention runs over a sentence boundary."""
    units = [list(s) for s in sents] or [[0, n]]
    import bisect

    starts = [u[0] for u in units]
    merged_into = list(range(len(units)))
    for c in chosen:
        a = bisect.bisect_right(starts, c.start) - 1
        b = bisect.bisect_right(starts, max(c.end - 1, c.start)) - 1
        for k in range(a + 1, b + 1):
            merged_into[k] = merged_into[a] if merged_into[a] == a else merged_into[merged_into[a]]
    out: list[list[int]] = []
    for k, u in enumerate(units):
        if merged_into[k] != k and out:
            out[-1][1] = u[1]
        else:
            out.append(list(u))
    return [(s, e) for s, e in out]


def _unit_of(units: list[tuple[int, int]], offset: int) -> tuple[int, int]:
    import bisect

    k = bisect.bisect_right([u[0] for u in units], offset) - 1 if units else -1
    return units[max(k, 0)] if units else (0, 0)


# -- relations -------------------------------------------------------------------------------


def _relations(document: Document, mentions: list[Mention], units, by_id: dict[str, Entity],
               why: dict | None = None) -> list[Relation]:
    """Typed relations between mentions of one sentence; `mentioned_with` for the rest. `why` gets the
    rule and the words that made each, keyed (source, target, relation, unit start)."""
    text = document.text
    per_unit: dict[tuple[int, int], list[Mention]] = {}
    for m in mentions:
        per_unit.setdefault((m.sent_start, m.sent_end), []).append(m)
    out: dict[tuple, Relation] = {}

    def add(src: Mention, tgt: Mention, rel: str, unit, role=None, stage="nearby_sentences", detail=""):
        if src.entity == tgt.entity:
            return
        key = (src.entity, tgt.entity, rel, unit[0])
        if key not in out:
            out[key] = Relation(source=src.entity, target=tgt.entity, relation=rel, doc=document.doc,
                                evidence=text[unit[0]:unit[1]], start=unit[0], end=unit[1],
                                page=document.page_at(unit[0]), role=role)
            if why is not None:
                why[key] = (stage, detail or "named in nearby sentences of one paragraph")

    for unit, ms in per_unit.items():
        if len(ms) < 2 or len(ms) > 60:
            continue
        typed_pairs: set[tuple[str, str]] = set()
        for a_i, a in enumerate(ms):
            for b in ms[a_i + 1:a_i + 12]:
                if a.entity == b.entity or b.start < a.end:
                    outer, inner = (a, b) if a.end >= b.end else (b, a)
                    if outer.type in {"organisation", "programme"} and inner.type == "place" and inner.start >= outer.start \
                            and inner.end <= outer.end:
                        add(outer, inner, "located_in", unit, stage="nested_place",
                            detail="the place is part of the name")
                    continue
                if b.type == "outcome" and a is not _achiever(ms, b):
                    continue
                between = _masked(text, a.end, b.start, ms)
                after_b = _masked(text, b.end, min(unit[1], b.end + 80), ms)
                rel = _pair_relation(a, b, between, text[unit[0]:unit[1]], text[max(unit[0], a.start - 40):a.start], after_b)
                if rel is None:
                    continue
                name, flip, role = rel
                src, tgt = (b, a) if flip else (a, b)
                words = " ".join(re.sub(r"X{2,}", "…", between).split())  # other names are masked
                add(src, tgt, name, unit, role, stage="relation_cues",
                    detail=f"{a.type} then {b.type}, words between: '{words[:80]}'" + (f"; role '{role}'" if role else ""))
                if name != "mentioned_with":
                    typed_pairs.add((a.entity, b.entity))
    _results_after(text, per_unit, add)
    _nearby_pairs(text, per_unit, add)
    # a typed edge supersedes the weak one for the same pair and sentence
    typed = {(r.source, r.target, r.start) for r in out.values() if r.relation != "mentioned_with"}
    typed |= {(t, s, st) for s, t, st in typed}
    rels = [r for r in out.values() if r.relation != "mentioned_with" or (r.source, r.target, r.start) not in typed]
    return sorted(rels, key=lambda r: (r.start, r.source, r.target, r.relation))


def _achiever(ms: list[Mention], result: Mention) -> Mention | None:
    """Who a result in the same sentence belongs to: the programme or body named nearest before it (in
    'X, funded by Y, cut waits by 20%' that is Y only when no programme sits between; a named programme wins)."""
    before = [m for m in ms if m.type in {"programme", "organisation"} and m.end <= result.start]
    if not before:
        return None
    nearest = max(before, key=lambda m: (m.end, -m.start))
    return nearest


def _results_after(text: str, per_unit: dict, add) -> None:
    """`achieved` for a result stated in the sentence after the one naming the programme or body ('X opened in
    2022. Waits fell by 31%.'), or in a list that sentence opens with a colon; the evidence runs from that
    sentence to the result's, so it names both ends."""
    units = sorted(per_unit)
    for k, u in enumerate(units):
        for res in per_unit[u]:
            if res.type != "outcome" or any(m.type in {"programme", "organisation"} and m.start < res.start
                                            for m in per_unit[u]):
                continue
            for back in range(k - 1, max(k - 8, -1), -1):
                prev = units[back]
                gap = text[prev[1]:u[0]]
                listed = back < k - 1 or text[prev[0]:prev[1]].rstrip().endswith(":")
                if "\n\n" in gap.replace(" ", "") and not listed or u[0] - prev[1] > 400:
                    break
                doers = [m for m in per_unit[prev] if m.type in {"programme", "organisation"}]
                if doers:
                    progs = [m for m in doers if m.type == "programme"]
                    src = progs[-1] if progs else doers[0]
                    add(src, res, "achieved", (prev[0], u[1]), stage="results_after",
                        detail="the result is stated after the sentence naming who achieved it")
                    break
                if not text[prev[0]:prev[1]].rstrip().endswith(":") and back == k - 1 and \
                        not re.match(r"\s*(?:[-•*–·▪]|\d+[.)])", text[u[0] - 3:u[0]] + text[u[0]:u[0] + 3]):
                    break


_NEARBY_TYPES = {"organisation", "programme", "place"}
_NEARBY_SENTENCES = 2  # partners are often named a sentence or two apart ("X ... . Working with its partners at Y, it ...")
_NEARBY_CHARS = 700


def _nearby_pairs(text: str, per_unit: dict, add) -> None:
    """Weak `mentioned_with` edges between bodies, programmes and places named in nearby sentences of one
    paragraph; the evidence is the whole run of sentences, so it holds both names."""
    units = sorted(u for u in per_unit if any(m.type in _NEARBY_TYPES for m in per_unit[u]))
    for i, u in enumerate(units):
        for v in units[i + 1:i + 1 + _NEARBY_SENTENCES]:
            if v[1] - u[0] > _NEARBY_CHARS or "\n" in text[u[1]:v[0]]:
                break
            span = (u[0], v[1])
            for a in per_unit[u]:
                for b in per_unit[v]:
                    if a.type in _NEARBY_TYPES and b.type in _NEARBY_TYPES and not (a.type == b.type == "place") \
                            and a.entity != b.entity and "outcome" not in (a.type, b.type):
                        add(a, b, "mentioned_with", span)


_ROLE_BETWEEN = re.compile(
    rf"^[\s,]*(?:\(|is|was|,)?\s*(?:(?:also|now|the|a|an|our|its)\s+)*(?P<role>{P.ROLE_RE.pattern})?\s*(?:,|at|of|for|in|with|from|\(|–|-)?\s*(?:the\s+)?$",
    re.I)
_ORG_ROLE_BEFORE = re.compile(rf"^\s*(?:['’]s)?\s*(?:(?P<role>{P.ROLE_RE.pattern}))?\s*,?\s*$", re.I)


def _masked(text: str, start: int, end: int, ms: list[Mention]) -> str:
    """Text between two mentions with other mentions blanked, so a name's words are never read as cues."""
    chars = list(text[start:end])
    for m in ms:
        if m.end > start and m.start < end:
            for k in range(max(m.start, start), min(m.end, end)):
                chars[k - start] = "X"
    return "".join(chars)


def _pair_relation(a: Mention, b: Mention, between: str, sentence: str, before_a: str, after_b: str = ""):
    """(relation, flip, role) for two mentions in sentence order, or None for no edge."""
    ta, tb = a.type, b.type
    if "\n\n" in between or len(between) > 320:
        return None
    if ta == "person" and tb == "organisation":
        between = re.sub(r"^(?:[ \t]*\(?(?:CBE|OBE|MBE|KBE|DBE|MP|PhD|QC|KC)\)?)+", "", between)  # "X OBE, the chief executive of Y"
        m = _ROLE_BETWEEN.match(between) if len(between) < 90 else None
        if m:
            role = _clean_role(m.group("role"))
            return ("leads" if role and re.search(r"\b(chair|head|lead|leader|chief executive|ceo|founder)\b", role, re.I) and
                    not re.search(r"\b(deputy|assistant|former|vice)\b", role, re.I) else "works_for", False, role)
        return ("mentioned_with", False, None)
    if ta == "organisation" and tb == "person":
        m = _ORG_ROLE_BEFORE.match(between) if len(between) < 70 else None
        if m and (m.group("role") or between.strip() in {"", ",", "’s", "'s"}):
            role = _clean_role(m.group("role"))
            return ("works_for", True, role)
        return ("mentioned_with", False, None)
    if ta == "person" and tb == "programme":
        if re.search(r"\b(led|leads|lead|chair|chairs|chaired|head|heads|manag\w+|director)\b", between, re.I) and len(between) < 80:
            return ("leads", False, None)
        return ("mentioned_with", False, None)
    if tb == "outcome":
        if ta in {"organisation", "programme"}:
            return ("achieved", False, None)
        return None
    if ta == "outcome":
        return None
    if ta in {"organisation", "programme"} and tb in {"organisation", "programme"}:
        return _org_pair(between, sentence, ta, tb, after_b)
    if ta in {"organisation", "programme"} and tb == "place":
        if re.fullmatch(r"\s*(?:,|in|at|based in|of|across|for)\s*(?:the\s+)?", between, re.I):
            return ("located_in", False, None)
        return None
    if ta == "place" and tb in {"organisation", "programme"}:
        if re.fullmatch(r"\s*(?:['’]s)\s*", between):
            return ("located_in", True, None)
        return None
    if ta == "person" and tb == "person":
        return None
    return None


def _org_pair(between: str, sentence: str, ta: str, tb: str, after_b: str = ""):
    """Cue words between two organisations/programmes decide the relation and its direction."""
    if len(between) > 160:
        # a long sentence still ties two bodies it says partner ("X ... worked with us ... in conjunction with Y")
        if len(between) <= 320 and ta == tb == "organisation" and _STRONG_PARTNER.search(sentence):
            return ("partners_with", False, None)
        return None
    if ta == tb == "organisation" and _AND.match(between) and (_JOINT_VERB.match(after_b) or _HEADING_DASH.match(after_b)):
        return ("partners_with", False, None)  # "X and Y co-commissioned ...", a case heading "X and Y – ..."
    for name, cue in P.RELATION_CUES:
        m = cue.search(between)
        if not m:
            continue
        after = between[m.end():]
        passive = bool(re.match(r"\s*(?:by|from)\b", after, re.I)) or name in {"funds"} and bool(re.search(r"\bfrom\b", after))
        if name == "partners_with" and m.group(0).lower() == "with" and not re.search(r"\b(work|partner|collaborat|together|joint|engag)\w*", sentence, re.I):
            continue
        if name == "funds" and ta == "programme" and tb == "organisation" and not passive:
            passive = True  # "the Fund ... invested in X" is rare; money flows from bodies
        if name in {"leads", "runs", "set_up", "commissions"} and tb == "organisation" and ta == "programme" and not passive:
            return (name, True, None)
        if name == "set_up" and re.search(r"\bfounded by\b", between, re.I):
            passive = True
        return (name, passive, None)
    if _STRONG_PARTNER.search(sentence) and ta == tb == "organisation":
        return ("partners_with", False, None)
    return ("mentioned_with", False, None)


def _clean_role(role: str | None) -> str | None:
    if not role:
        return None
    role = _WS.sub(" ", role).strip(" ,.;:-–(").strip()
    role = re.sub(r"^(?:the|a|an|our|its)\s+", "", role, flags=re.I)
    return role or None
