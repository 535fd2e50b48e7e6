"""The workbench in a real browser: Debian's chromium driven by Playwright, against the app on a
free loopback port over a three-report fixture corpus (real spaCy, embeddings, Chroma).

If the browser cannot start the tests fail; they never skip.
"""

from __future__ import annotations

import shutil
import socket
import time
from pathlib import Path

import pytest

import ui
from ingest.store import Store

DATA = Path(__file__).parent / "data" / "ui"
UPLOAD_TEXT = ("Kestrel Housing Association in Dunmore\n\n"
               "James Thornton is chief executive of Kestrel Housing Association. "
               "James Thornton leads Kestrel Housing Association.\n\n"
               "Kestrel Housing Association repaired four hundred homes in Dunmore in 2022.\n")
MARROWBY_TEXT = ("Tidewater Homes in Marrowby\n\n"
                 "Marrowby Tidewater Trust worked in partnership with Caddon Harbour Council in 2022.\n\n"
                 "Priya Okonjo is chief executive of Marrowby Tidewater Trust.\n\n"
                 "In 2023 Marrowby Tidewater Trust worked in partnership with Caddon Harbour Council again.\n")


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@pytest.fixture(scope="module")
def app(tmp_path_factory):
    """The app over a freshly ingested copy of the fixture corpus: (url, corpus folder, store)."""
    from app import consumers
    from ingest.pipeline import ingest

    root = tmp_path_factory.mktemp("ui")
    corpus = root / "corpus"
    shutil.copytree(DATA / "corpus", corpus)
    store = Store(root / "store")
    report = ingest(corpus, store, consumers=consumers(), progress=False)
    assert report.ok, report.failed
    demo = ui.build_app(store, corpus)
    ui.warm(demo)
    port = _free_port()
    ui.launch(demo, host="127.0.0.1", port=port, block=False)
    yield f"http://127.0.0.1:{port}", corpus, store
    demo.close()


@pytest.fixture
def page(browser, app):
    context = browser.new_context(accept_downloads=True, viewport={"width": 1280, "height": 900})
    dialogs = []
    context.on("page", lambda p: p.on("dialog", lambda d: (dialogs.append(d.message), d.dismiss())))
    pg = context.new_page()
    pg.on("dialog", lambda d: (dialogs.append(d.message), d.dismiss()))
    pg.dialogs = dialogs
    yield pg
    context.close()


def _open(page, url: str):
    page.goto(url)
    page.wait_for_selector("#cg-question textarea, #cg-question input")


def _ask(page, question: str):
    box = page.locator("#cg-question textarea, #cg-question input").first
    box.fill(question)
    t = time.perf_counter()
    box.press("Enter")
    page.wait_for_function(
        "q => { const a = document.querySelector('#cg-answer');"
        " return a && a.dataset && (a.querySelector('.cg-card, #cg-no-answer')) && a.innerText.length > 0"
        " && a.querySelector('[data-question]')?.dataset.question === q }", arg=question, timeout=20000)
    return time.perf_counter() - t


def test_ask_shows_answer_candidates_and_source_card(page, app):
    _open(page, app[0])
    elapsed = _ask(page, "Who leads the Healthy Homes programme?")
    assert "Sarah Mitchell" in page.locator("#cg-answer-text").inner_text()
    card = page.locator("#cg-answer .cg-card").first
    assert "Healthy Homes" in card.locator(".cg-title").inner_text()
    assert card.locator("mark.cg-ans").count() >= 1  # the answer is highlighted in the passage
    assert page.locator("#cg-answer .cg-table").first.is_visible()  # ranked candidates with their type
    assert elapsed < 5, f"answer took {elapsed:.1f}s"


