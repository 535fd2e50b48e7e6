"""`python -m bench.screenshots [--url URL] [--corpus corpus] [--out docs]`: one PNG per UI tab.

Without --url it ingests the corpus into a store (default `.casegraph/`), starts the UI on a free
loopback port and drives Debian's chromium over it; it also prints how long the first question
took from pressing Enter to the answer on screen. The question is drawn from the graph, like the
UI's own examples.
"""

from __future__ import annotations

import argparse
import socket
import sys
import time
from pathlib import Path

CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking"]


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def _start(corpus: Path, store_dir: str | None):
    import ui
    from app import consumers
    from ingest.pipeline import ingest
    from ingest.store import Store

    store = Store.at(store_dir, corpus)
    print(ingest(corpus, store, consumers=consumers(), progress=False).summary(), file=sys.stderr)
    demo = ui.build_app(store, corpus)
    ui.warm(demo)
    port = _free_port()
    ui.launch(demo, port=port, block=False)
    return demo, f"http://127.0.0.1:{port}"


def take(url: str, out: Path, question: str | None = None) -> dict:
    """Screenshots of the four tabs into `out`; returns {"question", "answer_s"}."""
    from playwright.sync_api import sync_playwright

    out.mkdir(parents=True, exist_ok=True)
    with sync_playwright() as pw:
        browser = pw.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        page = browser.new_page(viewport={"width": 1280, "height": 900}, device_scale_factor=1)
        page.goto(url)
        box = page.locator("#cg-question textarea, #cg-question input").first
        box.wait_for()
        if question is None:
            examples = page.locator(".gallery button, button.gallery-item, [data-testid='examples'] button")
            question = examples.first.inner_text().strip() if examples.count() else "Who leads the programme?"
        box.fill(question)
        t = time.perf_counter()
        box.press("Enter")
        page.wait_for_function("q => document.querySelector('#cg-answer [data-question]')?.dataset.question === q",
                               arg=question, timeout=30000)
        answer_s = time.perf_counter() - t
        time.sleep(0.8)  # let the pending fade finish
        page.screenshot(path=str(out / "ui-ask.png"))
        page.get_by_role("tab", name="Explore").click()
        page.locator("#cg-profile-name").wait_for(timeout=15000)
        page.frame_locator("#cg-ego iframe").locator("#cg-nodes circle").first.wait_for(timeout=15000)
        time.sleep(1.5)  # let the force layout settle
        page.screenshot(path=str(out / "ui-explore.png"))
        page.get_by_role("tab", name="Partnerships").click()
        page.frame_locator("#cg-network iframe").locator("#cg-nodes circle").first.wait_for(timeout=15000)
        time.sleep(1.5)
        page.screenshot(path=str(out / "ui-partnerships.png"))
        page.get_by_role("tab", name="Corpus").click()
        page.locator("#cg-docs").wait_for()
        time.sleep(0.5)
        page.screenshot(path=str(out / "ui-corpus.png"))
        browser.close()
    return {"question": question, "answer_s": round(answer_s, 3)}


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m bench.screenshots", description=__doc__.splitlines()[0])
    parser.add_argument("--url", help="a running UI (default: start one over --corpus)")
    parser.add_argument("--corpus", default="corpus")
    parser.add_argument("--store", help="store folder (default: .casegraph/ beside the corpus)")
    parser.add_argument("--out", default="docs")
    parser.add_argument("--question", help="the question to ask (default: the UI's first example)")
    args = parser.parse_args(argv)
    demo = None
    url = args.url
    if not url:
        demo, url = _start(Path(args.corpus), args.store)
    try:
        result = take(url, Path(args.out), args.question)
    finally:
        if demo is not None:
            demo.close()
    print(f"wrote {args.out}/ui-{{ask,explore,partnerships,corpus}}.png; first answer in {result['answer_s']:.2f}s "
          f"for {result['question']!r}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
