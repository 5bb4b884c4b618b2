"""Commands besides build and serve: new, check, deploy."""
