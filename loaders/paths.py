"""Where livekg's bundled data lives: the registry YAML and the bundled documents.

Both ship inside the package (`livekg.data`), so an installed livekg finds them wherever it is
installed; in a checkout they are the repository's `data/` folder.
"""

from importlib.resources import files
from pathlib import Path

DATA_DIR = Path(str(files("livekg.data")))
REGISTRY_DIR = DATA_DIR / "registry"
DOCUMENTS_DIR = DATA_DIR / "documents"
DOCUMENT_SUFFIXES = (".txt", ".csv")
