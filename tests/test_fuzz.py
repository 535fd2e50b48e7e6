"""Hostile documents: the loaders and the normaliser under random, truncated and mutated input.

Every example must end in a `Document` with sound offsets or a `LoadError` (never another
exception), within a per-example deadline. The named hostile files (deeply nested HTML, a zip
bomb called .docx, a PDF of thousands of empty pages, a 50 MB one-line text file) are loaded in a
fresh interpreter with a time limit, and its peak memory is checked.

More examples: `CASEGRAPH_FUZZ_EXAMPLES=2000 pytest tests/test_fuzz.py --hypothesis-show-statistics`.
"""

from __future__ import annotations

import io
import json
import os
import subprocess
import sys
import zipfile
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from ingest.loaders import SUPPORTED_SUFFIXES, LoadError, load_document
from ingest.normalise import clean_text, normalise

ROOT = Path(__file__).resolve().parent.parent
EXAMPLES = int(os.environ.get("CASEGRAPH_FUZZ_EXAMPLES", "60"))
FUZZ = settings(max_examples=EXAMPLES, deadline=3000, derandomize=True, database=None,
                suppress_health_check=[HealthCheck.too_slow, HealthCheck.function_scoped_fixture,
                                       HealthCheck.data_too_large])
TIME_LIMIT_S = 90  # per hostile document, loaded in a fresh interpreter (generous: CI shares 2 cores)
RSS_LIMIT_MB = 700


# -- valid seed files, built here so the fuzzer mutates real structure -----------------------------


def make_pdf(pages: list[str]) -> bytes:
    """A small valid PDF with one line of Helvetica text on each page (empty string: blank page)."""
    objects: list[bytes] = []
    n = len(pages)
    kids = " ".join(f"{4 + 2 * i} 0 R" for i in range(n))
    objects.append(b"<< /Type /Catalog /Pages 2 0 R >>")
    objects.append(f"<< /Type /Pages /Kids [{kids}] /Count {n} >>".encode())
    objects.append(b"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>")
    for i, text in enumerate(pages):
        safe = text.replace("\\", "\\\\").replace("(", "\\(").replace(")", "\\)")
        stream = f"BT /F1 12 Tf 72 720 Td ({safe}) Tj ET".encode("latin-1") if text else b""
        objects.append(f"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 612 792] /Resources << /Font << /F1 3 0 R >> >> "
                       f"/Contents {5 + 2 * i} 0 R >>".encode())
        objects.append(b"<< /Length %d >>\nstream\n" % len(stream) + stream + b"\nendstream")
    out = io.BytesIO()
    out.write(b"%PDF-1.4\n")
    offsets = []
    for number, body in enumerate(objects, 1):
        offsets.append(out.tell())
        out.write(b"%d 0 obj\n" % number + body + b"\nendobj\n")
    xref = out.tell()
    out.write(b"xref\n0 %d\n0000000000 65535 f \n" % (len(objects) + 1))
    for off in offsets:
        out.write(b"%010d 00000 n \n" % off)
    out.write(b"trailer\n<< /Size %d /Root 1 0 R >>\nstartxref\n%d\n%%%%EOF\n" % (len(objects) + 1, xref))
    return out.getvalue()


def make_docx(paragraphs: list[str]) -> bytes:
    import docx

    document = docx.Document()
    document.add_heading("Harbour Learning Network", level=1)
    for text in paragraphs:
        document.add_paragraph(text)
    buf = io.BytesIO()
    document.save(buf)
    return buf.getvalue()


BODY = ["Riverside Council works in partnership with Harbour Trust on the Healthy Homes programme.",
        "Samira Patel is chief executive of Harbour Trust. The programme repaired 400 homes in 2022."]
SEEDS = {
    ".txt": ("\n\n".join(BODY)).encode("utf-8"),
    ".md": ("---\ntitle: Harbour\n---\n# Harbour Learning\n\n* **Riverside** [Council](http://x)\n\n"
            + "\n\n".join(BODY) + "\n\n| a | b |\n|---|---|\n| 1 | 2 |\n").encode("utf-8"),
    ".html": ("<!doctype html><html><head><title>Harbour</title><script>x()</script></head><body><nav>menu</nav>"
              "<h1>Harbour Learning</h1>" + "".join(f"<p>{t}</p>" for t in BODY)
              + "<ul><li>one</li><li>two</li></ul><table><tr><td>a</td><td>b</td></tr></table></body></html>"
              ).encode("utf-8"),
    ".pdf": make_pdf(BODY + ["", "Page three of the report."]),
}


