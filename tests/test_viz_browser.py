"""The visualizations in a real headless Chromium, served by the real app, with no network.

Unit tests of the HTML could not show that vis-network draws, that tooltips stay text, or that
nothing is fetched from a CDN: only a browser can. Every served view is opened with all
traffic to hosts other than 127.0.0.1 aborted and recorded, and its drawn node count is
compared with a count derived from the document text and the registry YAML by plain string
handling here, independent of the loaders. Chromium comes from Debian (`apt-get install
chromium`), driven by the `playwright` package; `playwright install` is never needed.
"""

from __future__ import annotations

import re
import struct
import time
import zlib
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any
from urllib.parse import quote, urlsplit

import pytest
import yaml
from fastapi import FastAPI

from live_server import serve
from livekg.api.app import create_app
from livekg.graph import viz
from livekg.graph.backend import MemoryBackend
from livekg.graph.knowledge_graph import KnowledgeGraph
from livekg.graph.rows import NodeRow, RelationshipRow

CHROMIUM = Path("/usr/bin/chromium")
CHROMIUM_ARGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-quic",
                 "--no-first-run", "--disable-background-networking",
                 "--disable-component-update", "--disable-sync"]
REGISTRY = Path(__file__).resolve().parent.parent / "data" / "registry"
READY = "body[data-ready='true']"
LOCAL_SCHEMES = {"data", "blob", "about"}
TASK_LINE = re.compile(r"^(\d+)\.([^。]+)。(.*)\(责任单位:(.+)\)$")
SUB_HEADING = re.compile(r"^\([一二三四五六七八九十]+\)(.+)$")
HEADING = re.compile(r"^[一二三四五六七八九十]+、(.+)$")

Pair = tuple[str, str]


# -- what the document says, read with plain string handling ------------------------------------
class Document:
    """Tasks, owners, sections and mentions typed out of the text and the registry YAML."""

    def __init__(self, path: Path) -> None:
        text = path.read_text(encoding="utf-8")
        meta = yaml.safe_load(path.with_suffix(".yaml").read_text(encoding="utf-8"))
        self.id: str = meta["id"]
        self.title: str = meta["title"]
        self.text = text
        self.titles: dict[int, str] = {}
        self.bodies: dict[int, str] = {}
        self.owners: dict[int, list[str]] = {}
        self.sections: dict[int, str] = {}
        self.section_names: list[str] = []
        section = ""
        for line in text.splitlines():
            if heading := HEADING.match(line) or SUB_HEADING.match(line):
                section = heading[1]
                self.section_names.append(section)
            elif task := TASK_LINE.match(line):
                number = int(task[1])
                self.titles[number] = task[2]
                self.bodies[number] = f"{task[2]}。{task[3]}"
                self.owners[number] = task[4].split("、")
                self.sections[number] = section
        self.names = _registry_names()

    def mentions(self, number: int) -> set[Pair]:
        """(label, name) of every registry name in the task text, longest match first."""
        text, found, i = self.bodies[number], set(), 0
        longest = max(map(len, self.names))
        while i < len(text):
            for length in range(min(longest, len(text) - i), 0, -1):
                if text[i:i + length] in self.names:
                    found.add(self.names[text[i:i + length]])
                    i += length
                    break
            else:
                i += 1
        return found

    def tasks_of(self, unit: str) -> list[int]:
        return [n for n, owners in self.owners.items() if unit in owners]


def _registry_names() -> dict[str, Pair]:
    names: dict[str, Pair] = {}
    for entity in yaml.safe_load((REGISTRY / "entities.yaml").read_text("utf-8"))["entities"]:
        for name in [entity["name"], *(entity.get("aliases") or [])]:
            names[name] = (entity["label"], entity["name"])
    for unit in yaml.safe_load((REGISTRY / "units.yaml").read_text("utf-8"))["units"]:
        for name in [unit["short_name"], unit.get("full_name"), *(unit.get("aliases") or [])]:
            if name:
                names[name] = ("Unit", unit["short_name"])
    return names


@pytest.fixture(scope="module")
def document(changning_path: Path) -> Document:
    return Document(changning_path)


# -- browser and server -------------------------------------------------------------------------
@pytest.fixture(scope="module")
def browser() -> Iterator[Any]:
    if not CHROMIUM.exists():
        pytest.fail(f"{CHROMIUM} not found: the browser tests need Debian's Chromium; run "
                    "`apt-get update && apt-get install -y chromium`", pytrace=False)
    try:
        from playwright.sync_api import sync_playwright
    except ImportError:
        pytest.fail("the browser tests need the playwright package: pip install 'playwright'"
                    " (never `playwright install`: the system chromium is used)", pytrace=False)
    with sync_playwright() as playwright:
        chromium = playwright.chromium.launch(executable_path=str(CHROMIUM),
                                              args=CHROMIUM_ARGS)
        yield chromium
        chromium.close()


def viz_app(backend: MemoryBackend) -> FastAPI:
    return create_app(backend=backend)


@pytest.fixture(scope="module")
def base_url(changning_graph: KnowledgeGraph) -> Iterator[str]:
    with serve(viz_app(MemoryBackend(changning_graph))) as url:
        yield url


class Visit:
    """One opened page: what it tried to fetch outside 127.0.0.1, dialogs, console errors."""

    def __init__(self, page: Any) -> None:
        self.page = page
        self.outside: list[str] = []
        self.dialogs: list[str] = []
        self.errors: list[str] = []

    def nodes(self) -> list[dict[str, Any]]:
        return self.page.evaluate(
            "window.livekgNetwork.body.data.nodes.get().map("
            "n => ({id: n.id, name: n.name, category: n.category, hidden: !!n.hidden}))")

    def pairs(self) -> set[Pair]:
        return {(n["category"], n["name"]) for n in self.nodes()}


