"""Loaders on real files the tests write: PDF (matplotlib, pypdfium2, pypdf), DOCX (python-docx),
HTML, Markdown and text in several encodings, plus the bad and hostile inputs users send."""

import io
import time
import zipfile
from pathlib import Path

import pytest

from ingest.loaders import (
    DEFAULT_MAX_BYTES,
    MAX_HTML_DEPTH,
    SUPPORTED_SUFFIXES,
    LoadError,
    is_supported,
    load_document,
    max_bytes_limit,
)
from ingest.records import content_hash

CORPUS = Path(__file__).resolve().parent.parent / "corpus"


def write_pdf(path: Path, pages: list[list[str]], title: str = "") -> Path:
    """A PDF with a real text layer: one matplotlib figure per page, one text line per entry."""
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt
    from matplotlib.backends.backend_pdf import PdfPages

    with PdfPages(path, metadata={"Title": title} if title else None) as pdf:
        for number, lines in enumerate(pages, start=1):
            fig = plt.figure(figsize=(8.27, 11.69))
            for i, line in enumerate(lines):
                fig.text(0.1, 0.9 - i * 0.025, line, fontsize=10)
            fig.text(0.5, 0.03, str(number), fontsize=9)
            pdf.savefig(fig)
            plt.close(fig)
    return path


REPORT_PAGES = [
    [
        "Annual Review 2024",
        "The council worked with Barnardo's on children's",
        "services across the county, and the new model",
        "launched in April with strong support from staff.",
    ],
    ["Dr Jo Smith leads the programme for the council.", "She joined in 2019 from Kirklees Council."],
]


# -- the interface ------------------------------------------------------------------------------


def test_supported_suffixes_and_limit():
    assert SUPPORTED_SUFFIXES == (".txt", ".md", ".pdf", ".docx", ".html", ".htm")
    assert DEFAULT_MAX_BYTES == 25 * 2**20
    assert is_supported("a/b/Report.PDF") and is_supported(Path("x.htm"))
    assert not is_supported("notes.xyz") and not is_supported("README")


def test_max_bytes_from_environment(monkeypatch):
    assert max_bytes_limit() == DEFAULT_MAX_BYTES
    monkeypatch.setenv("CASEGRAPH_MAX_BYTES", "1000")
    assert max_bytes_limit() == 1000
    monkeypatch.setenv("CASEGRAPH_MAX_BYTES", "lots")
    with pytest.raises(ValueError, match="CASEGRAPH_MAX_BYTES"):
        max_bytes_limit()


def test_load_error_names_file_and_reason():
    err = LoadError("a.pdf", "empty file")
    assert str(err) == "a.pdf: empty file" and err.doc == "a.pdf" and err.reason == "empty file"


# -- formats ------------------------------------------------------------------------------------


def test_pdf_keeps_pages_title_and_clean_text(tmp_path):
    path = write_pdf(tmp_path / "review.pdf", REPORT_PAGES, title="Annual Review of Children's Services")
    doc = load_document(path)
    assert doc.format == "pdf" and doc.doc == "review.pdf"
    assert doc.title == "Annual Review of Children's Services"
    assert len(doc.pages) == 2 and doc.pages[0] == 0
    assert doc.text[doc.pages[1] :].startswith("Dr Jo Smith leads the programme")
    # wrapped lines rejoined; the page-number footers gone
    assert "Barnardo's on children's services across the county, and the new model launched in April" in doc.text
    assert "\n1\n" not in doc.text and not doc.text.endswith("2")
    assert doc.page_at(doc.text.index("Kirklees")) == 2
    assert doc.sha256 == content_hash(path.read_bytes())
    assert doc.words == len(doc.text.split()) and doc.ingested_at == ""


def test_pdf_without_title_takes_its_first_heading(tmp_path):
    doc = load_document(write_pdf(tmp_path / "r.pdf", REPORT_PAGES))
    assert doc.title == "Annual Review 2024"


