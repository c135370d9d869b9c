"""launchpad's terminal UI (Textual). It drives the same core as the command line and is
opened only through `launchpad.cli.tui`; the core never imports this package."""
