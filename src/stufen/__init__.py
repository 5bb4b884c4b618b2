"""Stufen: a static site generator for blogs and learning journals."""

__version__ = "0.1.0"