def test_source_link_opens_document_scrolled_to_highlight(page, app):
    _open(page, app[0])
    _ask(page, "Who is chief executive of Brightside Charity?")
    passage = page.locator("#cg-answer .cg-card .cg-passage").first.inner_text()
    with page.context.expect_page() as info:
        page.locator("#cg-answer .cg-card a.cg-open").first.click()
    viewer = info.value
    viewer.wait_for_load_state()
    mark = viewer.locator("mark#hl")
    assert mark.count() == 1
    assert " ".join(mark.inner_text().split()) in " ".join(passage.split())
    top = viewer.evaluate("document.getElementById('hl').getBoundingClientRect().top")
    assert 0 <= top < viewer.viewport_size["height"]


def test_document_viewer_serves_only_corpus_documents(page, app):
    url = app[0]
    for name in ("../pyproject.toml", "/etc/passwd", "nope.txt", "%2e%2e/store/manifest.json"):
        resp = page.request.get(f"{url}{ui.DOC_ROUTE}?name={name}")
        assert resp.status == 404, name
    ok = page.request.get(f"{url}{ui.DOC_ROUTE}?name=northgate-healthy-homes.md&start=0&end=5")
    assert ok.status == 200 and '<mark id="hl">' in ok.text()


def test_script_tag_in_a_report_renders_as_text(page, app):
    page.goto(f"{app[0]}{ui.DOC_ROUTE}?name=unsafe-markup-note.txt")
    body = page.locator("body").inner_text()
    assert "<script>window.cgPwned = 1" in body and "onerror=" in body
    assert page.evaluate("window.cgPwned === undefined") and page.locator("img").count() == 0
    _open(page, app[0])
    _ask(page, "Which organisation did Harbourside Digital work with on the review?")
    shown = page.locator("#cg-answer").inner_text()
    assert "<script>" in shown or "onerror" in shown
    assert page.evaluate("window.cgPwned === undefined") and not page.dialogs


def test_partnerships_draws_nodes_and_exports_the_view_as_graphml(page, app, tmp_path):
    import networkx as nx

    _open(page, app[0])
    page.get_by_role("tab", name="Partnerships").click()
    frame = page.frame_locator("#cg-network iframe.cg-net")
    frame.locator("#cg-nodes circle").first.wait_for(timeout=15000)
    drawn = frame.locator("#cg-nodes circle").count()
    assert drawn >= 2
    with page.expect_download() as info:
        page.locator("#cg-exports a[data-format=graphml]").click()
    path = tmp_path / "view.graphml"
    info.value.save_as(path)
    g = nx.read_graphml(path)
    assert g.number_of_nodes() == drawn
    names = {d.get("name") for _, d in g.nodes(data=True)}
    assert "Riverside Housing Trust" in names
    # Clicking a node opens its profile in the Explore tab.
    node = frame.locator("#cg-nodes circle[data-id='organisation:riverside-housing-trust']")
    node.click()
    page.wait_for_function("() => document.querySelector('#cg-profile-name')?.innerText === 'Riverside Housing Trust'",
                           timeout=10000)
    assert page.locator("#cg-profile .cg-rel").is_visible()  # typed relations with their evidence


def test_upload_a_report_then_get_an_answer_only_it_contains(page, app, tmp_path):
    url, corpus, _ = app
    report = tmp_path / "kestrel housing (draft).txt"
    report.write_text(UPLOAD_TEXT, "utf-8")
    _open(page, url)
    page.get_by_role("tab", name="Corpus").click()
    page.locator("#cg-upload input[type=file]").set_input_files([str(report)])
    page.locator("#cg-add").click()
    page.wait_for_function("() => (document.querySelector('#cg-status')?.innerText || '').includes('added')",
                           timeout=60000)
    saved = sorted(p.name for p in corpus.iterdir())
    assert "kestrel-housing-draft.txt" in saved, saved
    assert "kestrel-housing-draft.txt" in page.locator("#cg-docs").inner_text()
    page.get_by_role("tab", name="Ask").click()
    _ask(page, "Who leads Kestrel Housing Association?")
    assert "James Thornton" in page.locator("#cg-answer-text").inner_text()