@pytest.fixture
def open_page(browser: Any) -> Iterator[Callable[..., Visit]]:
    contexts = []

    def opener(url: str, bypass_csp: bool = False) -> Visit:
        context = browser.new_context(viewport={"width": 1280, "height": 800},
                                      bypass_csp=bypass_csp)
        contexts.append(context)
        page = context.new_page()
        visit = Visit(page)

        def route(request_route: Any) -> None:
            parts = urlsplit(request_route.request.url)
            local = parts.scheme in LOCAL_SCHEMES or parts.scheme == "file" or (
                parts.scheme in ("http", "https", "ws", "wss") and parts.hostname == "127.0.0.1")
            if local:
                request_route.continue_()
            else:
                visit.outside.append(request_route.request.url)
                request_route.abort()

        def on_dialog(dialog: Any) -> None:
            visit.dialogs.append(f"{dialog.type}: {dialog.message}")
            dialog.dismiss()

        page.route("**/*", route)
        page.on("dialog", on_dialog)
        page.on("console", lambda m: m.type == "error" and visit.errors.append(m.text))
        page.on("pageerror", lambda e: visit.errors.append(str(e)))
        response = page.goto(url)
        assert response is not None and response.ok, f"{url}: {response and response.status}"
        page.wait_for_selector(READY, state="attached", timeout=60_000)
        assert page.evaluate("window.livekgReady") is True
        return visit

    yield opener
    for context in contexts:
        context.close()


def assert_offline_and_clean(visit: Visit) -> None:
    assert visit.outside == [], f"requests left 127.0.0.1: {visit.outside}"
    assert visit.dialogs == []
    assert visit.errors == [], visit.errors


