"""Extraction quality by mode on the never-seen split and the dev sets (`make train-eval`).

    python train/evaluate.py [--sets fresh,heldout,dev,synthetic] [--modes rules,model,combined] [--json FILE]

A wrapper of evaluation.modes (the same table as `casegraph eval --modes`).
"""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))


def main(argv=None) -> int:
    from evaluation.modes import MODES, format_table, run

    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--sets", default="fresh,heldout,dev,synthetic")
    ap.add_argument("--modes", default=",".join(MODES))
    ap.add_argument("--json")
    args = ap.parse_args(argv)
    result = run(args.sets.split(","), args.modes.split(","))
    print(format_table(result))
    if args.json:
        Path(args.json).write_text(json.dumps(result, indent=1), encoding="utf-8")
    return 0


if __name__ == "__main__":
    sys.exit(main())
