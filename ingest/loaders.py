"""Files in, `Document` out: .txt .md .pdf .docx .html/.htm, each read into raw page texts and
cleaned by `normalise.clean_text`, the one cleaner.

Every failure is a `LoadError` naming the file and saying what to do. Hostile input is bounded
before it is parsed: a size limit on the file, a limit on what a .docx unpacks to, a page limit
on PDFs; HTML is parsed by lexbor (selectolax), which does not recurse on nesting.
"""

from __future__ import annotations

import io
import os
import re
from pathlib import Path

from .normalise import clean_text
from .records import Document, content_hash

__all__ = [
    "SUPPORTED_SUFFIXES",
    "DEFAULT_MAX_BYTES",
    "MAX_PAGES",
    "MAX_HTML_DEPTH",
    "LoadError",
    "is_supported",
    "max_bytes_limit",
    "load_document",
]

SUPPORTED_SUFFIXES: tuple[str, ...] = (".txt", ".md", ".pdf", ".docx", ".html", ".htm")
DEFAULT_MAX_BYTES: int = 25 * 2**20
MAX_PAGES = 5000
# A .docx may unpack to this many times the file-size limit (word/document.xml and in all):
# real documents stay far below it, a zip bomb does not.
DOCX_UNPACK_FACTOR = 4

_FORMATS = {".txt": "txt", ".md": "md", ".pdf": "pdf", ".docx": "docx", ".html": "html", ".htm": "html"}
_TITLE_MAX_WORDS = 15


class LoadError(Exception):
    """A file that cannot be loaded: `str(e) == f"{doc}: {reason}"`."""

    def __init__(self, doc: str, reason: str) -> None:
        super().__init__(f"{doc}: {reason}")
        self.doc = doc
        self.reason = reason


def is_supported(path: str | os.PathLike) -> bool:
    """True when the file's extension is one `load_document` reads."""
    return Path(path).suffix.lower() in SUPPORTED_SUFFIXES


def max_bytes_limit() -> int:
    """The file-size limit: `$CASEGRAPH_MAX_BYTES`, else `DEFAULT_MAX_BYTES`."""
    value = os.environ.get("CASEGRAPH_MAX_BYTES", "").strip()
    if not value:
        return DEFAULT_MAX_BYTES
    try:
        limit = int(value)
    except ValueError:
        raise ValueError(f"CASEGRAPH_MAX_BYTES={value!r}: give the limit as a whole number of bytes") from None
    if limit <= 0:
        raise ValueError(f"CASEGRAPH_MAX_BYTES={value!r}: the limit must be positive")
    return limit


def load_document(path: Path, doc: str | None = None, *, max_bytes: int | None = None) -> Document:
    """Read one file into a `Document` with clean text; raise `LoadError` saying why not."""
    path = Path(path)
    doc = doc or path.name
    suffix = path.suffix.lower()
    if suffix not in _FORMATS:
        shown = suffix or "(no extension)"
        raise LoadError(doc, f"unsupported format {shown}; supported: {', '.join(SUPPORTED_SUFFIXES)}")
    limit = max_bytes if max_bytes is not None else max_bytes_limit()
    data = _read(path, doc, limit)
    fmt = _FORMATS[suffix]
    reader = {"txt": _read_text, "md": _read_markdown, "pdf": _read_pdf, "docx": _read_docx, "html": _read_html}[fmt]
    raw_pages, title = reader(data, doc, limit)
    text, pages = clean_text(raw_pages)
    if not text.strip():
        if fmt == "pdf":
            raise LoadError(doc, "no text layer; OCR is not supported (scanned PDFs need OCR before loading)")
        raise LoadError(doc, "no text found in the file")
    return Document(
        doc=doc,
        text=text,
        title=_clean_title(title) or _title_from_text(text) or _title_from_name(path),
        format=fmt,
        sha256=content_hash(data),
        pages=pages if fmt == "pdf" else (),
        words=len(text.split()),
        ingested_at="",
    )


