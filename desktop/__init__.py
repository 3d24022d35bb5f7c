"""The desktop shell of ffdesk; ``__version__`` is the program's version (pyproject reads it)."""

__version__ = "0.1.0"