def test_upload_names_are_safe_and_never_overwrite(tmp_path):
    (tmp_path / "report.txt").write_text("x")
    assert ui.safe_upload_name("../../etc/report.txt", tmp_path) == "report-2.txt"
    assert ui.safe_upload_name("..\\..\\evil.md", tmp_path) == "evil.md"
    assert ui.safe_upload_name(".hidden.txt", tmp_path) == "hidden.txt"
    assert ui.safe_upload_name("a b/<c>.PDF", tmp_path) == "c.pdf"
    assert ui.safe_upload_name("new.txt", tmp_path, taken={"new.txt"}) == "new-2.txt"


def test_serve_refuses_a_public_host_without_a_login(monkeypatch, capsys):
    monkeypatch.delenv("CASEGRAPH_AUTH", raising=False)
    assert ui.serve(host="0.0.0.0", port=_free_port()) == 2
    assert "--auth" in capsys.readouterr().err
    with pytest.raises(ValueError, match="USER:PASSWORD"):
        ui.check_bind("0.0.0.0", "nopassword")
    assert ui.check_bind("0.0.0.0", "ana:s3cret") == ("ana", "s3cret")
    assert ui.check_bind("127.0.0.1", None) is None
    monkeypatch.setenv("CASEGRAPH_AUTH", "bob:pw")
    assert ui.check_bind("10.0.0.5", None) == ("bob", "pw")


def test_highlight_escapes_text_and_marks_spans():
    out = ui.highlight("<b>Ann</b> leads X", [(3, 6, "cg-ans"), (4, 9, "cg-q"), (17, 18, "cg-q")])
    assert out == '&lt;b&gt;<mark class="cg-ans">Ann</mark>&lt;/b&gt; leads <mark class="cg-q">X</mark>'


def test_routes_need_the_login_when_the_app_has_one(tmp_path):
    import httpx

    demo = ui.build_app(Store(tmp_path / "store"), tmp_path / "corpus")  # an empty store is enough
    port = _free_port()
    ui.launch(demo, host="127.0.0.1", port=port, auth=("ana", "s3cret"), block=False)
    try:
        url = f"http://127.0.0.1:{port}"
        with httpx.Client(base_url=url) as client:
            assert client.get(f"{ui.DOC_ROUTE}?name=x.txt").status_code == 401
            assert client.get(f"{ui.EXPORT_ROUTE}?fmt=graphml").status_code == 401
            assert client.post("/login", data={"username": "ana", "password": "wrong"}).status_code >= 400
            assert client.post("/login", data={"username": "ana", "password": "s3cret"}).status_code == 200
            assert client.get(f"{ui.DOC_ROUTE}?name=x.txt").status_code == 404  # logged in: now just unknown
    finally:
        demo.close()


def _status_says(page, text: str, timeout: int = 60000):
    page.wait_for_function("t => (document.querySelector('#cg-status')?.innerText || '').includes(t)", arg=text,
                           timeout=timeout)


def _upload(page, path: Path):
    page.get_by_role("tab", name="Corpus").click()
    page.locator("#cg-upload input[type=file]").set_input_files([str(path)])
    page.locator("#cg-add").click()


def test_menus_come_from_the_store_on_page_load_and_relations_are_grouped(page, app, tmp_path):
    url, corpus, _ = app
    report = tmp_path / "marrowby-tidewater.txt"
    report.write_text(MARROWBY_TEXT, "utf-8")
    _open(page, url)
    _upload(page, report)
    _status_says(page, "marrowby-tidewater.txt: added")
    # A fresh page: its menus must come from the store now, not from when the server started.
    page.reload()
    page.wait_for_selector("#cg-question textarea, #cg-question input")
    page.get_by_role("tab", name="Explore").click()
    page.locator("#cg-profile-name").wait_for(timeout=15000)
    page.locator("#cg-entity input").click()
    page.keyboard.type("Marrowby Tidewater")
    options = page.locator("#cg-entity ul.options li, [role=listbox] [role=option]")
    options.first.wait_for(timeout=10000)
    assert "Marrowby Tidewater Trust · organisation" in options.all_inner_texts()
    page.keyboard.press("Enter")
    page.wait_for_function("() => document.querySelector('#cg-profile-name')?.innerText === 'Marrowby Tidewater Trust'",
                           timeout=15000)
    # One collapsible row per (relation, other end), with a count and the sentences inside.
    rows = page.locator("#cg-profile details.cg-rel-row")
    summaries = [" ".join(t.split()) for t in rows.locator("summary").all_inner_texts()]
    assert len(summaries) == len(set(summaries)), summaries
    row = rows.filter(has_text="Caddon Harbour Council").filter(has_text="partners_with")
    assert row.count() == 1
    assert "×2" in row.locator("summary").inner_text()
    sentences = row.locator("li.cg-ev")
    assert sentences.count() == 2 and not sentences.first.is_visible()  # closed until asked
    row.locator("summary").click()
    assert sentences.first.is_visible() and "in 2022" in sentences.first.inner_text()
    # Typing a new name replaces the one shown rather than adding to it.
    page.locator("#cg-entity input").click()
    page.keyboard.type("Caddon Harbour Council")
    assert page.locator("#cg-entity input").input_value() == "Caddon Harbour Council"
    assert "reports" in page.locator("#cg-counts").inner_text()