def test_docx_paragraphs_lists_tables_and_title(tmp_path):
    import docx

    d = docx.Document()
    d.core_properties.title = ""
    d.add_heading("Peer Challenge Progress", level=1)
    d.add_paragraph("The Council held set-up discussions with Oxford University Hospitals.")
    d.add_paragraph("Launch the website", style="List Bullet")
    d.add_paragraph("Recruit a manager", style="List Bullet")
    table = d.add_table(rows=2, cols=2)
    table.cell(0, 0).text = "Action"
    table.cell(0, 1).text = "Status"
    table.cell(1, 0).text = "Establish a delivery board"
    table.cell(1, 1).text = "Complete"
    path = tmp_path / "progress.docx"
    d.save(path)

    doc = load_document(path)
    assert doc.format == "docx" and doc.pages == ()
    assert doc.title == "Peer Challenge Progress"
    assert doc.text == (
        "Peer Challenge Progress\n\n"
        "The Council held set-up discussions with Oxford University Hospitals.\n\n"
        "Launch the website\nRecruit a manager\n\n"
        "Action\nStatus\n\n"
        "Establish a delivery board\nComplete"
    )


def test_html_text_title_and_no_scripts_or_navigation(tmp_path):
    html = """<!doctype html><html><head><title>Peer learning groups | GO Lab</title>
    <style>p { color: red }</style><script>var x = "hidden";</script></head>
    <body><nav><a href="/">Home</a> <a href="/about">About</a></nav>
    <h1>Peer learning</h1>
    <p>The next Northern group will be
       hosted by <b>Kirklees Council</b> &ndash; date to be confirmed.</p>
    <ul><li>London</li><li>North</li></ul>
    <p>Group Lead<br>Samantha Magne</p>
    <footer>Copyright</footer></body></html>"""
    path = tmp_path / "groups.html"
    path.write_text(html, encoding="utf-8")
    doc = load_document(path)
    assert doc.format == "html" and doc.title == "Peer learning groups"  # the site name dropped
    assert doc.text == (
        "Peer learning\n\n"
        "The next Northern group will be hosted by Kirklees Council – date to be confirmed.\n\n"
        "London\nNorth\n\n"
        "Group Lead\nSamantha Magne"
    )


def test_htm_in_windows_1252_with_meta_charset(tmp_path):
    path = tmp_path / "page.htm"
    path.write_bytes('<meta charset="windows-1252"><h1>Café “plan”</h1><p>£10 for the café.</p>'.encode("cp1252"))
    doc = load_document(path)
    assert doc.title == "Café “plan”"
    assert doc.text == "Café “plan”\n\n£10 for the café."


def test_markdown_markup_is_stripped_lightly(tmp_path):
    md = (
        "# Learning pods in Oxford\n\n"
        "Oxford Together, a **collaboration** between [Oxford City Council](https://oxford.gov.uk)\n"
        "and Oxford Hub, helped those in need during *COVID-19*.\n\n"
        "- Approximately 30 staff\n- Two sessions\n\n"
        "Use `snake_case` names like my_var_name.\n"
    )
    path = tmp_path / "pods.md"
    path.write_text(md, encoding="utf-8")
    doc = load_document(path)
    assert doc.format == "md" and doc.title == "Learning pods in Oxford"
    assert doc.text == (
        "Learning pods in Oxford\n\n"
        "Oxford Together, a collaboration between Oxford City Council and Oxford Hub, helped those in need "
        "during COVID-19.\n\n"
        "Approximately 30 staff\nTwo sessions\n\n"
        "Use snake_case names like my_var_name."
    )


def test_bundled_corpus_text_file_loads_with_a_title():
    doc = load_document(CORPUS / "oxford-peer-challenge-progress-2024.txt")
    assert doc.format == "txt" and doc.title == "Oxford peer challenge progress 2024"  # not its first section heading
    assert "[bookmark" not in doc.text
    assert doc.text.startswith("Our progress\nRecommendation 1: Co-design shared outcomes\n")


