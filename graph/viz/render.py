"""A View as a self-contained, offline HTML page drawn by vis-network: template, escaping, CSP.

pyvis builds the vis-network node and edge records and ships the vis-network files; the page
itself comes from our own template because pyvis's links Bootstrap and tom-select from CDNs and
embeds data without escaping. Every page inlines vis-network from the installed pyvis package,
so it opens with no network at all, and every text taken from a document reaches the browser
only as data (JSON with `<` escaped) that the page script puts in the DOM with `textContent`:
vis-network renders string tooltips as HTML, so a name like `<img onerror=…>` would run.

Example
-------
>>> view = unit_view(backend, "区商务委")          # doctest: +SKIP
>>> write_html(view, "commerce.html")             # doctest: +SKIP
"""

from __future__ import annotations

import base64
import hashlib
import json
import math
import re
from collections.abc import Iterable
from functools import cache
from pathlib import Path
from typing import Any

import pyvis
from jinja2 import Environment, FileSystemLoader, select_autoescape
from pyvis.network import Network

from livekg.graph.backend import GraphBackend
from livekg.graph.naming import ordered_labels
from livekg.graph.schema import Label, RelType
from livekg.graph.viz.layout import LARGE_VIEW_NODES, radial_layout
from livekg.graph.viz.views import CO_OWNS, EXPAND_LIMIT, View, build_view

_TIP_TEXT_CHARS = 240
_LABEL_CHARS = 18

# Colour and shape per primary label: both differ so the legend still reads in grey scale.
# Only shapes drawing their label outside the node, so a node's size can follow its degree.
STYLES: dict[str, tuple[str, str]] = {
    Label.DOCUMENT: ("#d62728", "star"),
    Label.SECTION: ("#9467bd", "square"),
    Label.TASK: ("#1f77b4", "dot"),
    Label.TARGET: ("#8c564b", "triangleDown"),
    Label.UNIT: ("#ff7f0e", "diamond"),
    Label.VENUE: ("#2ca02c", "triangle"),
    Label.BASE: ("#17becf", "hexagon"),
    Label.ASSOCIATION: ("#e377c2", "diamond"),
    Label.ENTERPRISE: ("#bcbd22", "square"),
    Label.EVENT: ("#e6a817", "star"),
    Label.PROGRAM: ("#637939", "hexagon"),
    Label.POLICY: ("#843c39", "triangleDown"),
    Label.TECHNOLOGY: ("#7f7f7f", "dot"),
}
_FALLBACK_STYLE = ("#555555", "dot")
EDGE_COLOURS: dict[str, str] = {
    RelType.PART_OF: "#c7c7c7",
    RelType.IN_SECTION: "#c5b0d5",
    RelType.RESPONSIBLE_FOR: "#ffbb78",
    RelType.MENTIONS: "#98df8a",
    RelType.INCLUDES: "#ff9896",
    RelType.SETS_TARGET: "#c49c94",
    RelType.IMPLEMENTS: "#dbdb8d",
    CO_OWNS: "#f4a259",
}
# Names in the keys, Chinese first: the landing page uses them too.
LABEL_NAMES: dict[str, str] = {
    Label.DOCUMENT: "文件", Label.SECTION: "章节", Label.TASK: "任务", Label.TARGET: "目标",
    Label.UNIT: "责任单位", Label.VENUE: "场所", Label.BASE: "直播基地", Label.ASSOCIATION: "协会",
    Label.ENTERPRISE: "企业", Label.EVENT: "活动", Label.PROGRAM: "项目", Label.POLICY: "政策",
    Label.TECHNOLOGY: "技术",
}
RELATIONSHIP_NAMES: dict[str, str] = {
    RelType.PART_OF: "属于", RelType.IN_SECTION: "所在章节", RelType.RESPONSIBLE_FOR: "负责",
    RelType.MENTIONS: "提及", RelType.INCLUDES: "包含", RelType.SETS_TARGET: "设定目标",
    RelType.IMPLEMENTS: "落实", RelType.CARRIES_OUT: "承接", CO_OWNS: "共同负责",
}
# Community colours of the co-ownership view: none of them a label colour above, so a
# community never reads as a node type.
COMMUNITY_COLOURS = ("#4e79a7", "#e15759", "#59a14f", "#b07aa1", "#edc948", "#76b7b2",
                     "#ff9da7", "#9c755f", "#86bcb6", "#f1ce63")
