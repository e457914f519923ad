"""Interactive views of the graph as self-contained, offline HTML pages drawn by vis-network.

Three parts: `views` (which nodes a view shows, from the backend's questions), `layout`
(positions for views too large for physics), `render` (the page: template, escaping, CSP).

Example
-------
>>> from livekg.graph import viz
>>> view = viz.unit_view(backend, "区商务委")          # doctest: +SKIP
>>> viz.write_html(view, "commerce.html")             # doctest: +SKIP
"""

from livekg.graph.viz.layout import LARGE_VIEW_NODES, radial_layout
from livekg.graph.viz.render import (
    EDGE_COLOURS,
    STYLES,
    render_html,
    viz_command,
    write_html,
)
from livekg.graph.viz.views import (
    CO_OWNS,
    MAX_DEPTH,
    VIEWS,
    View,
    build_view,
    co_ownership_view,
    entity_label,
    entity_type_view,
    task_view,
    unit_view,
    whole_graph,
)

__all__ = [
    "CO_OWNS", "EDGE_COLOURS", "LARGE_VIEW_NODES", "MAX_DEPTH", "STYLES", "VIEWS", "View",
    "build_view", "co_ownership_view", "entity_label", "entity_type_view", "radial_layout",
    "render_html", "task_view", "unit_view", "viz_command", "whole_graph", "write_html",
]