def test_title_falls_back_to_the_file_name(tmp_path):
    path = tmp_path / "state-of_transformation-2019.txt"
    path.write_text(" ".join(["A long opening paragraph with many words in it."] * 4), encoding="utf-8")
    assert load_document(path).title == "State of transformation 2019"


def test_names_with_spaces_and_non_ascii_characters(tmp_path):
    folder = tmp_path / "Rapports été"
    folder.mkdir()
    path = folder / "Café Réseau – 2020 notes.txt"
    path.write_text("Réseau des cafés\n\nThe café network met in Zürich.", encoding="utf-8")
    doc = load_document(path, doc="Rapports été/Café Réseau – 2020 notes.txt")
    assert doc.doc == "Rapports été/Café Réseau – 2020 notes.txt"
    assert doc.title == "Réseau des cafés" and "Zürich" in doc.text


@pytest.mark.parametrize("encoding", ["latin-1", "cp1252"])
def test_legacy_encodings_decode_correctly(tmp_path, encoding):
    text = "Café society – naïve résumé for £10." if encoding == "cp1252" else "Café society: naïve résumé for £10."
    path = tmp_path / f"old-{encoding}.txt"
    path.write_bytes(text.encode(encoding))
    assert load_document(path).text == text


def test_utf16_with_bom(tmp_path):
    path = tmp_path / "u16.txt"
    path.write_bytes("Wigan Deal £10 million".encode("utf-16"))
    assert load_document(path).text == "Wigan Deal £10 million"


# -- bad input ----------------------------------------------------------------------------------


def assert_load_error(path: Path, fragment: str, **kwargs) -> LoadError:
    with pytest.raises(LoadError) as info:
        load_document(path, **kwargs)
    assert info.value.doc == path.name
    assert str(info.value).startswith(f"{path.name}: ")
    assert fragment in info.value.reason, info.value.reason
    return info.value


def test_unsupported_extension_lists_supported_ones(tmp_path):
    path = tmp_path / "data.xyz"
    path.write_text("x")
    err = assert_load_error(path, "unsupported format .xyz; supported: ")
    assert ".pdf" in err.reason and ".docx" in err.reason


@pytest.mark.parametrize("name", ["empty.txt", "empty.pdf", "empty.docx", "empty.md", "empty.html"])
def test_empty_file(tmp_path, name):
    path = tmp_path / name
    path.write_bytes(b"")
    assert_load_error(path, "empty file")


def test_whitespace_only_text_has_no_text(tmp_path):
    path = tmp_path / "blank.txt"
    path.write_text("   \n\n\t ")
    assert_load_error(path, "empty file")


def test_missing_file(tmp_path):
    assert_load_error(tmp_path / "gone.txt", "file not found")


def test_random_bytes_named_pdf(tmp_path):
    import random

    path = tmp_path / "random.pdf"
    path.write_bytes(random.Random(1).randbytes(5000))
    assert_load_error(path, "not a readable PDF")


def test_random_bytes_named_txt_or_docx(tmp_path):
    import random

    data = random.Random(2).randbytes(5000)
    (tmp_path / "random.txt").write_bytes(data)
    (tmp_path / "random.docx").write_bytes(data)
    assert_load_error(tmp_path / "random.txt", "binary data")
    assert_load_error(tmp_path / "random.docx", "not a valid .docx")


def test_encrypted_pdf(tmp_path):
    from pypdf import PdfReader, PdfWriter

    plain = write_pdf(tmp_path / "plain.pdf", REPORT_PAGES)
    writer = PdfWriter(clone_from=PdfReader(plain))
    writer.encrypt(user_password="secret", owner_password="owner", algorithm="RC4-128")
    path = tmp_path / "locked.pdf"
    with open(path, "wb") as fh:
        writer.write(fh)
    assert_load_error(path, "encrypted PDF")