_LEAD_WIDTH = 4
_FONT = ('"Noto Sans CJK SC", "Noto Sans SC", "WenQuanYi Micro Hei", "Source Han Sans SC", '
         '"PingFang SC", "Microsoft YaHei", sans-serif')
_TEMPLATES = Path(__file__).resolve().parent.parent / "templates"
_TEMPLATE = "viz.html.j2"


def viz_command(backend: GraphBackend, view: str, focus: str | None, depth: int,
                out_path: str | Path, entity_type: str | None = None) -> View:
    """`livekg viz`: build one view and write it as an offline HTML file (UTF-8)."""
    built = build_view(backend, view, focus, depth, entity_type)
    write_html(built, out_path)
    return built


def render_html(view: View, large: int = LARGE_VIEW_NODES, links: str | None = None) -> str:
    """The page: vis-network inlined, data as escaped JSON, text-only tooltips, no URLs.

    `links` is the server's root path when the page is served ("" at the root): double
    clicking a node then opens it in the explorer, and the explorer fetches neighbours from
    the same server. A written file (None) links nowhere.
    """
    payload = _payload(view, large, links)
    css, js = _vis_assets()
    app_js, app_css = _page_assets()
    data_json = _script_json(payload)
    scripts = [js, app_js]
    csp = "; ".join([
        "default-src 'none'",
        "script-src " + " ".join(_csp_hash(text) for text in scripts),
        "style-src 'unsafe-inline'",
        "img-src data:",
        "connect-src 'self'",
        "base-uri 'none'",
        "form-action 'none'",
    ])
    return _template_env().get_template(_TEMPLATE).render(
        title=view.title, csp=csp, vis_css=css, app_css=app_css, vis_js=js, app_js=app_js,
        data_json=data_json, notes=view.notes)


def write_html(view: View, path: str | Path, large: int = LARGE_VIEW_NODES) -> Path:
    """Write explicitly as UTF-8: pyvis's write_html uses the locale's encoding."""
    out = Path(path)
    out.parent.mkdir(parents=True, exist_ok=True)
    out.write_text(render_html(view, large), encoding="utf-8")
    return out


def vis_records(data: dict[str, Any], focus: str | None = None, small: bool = True,
                layout: bool = False) -> dict[str, Any]:
    """vis-network node and edge records (built by pyvis) for node-link data, with the keys.

    Shared by the pages and the explorer's JSON, so a node added by a click looks like one
    drawn with the page. `layout`: positions from radial_layout (physics off).
    """
    drawn = _merged_links(data["links"])
    degree = _degrees(data["nodes"], drawn)
    names = {node["id"]: _display_name(node) for node in data["nodes"]}
    positions = radial_layout(data["nodes"], drawn) if layout else {}
    communities = data.get("graph", {}).get("communities") or []
    directed = bool(data.get("directed", True))
    # Always "directed" to pyvis: its undirected add_edge scans every edge (O(m²)); arrows are
    # switched off per edge instead.
    net = Network(directed=True, cdn_resources="in_line")
    for node in data["nodes"]:
        label = _primary_label(node)
        colour, shape = STYLES.get(label, _FALLBACK_STYLE)
        if "community" in node:
            colour = COMMUNITY_COLOURS[node["community"] % len(COMMUNITY_COLOURS)]
        extra: dict[str, Any] = {}
        if node["id"] in positions:
            extra["x"], extra["y"] = positions[node["id"]]
        if node["id"] == focus:
            extra["borderWidth"] = 4
        if "community" in node:
            extra["community"] = node["community"]
        # Not vis's `group` (pyvis then drops `color`); the page filters on `category`.
        net.add_node(node["id"], label=_short(names[node["id"]]), shape=shape,
                     color=_node_colour(colour, focused=node["id"] == focus),
                     category=label, name=str(node.get("name", node["id"])),
                     size=_size(degree.get(node["id"], 0)),
                     tip=_node_tip(node), search=_search_keys(node),
                     prov=_node_provenance(node), **extra)
    led = {link["target"] for link in drawn
           if link["type"] == RelType.RESPONSIBLE_FOR and link.get("role") == "lead"}
    for link in drawn:
        net.add_edge(link["source"], link["target"],
                     **_edge_options(link, names, directed, small, named_lead=led))

    present = {n["category"] for n in net.nodes}
    labels = [label for label in STYLES if label in present]
    labels += sorted(present - set(labels))
    types = [kind for kind in EDGE_COLOURS if any(e["type"] == kind for e in net.edges)]
    return {
        "nodes": net.nodes, "edges": net.edges,
        # Nodes coloured by community: the label key keeps the shape, in neutral grey.
        "legend": [{"label": label, "name": LABEL_NAMES.get(label, ""),
                    "colour": "#888888" if communities else STYLES.get(label, _FALLBACK_STYLE)[0],
                    "shape": STYLES.get(label, _FALLBACK_STYLE)[1],
                    "count": sum(1 for n in net.nodes if n["category"] == label)}
                   for label in labels],
        "edge_legend": [{"type": kind, "name": RELATIONSHIP_NAMES.get(kind, ""),
                         "colour": EDGE_COLOURS[kind],
                         "count": sum(1 for e in net.edges if e["type"] == kind)}
                        for kind in types],
        "communities": [{"index": c["index"], "name": c["name"], "size": len(c["members"]),
                         "colour": COMMUNITY_COLOURS[c["index"] % len(COMMUNITY_COLOURS)]}
                        for c in communities],
    }


