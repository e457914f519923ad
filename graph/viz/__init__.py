"""Interactive views of the graph as self-contained, offline HTML pages drawn by vis-network.

Three parts: `views` (which nodes a view shows, from the backend's questions), `layout`
(positions for views too large for physics), `render` (the page: template, escaping, CSP).

Example
-------
>>> from livekg.graph import viz
>>> view = viz.unit_view(backend, "区商务委")          # doctest: +SKIP
>>> viz.write_html(view, "commerce.html")             # doctest: +SKIP
"""

from livekg.graph.schema import entity_label
from livekg.graph.viz.layout import LARGE_VIEW_NODES, radial_layout
from livekg.graph.viz.render import (
    COMMUNITY_COLOURS,
    EDGE_COLOURS,
    LABEL_NAMES,
    RELATIONSHIP_NAMES,
    STYLES,
    render_html,
    vis_records,
    viz_command,
    write_html,
)
from livekg.graph.viz.views import (
    CO_OWNS,
    EXPAND_LIMIT,
    MAX_DEPTH,
    MAX_FOCUS_NODES,
    VIEWS,
    Neighbours,
    View,
    build_view,
    co_ownership_view,
    communities,
    entity_type_view,
    explore_view,
    neighbours,
    task_view,
    unit_view,
    whole_graph,
)

__all__ = [
    "COMMUNITY_COLOURS", "CO_OWNS", "EDGE_COLOURS", "EXPAND_LIMIT", "LABEL_NAMES",
    "LARGE_VIEW_NODES", "MAX_DEPTH", "MAX_FOCUS_NODES", "RELATIONSHIP_NAMES", "STYLES",
    "VIEWS", "Neighbours", "View", "build_view", "co_ownership_view", "communities",
    "entity_label", "entity_type_view", "explore_view", "neighbours", "radial_layout",
    "render_html", "task_view", "unit_view", "vis_records", "viz_command", "whole_graph",
    "write_html",
]