def _read(path: Path, doc: str, limit: int) -> bytes:
    try:
        if not path.exists():
            raise LoadError(doc, f"file not found: {path}")
        if not path.is_file():
            raise LoadError(doc, "not a regular file (a folder or device); give a file")
        size = path.stat().st_size
        if size > limit:
            raise LoadError(doc, f"file is {_mb(size)}, over the {_mb(limit)} limit; set CASEGRAPH_MAX_BYTES to raise it")
        with open(path, "rb") as fh:
            data = fh.read(limit + 1)  # the file may have grown since stat()
    except OSError as exc:
        raise LoadError(doc, f"cannot read the file: {exc.strerror or exc}; check it exists and is readable") from exc
    if len(data) > limit:
        raise LoadError(doc, f"file is over the {_mb(limit)} limit; set CASEGRAPH_MAX_BYTES to raise it")
    if not data.strip():
        raise LoadError(doc, "empty file")
    return data


def _mb(n: int) -> str:
    return f"{n / 2**20:.1f} MB"


# -- plain text and Markdown --------------------------------------------------------------------

_BOMS = ((b"\xef\xbb\xbf", "utf-8-sig"), (b"\xff\xfe\x00\x00", "utf-32"), (b"\x00\x00\xfe\xff", "utf-32"),
         (b"\xff\xfe", "utf-16"), (b"\xfe\xff", "utf-16"))
_CONTROL_RE = re.compile(r"[\x00-\x08\x0e-\x1f\x7f]")
_NON_ASCII_LETTER_RE = re.compile(r"[^\W\d_a-zA-Z]")
_LETTER_RE = re.compile(r"[^\W\d_]")


def decode_text(data: bytes, doc: str) -> str:
    """Bytes of a text file as str: UTF-8 (or a BOM's encoding), else Windows-1252/Latin-1 for
    Western text, else charset-normalizer's best guess."""
    for bom, encoding in _BOMS:
        if data.startswith(bom):
            try:
                return data.decode(encoding)
            except UnicodeDecodeError:
                break
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError:
        pass
    if b"\x00" in data[:65536]:
        raise LoadError(doc, "looks like binary data, not text; check the file's extension")
    # charset-normalizer mistakes short Latin-1/Windows-1252 English for Baltic or Central
    # European code pages, so try Windows-1252 first and keep it when the text reads as
    # Western (mostly ASCII letters); Latin-1 bytes decode the same way.
    for encoding in ("cp1252", "latin-1"):
        try:
            text = data.decode(encoding)
        except UnicodeDecodeError:
            continue
        letters = len(_LETTER_RE.findall(text[:200000]))
        if letters and len(_NON_ASCII_LETTER_RE.findall(text[:200000])) <= 0.3 * letters:
            return _checked_text(text, doc)
        break
    from charset_normalizer import from_bytes

    best = from_bytes(data[: 2**20]).best()
    if best is None or best.encoding is None:
        raise LoadError(doc, "cannot tell the text encoding; save the file as UTF-8")
    return _checked_text(data.decode(best.encoding, errors="replace"), doc)


def _checked_text(text: str, doc: str) -> str:
    sample = text[:65536]
    if len(_CONTROL_RE.findall(sample)) > 0.01 * max(1, len(sample)):
        raise LoadError(doc, "looks like binary data, not text; check the file's extension")
    return text


def _read_text(data: bytes, doc: str, limit: int) -> tuple[list[str], str]:
    return [decode_text(data, doc)], ""