def _payload(view: View, large: int, links: str | None) -> dict[str, Any]:
    """What the page script reads: vis records, keys, options, where to expand from."""
    is_large = view.node_count > large
    records = vis_records(view.data, view.focus, small=not is_large, layout=is_large)
    explore = None if links is None else {
        "page": f"{links}/viz/explore/", "neighbours": f"{links}/v1/neighbours/",
        "expand": view.kind == "explore", "limit": EXPAND_LIMIT}
    return {"title": view.title, "kind": view.kind, "focus": view.focus, **records,
            "physics": not is_large, "options": _options(is_large), "explore": explore,
            "notes": list(view.notes)}


def _edge_options(link: dict[str, Any], names: dict[str, str], directed: bool,
                  small: bool, named_lead: set[str]) -> dict[str, Any]:
    rel_type = link["type"]
    record: dict[str, Any] = {
        "id": link["id"], "color": EDGE_COLOURS.get(rel_type, "#bbbbbb"), "type": rel_type,
        "tip": _edge_tip(link, names, named_lead), "prov": _edge_provenance(link),
    }
    if not directed:
        record["arrows"] = {"to": {"enabled": False}}
    if rel_type == RelType.RESPONSIBLE_FOR:
        lead = _lead(link, named_lead)
        if lead:
            record["width"] = _LEAD_WIDTH
            record["lead"] = True
        if small:
            record["label"] = f"{link['rank']} {lead}" if lead else str(link["rank"])
    if rel_type == CO_OWNS:
        record["width"] = link["count"]  # the count is in the tooltip; labels would clutter
    return record


def _lead(link: dict[str, Any], named_lead: set[str]) -> str:
    """How an owner edge marks the lead: the one the plan names, else the unit listed first
    (plans commonly put the lead first, but that is a reading, so it is labelled as such)."""
    if link.get("role") == "lead":
        return "牵头 lead"
    if link["target"] not in named_lead and link.get("rank") == 1:
        return "首列 listed first"
    return ""


def _node_provenance(node: dict[str, Any]) -> dict[str, Any] | None:
    """Where a task or target comes from: its text, span, document and line."""
    labels = node.get("labels") or []
    text = node.get("text") if Label.TASK in labels else (
        node.get("sentence") if Label.TARGET in labels else None)
    if not text:
        return None
    return {"sentence": str(text), "span": node.get("span"), "document": node.get("document"),
            "line": node.get("line")}


def _edge_provenance(link: dict[str, Any]) -> dict[str, Any] | None:
    """Where a mention or an owner comes from: sentence, span, the text as written."""
    if link["type"] not in (RelType.MENTIONS, RelType.RESPONSIBLE_FOR, RelType.SETS_TARGET,
                            RelType.IMPLEMENTS) or link.get("span") is None:
        return None
    return {"sentences": link.get("sentences") or [], "span": link.get("span"),
            "spans": link.get("spans") or [], "surface": link.get("surface"),
            "document": link.get("document")}