@pytest.fixture(scope="module")
def seeds() -> dict[str, bytes]:
    return dict(SEEDS, **{".docx": make_docx(BODY), ".htm": SEEDS[".html"]})


def check_loaded(path: Path) -> None:
    """Load `path`: a sound Document or a LoadError; anything else fails the test."""
    try:
        doc = load_document(path, path.name)
    except LoadError as exc:
        assert exc.doc == path.name and exc.reason, exc
        return
    assert doc.text.strip(), "a Document must hold text"
    assert list(doc.pages) == sorted(doc.pages) and all(0 <= p <= len(doc.text) for p in doc.pages)
    assert doc.words == len(doc.text.split())
    assert doc.title is not None and len(doc.title) <= 300


def test_seed_files_load(tmp_path, seeds):
    """The unmutated seeds are real documents: the fuzzer starts from structure the loaders accept."""
    for suffix, data in seeds.items():
        path = tmp_path / f"seed{suffix}"
        path.write_bytes(data)
        doc = load_document(path, path.name)
        assert "Harbour Trust" in doc.text, (suffix, doc.text[:200])
    pdf = load_document(tmp_path / "seed.pdf", "seed.pdf")
    assert len(pdf.pages) == 4 and pdf.page_at(pdf.text.index("Page three")) == 4


# -- fuzzing ---------------------------------------------------------------------------------------


@FUZZ
@given(suffix=st.sampled_from(SUPPORTED_SUFFIXES), data=st.binary(max_size=4096))
def test_random_bytes_load_or_load_error(tmp_path_factory, suffix, data):
    path = tmp_path_factory.mktemp("fz") / f"random{suffix}"
    path.write_bytes(data)
    check_loaded(path)


@FUZZ
@given(data=st.data(), suffix=st.sampled_from(SUPPORTED_SUFFIXES))
def test_truncated_and_mutated_files(tmp_path_factory, seeds, data, suffix):
    raw = bytearray(seeds[suffix])
    cut = data.draw(st.integers(0, len(raw)), label="truncate at")
    raw = raw[:cut]
    flips = data.draw(st.lists(st.tuples(st.integers(0, max(0, len(raw) - 1)), st.integers(0, 255)), max_size=8),
                      label="byte flips")
    for index, value in flips:
        if raw:
            raw[index] = value
    path = tmp_path_factory.mktemp("fz") / f"mutated{suffix}"
    path.write_bytes(bytes(raw))
    check_loaded(path)


MARKUP = st.text(alphabet=st.sampled_from(list("<>/=\"' abcdiv&;#pli\n\t!-")), max_size=600)
MARKDOWN = st.text(alphabet=st.sampled_from(list("#*_[]()!`>|-+=~:. \n\tabc123")), max_size=600)


@FUZZ
@given(markup=MARKUP)
def test_random_markup_html(tmp_path_factory, markup):
    path = tmp_path_factory.mktemp("fz") / "page.html"
    path.write_text(markup, "utf-8")
    check_loaded(path)


@FUZZ
@given(text=st.one_of(MARKDOWN, st.text(max_size=600)))
def test_random_markdown_and_text(tmp_path_factory, text):
    folder = tmp_path_factory.mktemp("fz")
    for name in ("note.md", "note.txt"):
        path = folder / name
        path.write_text(text, "utf-8", errors="surrogatepass")
        check_loaded(path)


@FUZZ
@given(pages=st.lists(st.text(max_size=400), max_size=6))
def test_clean_text_offsets_any_pages(pages):
    text, starts = clean_text(pages)
    assert len(starts) == len(pages)
    assert list(starts) == sorted(starts) and all(0 <= s <= len(text) for s in starts)


@FUZZ
@given(text=st.text(max_size=400))
def test_normalise_total_and_idempotent(text):
    once = normalise(text)
    assert isinstance(once, str)
    assert normalise(once) == once
    assert once == once.strip() and "  " not in once


# -- named hostile documents, each in a fresh interpreter with a time limit ------------------------

