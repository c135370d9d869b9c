"""The handover: what the next engineer on site must know, gathered in one place for the CLI
(`launchpad handover`) and the TUI's handover screen."""
