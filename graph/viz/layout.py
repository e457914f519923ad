"""Positions for views too large for vis-network's physics: a radial tree per component."""

from __future__ import annotations

import math
from collections.abc import Iterable, Sequence
from typing import Any

import networkx as nx

# Above this many nodes, positions come from `radial_layout` and physics stays off: vis-network
# needs minutes to stabilise ~1,500 nodes (see stack notes), which leaves the page unusable.
LARGE_VIEW_NODES = 300


def radial_layout(nodes: Sequence[dict[str, Any]], links: Iterable[dict[str, Any]],
                  spacing: float = 36.0) -> dict[str, tuple[float, float]]:
    """Positions for large views in O(n + m), deterministic: a radial BFS tree per component.

    networkx's spring and Kamada-Kawai layouts need numpy and scipy (not dependencies here)
    and even with them take ~6 s for 1,000 nodes and over a minute for 5,000 on our machines;
    a rooted radial tree keeps each hub's neighbours around it, which is what these
    document-shaped graphs (document → sections → tasks → units/entities) need to read.
    """
    graph = nx.Graph()
    graph.add_nodes_from(node["id"] for node in nodes)
    graph.add_edges_from((link["source"], link["target"]) for link in links
                         if link["source"] in graph and link["target"] in graph)
    components = sorted((sorted(c) for c in nx.connected_components(graph)),
                        key=lambda c: (-len(c), c[0]))
    laid_out = [_radial_component(graph, component, spacing) for component in components]
    return _pack(laid_out, spacing)


def _radial_component(graph: nx.Graph, component: list[str], spacing: float
                      ) -> tuple[dict[str, tuple[float, float]], float]:
    """Concentric rings by BFS depth from the best-connected node, each ring evenly filled
    and ordered by where its neighbours on the inner ring sit (fewer crossings, no gaps)."""
    root = min(component, key=lambda n: (-graph.degree(n), n))
    depth = nx.single_source_shortest_path_length(graph, root)
    rings: dict[int, list[str]] = {}
    for node in sorted(component):
        rings.setdefault(depth[node], []).append(node)
    angle = {root: 0.0}
    positions = {root: (0.0, 0.0)}
    radius = 0.0
    for ring in range(1, max(rings) + 1):
        members = rings[ring]

        def inner_mean(node: str, ring: int = ring) -> float:
            """Circular mean angle of the node's neighbours one ring in."""
            inner = [angle[m] for m in graph.neighbors(node) if depth[m] == ring - 1]
            x = sum(math.cos(a) for a in inner)
            y = sum(math.sin(a) for a in inner)
            return math.atan2(y, x) % (2 * math.pi)

        members.sort(key=lambda n: (inner_mean(n), n))
        radius = max(radius + 2 * spacing, len(members) * spacing / (2 * math.pi))
        offset = angle[members[0]] if members[0] in angle else inner_mean(members[0])
        for index, node in enumerate(members):
            angle[node] = offset + 2 * math.pi * index / len(members)
            positions[node] = (radius * math.cos(angle[node]),
                               radius * math.sin(angle[node]))
    return positions, radius + spacing


def _pack(laid_out: list[tuple[dict[str, tuple[float, float]], float]], spacing: float
          ) -> dict[str, tuple[float, float]]:
    """Components in rows (largest first), so the whole picture is roughly square."""
    total = sum((2 * r) ** 2 for _, r in laid_out)
    row_width = max(math.sqrt(total), max((2 * r for _, r in laid_out), default=0))
    positions: dict[str, tuple[float, float]] = {}
    x = y = row_height = 0.0
    for component, r in laid_out:
        if x > 0 and x + 2 * r > row_width:
            x, y, row_height = 0.0, y + row_height + spacing, 0.0
        cx, cy = x + r, y + r
        for node, (px, py) in component.items():
            positions[node] = (round(cx + px, 1), round(cy + py, 1))
        x += 2 * r + spacing
        row_height = max(row_height, 2 * r)
    return positions