# -- screenshots, decoded with the standard library ---------------------------------------------
def png_pixels(png: bytes) -> list[tuple[int, ...]]:
    """RGB(A) pixels of an 8-bit, non-interlaced PNG (what Chromium writes)."""
    assert png[:8] == b"\x89PNG\r\n\x1a\n"
    pos, idat, header = 8, b"", b""
    while pos < len(png):
        (length,), kind = struct.unpack(">I", png[pos:pos + 4]), png[pos + 4:pos + 8]
        body = png[pos + 8:pos + 8 + length]
        header = body if kind == b"IHDR" else header
        idat += body if kind == b"IDAT" else b""
        pos += 12 + length
    width, height, depth, colour, _, _, interlace = struct.unpack(">IIBBBBB", header)
    assert depth == 8 and colour in (2, 6) and interlace == 0, (depth, colour, interlace)
    channels = 3 if colour == 2 else 4
    raw, stride = zlib.decompress(idat), width * channels
    previous, pixels = bytearray(stride), []
    for row in range(height):
        start = row * (stride + 1)
        kind, line = raw[start], bytearray(raw[start + 1:start + 1 + stride])
        for i in range(stride):
            left = line[i - channels] if i >= channels else 0
            up = previous[i]
            corner = previous[i - channels] if i >= channels else 0
            if kind == 1:
                line[i] = (line[i] + left) & 255
            elif kind == 2:
                line[i] = (line[i] + up) & 255
            elif kind == 3:
                line[i] = (line[i] + (left + up) // 2) & 255
            elif kind == 4:
                p = left + up - corner
                pa, pb, pc = abs(p - left), abs(p - up), abs(p - corner)
                line[i] = (line[i] + (left if pa <= pb and pa <= pc else
                                      up if pb <= pc else corner)) & 255
        pixels += [tuple(line[i:i + 3]) for i in range(0, stride, channels)]
        previous = line
    return pixels


def assert_drawn(visit: Visit, path: Path) -> None:
    """The graph area shows the colours the nodes were drawn in, not a blank canvas."""
    box = visit.page.locator("#livekg-network").bounding_box()
    assert box and box["width"] > 300 and box["height"] > 300
    png = visit.page.screenshot(path=str(path), clip={
        "x": box["x"], "y": box["y"], "width": min(box["width"], 700),
        "height": min(box["height"], 500)})
    pixels = png_pixels(png)
    colours = set(pixels)
    inked = sum(1 for p in pixels if p != (255, 255, 255)) / len(pixels)
    assert len(colours) > 50, f"{len(colours)} colours: blank?"
    assert inked > 0.005, f"only {inked:.2%} of the graph area is not white"
    drawn = set(visit.page.evaluate(
        "window.livekgNetwork.body.data.nodes.get().map(n => n.color.background)"))
    seen = {colour for colour in drawn
            if tuple(int(colour[i:i + 2], 16) for i in (1, 3, 5)) in colours}
    assert seen, f"none of the node colours {drawn} on screen"


def search(visit: Visit, text: str) -> list[str]:
    visit.page.fill("#livekg-search", text)
    return visit.page.evaluate("window.livekgNetwork.getSelectedNodes()")


def assert_focused_on(visit: Visit, node_id: str) -> None:
    centre = visit.page.evaluate(
        "id => [window.livekgNetwork.getPositions([id])[id], "
        "window.livekgNetwork.getViewPosition()]", node_id)
    (node, view) = centre
    assert abs(node["x"] - view["x"]) < 1 and abs(node["y"] - view["y"]) < 1, centre


# -- the served views of the Changning plan ------------------------------------------------------
def test_whole_graph(open_page: Callable[..., Visit], base_url: str, document: Document,
                     changning_graph: KnowledgeGraph, tmp_path: Path) -> None:
    visit = open_page(f"{base_url}/viz")
    assert_offline_and_clean(visit)
    nodes = visit.nodes()
    assert len(nodes) == len(changning_graph) == visit.page.evaluate("window.livekgNodeCount")
    tasks = {name for category, name in visit.pairs() if category == "Task"}
    assert tasks == set(document.titles.values()) and len(tasks) == 23
    sections = {name for category, name in visit.pairs() if category == "Section"}
    assert sections == set(document.section_names)
    assert visit.page.evaluate("window.livekgPhysics") is True  # small: physics, then frozen
    assert visit.page.evaluate("window.livekgNetwork.physics.physicsEnabled") is False
    assert_drawn(visit, tmp_path / "whole.png")
    yuyuan = MemoryBackend(changning_graph).resolve("愚园路")
    assert search(visit, "愚园路") == [yuyuan]
    assert_focused_on(visit, yuyuan)
    assert visit.page.text_content("#livekg-info").startswith("愚园路\nEnglish: Yuyuan Road")


def test_unit_view_of_the_commerce_commission(open_page: Callable[..., Visit], base_url: str,
                                              document: Document, tmp_path: Path) -> None:
    visit = open_page(f"{base_url}/viz/units/{quote('区商务委')}")
    assert_offline_and_clean(visit)
    numbers = document.tasks_of("区商务委")
    assert numbers == [*range(1, 10), *range(11, 19), 20]  # named in 18 lists
    mentioning = [n for n in document.bodies if ("Unit", "区商务委") in document.mentions(n)]
    expected = {("Unit", "区商务委")} | {("Task", document.titles[n])
                                        for n in {*numbers, *mentioning}}
    assert visit.pairs() == expected
    assert len(visit.nodes()) == len(expected) == 19
    assert_drawn(visit, tmp_path / "unit.png")
    english = "Changning District Commission of Commerce"
    assert search(visit, english) == ["changning-commerce-commission"]


def test_unit_view_depth_two_is_capped_and_says_so(open_page: Callable[..., Visit],
                                                    base_url: str, document: Document) -> None:
    """区商务委 owns 18 of the 23 tasks: two hops reach 100 of the 124 nodes, so the view
    draws the nearest 80 (every task first) and the page says how many it left out."""
    visit = open_page(f"{base_url}/viz/units/changning-commerce-commission?depth=2")
    assert_offline_and_clean(visit)
    numbers = document.tasks_of("区商务委")
    units = {owner for n in numbers for owner in document.owners[n]}
    entities = {pair for n in numbers for pair in document.mentions(n)}
    sections = {document.sections[n] for n in numbers}
    reachable = ({("Unit", u) for u in units} | entities | {("Document", document.title)}
                 | {("Section", s) for s in sections}
                 | {("Task", document.titles[n]) for n in numbers})
    assert len(reachable) == 100
    drawn = visit.pairs()
    assert len(drawn) == viz.MAX_FOCUS_NODES == 80 and drawn <= reachable
    assert {("Task", document.titles[n]) for n in numbers} <= drawn
    notes = visit.page.locator(".livekg-note").all_text_contents()
    assert any(note.startswith("20 more nodes within depth 2 not shown") for note in notes)


def test_unit_view_depth_three_does_not_walk_through_the_document(
        open_page: Callable[..., Visit], base_url: str, document: Document) -> None:
    """Through the document or a section every task is two hops from anything; the walk
    goes through tasks, units and entities only, so 各相关部门 reaches 9 tasks, not 23."""
    unit = "各相关部门"
    visit = open_page(f"{base_url}/viz/units/{quote(unit)}?depth=3")
    assert_offline_and_clean(visit)
    own = {n for n in document.owners
           if unit in document.owners[n] or ("Unit", unit) in document.mentions(n)}
    second = ({("Unit", owner) for n in own for owner in document.owners[n]}
              | {pair for n in own for pair in document.mentions(n)})
    third = {n for n in document.owners
             if {("Unit", owner) for owner in document.owners[n]} & second
             or document.mentions(n) & second}
    assert own == {21, 22, 23} and third == {2, 3, 6, 7, 9, 11, 21, 22, 23}
    tasks = {name for category, name in visit.pairs() if category == "Task"}
    assert tasks == {document.titles[n] for n in third}
    assert "not walked through" in visit.page.text_content("#livekg-notes")


def test_task_view_of_task_9(open_page: Callable[..., Visit], base_url: str,
                             document: Document, tmp_path: Path) -> None:
    visit = open_page(f"{base_url}/viz/tasks/9")
    assert_offline_and_clean(visit)
    owners = document.owners[9]
    mentions = document.mentions(9)
    assert len(owners) == 7 and len(mentions) == 11
    expected = ({("Task", document.titles[9]), ("Section", document.sections[9]),
                 ("Document", document.title)} | {("Unit", u) for u in owners} | mentions)
    assert visit.pairs() == expected
    assert visit.page.evaluate("window.livekgNodeCount") == len(expected) == 21
    assert_drawn(visit, tmp_path / "task.png")
    assert search(visit, "愚园路") == ["venue-yuyuan-road"]
    assert_focused_on(visit, "venue-yuyuan-road")

    # The label filter hides every venue and nothing else; finding one shows venues again.
    visit.page.uncheck("input.livekg-filter[data-label='Venue']")
    hidden = {n["name"] for n in visit.nodes() if n["hidden"]}
    assert hidden == {name for label, name in mentions if label == "Venue"}
    assert search(visit, "宜家荟聚") == ["venue-ikea-livat"]
    assert not any(n["hidden"] for n in visit.nodes())


def test_task_view_tooltips_carry_rank_and_sentence(open_page: Callable[..., Visit],
                                                    base_url: str) -> None:
    visit = open_page(f"{base_url}/viz/tasks/9")
    tips = visit.page.evaluate(
        "window.livekgNetwork.body.data.edges.get().map(e => [e.type, e.title.textContent])")
    ranks = sorted(tip for kind, tip in tips if kind == "RESPONSIBLE_FOR")
    assert len(ranks) == 7 and all("rank " in tip for tip in ranks)
    assert any(tip.startswith("区商务委 → 9. 打造特色直播场景\nRESPONSIBLE_FOR · rank 1")
               for tip in ranks)
    yuyuan = [tip for kind, tip in tips if kind == "MENTIONS" and "→ 愚园路" in tip]
    assert len(yuyuan) == 1 and "依托愚园路的网红打卡地属性" in yuyuan[0]


def test_co_ownership_view(open_page: Callable[..., Visit], base_url: str,
                           document: Document, tmp_path: Path) -> None:
    visit = open_page(f"{base_url}/viz/co-ownership")
    assert_offline_and_clean(visit)
    shared: dict[frozenset[str], list[int]] = {}
    for number, owners in document.owners.items():
        for a in owners:
            for b in owners:
                if a < b:
                    shared.setdefault(frozenset((a, b)), []).append(number)
    units = {unit for pair in shared for unit in pair}
    assert visit.pairs() == {("Unit", u) for u in units}
    edges = visit.page.evaluate(
        "(() => { const n = window.livekgNetwork.body.data.nodes;"
        " return window.livekgNetwork.body.data.edges.get().map(e => "
        "[n.get(e.from).name, n.get(e.to).name, e.width, e.title.textContent]); })()")
    assert len(edges) == len(shared)
    for a, b, width, tip in edges:
        numbers = shared[frozenset((a, b))]
        assert width == len(numbers), (a, b)
        assert tip.endswith(f"{len(numbers)} shared tasks: {', '.join(map(str, numbers))}")
    assert_drawn(visit, tmp_path / "co-ownership.png")
    assert_communities(visit, document, shared)
    cac = [n["id"] for n in visit.nodes() if n["name"] == "区委网信办"]
    assert search(visit, "区委网信办") == cac
    assert_focused_on(visit, cac[0])


def assert_communities(visit: Visit, document: Document,
                       shared: dict[frozenset[str], list[int]]) -> None:
    """Each unit in one community, drawn in its colour; the legend names each community by
    its unit with the most tasks; the split is better than none (modularity > 0)."""
    import networkx as nx

    drawn = visit.page.evaluate(
        "window.livekgNetwork.body.data.nodes.get()"
        ".map(n => [n.name, n.community, n.color.background])")
    members: dict[int, set[str]] = {}
    colours: dict[int, set[str]] = {}
    for name, community, colour in drawn:
        members.setdefault(community, set()).add(name)
        colours.setdefault(community, set()).add(colour)
    assert len(members) >= 2
    assert all(len(c) == 1 for c in colours.values())
    assert len({next(iter(c)) for c in colours.values()}) == len(colours)
    rows = visit.page.locator(".livekg-community")
    assert rows.count() == len(members)
    for row in range(rows.count()):
        index = int(rows.nth(row).get_attribute("data-community") or "-1")
        biggest = min(members[index], key=lambda u: (-len(document.tasks_of(u)), u))
        text = rows.nth(row).text_content() or ""
        assert text == f"◆{index + 1} · {biggest}{len(members[index])}", text
    graph = nx.Graph()
    graph.add_weighted_edges_from((*sorted(pair), len(n)) for pair, n in shared.items())
    assert nx.community.modularity(graph, list(members.values())) > 0.1


def test_entity_type_view_of_venues(open_page: Callable[..., Visit], base_url: str,
                                    document: Document, tmp_path: Path) -> None:
    visit = open_page(f"{base_url}/viz/entities/venue")
    assert_offline_and_clean(visit)
    naming = {n: {pair for pair in document.mentions(n) if pair[0] == "Venue"}
              for n in document.bodies}
    venues = set().union(*naming.values())
    tasks = {("Task", document.titles[n]) for n, found in naming.items() if found}
    assert visit.pairs() == venues | tasks
    assert len(venues) == 11 and len(tasks) == 3
    assert_drawn(visit, tmp_path / "venues.png")
    assert search(visit, "愚园路") == ["venue-yuyuan-road"]


def test_owner_edges_carry_rank_and_mark_the_first_listed(open_page: Callable[..., Visit],
                                                         base_url: str,
                                                         document: Document) -> None:
    """Task 9's list names no lead: ranks follow the list, the first is drawn thick and
    labelled as listed first; the edge key names every type drawn, in the drawn colour."""
    visit = open_page(f"{base_url}/viz/tasks/9")
    owners = visit.page.evaluate(
        "(() => { const n = window.livekgNetwork.body.data.nodes;"
        " return window.livekgNetwork.body.data.edges.get()"
        ".filter(e => e.type === 'RESPONSIBLE_FOR')"
        ".map(e => [n.get(e.from).name, e.label, e.width || 1]); })()")
    listed = document.owners[9]
    assert sorted(owners, key=lambda o: listed.index(o[0])) == [
        [listed[0], "1 首列 listed first", 4],
        *([unit, str(rank), 1] for rank, unit in enumerate(listed[1:], start=2))]
    key = {row.get_attribute("data-type"): row.text_content()
           for row in visit.page.locator(".livekg-edge-type[data-type]").all()}
    assert set(key) == {"PART_OF", "IN_SECTION", "RESPONSIBLE_FOR", "MENTIONS"}
    assert key["RESPONSIBLE_FOR"] == f"负责 RESPONSIBLE_FOR{len(listed)}"
    assert key["MENTIONS"] == f"提及 MENTIONS{len(document.mentions(9))}"
    assert "牵头 lead" in visit.page.text_content("#livekg-edges")
    colours = visit.page.evaluate(
        "[...document.querySelectorAll('.livekg-edge-type[data-type]')].map(r => "
        "[r.dataset.type, getComputedStyle(r.querySelector('.livekg-swatch')).backgroundColor])")
    for kind, colour in colours:
        hex_colour = viz.EDGE_COLOURS[kind]
        rgb = tuple(int(hex_colour[i:i + 2], 16) for i in (1, 3, 5))
        assert colour == f"rgb({rgb[0]}, {rgb[1]}, {rgb[2]})", kind
    labels = visit.page.locator("#livekg-filters label").all_text_contents()
    assert "●任务 Task1" in labels and f"◆责任单位 Unit{len(listed)}" in labels


# -- the explorer ---------------------------------------------------------------------------------
def click_node(visit: Visit, node_id: str) -> None:
    point = visit.page.evaluate(
        "id => window.livekgNetwork.canvasToDOM(window.livekgNetwork.getPositions([id])[id])",
        node_id)
    visit.page.mouse.click(*_page_xy(visit, point))
    assert visit.page.evaluate("window.livekgNetwork.getSelectedNodes()") == [node_id]


def click_edge(visit: Visit, edge_id: str) -> None:
    point = visit.page.evaluate(
        "id => window.livekgNetwork.canvasToDOM("
        "window.livekgNetwork.body.edges[id].edgeType.getPoint(0.5))", edge_id)
    visit.page.mouse.click(*_page_xy(visit, point))
    assert visit.page.evaluate("window.livekgNetwork.getSelectedEdges()") == [edge_id]


def wait_until_still(visit: Visit) -> None:
    deadline = time.monotonic() + 30
    visit.page.wait_for_timeout(50)
    while visit.page.evaluate("window.livekgBusy === true"):
        assert time.monotonic() < deadline, visit.page.text_content("#livekg-status")
        visit.page.wait_for_timeout(50)


def wait_for_expansions(visit: Visit, count: int) -> None:
    """Poll (wait_for_function would evaluate a string, which the page's CSP forbids)."""
    deadline = time.monotonic() + 30
    while visit.page.evaluate("window.livekgExpansions") < count:
        assert time.monotonic() < deadline, visit.page.text_content("#livekg-status")
        visit.page.wait_for_timeout(50)


def test_explorer_opens_on_a_name_and_expands_on_click(open_page: Callable[..., Visit],
                                                       base_url: str, document: Document,
                                                       tmp_path: Path) -> None:
    visit = open_page(f"{base_url}/viz/explore/{quote('区委网信办')}")
    assert_offline_and_clean(visit)
    tasks = {n for n in document.owners if "区委网信办" in document.owners[n]
             or ("Unit", "区委网信办") in document.mentions(n)}
    assert visit.pairs() == {("Unit", "区委网信办")} | {("Task", document.titles[n])
                                                      for n in tasks}
    assert_drawn(visit, tmp_path / "explore.png")
    task_9 = next(n["id"] for n in visit.nodes() if n["name"] == document.titles[9])
    before = visit.pairs()
    click_node(visit, task_9)
    wait_for_expansions(visit, 1)
    after = visit.pairs()
    around_9 = ({("Unit", u) for u in document.owners[9]} | document.mentions(9)
                | {("Section", document.sections[9]), ("Document", document.title)})
    assert after == before | around_9
    assert 0 < len(after) - len(before) == visit.page.evaluate("window.livekgLastAdded") <= 50
    assert visit.page.evaluate("window.livekgNodeCount") == len(after)
    assert_offline_and_clean(visit)
    # The keys follow what is drawn now.
    key = visit.page.locator(".livekg-edge-type[data-type]").evaluate_all(
        "rows => rows.map(r => r.dataset.type)")
    assert {"MENTIONS", "IN_SECTION", "PART_OF", "RESPONSIBLE_FOR"} <= set(key)
    # Clicking the same node again fetches nothing new: all its neighbours are drawn.
    click_node(visit, task_9)
    visit.page.wait_for_timeout(300)
    assert visit.pairs() == after


def test_explorer_provenance_pane_shows_the_sentence(open_page: Callable[..., Visit],
                                                     base_url: str, document: Document) -> None:
    visit = open_page(f"{base_url}/viz/explore/{quote('愚园路')}")
    assert_offline_and_clean(visit)
    edge = visit.page.evaluate("window.livekgNetwork.body.data.edges.get()"
                               ".find(e => e.type === 'MENTIONS').id")
    click_edge(visit, edge)
    pane = visit.page.locator("#livekg-provenance")
    assert pane.is_visible()
    sentence = visit.page.text_content("#livekg-prov-sentence") or ""
    start, end = map(int, (visit.page.text_content("#livekg-prov-span") or "").split("–"))
    assert document.text[start:end] == "愚园路"
    assert "依托愚园路的网红打卡地属性" in sentence and sentence in document.text
    assert sentence in document.bodies[9]
    assert visit.page.text_content("#livekg-prov-surface") == "愚园路"
    assert visit.page.text_content("#livekg-prov-document") == document.id
    # A task's provenance is its text, at its span in the document.
    task = next(n["id"] for n in visit.nodes() if n["category"] == "Task")
    click_node(visit, task)
    text = visit.page.text_content("#livekg-prov-sentence") or ""
    span, _, line = (visit.page.text_content("#livekg-prov-span") or "").partition(" · line ")
    start, end = map(int, span.split("–"))
    assert text.startswith("9.打造特色直播场景。") and document.text[start:end] == text
    assert document.text.splitlines()[int(line) - 1].startswith(text)


def test_other_views_open_a_node_in_the_explorer(open_page: Callable[..., Visit],
                                                 base_url: str) -> None:
    visit = open_page(f"{base_url}/viz/tasks/9")
    click_node(visit, "venue-yuyuan-road")
    link = visit.page.locator("#livekg-open-link")
    assert link.is_visible() and link.get_attribute("href") == "/viz/explore/venue-yuyuan-road"
    point = visit.page.evaluate(
        "id => window.livekgNetwork.canvasToDOM(window.livekgNetwork.getPositions([id])[id])",
        "venue-yuyuan-road")
    with visit.page.expect_navigation():
        visit.page.mouse.dblclick(*_page_xy(visit, point))
    visit.page.wait_for_selector(READY, state="attached", timeout=60_000)
    assert visit.page.url.endswith("/viz/explore/venue-yuyuan-road")
    assert_offline_and_clean(visit)


def test_neighbours_json_pages_through_a_nodes_neighbours(base_url: str,
                                                        document: Document) -> None:
    """The explorer's data: 区商务委's neighbours are the tasks naming it, 5 at a time."""
    import httpx

    tasks = {document.titles[n] for n in document.owners
             if "区商务委" in document.owners[n] or ("Unit", "区商务委") in document.mentions(n)}
    seen: list[str] = []
    offset = 0
    while True:
        page = httpx.get(f"{base_url}/v1/neighbours/{quote('区商务委')}",
                         params={"limit": 5, "offset": offset}).json()
        assert page["total"] == len(tasks) == 18 and page["shown"] <= 5
        assert page["more"] == page["total"] - offset - page["shown"]
        names = [n["name"] for n in page["graph"]["nodes"] if n["id"] != page["node"]]
        assert len(names) == page["shown"]
        assert {n["id"] for n in page["draw"]["nodes"]} == {n["id"] for n in page["graph"]["nodes"]}
        seen += names
        if not page["more"]:
            break
        offset += page["shown"]
    assert sorted(seen) == sorted(tasks)
    too_many = httpx.get(f"{base_url}/v1/neighbours/{quote('区商务委')}", params={"limit": 51})
    assert too_many.status_code == 422


HUB_TASKS = 120


def hub_graph() -> KnowledgeGraph:
    """One unit owning 120 tasks; in task 1 the plan names the second-listed unit as lead."""
    kg = KnowledgeGraph()
    owned = {"document": "hub-plan"}
    kg.add_node(NodeRow("hub-plan", ("Document",), {
        "name": "方案", "title": "方案", "jurisdiction": "x", "sha256": "0",
        "source_file": "hub.txt", **owned}))
    for unit in ("hub", "helper"):
        kg.add_node(NodeRow(unit, ("Unit",), {"name": f"{unit}办", "short_name": f"{unit}办",
                                              "kind": "district_office", "jurisdiction": "x",
                                              "verified": False}))
    for number in range(1, HUB_TASKS + 1):
        task = f"hub-plan:task:{number}"
        kg.add_node(NodeRow(task, ("Task",), {
            "name": f"任务{number}", "title": f"任务{number}", "marker": f"{number}.",
            "number": number, "text": f"{number}.任务{number}。", "span": [0, 1], **owned}))
        kg.add_relationship(RelationshipRow(f"hub-owns-{number}", "RESPONSIBLE_FOR", "hub", task,
                                            {**owned, "rank": 2 if number == 1 else 1,
                                             "surface": "hub办", "span": [0, 1],
                                             **({"role": "lead"} if number == 1 else {})}))
    kg.add_relationship(RelationshipRow("helper-owns-1", "RESPONSIBLE_FOR", "helper",
                                        "hub-plan:task:1", {**owned, "rank": 1, "span": [0, 1],
                                                            "surface": "helper办",
                                                            "role": "support"}))
    return kg


@pytest.fixture(scope="module")
def hub_url() -> Iterator[str]:
    with serve(viz_app(MemoryBackend(hub_graph()))) as url:
        yield url


def test_explorer_adds_at_most_50_nodes_per_click(open_page: Callable[..., Visit],
                                                  hub_url: str) -> None:
    visit = open_page(f"{hub_url}/viz/explore/hub")
    assert_offline_and_clean(visit)
    assert len(visit.nodes()) == 1 + viz.EXPAND_LIMIT == 51
    assert "70 more neighbours not shown" in visit.page.text_content("#livekg-notes")
    counts = [51]
    for expansion, more in ((1, 20), (2, 0)):
        click_node(visit, "hub")
        wait_for_expansions(visit, expansion)
        counts.append(len(visit.nodes()))
        note = visit.page.text_content("#livekg-more") or ""
        assert note.startswith(f"{more} more not shown") if more else note == ""
    assert counts == [51, 101, 121]
    assert {n["name"] for n in visit.nodes() if n["category"] == "Task"} == {
        f"任务{n}" for n in range(1, HUB_TASKS + 1)}
    # Task 1: the plan names its second-listed unit as lead.
    click_node(visit, "hub-plan:task:1")
    wait_for_expansions(visit, 3)
    labels = visit.page.evaluate(
        "window.livekgNetwork.body.data.edges.get()"
        ".filter(e => e.to === 'hub-plan:task:1').map(e => [e.from, e.label, e.width || 1])")
    assert sorted(labels) == [["helper", "1", 1], ["hub", "2 牵头 lead", 4]]
    assert_offline_and_clean(visit)


def test_unknown_names_are_html_pages(base_url: str) -> None:
    """A browser opened the view, so the 404 is a page naming what was not found."""
    import httpx

    for path, name in (("/viz/units/nobody", "nobody"), ("/viz/tasks/99", "99"),
                       ("/viz/entities/spaceship", "spaceship")):
        response = httpx.get(base_url + path)
        assert response.status_code == 404, path
        assert response.headers["content-type"].startswith("text/html")
        assert f"&#39;{name}&#39;" in response.text, path
    too_deep = httpx.get(base_url + "/viz/units/区商务委?depth=4")
    assert too_deep.status_code == 422 and "depth" in too_deep.text
    for path in ("/viz/unknown-path", "/viz/explore", "/no-such-page"):
        response = httpx.get(base_url + path)
        assert response.status_code == 404, path
        assert response.headers["content-type"].startswith("text/html"), path
        assert "<h1>404" in response.text and 'href="/viz"' in response.text, path
    # A program reading the API still gets problem details.
    for path in ("/v1/no-such-endpoint", "/v1/neighbours/nobody"):
        response = httpx.get(base_url + path)
        assert response.status_code == 404, path
        assert response.headers["content-type"] == "application/problem+json", path


# URLs inside vis-network's minified code: licence comments, the SVG namespace, an error text.
INERT_URLS = {
    "http://almende.com", "http://opensource.org/licenses/MIT",
    "http://www.apache.org/licenses/LICENSE-2.0", "http://www.w3.org/2000/svg",
    "https://github.com/uuidjs/uuid#getrandomvalues-not-supported", "https://github.com/visjs",
    "https://github.com/zloirock/core-js",
    "https://github.com/zloirock/core-js/blob/v3.21.1/LICENSE",
    "https://visjs.github.io/vis-network/",
}


def test_the_page_links_nothing(base_url: str) -> None:
    """No CDN, stylesheet or script link: the only URLs are inert strings inside vis-network."""
    import httpx

    html = httpx.get(base_url + "/viz").text
    assert not re.search(r"""(src|href)\s*=\s*["']?\s*(https?:)?//""", html)
    assert not re.search(r"<link\b|@import|<iframe|<base\b", html, re.IGNORECASE)
    assert set(re.findall(r"""https?://[^\s"'()<>]+""", html)) <= INERT_URLS


def test_viz_command_writes_an_offline_file(open_page: Callable[..., Visit],
                                            changning_graph: KnowledgeGraph,
                                            document: Document, tmp_path: Path) -> None:
    out = tmp_path / "nested" / "unit.html"
    view = viz.viz_command(MemoryBackend(changning_graph), "unit", "区商务委", 1, out)
    assert view.node_count == 19
    assert "区商务委" in out.read_text(encoding="utf-8")
    visit = open_page(out.as_uri())
    assert_offline_and_clean(visit)
    assert len(visit.nodes()) == 1 + len(document.tasks_of("区商务委"))


def test_large_views_are_laid_out_in_python_and_stay_still(open_page: Callable[..., Visit],
                                                           tmp_path: Path) -> None:
    size = viz.LARGE_VIEW_NODES + 100
    nodes = [{"id": f"n{i}", "labels": ["Task" if i % 3 else "Unit"], "name": f"节点{i}"}
             for i in range(size)]
    links = [{"id": f"e{i}", "source": f"n{i}", "target": f"n{(i * 7 + 3) % size}",
              "type": "MENTIONS"} for i in range(size)]
    view = viz.View("whole", "synthetic", {"directed": True, "nodes": nodes, "links": links})
    out = viz.write_html(view, tmp_path / "large.html")
    visit = open_page(out.as_uri())
    assert_offline_and_clean(visit)
    assert visit.page.evaluate("window.livekgNodeCount") == size
    assert visit.page.evaluate("window.livekgPhysics") is False
    before = visit.page.evaluate("window.livekgNetwork.getPositions()")
    visit.page.wait_for_timeout(600)
    assert visit.page.evaluate("window.livekgNetwork.getPositions()") == before
    assert_drawn(visit, tmp_path / "large.png")


# -- hostile names -------------------------------------------------------------------------------
SCRIPT = "<script>window.__pwned=1</script>"
IMG = '<img src=x onerror="window.__pwned=1">'
BREAKOUT = "</script><script>window.__pwned=1</script><!--"
DOC = "evil-plan"


def evil_graph() -> KnowledgeGraph:
    """Two units sharing a task that names a venue; every text field carries a payload."""
    kg = KnowledgeGraph()
    owned = {"document": DOC}
    kg.add_node(NodeRow(DOC, ("Document",), {
        "name": f"方案{BREAKOUT}", "title": f"方案{BREAKOUT}", "jurisdiction": "x",
        "sha256": "0", "source_file": f"{IMG}.txt", **owned}))
    kg.add_node(NodeRow(f"{DOC}:section:1", ("Section",), {
        "name": f"章节{IMG}", "title": f"章节{IMG}", "marker": "(一)", "number": 1,
        "level": 2, **owned}))
    kg.add_node(NodeRow(f"{DOC}:task:1", ("Task",), {
        "name": f"任务{BREAKOUT}", "title": f"任务{BREAKOUT}", "marker": "1.", "number": 1,
        "text": f"1.任务。依托{IMG}路{SCRIPT}", "span": [0, 10], **owned}))
    kg.add_node(NodeRow("unit-evil", ("Unit",), {
        "name": f"区{SCRIPT}局", "short_name": f"区{SCRIPT}局", "full_name": IMG,
        "english_name": SCRIPT, "kind": f"kind{IMG}", "jurisdiction": "x", "verified": False}))
    kg.add_node(NodeRow("unit-evil-2", ("Unit",), {
        "name": f"{IMG}办", "short_name": f"{IMG}办", "kind": "district_office",
        "jurisdiction": "x", "verified": False}))
    kg.add_node(NodeRow("venue-evil", ("Venue",), {
        "name": f"{IMG}路", "english_name": SCRIPT, "aliases": [BREAKOUT], "verified": False}))
    rels = [
        ("PART_OF", f"{DOC}:section:1", DOC, {}),
        ("PART_OF", f"{DOC}:task:1", DOC, {}),
        ("IN_SECTION", f"{DOC}:task:1", f"{DOC}:section:1", {}),
        ("RESPONSIBLE_FOR", "unit-evil", f"{DOC}:task:1",
         {"rank": 1, "surface": f"区{SCRIPT}局", "span": [1, 2], "role": IMG}),
        ("RESPONSIBLE_FOR", "unit-evil-2", f"{DOC}:task:1",
         {"rank": 2, "surface": f"{IMG}办", "span": [3, 4]}),
        ("MENTIONS", f"{DOC}:task:1", "venue-evil",
         {"surface": f"{IMG}路", "sentence": f"依托{IMG}路{SCRIPT}", "span": [5, 6],
          "sentence_index": 0}),
    ]
    for i, (kind, source, target, props) in enumerate(rels):
        kg.add_relationship(RelationshipRow(f"r{i}{BREAKOUT}", kind, source, target,
                                            {**owned, **props}))
    return kg


@pytest.fixture(scope="module")
def evil_url() -> Iterator[str]:
    with serve(viz_app(MemoryBackend(evil_graph()))) as url:
        yield url


EVIL_VIEWS = ["/viz", "/viz/units/unit-evil", "/viz/tasks/1", "/viz/co-ownership",
              "/viz/explore/unit-evil",
              "/viz/entities/venue"]


def _hover(visit: Visit, point: dict[str, float], expect: str) -> str:
    """Move the mouse onto a canvas point; the tooltip text once it shows `expect`."""
    x, y = _page_xy(visit, point)
    corner = _page_xy(visit, {"x": 3, "y": 3})
    visit.page.mouse.move(*corner)
    visit.page.mouse.move(x, y, steps=4)
    tooltip = visit.page.locator("div.vis-tooltip")
    deadline = time.monotonic() + 5
    text = ""
    while time.monotonic() < deadline:
        text = tooltip.text_content() or "" if tooltip.is_visible() else ""
        if expect in text:
            break
        visit.page.wait_for_timeout(50)
    assert expect in text, (expect, text)
    visit.page.wait_for_timeout(200)  # an injected <img src=x> would have errored by now
    assert tooltip.locator("img, script, iframe, svg").count() == 0
    return text


@pytest.mark.parametrize("csp", [True, False], ids=["with-csp", "csp-bypassed"])
@pytest.mark.parametrize("path", EVIL_VIEWS)
def test_hostile_names_stay_text(open_page: Callable[..., Visit], evil_url: str, path: str,
                                 csp: bool) -> None:
    """Without the page's CSP too: escaping alone must hold, the CSP is a second line."""
    visit = open_page(evil_url + path, bypass_csp=not csp)
    assert_offline_and_clean(visit)
    page = visit.page
    assert page.evaluate("typeof window.__pwned") == "undefined"
    assert page.evaluate("document.querySelectorAll('img, iframe').length") == 0
    assert page.evaluate("document.scripts.length") == 3  # data, vis-network, ours
    nodes = visit.nodes()
    assert nodes, "nothing drawn"
    for node in nodes:
        point = page.evaluate(
            "id => window.livekgNetwork.canvasToDOM(window.livekgNetwork.getPositions([id])[id])",
            node["id"])
        tip = _hover(visit, point, node["name"])
        page.mouse.click(*_page_xy(visit, point))
        assert page.text_content("#livekg-info") == tip
        wait_until_still(visit)  # the explorer adds the node's neighbours and settles
    for edge in page.evaluate("window.livekgNetwork.body.data.edges.getIds()"):
        point = page.evaluate(
            "id => window.livekgNetwork.canvasToDOM("
            "window.livekgNetwork.body.edges[id].edgeType.getPoint(0.5))", edge)
        tip = _hover(visit, point, expect=page.evaluate(
            "id => window.livekgNetwork.body.data.edges.get(id).title.textContent", edge))
        assert "→" in tip or "—" in tip
    mentions = page.evaluate("window.livekgNetwork.body.data.edges.get()"
                             ".filter(e => e.type === 'MENTIONS').map(e => e.title.textContent)")
    assert all(f"依托{IMG}路{SCRIPT}" in tip for tip in mentions)
    page.fill("#livekg-search", BREAKOUT if path != "/viz/co-ownership" else "区<script>")
    assert page.evaluate("window.livekgNetwork.getSelectedNodes()") != []
    page.wait_for_timeout(250)
    assert page.evaluate("typeof window.__pwned") == "undefined"
    assert "<script>" in page.title() or path in ("/viz", "/viz/co-ownership",
                                                 "/viz/entities/venue")
    # Whatever clicks added (the explorer's neighbours, from JSON) stayed text as well.
    assert page.evaluate("document.querySelectorAll('img, iframe').length") == 0
    assert page.evaluate("document.scripts.length") == 3
    assert_offline_and_clean(visit)


def _page_xy(visit: Visit, point: dict[str, float]) -> tuple[float, float]:
    box = visit.page.locator("#livekg-network").bounding_box()
    assert box is not None
    return box["x"] + point["x"], box["y"] + point["y"]
