"""The dev server: build, watch, serve, reload. It knows the build only as a callable."""
