"""`python -m livekg.cli …`, the same as the `livekg` console script."""

from livekg.cli.app import main

raise SystemExit(main())
