"""Load: find the content files and turn each into a Post (front matter, then a reader per format)."""
