"""The standalone network page in Debian's chromium: labels readable at the default view, search.

The graph is made up and shaped like a real corpus's partnerships view: one sentence naming a dozen
bodies (a clique), a council with its local partners, national bodies around a programme, pairs.
"""

from __future__ import annotations

import networkx as nx
import pytest

from graph.export import to_html
from graph.views import make_view


CLIQUE = ["Fernwick Institute for Civic Data", "Harrowgate Evidence Alliance", "Quillan Consulting",
          "Marlow Street Advisory", "Tessaly Foundation", "Brackenfield Digital Guild", "Ostrow Partners LLP",
          "Caddon Public Services Network", "Wexmoor Social Ventures", "Lindqvist & Hale", "Pellow Trust",
          "Norland Collaborative"]
COUNCIL = ("Dunmere City Council", ["Dunmere Hospitals NHS Foundation Trust", "Dunmere Community Hub",
                                    "Dunmere Estates Company", "Dunmere Youth Network", "Dunmere Housing Ombudsman",
                                    "Dunmere University Developments"])
PAIRS = [("Kestowe Borough Council", "Kestowe Holdings Ltd"), ("Ashgrove Libraries", "Ashgrove Arts Board Trust"),
         ("Ribble Vale Police", "Ribble Vale Department for Families"), ("Tamsin Works", "Orrin Studio")]
OVERLAP_JS = """() => {
  const shown = Array.from(document.querySelectorAll('#cg-labels-layer text'))
    .filter(t => getComputedStyle(t).display !== 'none');
  const boxes = shown.map(t => t.getBoundingClientRect());
  const hits = boxes.filter((a, i) => boxes.some((b, j) => j !== i && a.left < b.right && b.left < a.right
                                                          && a.top < b.bottom && b.top < a.bottom)).length;
  return {visible: shown.length, overlapping: hits, nodes: document.querySelectorAll('#cg-nodes circle').length};
}"""


def _org(g, name):
    node = "organisation:" + name.lower().replace(" ", "-").replace("&", "and")
    g.add_node(node, type="organisation", name=name, aliases=[], docs=["made-up.txt"], sector=None, mentions=3)
    return node


def _partners(g, a, b, start):
    sentence = f"{g.nodes[a]['name']} worked with {g.nodes[b]['name']}."
    g.add_edge(a, b, key=f"partners_with:made-up.txt:{start}", relation="partners_with", doc="made-up.txt",
               evidence=sentence, start=start, end=start + len(sentence), page=None, role=None)


@pytest.fixture(scope="module")
def page_html() -> str:
    g = nx.MultiDiGraph()
    clique = [_org(g, n) for n in CLIQUE]
    start = 0
    for i, a in enumerate(clique):
        for b in clique[i + 1:]:
            _partners(g, a, b, start)
            start += 100
    council = _org(g, COUNCIL[0])
    for name in COUNCIL[1]:
        _partners(g, council, _org(g, name), start)
        start += 100
    _partners(g, council, clique[0], start)  # the bridge between the two groups
    for a, b in PAIRS:
        _partners(g, _org(g, a), _org(g, b), start + 50)
        start += 100
    return to_html(make_view(g, "partnerships"), title="made-up partnerships")


@pytest.mark.parametrize("width", [900, 1280])
def test_visible_labels_do_not_collide_at_the_default_view(browser, page_html, tmp_path, width):
    path = tmp_path / "view.html"
    path.write_text(page_html, "utf-8")
    page = browser.new_page(viewport={"width": width, "height": 640})
    page.goto(path.as_uri())
    page.wait_for_selector("body[data-labelled]", state="attached")
    seen = page.evaluate(OVERLAP_JS)
    n = len(CLIQUE) + 1 + len(COUNCIL[1]) + 2 * len(PAIRS)
    assert seen["nodes"] == n
    assert seen["overlapping"] < 0.05 * seen["visible"], seen
    # Not by hiding everything: at least half the names are on screen, the hub's among them.
    assert seen["visible"] >= n / 2, seen
    assert page.locator("#cg-labels-layer text", has_text="Dunmere City Council").is_visible()
    # A name left off shows when its node is hovered.
    hidden = page.evaluate("Array.from(document.querySelectorAll('#cg-labels-layer text'))"
                           ".findIndex(t => getComputedStyle(t).display === 'none')")
    if hidden >= 0:
        page.locator(f"#cg-nodes circle[data-i='{hidden}']").hover(force=True)
        assert page.locator(f"#cg-labels-layer text[data-i='{hidden}']").is_visible()
    # Each community of three or more sits on its own shaded patch.
    assert page.locator("#cg-hulls polygon").count() >= 2
    page.close()


def test_search_box_replaces_the_previous_name(browser, page_html, tmp_path):
    path = tmp_path / "view.html"
    path.write_text(page_html, "utf-8")
    page = browser.new_page(viewport={"width": 1280, "height": 640})
    page.goto(path.as_uri())
    page.wait_for_selector("body[data-labelled]", state="attached")
    box = page.locator("#cg-search")
    box.click()
    page.keyboard.type("Pellow Trust")
    page.keyboard.press("Enter")
    assert page.locator("#cg-panel h2").inner_text() == "Pellow Trust"
    page.keyboard.type("Orrin Studio")  # straight after a search
    assert box.input_value() == "Orrin Studio"
    page.keyboard.press("Enter")
    assert page.locator("#cg-panel h2").inner_text() == "Orrin Studio"
    page.locator("#cg-svg").click(position={"x": 5, "y": 5})  # away, then back into the box
    box.click()
    page.keyboard.type("Tamsin Works")
    assert box.input_value() == "Tamsin Works"
    page.close()
