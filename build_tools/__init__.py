"""Build tools for the ketamine-for-CRPS evidence base: load, check, grade, render."""

__version__ = "0.1.0"
