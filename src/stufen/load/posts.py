"""Loading every post: from the store where a file's bytes are unchanged, in parallel where many are not."""

from __future__ import annotations

import pickle
from pathlib import Path, PurePosixPath

from ..config import Config
from ..errors import Problems
from ..incremental.pool import LOAD_MS, parallel_map
from ..incremental.store import Store, seal_into
from ..model import Post
from ..report import phase
from ..slugs import valid_utf8
from .post import Settings, load_post


@phase("load")
def load_all(paths: list[Path], config: Config, store: Store, problems: Problems) -> list[Post]:
    """Load every post, from the store where the bytes are unchanged, in parallel when many are not."""
    settings = settings_for(config)
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
            key, data = store.file_key(path, source, settings)
            cached = store.get(key)
            if cached is None and data is None:  # known unchanged, yet evicted: read it after all
                data = path.read_bytes()
        except OSError as exc:
            problems.error(source, None, f"cannot read the file: {exc.strerror}")
            continue
        if cached is None:
            jobs.append((key, data, source))
        else:
            results[key] = cached
    loaded = parallel_map(_load_job, [(d, s, settings, store.entry("posts", k)) for k, d, s in jobs], ms_each=LOAD_MS)
    for (key, _, _), blob in zip(jobs, loaded, strict=True):
        results[key] = store.memory[key] = pickle.loads(blob)
    posts = []
    for post, found in results.values():
        problems.extend(found)
        if post is not None:
            posts.append(post)
    return posts


def _load_job(args) -> bytes:
    """Load one post, pickled: stored in its entry here, in the worker, and sent back as is."""
    data, source, settings, entry = args
    blob = pickle.dumps(load_post(data, source, settings), protocol=pickle.HIGHEST_PROTOCOL)
    seal_into(entry, blob)
    return blob


def settings_for(config: Config) -> Settings:
    """The settings a post's parse depends on (part of its key in the store)."""
    posts_dir = (config.content_path / "posts").relative_to(config.root).as_posix()
    return Settings(timezone=config.timezone, author=config.author, unsafe_html=config.unsafe_html,
                    posts_dir=posts_dir, urls=config.urls, inline_tags=config.inline_tags)
