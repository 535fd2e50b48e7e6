"""Deterministic scaled corpora: N variants of every bundled report, names and numbers varied.

Variant 0 of a report is the report itself; variant k > 0 rewrites every name-like word (a
capitalised word whose lower-case form never occurs in the source, or an acronym) and every number
to a pseudo-word / number derived from (k, word), consistently within the variant. Word counts,
line breaks and layout are kept, so every variant costs about what the original costs, but its
content hash and its entities differ. The same arguments always give the same bytes.
"""

from __future__ import annotations

import hashlib
import re
from pathlib import Path

__all__ = ["variant_text", "variant_name", "make_corpus", "make_report", "corpus_words"]

# Generic heads of English organisation and place names, calendar words: kept so variants still
# read like reports to the NER (a general list, not taken from any report).
KEEP = frozenset(
    """The A An In On Of For And But Or To By With At From As It Its This That These Those We Our Us
    They Their He She His Her I You Your What Who Where When Why How Which There Here
    January February March April May June July August September October November December
    Monday Tuesday Wednesday Thursday Friday Saturday Sunday
    North South East West Northern Southern Eastern Western Central Greater New Old Upper Lower
    University Institute Foundation Trust Council County City Borough District Council Lab Hall
    College School Group Partnership Network Centre Center Authority Agency Service Services Board
    Department Ministry Office Society Association Club Fund Programme Program Academy Street Road
    Park House Hospital Commission Committee Unit Team Project Company Limited Ltd Government
    Local National Public Social Health Care Children Community Communities Police Fire Housing
    Mr Mrs Ms Dr Professor Sir Dame Lord Lady Chief Executive Director Chair Leader Head Manager
    UK England Scotland Wales Britain Europe EU NHS""".split()
)

_WORD = re.compile(r"\b(?:[A-Z][a-z]+[A-Za-z]*|[A-Z]{2,}[a-z]?s?)\b")
_NUMBER = re.compile(r"\d+")
_ONSETS = ("b", "c", "d", "f", "g", "h", "k", "l", "m", "n", "p", "r", "s", "t", "v", "w", "br", "ch",
           "dr", "gr", "pl", "st", "tr", "th")
_VOWELS = ("a", "e", "i", "o", "u", "ai", "ea", "ou")
_CONSONANTS = "BCDFGHJKLMNPRSTVWZ"


def _digest(*parts: object) -> bytes:
    return hashlib.sha256("\0".join(map(str, parts)).encode("utf-8")).digest()


def _pseudo_word(word: str, variant: int) -> str:
    """A pronounceable stand-in of about the same length; keeps the last three letters of long
    words (so '-shire', '-ton' survive) and the shape of acronyms."""
    h = _digest("w", variant, word)
    if word.isupper() or (len(word) > 1 and word[:-1].isupper()):  # acronym, maybe plural 'SIBs'
        core = word[:-1] if word[-1].islower() else word
        out = "".join(_CONSONANTS[h[i] % len(_CONSONANTS)] for i in range(len(core)))
        return out + word[len(core):]
    keep = word[-3:] if len(word) >= 7 else ""
    target = max(len(word) - len(keep), 2)
    out, i = "", 0
    while len(out) < target:
        out += _ONSETS[h[i % 32] % len(_ONSETS)] + _VOWELS[h[(i + 1) % 32] % len(_VOWELS)]
        i += 2
    return (out[:target] + keep).capitalize()


def _vocabulary(text: str) -> set[str]:
    return {w for w in re.findall(r"[a-z]+", text)}


def variant_text(text: str, variant: int, *, vocabulary: set[str] | None = None) -> str:
    """Variant `variant` of a report's text (variant 0 is the text unchanged)."""
    if variant == 0:
        return text
    vocab = vocabulary if vocabulary is not None else _vocabulary(text)
    names: dict[str, str] = {}

    def name(m: re.Match) -> str:
        word = m.group(0)
        if word in KEEP or (not word.isupper() and word.lower() in vocab):
            return word
        if word not in names:
            names[word] = _pseudo_word(word, variant)
        return names[word]

    def number(m: re.Match) -> str:
        digits = m.group(0)
        if len(digits) == 4 and digits[:2] in ("19", "20"):  # years stay plausible years
            return str(1990 + (int(digits) + variant) % 35)
        width = len(digits)
        value = (int(digits) + 7 * variant + _digest("n", variant, digits)[0]) % (10 ** width)
        return str(value).zfill(width) if digits.startswith("0") else str(max(value, 10 ** (width - 1)))

    return _NUMBER.sub(number, _WORD.sub(name, text))


def variant_name(name: str, variant: int) -> str:
    """File name of a variant: 'report.txt' -> 'report--v007.txt' (variant 0 keeps the name)."""
    if variant == 0:
        return name
    path = Path(name)
    return f"{path.stem}--v{variant:03d}{path.suffix}"


def _write_if_changed(path: Path, data: bytes) -> None:
    if not path.exists() or path.read_bytes() != data:
        path.write_bytes(data)


def make_corpus(source: str | Path, out: str | Path, multiplier: int) -> list[Path]:
    """Write `multiplier` variants of every text report in `source` into `out`; returns the files.

    Files already there with the right bytes are left alone (so mtimes stay put between runs);
    files of other multipliers are removed, so `out` holds exactly this corpus."""
    source, out = Path(source), Path(out)
    out.mkdir(parents=True, exist_ok=True)
    reports = sorted(p for p in source.iterdir() if p.is_file() and p.suffix in (".txt", ".md"))
    if not reports:
        raise FileNotFoundError(f"{source}: no .txt or .md reports to scale; point --corpus at the bundled corpus")
    texts = {report: report.read_text("utf-8") for report in reports}
    vocab = _vocabulary("\n".join(texts.values()))  # the whole corpus's words: fewer false names
    written: list[Path] = []
    for report, text in texts.items():
        for k in range(multiplier):
            path = out / variant_name(report.name, k)
            _write_if_changed(path, variant_text(text, k, vocabulary=vocab).encode("utf-8"))
            written.append(path)
    keep = {p.name for p in written}
    for path in out.iterdir():
        if path.is_file() and path.name not in keep:
            path.unlink()
    return written


def make_report(source: str | Path, out: str | Path, *, words: int = 10_000, variant: int = 9_999) -> Path:
    """One new report of about `words` words (~20 pages) cut from a variant of the longest
    bundled report at a paragraph break; its names and numbers occur in no scaled corpus."""
    source = Path(source)
    longest = max((p for p in source.iterdir() if p.suffix in (".txt", ".md")), key=lambda p: p.stat().st_size)
    text = variant_text(longest.read_text("utf-8"), variant)
    cut, count = len(text), 0
    for m in re.finditer(r"\S+", text):
        count += 1
        if count >= words:
            brk = text.find("\n\n", m.end())
            cut = brk if brk != -1 else len(text)
            break
    path = Path(out)
    path.parent.mkdir(parents=True, exist_ok=True)
    _write_if_changed(path, text[:cut].encode("utf-8"))
    return path


def corpus_words(folder: str | Path) -> tuple[int, int, int]:
    """(files, words, bytes) of the reports in a folder."""
    files = [p for p in Path(folder).iterdir() if p.is_file()]
    data = [p.read_bytes() for p in files]
    return len(files), sum(len(d.split()) for d in data), sum(len(d) for d in data)
