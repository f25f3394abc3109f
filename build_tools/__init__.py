"""Check, grade, render and cite the ketamine-for-CRPS evidence base (module map: README.md)."""

__version__ = "0.1.0"