_FRONT_MATTER_RE = re.compile(r"\A---[ \t]*\n(.*?)\n(?:---|\.\.\.)[ \t]*\n", re.S)
_MD_HEADING_RE = re.compile(r"^[ \t]{0,3}(#{1,6})[ \t]+(.*?)[ \t]*#*[ \t]*$")
_MD_SETEXT_RE = re.compile(r"^[ \t]{0,3}(=+|-+)[ \t]*$")
_MD_RULE_RE = re.compile(r"^[ \t]{0,3}(?:[-*_][ \t]*){3,}$")
_MD_FENCE_RE = re.compile(r"^[ \t]{0,3}(```|~~~)")
_MD_LIST_RE = re.compile(r"^[ \t]*(?:[-*+]|\d{1,3}[.)])[ \t]+")
_MD_TABLE_SEP_RE = re.compile(r"^[ \t]*\|?[ \t]*:?-{3,}:?[ \t]*(?:\|[ \t]*:?-{3,}:?[ \t]*)*\|?[ \t]*$")
_MD_REFDEF_RE = re.compile(r"^[ \t]{0,3}\[[^\]]+\]:[ \t]+\S+.*$")
_MD_INLINE = [
    (re.compile(r"!\[([^\]]*)\]\([^)]*\)"), r"\1"),  # images -> alt text
    (re.compile(r"\[([^\]]+)\]\([^)]*\)"), r"\1"),  # links -> link text
    (re.compile(r"\[([^\]]+)\]\[[^\]]*\]"), r"\1"),  # reference links
    (re.compile(r"<(https?://[^>\s]+)>"), r"\1"),  # autolinks
    (re.compile(r"</?[A-Za-z][^>\n]{0,200}>"), ""),  # inline HTML tags
    (re.compile(r"(\*\*|__)(?=\S)(.+?)(?<=\S)\1"), r"\2"),  # strong
    (re.compile(r"(?<![\w*])\*(?=\S)(.+?)(?<=\S)\*(?![\w*])"), r"\1"),  # emphasis
    (re.compile(r"(?<!\w)_(?=\S)(.+?)(?<=\S)_(?!\w)"), r"\1"),  # emphasis, not snake_case
    (re.compile(r"`([^`\n]+)`"), r"\1"),  # inline code
]


def _read_markdown(data: bytes, doc: str, limit: int) -> tuple[list[str], str]:
    """Markdown stripped lightly to text: headings, emphasis, links and list markers go, each
    paragraph on one line, list items as bullets, so the cleaner keeps the structure."""
    text = decode_text(data, doc).replace("\r\n", "\n").replace("\r", "\n")
    title = ""
    front = _FRONT_MATTER_RE.match(text)
    if front:
        found = re.search(r"^title:[ \t]*[\"']?(.*?)[\"']?[ \t]*$", front.group(1), re.M)
        title = found.group(1) if found else ""
        text = text[front.end() :]
    out: list[str] = []
    para: list[str] = []
    fenced = False

    def flush() -> None:
        if para:
            out.append(" ".join(para))
            para.clear()

    for line in text.split("\n"):
        if _MD_FENCE_RE.match(line):
            flush()
            fenced = not fenced
            continue
        if fenced:
            out.append(line)  # code keeps its lines
            continue
        line = re.sub(r"^[ \t]{0,3}(?:>[ \t]?)+", "", line)  # block quotes
        heading = _MD_HEADING_RE.match(line)
        if heading:
            flush()
            out.extend(["", _md_inline(heading.group(2)), ""])
            title = title or _clean_title(_md_inline(heading.group(2)))
        elif _MD_SETEXT_RE.match(line) and para:
            # "Title\n=====": the paragraph so far was a heading
            heading_text = " ".join(para)
            para.clear()
            out.extend(["", heading_text, ""])
            if line.strip().startswith("="):
                title = title or _clean_title(heading_text)
        elif not line.strip() or _MD_RULE_RE.match(line) or _MD_TABLE_SEP_RE.match(line) or _MD_REFDEF_RE.match(line):
            flush()
            out.append("")
        elif _MD_LIST_RE.match(line):
            flush()
            para.append("• " + _md_inline(_MD_LIST_RE.sub("", line, count=1)))
        elif line.lstrip().startswith("|"):
            flush()
            cells = [c.strip() for c in line.strip().strip("|").split("|")]
            out.append(" | ".join(_md_inline(c) for c in cells if c))
        else:
            para.append(_md_inline(line.strip()))
    flush()
    return ["\n".join(out)], title


def _md_inline(text: str) -> str:
    for pattern, repl in _MD_INLINE:
        text = pattern.sub(repl, text)
    return text.strip()


# -- PDF ----------------------------------------------------------------------------------------


