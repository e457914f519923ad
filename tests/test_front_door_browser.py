"""The front door as a new user meets it: headless Chromium, outside network blocked.

`/`, `/docs`, `/redoc`, the cookbook and every view linked from `/` must render (a screenshot
that is not blank) without a single request leaving 127.0.0.1: no CDN for Swagger UI or ReDoc,
no web font, no validator badge. What the landing page says is loaded is checked against the
document text and its YAML, read here with plain string handling.
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any
from urllib.parse import unquote, urlsplit

import pytest
import yaml
from test_viz_browser import CHROMIUM, CHROMIUM_ARGS, LOCAL_SCHEMES, png_pixels

from live_server import serve
from livekg.api.app import create_app
from livekg.graph.backend import MemoryBackend
from livekg.graph.knowledge_graph import KnowledgeGraph

TASK_LINE = re.compile(r"^(\d+)\.[^。]+。.*\(责任单位:(.+)\)$")
ENTITY_TYPES = ["venue", "base", "association", "enterprise", "event", "program", "policy",
                "technology"]


@pytest.fixture(scope="module")
def browser() -> Iterator[Any]:
    if not CHROMIUM.exists():
        pytest.fail(f"{CHROMIUM} not found: run `apt-get install -y chromium`", pytrace=False)
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        chromium = playwright.chromium.launch(executable_path=str(CHROMIUM),
                                              args=CHROMIUM_ARGS)
        yield chromium
        chromium.close()


@pytest.fixture(scope="module")
def base_url(changning_graph: KnowledgeGraph) -> Iterator[str]:
    with serve(create_app(backend=MemoryBackend(changning_graph))) as url:
        yield url


class Visit:
    """One page in its own browser context; every request leaving 127.0.0.1 is aborted."""

    def __init__(self, context: Any) -> None:
        self.context = context
        self.page = context.new_page()
        self.outside: list[str] = []
        self.errors: list[str] = []
        self.page.route("**/*", self._route)
        self.page.on("pageerror", lambda e: self.errors.append(str(e)))
        self.page.on("console", lambda m: m.type == "error" and self.errors.append(m.text))

    def _route(self, route: Any) -> None:
        parts = urlsplit(route.request.url)
        if parts.scheme in LOCAL_SCHEMES or parts.hostname == "127.0.0.1":
            route.continue_()
        else:
            self.outside.append(route.request.url)
            route.abort()

    def open(self, url: str, status: int = 200) -> Any:
        response = self.page.goto(url, wait_until="networkidle")
        assert response is not None and response.status == status, (url, response.status)
        return response

    def assert_offline(self) -> None:
        assert self.outside == [], f"requests left 127.0.0.1: {self.outside}"


@pytest.fixture
def visit(browser: Any) -> Iterator[Callable[[], Visit]]:
    contexts: list[Any] = []

    def make() -> Visit:
        context = browser.new_context(viewport={"width": 1280, "height": 900})
        contexts.append(context)
        return Visit(context)

    yield make
    for context in contexts:
        context.close()


def assert_not_blank(visit: Visit, path: Path) -> None:
    """A screenshot with text and colour on it: a blank page is one or two colours."""
    pixels = png_pixels(visit.page.screenshot(path=str(path), scale="css",
                                              clip={"x": 0, "y": 0, "width": 960,
                                                    "height": 640}))
    counts = Counter(pixels)
    _, most = counts.most_common(1)[0]
    inked = 1 - most / len(pixels)
    assert len(counts) > 40, f"{path.name}: {len(counts)} colours: blank?"
    assert inked > 0.02, f"{path.name}: only {inked:.2%} of the page differs from its background"


# -- what the document says ---------------------------------------------------------------------
def document_facts(changning_path: Path) -> dict[str, Any]:
    text = changning_path.read_text(encoding="utf-8")
    meta = yaml.safe_load(changning_path.with_suffix(".yaml").read_text(encoding="utf-8"))
    tasks = [m for line in text.splitlines() if (m := TASK_LINE.match(line))]
    return {"title": meta["title"], "issuer": meta["issuer"], "id": meta["id"],
            "tasks": len(tasks), "owner_mentions": sum(len(m[2].split("、")) for m in tasks)}


# -- the landing page ---------------------------------------------------------------------------
def test_landing_page_says_what_is_loaded(visit: Callable[[], Visit], base_url: str,
                                          changning_path: Path, tmp_path: Path) -> None:
    facts = document_facts(changning_path)
    page = visit()
    page.open(base_url + "/")
    page.assert_offline()
    assert page.errors == []
    row = page.page.locator("#documents tbody tr")
    assert row.count() == 1
    cells = row.locator("td").all_text_contents()
    assert cells[0].startswith(facts["title"]) and facts["id"] in cells[0]
    assert cells[1] == facts["issuer"]
    assert cells[3] == str(facts["tasks"]) == "23"
    labels = dict(_table(page, "#labels", key=1, value=2))
    assert labels["Task"] == "23"
    relationships = dict(_table(page, "#relationships", key=1, value=2))
    # Every unit written in a 责任单位 list is one RESPONSIBLE_FOR relationship.
    assert relationships["RESPONSIBLE_FOR"] == str(facts["owner_mentions"]) == "127"
    zh = dict(_table(page, "#labels", key=1, value=0))
    assert zh["Task"] == "任务" and zh["Unit"] == "责任单位"
    assert_not_blank(page, tmp_path / "home.png")


def _table(visit: Visit, selector: str, key: int, value: int) -> list[tuple[str, str]]:
    rows = visit.page.locator(f"{selector} tbody tr")
    cells = [rows.nth(i).locator("td").all_text_contents() for i in range(rows.count())]
    return [(c[key], c[value]) for c in cells]


def test_search_box_finds_names_aliases_and_pinyin(visit: Callable[[], Visit],
                                                   base_url: str, tmp_path: Path) -> None:
    page = visit()
    page.open(base_url + "/")
    page.page.fill("#q", "yuyuan")
    with page.page.expect_navigation():
        page.page.click("#search button[type=submit]")
    assert page.page.url.endswith("/?q=yuyuan")
    first = page.page.locator("#search-results tbody tr").first
    assert first.locator("td").first.text_content() == "愚园路"
    assert_not_blank(page, tmp_path / "search.png")
    # A unit found by its Chinese name leads to its view, which draws it.
    page.page.fill("#q", "区商务委")
    with page.page.expect_navigation():
        page.page.press("#q", "Enter")
    link = page.page.locator("#search-results tbody tr a").first
    assert link.text_content() == "区商务委"
    with page.page.expect_navigation():
        link.click()
    page.page.wait_for_selector("body[data-ready='true']", state="attached", timeout=60_000)
    assert page.page.title().startswith("区商务委")
    page.assert_offline()


def test_every_link_on_the_front_door_renders_offline(visit: Callable[[], Visit],
                                                      base_url: str, tmp_path: Path) -> None:
    page = visit()
    page.open(base_url + "/")
    hrefs = sorted(set(page.page.eval_on_selector_all(
        "a[href]", "links => links.map(a => a.getAttribute('href'))")))
    assert not [h for h in hrefs if h.startswith(("http:", "https:", "//"))], hrefs
    views = [h for h in hrefs if h.startswith("/viz")]
    assert {"/viz", "/viz/co-ownership", *(f"/viz/entities/{t}" for t in ENTITY_TYPES)
            } <= set(views)
    assert any(h.startswith("/viz/units/") for h in views)
    assert any(h.startswith("/viz/tasks/") for h in views)
    assert any(h.startswith("/viz/explore/") for h in views)
    assert {"/docs", "/redoc", "/cookbook", "/openapi.json"} <= set(hrefs)
    for href in views:
        view = visit()
        view.open(base_url + href)
        view.page.wait_for_selector("body[data-ready='true']", state="attached",
                                    timeout=60_000)
        assert view.page.evaluate("window.livekgNodeCount") > 0, href
        name = unquote(href).strip("/").replace("/", "-")
        assert_not_blank(view, tmp_path / f"{name}.png")
        view.assert_offline()
        assert view.errors == [], (href, view.errors)


def test_swagger_ui_is_served_from_the_installed_package(visit: Callable[[], Visit],
                                                         base_url: str, tmp_path: Path) -> None:
    page = visit()
    page.open(base_url + "/docs")
    page.page.wait_for_selector(".swagger-ui .opblock", timeout=60_000)
    spec = page.page.evaluate("fetch('/openapi.json').then(r => r.json())")
    operations = sum(len(methods) for methods in spec["paths"].values())
    assert page.page.locator(".swagger-ui .opblock").count() == operations
    assert page.page.locator(".swagger-ui .info .title").first.text_content().startswith("livekg")
    # Try one endpoint the way a user would: expand, "Try it out", execute.
    block = page.page.locator("#operations-explore-stats_v1_stats_get")
    block.locator(".opblock-summary").click()
    block.locator("button.try-out__btn").click()
    block.locator("button.execute").click()
    body = block.locator(".responses-wrapper .live-responses-table .microlight").first
    body.wait_for(timeout=30_000)
    assert '"RESPONSIBLE_FOR": 127' in body.text_content()
    assert_not_blank(page, tmp_path / "docs.png")
    page.assert_offline()
    assert page.errors == []


def test_redoc_is_served_from_the_installed_package(visit: Callable[[], Visit], base_url: str,
                                                    tmp_path: Path) -> None:
    page = visit()
    page.open(base_url + "/redoc")
    page.page.wait_for_selector("h1:has-text('livekg')", timeout=60_000)
    spec = page.page.evaluate("fetch('/openapi.json').then(r => r.json())")
    summaries = {op["summary"] for methods in spec["paths"].values() for op in methods.values()}
    headings = {text.strip() for text in page.page.locator("h2").all_text_contents()}
    assert summaries <= headings, summaries - headings
    assert_not_blank(page, tmp_path / "redoc.png")
    page.assert_offline()
    # ReDoc's bundle hard-codes the Redocly logo's URL; the page's policy refuses it in the
    # browser, before any request, and that refusal is the only complaint allowed.
    refused = [e for e in page.errors if "Content Security Policy" in e]
    assert all("cdn.redoc.ly/redoc/logo-mini.svg" in e for e in refused), refused
    assert [e for e in page.errors if e not in refused] == []


def test_cookbook_page_lists_every_recipe(visit: Callable[[], Visit], base_url: str,
                                          tmp_path: Path) -> None:
    recipes = sorted((Path(__file__).resolve().parent.parent / "graph" / "cypher").glob(
        "*.cypher"))
    page = visit()
    page.open(base_url + "/cookbook")
    items = page.page.locator("#recipes > li")
    assert items.count() == len(recipes) == 13
    first = recipes[0].read_text(encoding="utf-8")
    question = first.splitlines()[0].removeprefix("// Question:").strip()
    assert items.first.locator("h2").text_content() == question
    assert items.first.locator("pre").text_content() == first
    assert_not_blank(page, tmp_path / "cookbook.png")
    page.assert_offline()


def test_a_bad_name_in_a_view_is_a_page_with_close_matches(visit: Callable[[], Visit],
                                                           base_url: str,
                                                           tmp_path: Path) -> None:
    page = visit()
    page.open(base_url + "/viz/units/区商务", status=404)
    assert "区商务" in page.page.text_content("#detail")
    suggestions = page.page.locator("#suggestions a")
    assert "区商务委" in suggestions.all_text_contents()
    assert_not_blank(page, tmp_path / "not-found.png")
    with page.page.expect_navigation():
        suggestions.filter(has_text=re.compile("^区商务委$")).click()
    page.page.wait_for_selector("body[data-ready='true']", state="attached", timeout=60_000)
    assert page.page.title().startswith("区商务委")
    page.assert_offline()


def test_a_path_no_view_has_is_a_page_not_json(visit: Callable[[], Visit], base_url: str,
                                               tmp_path: Path) -> None:
    """A mistyped view address in a browser gets a page linking the views back."""
    page = visit()
    page.open(base_url + "/viz/unknown-path", status=404)
    assert page.page.text_content("h1") == "404 · Not found · 未找到"
    assert "/viz/unknown-path" in page.page.text_content("#detail")
    assert_not_blank(page, tmp_path / "unknown-path.png")
    # Chromium logs the page's own 404 status as a console error; nothing else may fail.
    assert page.errors == ["Failed to load resource: the server responded with a status of "
                           "404 (Not Found)"]
    page.errors.clear()
    with page.page.expect_navigation():
        page.page.click("#suggestions a[href='/viz']")
    page.page.wait_for_selector("body[data-ready='true']", state="attached", timeout=60_000)
    page.assert_offline()
    assert page.errors == []
