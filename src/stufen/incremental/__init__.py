"""Remembering work between builds (the store, the up-to-date check) and spreading it over cores."""