def test_explore_why_panel_shows_the_stages_behind_the_entity(page, app):
    _open(page, app[0])
    page.get_by_role("tab", name="Explore").click()
    name = page.locator("#cg-profile-name")
    name.wait_for(timeout=15000)
    assert not page.locator("#cg-why .cg-why-event").count()  # nothing is explained until asked
    page.get_by_text("Why? — the extraction stages behind this entity").click()
    page.locator("#cg-why .cg-why-event").first.wait_for(timeout=20000)
    why = page.locator("#cg-why").inner_text()
    assert "proposed by" in why and "kept by resolution" in why
    assert name.inner_text() in page.locator("#cg-why .cg-why-sentence").first.inner_text()


def test_a_failed_upload_is_listed_apart_kept_once_and_removable(page, app, tmp_path):
    url, corpus, store = app
    broken = tmp_path / "scanner-export.txt"
    broken.write_bytes(bytes(range(256)) * 8)  # a scanner's binary dump saved as .txt
    _open(page, url)
    _upload(page, broken)
    _status_says(page, "scanner-export.txt: failed")
    assert "binary" in page.locator("#cg-status").inner_text()
    failed = page.locator(".cg-failed", has_text="scanner-export.txt")
    failed.wait_for(timeout=10000)
    assert "binary" in failed.inner_text()
    assert "scanner-export.txt" not in page.locator("#cg-docs").inner_text()  # not shown as a good report
    assert "failed file" in page.locator("#cg-counts").inner_text()
    # The same bytes again are the same file, tried again: no scanner-export-2.txt.
    _upload(page, broken)
    _status_says(page, "same content as scanner-export.txt")
    assert sorted(p.name for p in corpus.iterdir() if p.name.startswith("scanner")) == ["scanner-export.txt"]
    with pytest.raises(ValueError, match="not a failed file"):
        ui.remove_failed(store, corpus, "northgate-healthy-homes.md")  # a good report is never removed here
    failed.locator("button.cg-remove").click()
    _status_says(page, "scanner-export.txt: removed", timeout=15000)
    page.wait_for_function("() => !document.querySelector('.cg-failed')", timeout=10000)
    assert not (corpus / "scanner-export.txt").exists()
    assert "scanner-export.txt" not in store.read_manifest()["files"]
    assert (corpus / "northgate-healthy-homes.md").exists()


