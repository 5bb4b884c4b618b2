"""Markdown: the markdown-it set-up and everything a body needs (TOC, raw HTML, highlighting, math)."""