def _options(is_large: bool) -> dict[str, Any]:
    """vis-network options; large views: fixed positions, no physics, cheap edges."""
    options: dict[str, Any] = {
        "autoResize": True,
        "nodes": {"font": {"face": _FONT, "size": 14, "strokeWidth": 3,
                           "strokeColor": "#ffffff"},
                  "borderWidth": 1},
        "edges": {"font": {"face": _FONT, "size": 10, "align": "middle",
                           "strokeWidth": 3, "strokeColor": "#ffffff"},
                  "arrows": {"to": {"scaleFactor": 0.5}},
                  "smooth": False if is_large else {"type": "continuous"}},
        "interaction": {"hover": not is_large, "tooltipDelay": 150,
                        "hideEdgesOnDrag": is_large, "hideEdgesOnZoom": is_large,
                        "navigationButtons": False, "keyboard": False},
        "layout": {"randomSeed": 7, "improvedLayout": not is_large},
    }
    if is_large:
        options["physics"] = {"enabled": False}
    else:
        options["physics"] = {
            "enabled": True, "solver": "forceAtlas2Based",
            "forceAtlas2Based": {"gravitationalConstant": -90, "springLength": 140,
                                 "springConstant": 0.06, "avoidOverlap": 0.6},
            "stabilization": {"enabled": True, "iterations": 600, "updateInterval": 50,
                              "fit": True},
        }
    return options


def _node_tip(node: dict[str, Any]) -> str:
    """Plain text; the page puts it in the DOM with textContent, never as HTML."""
    labels = ordered_labels(node.get("labels", []))
    lines = [_display_name(node)]
    for key, caption in (("english_name", "English"), ("full_name", "Full name"),
                         ("kind", "Kind"), ("issuer", "Issuer"), ("metric", "Metric")):
        if node.get(key) not in (None, "", node.get("name")):
            lines.append(f"{caption}: {node[key]}")
    if node.get("aliases"):
        lines.append("Aliases: " + "、".join(map(str, node["aliases"])))
    if Label.TASK in labels and node.get("text"):
        lines.append(_clip(str(node["text"])))
    if Label.TARGET in labels and node.get("sentence"):
        lines.append(_clip(str(node["sentence"])))
    lines.append(f"{' · '.join(labels)} · {node['id']}")
    return "\n".join(lines)


def _edge_tip(link: dict[str, Any], names: dict[str, str], named_lead: set[str]) -> str:
    source = names.get(link["source"], link["source"])
    target = names.get(link["target"], link["target"])
    rel_type = link["type"]
    if rel_type == CO_OWNS:
        return (f"{source} — {target}\n{link['count']} shared tasks: "
                f"{link['task_numbers']}")
    lines = [f"{source} → {target}", rel_type]
    if rel_type == RelType.RESPONSIBLE_FOR:
        role = f" ({link['role']})" if link.get("role") else ""
        lines[1] = f"{rel_type} · rank {link['rank']}{role}"
        if lead := _lead(link, named_lead):
            lines.append(lead if link.get("role") == "lead" else
                         "listed first; the plan names no lead · 列第一位, 未写明牵头")
        if link.get("surface"):
            lines.append(f"as written: {link['surface']}")
    if rel_type != RelType.RESPONSIBLE_FOR:  # its sentence is the task text, in the task tip
        sentences = link.get("sentences") or ([link["sentence"]] if link.get("sentence")
                                              else [])
        lines += [f"“{_clip(str(sentence))}”" for sentence in sentences]
    return "\n".join(lines)


def _display_name(node: dict[str, Any]) -> str:
    name = str(node.get("name") or node["id"])
    if Label.TASK in node.get("labels", []) and node.get("number") is not None:
        return f"{node['number']}. {name}"
    return name


def _search_keys(node: dict[str, Any]) -> list[str]:
    keys = [node["id"], _display_name(node)]
    for key in ("name", "short_name", "full_name", "english_name", "title", "pinyin"):
        if isinstance(node.get(key), str):
            keys.append(node[key])
    keys += [alias for alias in node.get("aliases") or [] if isinstance(alias, str)]
    return list(dict.fromkeys(keys))


def _short(name: str) -> str:
    """Canvas labels stay short (the document title is 36 characters); tooltips hold all."""
    return name if len(name) <= _LABEL_CHARS else name[:_LABEL_CHARS - 1] + "…"