def _read_pdf(data: bytes, doc: str, limit: int) -> tuple[list[str], str]:
    import pypdfium2 as pdfium

    try:
        pdf = pdfium.PdfDocument(data)
    except pdfium.PdfiumError as exc:
        if "password" in str(exc).lower():
            raise LoadError(doc, "encrypted PDF (it needs a password); save an unprotected copy and load that") from exc
        raise LoadError(doc, f"not a readable PDF ({exc}); check the file opens in a PDF viewer") from exc
    try:
        count = len(pdf)
        if count > MAX_PAGES:
            raise LoadError(doc, f"PDF has {count} pages, over the {MAX_PAGES}-page limit; split it into parts")
        title = (pdf.get_metadata_dict(skip_empty=True) or {}).get("Title", "")
        pages = []
        for index in range(count):
            page = pdf[index]
            try:
                textpage = page.get_textpage()
                try:
                    pages.append(textpage.get_text_range())
                finally:
                    textpage.close()
            finally:
                page.close()
    except pdfium.PdfiumError as exc:
        raise LoadError(doc, f"cannot read the PDF's text ({exc}); check the file opens in a PDF viewer") from exc
    finally:
        pdf.close()
    if not any(page.strip() for page in pages):
        raise LoadError(doc, "no text layer; OCR is not supported (scanned PDFs need OCR before loading)")
    return pages, re.sub(r"^Microsoft (?:Word|PowerPoint) - ", "", title)


# -- Word ---------------------------------------------------------------------------------------


def _read_docx(data: bytes, doc: str, limit: int) -> tuple[list[str], str]:
    import zipfile

    try:
        archive = zipfile.ZipFile(io.BytesIO(data))
    except (zipfile.BadZipFile, OSError) as exc:
        raise LoadError(doc, "not a valid .docx (not a zip archive); re-save it from Word as .docx") from exc
    with archive:
        try:
            body = archive.getinfo("word/document.xml")
        except KeyError:
            raise LoadError(doc, "not a Word document (no word/document.xml); re-save it from Word as .docx") from None
        # Sizes come from the archive's directory, and zipfile never inflates past them, so
        # checking them bounds the memory used, whatever the compressed data claims.
        unpack_limit = DOCX_UNPACK_FACTOR * limit
        total = sum(info.file_size for info in archive.infolist())
        if body.file_size > unpack_limit or total > 2 * unpack_limit:
            big = max(body.file_size, total)
            raise LoadError(doc, f"unpacks to {_mb(big)}, over the {_mb(unpack_limit)} limit (a zip bomb?); not loaded")
    import docx
    from docx.opc.exceptions import PackageNotFoundError

    try:
        document = docx.Document(io.BytesIO(data))
    except (PackageNotFoundError, KeyError, ValueError, zipfile.BadZipFile) as exc:
        raise LoadError(doc, f"not a readable Word document ({exc}); re-save it from Word as .docx") from exc
    except Exception as exc:  # lxml syntax errors and other corrupt-part failures
        raise LoadError(doc, f"corrupt Word document ({type(exc).__name__}: {exc}); re-save it from Word") from exc
    blocks, heading = _docx_blocks(document)
    return ["\n\n".join(blocks)], _first_title(document.core_properties.title or "", heading)


def _docx_blocks(document) -> tuple[list[str], str]:
    """Paragraphs and tables of a Word body in order, as text blocks; and the first heading."""
    from docx.table import Table
    from docx.text.paragraph import Paragraph

    blocks: list[str] = []
    heading = ""
    items: list[str] = []  # consecutive list paragraphs stay one block, one item a line
    for child in document.element.body.iterchildren():
        tag = child.tag.rsplit("}", 1)[-1]
        if tag == "p":
            para = Paragraph(child, document)
            text = para.text.strip()
            if not text:
                continue
            style = (para.style.name if para.style is not None else "") or ""
            if style.startswith(("Heading", "Title")) and not heading and _clean_title(text):
                heading = text
            if style.startswith("List") or child.find(".//{*}numPr") is not None:
                items.append("• " + text)
                continue
            if items:
                blocks.append("\n".join(items))
                items = []
            blocks.append(text)
        elif tag == "tbl":
            if items:
                blocks.append("\n".join(items))
                items = []
            blocks.extend(_docx_table(Table(child, document)))
    if items:
        blocks.append("\n".join(items))
    return blocks, heading