def test_scanned_pdf_without_text_layer(tmp_path):
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt
    import numpy as np

    fig = plt.figure(figsize=(4, 4))
    fig.figimage(np.random.default_rng(0).random((200, 200)))  # a "scan": pixels, no text
    path = tmp_path / "scan.pdf"
    fig.savefig(path, format="pdf")
    plt.close(fig)
    assert_load_error(path, "no text layer; OCR is not supported")


def test_thousands_of_empty_pages_fail_quickly(tmp_path):
    import pypdfium2 as pdfium

    pdf = pdfium.PdfDocument.new()
    for _ in range(3000):
        pdf.new_page(200, 200)
    path = tmp_path / "empty-pages.pdf"
    pdf.save(str(path))
    pdf.close()
    started = time.monotonic()
    assert_load_error(path, "no text layer")
    assert time.monotonic() - started < 10


def test_file_over_the_size_limit(tmp_path, monkeypatch):
    path = tmp_path / "big.txt"
    path.write_bytes(b"x" * 5000)  # a single long line
    assert_load_error(path, "over the 0.0 MB limit", max_bytes=4000)
    monkeypatch.setenv("CASEGRAPH_MAX_BYTES", "4000")
    assert_load_error(path, "set CASEGRAPH_MAX_BYTES")
    assert load_document(path, max_bytes=5000).words == 1


def test_fifty_megabyte_single_line_is_refused_without_reading_it(tmp_path):
    path = tmp_path / "huge.txt"
    with open(path, "wb") as fh:
        fh.truncate(50 * 2**20)  # sparse: 50 MB on paper, nothing on disk
    started = time.monotonic()
    assert_load_error(path, "file is 50.0 MB, over the 25.0 MB limit")
    assert time.monotonic() - started < 1


def test_zip_bomb_named_docx_is_refused_before_unpacking(tmp_path):
    path = tmp_path / "bomb.docx"
    with zipfile.ZipFile(path, "w", compression=zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("[Content_Types].xml", "<Types/>")
        with archive.open("word/document.xml", "w") as member:
            chunk = b"\0" * 2**20
            for _ in range(40):  # 40 MB of zeros, ~40 KB packed
                member.write(chunk)
    assert path.stat().st_size < 2**20
    started = time.monotonic()
    assert_load_error(path, "zip bomb", max_bytes=2**20)
    assert time.monotonic() - started < 2


def test_zip_without_word_document(tmp_path):
    path = tmp_path / "notword.docx"
    with zipfile.ZipFile(path, "w") as archive:
        archive.writestr("hello.txt", "hi")
    assert_load_error(path, "no word/document.xml")


def test_deeply_nested_html_fails_cleanly_and_quickly(tmp_path):
    path = tmp_path / "deep.html"
    depth = 100_000
    path.write_text("<html><body>" + "<div>" * depth + "deep text" + "</div>" * depth + "</body></html>")
    started = time.monotonic()
    assert_load_error(path, f"over the limit of {MAX_HTML_DEPTH}")
    assert time.monotonic() - started < 5


def test_moderately_nested_html_still_loads(tmp_path):
    path = tmp_path / "nested.html"
    path.write_text("<div>" * 500 + "<p>Inner text here.</p>" + "</div>" * 500 + "<br>" * 5000)
    assert load_document(path).text == "Inner text here."


def test_html_with_no_text(tmp_path):
    path = tmp_path / "blank.html"
    path.write_text("<html><head><script>x()</script></head><body>  </body></html>")
    assert_load_error(path, "no text found")


def test_folder_is_not_a_file(tmp_path):
    folder = tmp_path / "folder.txt"
    folder.mkdir()
    assert_load_error(folder, "not a regular file")


def test_docx_reading_a_bundled_fixture_round_trip(tmp_path):
    # a save-and-reload check: the same bytes give the same Document
    import docx

    d = docx.Document()
    d.add_paragraph("Becky Willis of Oxford City Council reflects on learning pods.")
    buffer = io.BytesIO()
    d.save(buffer)
    path = tmp_path / "pods.docx"
    path.write_bytes(buffer.getvalue())
    assert load_document(path) == load_document(path)