def _clip(text: str) -> str:
    return text if len(text) <= _TIP_TEXT_CHARS else text[:_TIP_TEXT_CHARS] + "…"


def _primary_label(node: dict[str, Any]) -> str:
    labels = ordered_labels(node.get("labels") or [])
    return labels[0] if labels else "Node"


def _merged_links(links: Iterable[dict[str, Any]]) -> list[dict[str, Any]]:
    """Parallel edges of one type (a task naming a venue twice) drawn once, sentences kept."""
    merged: dict[tuple[str, str, str], dict[str, Any]] = {}
    for link in links:
        key = (link["source"], link["target"], link["type"])
        if key not in merged:
            merged[key] = {**link, "sentences": [], "spans": []}
        if link.get("sentence") and link["sentence"] not in merged[key]["sentences"]:
            merged[key]["sentences"].append(link["sentence"])
        if link.get("span") is not None:
            merged[key]["spans"].append(link["span"])
    return list(merged.values())


def _degrees(nodes: Iterable[dict[str, Any]], links: Iterable[dict[str, Any]]
             ) -> dict[str, int]:
    neighbours: dict[str, set[str]] = {node["id"]: set() for node in nodes}
    for link in links:
        if link["source"] in neighbours and link["target"] in neighbours:
            neighbours[link["source"]].add(link["target"])
            neighbours[link["target"]].add(link["source"])
    return {node: len(others) for node, others in neighbours.items()}


def _node_colour(colour: str, focused: bool) -> dict[str, Any]:
    """Keep the label's colour when selected or hovered; a black ring marks selection."""
    border = "#000000" if focused else colour
    return {"background": colour, "border": border,
            "highlight": {"background": colour, "border": "#000000"},
            "hover": {"background": colour, "border": "#333333"}}


def _size(degree: int) -> float:
    return round(min(10 + 4 * math.sqrt(degree), 48), 1)


def _script_json(payload: dict[str, Any]) -> str:
    """JSON safe inside <script>: no `<` at all, so neither `</script` nor `<!--` can occur."""
    text = json.dumps(payload, ensure_ascii=False, separators=(",", ":"))
    return (text.replace("<", "\\u003c").replace(">", "\\u003e").replace("&", "\\u0026")
            .replace("\u2028", "\\u2028").replace("\u2029", "\\u2029"))


def _csp_hash(script: str) -> str:
    digest = hashlib.sha256(script.encode("utf-8")).digest()
    return f"'sha256-{base64.b64encode(digest).decode('ascii')}'"


@cache
def _template_env() -> Environment:
    return Environment(loader=FileSystemLoader(_TEMPLATES), autoescape=select_autoescape(
        enabled_extensions=("j2", "html")), keep_trailing_newline=True)


@cache
def _page_assets() -> tuple[str, str]:
    """Our page script and style, plain files (not Jinja) so braces need no escaping."""
    return ((_TEMPLATES / "viz.js").read_text(encoding="utf-8"),
            (_TEMPLATES / "viz.css").read_text(encoding="utf-8"))


@cache
def _vis_assets() -> tuple[str, str]:
    """vis-network CSS and JS from the installed pyvis (newest bundled version), inlinable."""
    lib = Path(pyvis.__file__).resolve().parent / "templates" / "lib"
    versions = sorted(lib.glob("vis-*/vis-network.min.js"),
                      key=lambda p: tuple(int(x) for x in re.findall(r"\d+", p.parent.name)))
    if not versions:
        raise FileNotFoundError(f"no vis-network bundled with pyvis under {lib}")
    folder = versions[-1].parent
    js = (folder / "vis-network.min.js").read_text(encoding="utf-8")
    css = (folder / "vis-network.css").read_text(encoding="utf-8")
    # The source-map comment would make devtools fetch a file we do not ship.
    js = re.sub(r"//# sourceMappingURL=\S+", "", js)
    css = re.sub(r"/\*# sourceMappingURL=\S+ \*/", "", css)
    # Inlined text must not end its own element early.
    js = re.sub(r"</(script)", r"<\\/\1", js, flags=re.IGNORECASE)
    css = re.sub(r"</(style)", r"<\\/\1", css, flags=re.IGNORECASE)
    return css, js
