"""Bundled package data: the registry (facts about the world) and the bundled plan."""
