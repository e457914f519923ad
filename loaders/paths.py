"""Where the project's bundled data lives (the registry YAML and the bundled documents)."""

from pathlib import Path

PROJECT_ROOT = Path(__file__).resolve().parent.parent
DATA_DIR = PROJECT_ROOT / "data"
REGISTRY_DIR = DATA_DIR / "registry"
DOCUMENTS_DIR = DATA_DIR / "documents"
DOCUMENT_SUFFIXES = (".txt", ".csv")