def test_profile_rows_fold_both_directions_and_repeated_sentences():
    import networkx as nx

    g = nx.MultiDiGraph()
    for node, name in (("organisation:a", "Orlen Trust"), ("organisation:b", "Brisk Council"), ("person:c", "Cai Moss")):
        g.add_node(node, type=node.split(":")[0], name=name, aliases=[], docs=["d.txt"], mentions=1)
    said = dict(doc="d.txt", evidence="Orlen Trust worked with Brisk Council.", start=0, end=38, page=None)
    g.add_edge("organisation:a", "organisation:b", key="1", relation="partners_with", **said)
    g.add_edge("organisation:b", "organisation:a", key="2", relation="partners_with", **said)
    g.add_edge("organisation:a", "organisation:b", key="3", relation="partners_with", doc="d.txt",
               evidence="Brisk Council and Orlen Trust met again.", start=50, end=90, page=None)
    g.add_edge("person:c", "organisation:a", key="4", relation="leads", doc="d.txt", evidence="Cai Moss leads Orlen Trust.",
               start=100, end=127, page=None)
    out = ui.render_profile(g, "organisation:a")
    assert out.count('<details class="cg-rel-row"') == 2
    assert out.count("×2") == 1 and out.count("×1") == 1
    assert out.count("Orlen Trust worked with Brisk Council.") == 1


def test_an_answer_with_a_confidence_shows_it():
    from types import SimpleNamespace

    ans = SimpleNamespace(question="Who leads Orlen Trust?", answer="Cai Moss", answer_type="person", candidates=(),
                          facts=(), sources=(), confidence=0.83)
    assert 'id="cg-confidence">confidence 0.83<' in ui.render_answer(ans)
    del ans.confidence
    assert "cg-confidence" not in ui.render_answer(ans)


def test_outcomes_tab_lists_a_result_filters_by_programme_and_opens_its_sentence(page, app, tmp_path):
    import csv

    _open(page, app[0])
    page.get_by_role("tab", name="Outcomes").click()
    # the metric cells of the table's grid (Gradio also keeps hidden copies of the cells, to size them)
    cell = page.locator("#cg-outcomes [role=gridcell][data-col='0']").filter(
        has_text="emergency admissions among older tenants")
    cell.first.wait_for(timeout=10000)
    page.locator("#cg-outcome-programme input").click()
    page.keyboard.type("Healthy Homes")
    options = page.locator("#cg-outcome-programme ul.options li, [role=listbox] [role=option]")
    options.first.wait_for(timeout=10000)
    page.keyboard.press("Enter")
    # Enter picks the one option the typed words match (Gradio fills the box in when it has handled the key)
    page.wait_for_function("() => document.querySelector('#cg-outcome-programme input')?.value === "
                           "'Healthy Homes programme'", timeout=10000)
    # the report states two of the programme's results (its first year, and 2023): both, and nothing else
    page.wait_for_function("() => /^2 outcome records /.test(document.querySelector('#cg-outcome-note')?.innerText || '')",
                           timeout=10000)
    assert cell.count() == 2
    with page.expect_download() as info:
        page.locator("#cg-outcome-csv").click()
    path = tmp_path / "outcomes.csv"
    info.value.save_as(path)
    rows = list(csv.DictReader(path.open(encoding="utf-8")))
    assert len(rows) == 2 and {row["programme"] for row in rows} == {"Healthy Homes programme"}
    assert ("emergency admissions among older tenants", "percent", "decrease", "in 2023") in \
        {(row["metric"], row["unit"], row["direction"], row["period"]) for row in rows}
    # A row opens its sentence: the card marks the result and links to it in the document viewer.
    cell.first.click()
    card = page.locator("#cg-outcome-card")
    card.wait_for(timeout=10000)
    assert "30 per cent" in card.locator("mark.cg-ans").inner_text()
    with page.context.expect_page() as opened:
        card.locator("a.cg-open").click()
    viewer = opened.value
    viewer.wait_for_load_state()
    assert "30 per cent" in viewer.locator("mark#hl").inner_text()


def test_a_withheld_answer_says_so_with_its_confidence_and_keeps_the_candidates():
    from ingest.records import Answer, Candidate

    ans = Answer(question="Who leads Orlen Trust?", answer=None, answer_type="person",
                 candidates=(Candidate("Cai Moss", "person", 0.6),), confidence=0.41)
    out = ui.render_answer(ans)
    assert "Not sure enough to answer" in out and "confidence 0.41" in out and "Cai Moss" in out
    assert "No supported answer" in ui.render_answer(Answer(question="Who leads Orlen Trust?", answer=None,
                                                             answer_type="person"))
