"""Settings and wiring: below api/ and the CLI, above graph/ and loaders/."""