_CHILD = """
import json, resource, sys, time
from pathlib import Path
from ingest.loaders import LoadError, load_document
t = time.perf_counter()
try:
    doc = load_document(Path(sys.argv[1]), Path(sys.argv[1]).name)
    out = {"ok": True, "chars": len(doc.text), "pages": len(doc.pages)}
except LoadError as exc:
    out = {"ok": False, "error": str(exc)}
out["seconds"] = time.perf_counter() - t
# VmHWM is this process's own peak (ru_maxrss carries the parent's peak across fork and exec).
hwm = [l for l in open("/proc/self/status") if l.startswith("VmHWM:")]
out["rss_mb"] = int(hwm[0].split()[1]) / 1024 if hwm else resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
print(json.dumps(out))
"""


def load_in_child(path: Path, timeout: float = TIME_LIMIT_S) -> dict:
    """Load `path` in a fresh interpreter under a time limit: its result, seconds and peak RSS."""
    try:
        proc = subprocess.run([sys.executable, "-c", _CHILD, str(path)], cwd=ROOT, capture_output=True, text=True,
                              timeout=timeout)
    except subprocess.TimeoutExpired:
        pytest.fail(f"{path.name}: still loading after {timeout:.0f}s (a hang: no per-document bound)")
    assert proc.returncode == 0, f"{path.name}: uncaught failure:\n{proc.stderr[-3000:]}"
    result = json.loads(proc.stdout.strip().splitlines()[-1])
    assert result["rss_mb"] < RSS_LIMIT_MB, result
    return result


def test_deeply_nested_html(tmp_path):
    path = tmp_path / "nested.html"
    depth = 100_000
    path.write_text("<html><body>" + "<div><span>" * depth + "Harbour Trust leads the pilot." + "</span></div>" * depth
                    + "</body></html>", "utf-8")
    # Loaded, or refused with a LoadError, in seconds: never minutes of parsing.
    result = load_in_child(path, timeout=20)
    assert result["seconds"] < 10, result
    assert not result["ok"] or result["chars"] >= len("Harbour Trust leads the pilot."), result


def test_moderately_nested_html_loads(tmp_path):
    """Real pages nest a few dozen levels; a few hundred must still load, in full."""
    path = tmp_path / "nested.html"
    path.write_text("<html><body>" + "<div><p>Harbour Trust leads the pilot.</p>" * 300 + "</div>" * 300
                    + "</body></html>", "utf-8")
    result = load_in_child(path)
    assert result["ok"] and result["chars"] > 300 * 20, result


def test_zip_bomb_named_docx(tmp_path):
    path = tmp_path / "bomb.docx"
    # 160 MB of zeros (over the 100 MB unpack limit) deflates to about 160 kB.
    with zipfile.ZipFile(path, "w", compression=zipfile.ZIP_DEFLATED) as z:
        z.writestr("[Content_Types].xml", "<Types/>")
        with z.open("word/document.xml", "w", force_zip64=True) as fh:
            chunk = b"\0" * 2**22
            for _ in range(40):
                fh.write(chunk)
    assert path.stat().st_size < 2 * 2**20
    result = load_in_child(path)
    assert not result["ok"] and "zip bomb" in result["error"], result
    assert result["seconds"] < 5, result


def test_pdf_of_thousands_of_empty_pages(tmp_path):
    blank = tmp_path / "blank.pdf"
    blank.write_bytes(make_pdf([""] * 4000))
    result = load_in_child(blank)
    assert not result["ok"] and "no text layer" in result["error"], result
    over = tmp_path / "too-many-pages.pdf"
    over.write_bytes(make_pdf([""] * 6000))
    result = load_in_child(over)
    assert not result["ok"] and "page" in result["error"], result
    one_line = tmp_path / "mostly-blank.pdf"
    one_line.write_bytes(make_pdf([""] * 2999 + ["Harbour Trust leads the pilot."]))
    result = load_in_child(one_line)
    assert result["ok"] and result["pages"] == 3000, result


def test_50_mb_single_line_text(tmp_path):
    path = tmp_path / "one-line.txt"
    with open(path, "wb") as fh:
        line = b"partnership council community trust programme outcomes " * 1000
        while fh.tell() < 50 * 2**20:
            fh.write(line)
    result = load_in_child(path)
    assert not result["ok"] and "limit" in result["error"] and "CASEGRAPH_MAX_BYTES" in result["error"], result
    assert result["seconds"] < 2 and result["rss_mb"] < 300, result  # refused before it is read


def test_large_single_line_text_under_the_limit_loads_in_time(tmp_path):
    path = tmp_path / "long-line.txt"
    path.write_bytes(b"Harbour Trust works with Riverside Council. " * 60_000)  # 2.6 MB, one line
    result = load_in_child(path)
    assert result["ok"] and result["chars"] > 2_000_000, result