def _docx_table(table) -> list[str]:
    """One block per table row, one cell a line (merged cells once)."""
    rows = []
    for row in table.rows:
        seen, cells = set(), []
        for cell in row.cells:
            if id(cell._tc) in seen:
                continue
            seen.add(id(cell._tc))
            text = cell.text.strip()
            if text:
                cells.append(text)
        if cells:
            rows.append("\n".join(cells))
    return rows


# -- HTML ---------------------------------------------------------------------------------------

_HTML_DROP = "script, style, noscript, template, svg, math, nav, footer, form, button, iframe, object, select, head"
_HTML_BLOCKS = (
    "p, div, section, article, main, header, aside, blockquote, pre, h1, h2, h3, h4, h5, h6, ul, ol, dl, dt, dd, "
    "table, tr, figure, figcaption, address, details, summary, hr, caption"
)
_PARA, _LINE = "\ue000", "\ue001"  # private-use markers for block and line breaks


_META_CHARSET_RE = re.compile(rb"""<meta[^>]{0,200}?charset\s*=\s*["']?([A-Za-z0-9_.:-]{1,40})""", re.I)
_TAG_RE = re.compile(rb"<(/?)([A-Za-z][A-Za-z0-9]{0,30})[^<>]{0,2000}?(/?)>")
# Elements that never nest (void) or close themselves implicitly: they add no depth.
_FLAT_TAGS = frozenset(
    b"area base br col embed hr img input link meta param source track wbr "
    b"p li dt dd tr td th option optgroup thead tbody tfoot colgroup rp rt html head body".split()
)
MAX_HTML_DEPTH = 2000  # HTML tree building is quadratic in nesting depth: cap it


def _html_depth(data: bytes) -> int:
    """The deepest element nesting in `data` (skipping void and self-closing elements)."""
    if data.count(b"<") <= MAX_HTML_DEPTH:
        return 0  # too few tags to nest that deep
    depth = peak = 0
    for close, name, self_closing in _TAG_RE.findall(data):
        name = name.lower()
        if self_closing or name in _FLAT_TAGS:
            continue
        if close:
            depth = max(0, depth - 1)
        else:
            depth += 1
            peak = max(peak, depth)
    return peak


def _decode_html(data: bytes, doc: str) -> str:
    declared = _META_CHARSET_RE.search(data[:4096])
    if declared and not data.startswith((b"\xef\xbb\xbf", b"\xff\xfe", b"\xfe\xff")):
        name = declared.group(1).decode("ascii").lower()
        try:
            return data.decode("cp1252" if name in {"iso-8859-1", "latin1", "latin-1", "us-ascii"} else name, errors="replace")
        except LookupError:
            pass  # an unknown charset name: detect instead
    return decode_text(data, doc)


def _read_html(data: bytes, doc: str, limit: int) -> tuple[list[str], str]:
    from selectolax.lexbor import LexborHTMLParser

    depth = _html_depth(data)
    if depth > MAX_HTML_DEPTH:
        raise LoadError(doc, f"HTML nested {depth} levels deep, over the limit of {MAX_HTML_DEPTH}; not loaded")
    tree = LexborHTMLParser(_decode_html(data, doc))
    og = tree.css_first('meta[property="og:title"]')
    title_node, h1 = tree.css_first("title"), tree.css_first("h1")
    title = _first_title((og.attributes.get("content") or "") if og else "",
                         title_node.text(strip=True) if title_node else "",
                         h1.text(separator=" ", strip=True) if h1 else "")
    for node in tree.css(_HTML_DROP):
        node.decompose()
    # Whitespace in HTML source is not text; block boundaries are. Mark them with characters
    # that cannot occur in the text, flatten, then turn the marks into line breaks.
    for node in tree.css(_HTML_BLOCKS):
        node.insert_before(_PARA)
        node.insert_after(_PARA)
    for node in tree.css("li"):
        node.insert_before(_LINE + "• ")
        node.insert_after(_LINE)
    for node in tree.css("br, td, th"):
        node.insert_after(_LINE)
    root = tree.body or tree.root
    text = root.text(deep=True, separator="") if root is not None else ""
    text = re.sub(r"\s+", " ", text)
    text = re.sub(rf"(?: ?{_LINE} ?)+", "\n", text)
    text = re.sub(rf"[ \n]*{_PARA}[{_PARA} \n]*", "\n\n", text)
    return [text], title


