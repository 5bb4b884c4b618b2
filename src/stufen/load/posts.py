"""Loading every post: from the store where a file's bytes are unchanged, in parallel where many are not."""

from __future__ import annotations

import pickle
from dataclasses import replace
from functools import partial
from pathlib import Path, PurePosixPath

from ..config import Config
from ..errors import ContentError, Problems
from ..incremental.pool import LOAD_MS, parallel_map
from ..incremental.store import Store, StoredHtml, seal_into
from ..markdown.rawhtml import image_sources
from ..model import Post
from ..report import phase
from ..slugs import valid_utf8
from .post import Settings, load_post


@phase("load")
def load_all(paths: list[Path], config: Config, store: Store, problems: Problems, *,
             bodies_in_store: bool = False) -> list[Post]:
    """Load every post, from the store where the bytes are unchanged, in parallel when many are not.
    `bodies_in_store`: each body stored on disk is left there (`StoredHtml`), for `stufen build`'s memory;
    the dev server keeps them, to render an edit without reading the store."""
    settings = settings_for(config)
    keep = partial(_kept, store) if bodies_in_store and store.folder is not None else None
    jobs, results = [], {}
    for path in paths:
        source = PurePosixPath(path.relative_to(config.root).as_posix())
        if not valid_utf8(str(source)):
            problems.error(source, None, "the file name is not valid UTF-8, so no address can be made from it",
                           "rename the file")
            continue
        try:
            if path.stat().st_size > config.max_post_mb * 2**20:
                problems.error(source, None, f"the file is larger than max_post_mb = {config.max_post_mb} MB",
                               "a post that large is a mistake (a data dump, a link to a device); "
                               "raise max_post_mb in stufen.toml if it is not")
                continue
            key = store.file_key(path, source, settings)
            cached = store.get(key)
        except OSError as exc:
            problems.error(source, None, f"cannot read the file: {exc.strerror}")
            continue
        if cached is None:
            jobs.append((key, path, source))  # its bytes are read again by the worker: not all held here at once
        else:
            results[key] = keep(key, cached) if keep is not None else cached
    loaded = parallel_map(_load_job, [(k, p, s, settings, store.entry("posts", k)) for k, p, s in jobs],
                          ms_each=LOAD_MS)
    for (key, _, _), (blob, sealed) in zip(jobs, loaded, strict=True):
        value = pickle.loads(blob)
        results[key] = store.memory[key] = keep(key, value) if keep is not None and sealed else value
    posts = []
    for post, found in results.values():
        problems.extend(found)
        if post is not None:
            posts.append(post)
    return posts


def _kept(store: Store, key: str, value: tuple[Post | None, tuple]) -> tuple[Post | None, tuple]:
    """A loaded post with its body left in its store entry (`StoredHtml`), as the store's memory has it."""
    post, found = value
    if post is not None:
        post = replace(post, html=StoredHtml(store.entry("posts", key), key, image_sources(post.html)))
        store.memory[key] = value = (post, found)
    return value


def _load_job(args) -> tuple[bytes, bool]:
    """Load one post, pickled: stored in its entry here, in the worker, and sent back as is (with whether
    the entry is stored). The file is read here again; bytes other than those the key was made of
    (the file changed during the build) are reported, never stored under that key."""
    key, path, source, settings, entry = args
    try:
        data = path.read_bytes()
    except OSError as exc:
        data, problem = None, f"cannot read the file: {exc.strerror}"
    else:
        problem = "the file changed during the build" if Store.key(source, settings, data) != key else None
    if problem is not None:
        return pickle.dumps((None, (ContentError(source, None, problem, "build again"),))), False
    blob = pickle.dumps(load_post(data, source, settings), protocol=pickle.HIGHEST_PROTOCOL)
    return blob, seal_into(entry, blob)


def settings_for(config: Config) -> Settings:
    """The settings a post's parse depends on (part of its key in the store)."""
    posts_dir = (config.content_path / "posts").relative_to(config.root).as_posix()
    return Settings(timezone=config.timezone, author=config.author, unsafe_html=config.unsafe_html,
                    posts_dir=posts_dir, urls=config.urls, inline_tags=config.inline_tags)
