"""Question-answer pairs over the training corpus (train/qa/*.json): validate and list.

    python train/qa.py check [FILE ...]   # every question: known document, evidence in its text, answer in the evidence
    python train/qa.py stats

Format of each file: a JSON list of
    {"id": "cpr-foo-01", "doc": "<genre>/<name>", "q": "...", "type": "who|what|where|which-orgs|outcome|role|
     how-many|when|none", "answers": ["short canonical", "other acceptable"...], "evidence": "exact text"}
`doc` is a document id of train/corpus.jsonl; `evidence` an exact substring of its text that holds the
first answer. Questions of type `none` have no answer in the document: `answers` and `evidence` are empty.
The questions take the split of their document, so the held-out documents' questions are never trained on.
"""

from __future__ import annotations

import json
import re
import sys
from collections import Counter
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))

import corpus as C  # noqa: E402

QA_DIR = HERE / "qa"
TYPES = ("who", "what", "where", "which-orgs", "outcome", "role", "how-many", "when", "none")


def _ws(s: str) -> str:
    return re.sub(r"\s+", " ", s).strip()


def load(paths: list[str] | None = None) -> tuple[list[dict], list[str]]:
    docs = {d.id: d for d in C.read_jsonl()}
    items, errors, seen = [], [], set()
    files = [Path(p) for p in paths] if paths else sorted(QA_DIR.glob("*.json"))
    for f in files:
        try:
            data = json.loads(f.read_text(encoding="utf-8"))
        except (OSError, json.JSONDecodeError) as exc:
            errors.append(f"{f}: not readable JSON ({exc})")
            continue
        for k, it in enumerate(data):
            where = f"{f}: item {k} ({it.get('id', '?')})"
            missing = [key for key in ("id", "doc", "q", "type", "answers", "evidence") if key not in it]
            if missing:
                errors.append(f"{where}: missing {', '.join(missing)}")
                continue
            if it["id"] in seen:
                errors.append(f"{where}: duplicate id")
            seen.add(it["id"])
            d = docs.get(it["doc"])
            if d is None:
                errors.append(f"{where}: doc {it['doc']!r} is not in train/corpus.jsonl")
                continue
            if it["type"] not in TYPES:
                errors.append(f"{where}: type {it['type']!r} is not one of {', '.join(TYPES)}")
            if it["type"] == "none":
                if it["answers"] or it["evidence"]:
                    errors.append(f"{where}: a 'none' question has empty answers and evidence")
            else:
                if not it["answers"] or not it["evidence"]:
                    errors.append(f"{where}: needs answers and evidence")
                    continue
                if _ws(it["evidence"]) not in _ws(d.text):
                    errors.append(f"{where}: evidence is not in the document's text: {it['evidence'][:60]!r}")
                if _ws(it["answers"][0]).lower() not in _ws(it["evidence"]).lower():
                    errors.append(f"{where}: first answer {it['answers'][0]!r} is not in the evidence")
            it = dict(it, split=d.split)
            items.append(it)
    return items, errors


def main(argv: list[str]) -> int:
    cmd = argv[0] if argv else "check"
    items, errors = load(argv[1:] or None)
    for e in errors:
        print(e, file=sys.stderr)
    if cmd == "check":
        print(f"{len(items)} questions read, {len(errors)} errors")
        return 1 if errors else 0
    if cmd == "stats":
        c = Counter((it["split"], it["type"]) for it in items)
        for (s, t), n in sorted(c.items()):
            print(f"{s:8} {t:12} {n}")
        print(f"documents with questions: {len({it['doc'] for it in items})}")
        return 1 if errors else 0
    print(__doc__, file=sys.stderr)
    return 2


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
