"""Output: the files of a built site, written atomically; the site swapped in whole."""