# -- titles -------------------------------------------------------------------------------------

# Lines that sit at the top of saved web pages and reports but never name the document: navigation,
# page furniture, cookie banners, generic section headings.
_FURNITURE = frozenset("""
home|menu|main menu|navigation|search|skip to content|skip to main content|skip navigation|back to top
latest news|news|latest public sector news|share|print|close|sign in|log in|subscribe|contact us
our progress|introduction|foreword|contents|table of contents|overview|background|summary
executive summary|untitled|untitled document|document|presentation|powerpoint presentation|title
cookies|cookie settings|cookie preferences|accept|accept all cookies|reject all cookies
""".strip().replace("\n", "|").split("|"))
_FURNITURE_RE = re.compile(
    r"\bcookies?\b|\bicon\b.*\bicon\b|^(?:home|you are here)\s*[>›»/|]|"  # banners, icon runs, breadcrumbs
    r"^(?:recommendation|section|chapter|part|table|figure|appendix|annex)\s+\d"  # a section, not the document
    # a byline ending in a full date ("Article November 1st, 2020"); a title may name a month, not a day
    r"|(?:\b\d{1,2}(?:st|nd|rd|th)?\s+(?:jan|feb|mar|apr|may|jun|jul|aug|sep|oct|nov|dec)[a-z]*\.?"
    r"|\b(?:jan|feb|mar|apr|may|jun|jul|aug|sep|oct|nov|dec)[a-z]*\.?\s+\d{1,2}(?:st|nd|rd|th)?,?)\s+\d{4}$",
    re.I)
_FILE_NAME_RE = re.compile(r"\.(?:docx?|pdf|html?|txt|md|pptx?|odt|rtf)$|^[\w-]+_[\w-]+$", re.I)
# " | Site", " - Site", " – Site": a site name after the page's own title
_SITE_SUFFIX_RE = re.compile(r"\s+[|\-–—·•]\s+([^|\-–—]{1,40})$")


def _clean_title(title: str) -> str:
    """`title` with spaces collapsed and a trailing site name dropped, or "" when it names no
    document (navigation, furniture, a file name, one word)."""
    title = re.sub(r"\s+", " ", title or "").strip()
    site = _SITE_SUFFIX_RE.search(title)
    # a site's name is capitalised ("IfG", "Centre for Public Impact"); a subtitle after a dash is not
    if site and len(title[: site.start()].split()) >= 2 and len(site.group(1).split()) <= 4 \
            and all(w[0].isupper() or len(w) < 4 for w in site.group(1).split()):
        title = title[: site.start()].rstrip()
    key = re.sub(r"[^\w ]+", "", title.lower()).strip()
    if (len(title.split()) < 2 or key in _FURNITURE or _FURNITURE_RE.search(title) or _FILE_NAME_RE.search(title)
            or not re.search(r"[^\W\d_]{2}", title)):
        return ""
    return title[:300]


def _first_title(*candidates: str) -> str:
    """The first candidate that names the document."""
    return next((t for t in map(_clean_title, candidates) if t), "")


def _title_from_text(text: str) -> str:
    """The first heading-like line at the top of the text, skipping furniture; none once body text
    starts (a long line, or one that ends like a sentence)."""
    for line in text.lstrip().split("\n")[:20]:
        line = line.strip()
        if not line:
            continue
        words = line.split()
        if len(words) > _TITLE_MAX_WORDS or len(line) > 150 or re.search(r"[.,;:!?]$|^[•·*\-–]\s", line):
            return ""
        title = _clean_title(line)
        if title:
            return title
    return ""


def _title_from_name(path: Path) -> str:
    stem = re.sub(r"[-_]+", " ", path.stem).strip() or path.name
    return stem[:1].upper() + stem[1:]
