"""Assemble and plan: the posts become a Site (drafts, tags, series, links) and the list of its Pages."""
