"""Moved to livekg.graph.viz (views, layout, render). Kept only for `livekg viz`, whose
command module imports `viz_command` from here: delete this file once livekg/cli.py reads
`from livekg.graph.viz import viz_command`."""

from livekg.graph.viz import viz_command

__all__ = ["viz_command"]
