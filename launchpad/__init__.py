"""launchpad: the headless core of the on-site go-live tool.

Nothing under this package imports the terminal UI; the CLI, the screens, the tests and the
benchmarks all drive it directly.
"""

__version__ = "0.1.0"
