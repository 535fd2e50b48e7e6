"""The store: records survive a save and reload, writes are atomic, failures say what to do."""

import pytest

from ingest.records import DocRecords, Document, Entity, Mention, Passage, Relation, entity_id, passage_id
from ingest.store import Store, StoreError, atomic_write_json


def _records() -> DocRecords:
    text = "Ann Lee leads Foo Council. It works with Bar Trust."
    doc = Document(doc="a b/é.txt", text=text, title="T", format="txt", sha256="s", pages=(0, 27), words=9)
    p = Passage(id=passage_id(doc.doc, "s", 0, len(text)), doc=doc.doc, start=0, end=len(text), text=text, page=1)
    ann, foo = entity_id("person", "Ann Lee"), entity_id("organisation", "Foo Council")
    return DocRecords(
        document=doc,
        passages=(p,),
        mentions=(Mention(doc=doc.doc, start=0, end=7, text="Ann Lee", type="person", entity=ann),),
        relations=(Relation(ann, foo, "leads", doc.doc, text[:26], 0, 26, 1, "leader"),),
        entities=(Entity(ann, "person", "Ann Lee", ("Ms Ann Lee",), (doc.doc,)),),
    )


def test_records_round_trip_through_the_store(tmp_path):
    store = Store(tmp_path / "store")
    rec = _records()
    store.write_records("k1", rec)
    assert store.read_records("k1") == rec


def test_page_at_maps_offsets_to_pages():
    doc = _records().document
    assert [doc.page_at(0), doc.page_at(26), doc.page_at(27), doc.page_at(40)] == [1, 1, 2, 2]
    assert Document(doc="x", text="", title="", format="txt", sha256="").page_at(3) is None


def test_atomic_write_leaves_no_temp_files_and_is_byte_stable(tmp_path):
    path = tmp_path / "x.json"
    atomic_write_json(path, {"b": 1, "a": [1, 2]})
    first = path.read_bytes()
    atomic_write_json(path, {"a": [1, 2], "b": 1})
    assert path.read_bytes() == first
    assert [p.name for p in tmp_path.iterdir()] == ["x.json"]


def test_corrupt_manifest_names_the_file_and_the_fix(tmp_path):
    store = Store(tmp_path)
    store.manifest_path.write_text("{not json")
    with pytest.raises(StoreError, match="manifest.json.*re-ingest"):
        store.read_manifest()


def test_unwritable_store_gives_a_clear_error_and_keeps_the_old_file(tmp_path):
    store = Store(tmp_path / "store")
    store.write_manifest({"files": {}, "generation": 1})
    before = store.manifest_path.read_bytes()
    # A file where the records folder should be: a real OS failure that root cannot bypass.
    store.docs_dir.write_text("in the way")
    with pytest.raises(StoreError, match="cannot write .*docs"):
        store.write_records("k", _records())
    assert store.manifest_path.read_bytes() == before
