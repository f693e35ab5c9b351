"""falco-exceptions: reviewed Falco rule exceptions, rendered for the Falco version you run."""

__version__ = "0.1.0"
