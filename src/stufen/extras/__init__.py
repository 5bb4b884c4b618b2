"""Extras: files beside the pages: feeds, sitemap and SEO files, the search index, Open Graph cards."""
