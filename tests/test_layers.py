"""Imports run one way: loaders <- graph <- core <- api / cli. The API never loads the CLI or
the local Neo4j runner (a developer tool), and nothing below reaches up."""

from __future__ import annotations

import ast
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
# Each folder, and the modules of livekg it must never import.
FORBIDDEN = {
    "loaders": ("livekg.graph", "livekg.core", "livekg.api", "livekg.cli", "livekg.neo4j_local"),
    "graph": ("livekg.core", "livekg.api", "livekg.cli", "livekg.neo4j_local"),
    "livekg/core": ("livekg.api", "livekg.cli", "livekg.neo4j_local"),
    "api": ("livekg.cli", "livekg.neo4j_local"),
}


def imported_modules(path: Path) -> set[str]:
    """Every module a file imports, at the top or inside a function."""
    modules = set()
    for node in ast.walk(ast.parse(path.read_text("utf-8"), filename=str(path))):
        if isinstance(node, ast.Import):
            modules.update(alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            modules.add(node.module)
            modules.update(f"{node.module}.{alias.name}" for alias in node.names)
    return modules


def _reaches(module: str, forbidden: str) -> bool:
    return module == forbidden or module.startswith(forbidden + ".")


def test_no_module_imports_a_layer_above_it() -> None:
    wrong = []
    for folder, forbidden in FORBIDDEN.items():
        files = sorted((ROOT / folder).rglob("*.py"))
        assert files, folder
        for path in files:
            wrong += [f"{path.relative_to(ROOT)} imports {module}"
                      for module in sorted(imported_modules(path))
                      if any(_reaches(module, f) for f in forbidden)]
    assert wrong == []


def test_the_api_loads_neither_the_cli_nor_the_neo4j_runner() -> None:
    probe = ("import sys\nfrom livekg.api.app import create_app\ncreate_app()\n"
             "print(sorted(m for m in sys.modules if m.startswith(('livekg.cli', "
             "'livekg.neo4j_local'))))")
    result = subprocess.run([sys.executable, "-c", probe], capture_output=True, text=True,
                            timeout=120, cwd=ROOT)
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip() == "[]"
