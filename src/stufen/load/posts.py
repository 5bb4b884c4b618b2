"""Loading every post: from the store where a file's bytes are unchanged, in parallel where many are not."""

from __future__ import annotations

import os
import pickle
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from functools import partial
from pathlib import Path, PurePosixPath

import pygments

from ..config import Config
from ..errors import ConfigError, ContentError, Problems
from ..incremental.buildid import build_id
from ..incremental.entries import entry_parts, from_head, write_parts
from ..incremental.pool import LOAD_MS, parallel_map, worth_a_pool
from ..incremental.store import Store, read_sealed, seal_into
from ..markdown import highlight
from ..markdown.rawhtml import image_facts
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
    leave = bodies_in_store and store.folder is not None
    jobs, results = [], {}
    relative = _relative_to(config.root)
    for path in paths:
        name = relative(path)
        if not valid_utf8(name):
            problems.error(PurePosixPath(name), None, "the file name is not valid UTF-8, so no address can be made "
                           "from it", "rename the file")
            continue
        try:
            info = os.stat(path)
            if info.st_size > config.max_post_mb * 2**20:
                problems.error(PurePosixPath(name), None, f"the file is larger than max_post_mb = "
                               f"{config.max_post_mb} MB", "a post that large is a mistake (a data dump, a link to "
                               "a device); raise max_post_mb in stufen.toml if it is not")
                continue
            key = store.file_key(path, name, settings, info=info)  # text: see Store.stamps
            cached = store.get(key, bodies=not leave, remake=partial(_body_again, path, name, settings))
        except OSError as exc:
            problems.error(PurePosixPath(name), None, f"cannot read the file: {exc.strerror}")
            continue
        if cached is None:  # its bytes are read again by the worker: not all held here at once
            jobs.append((key, path, PurePosixPath(name), settings, store.entry("posts", key), leave))
        else:
            results[key] = cached
    store.keep_stamps(paths)
    with code_memo(store, here=bool(jobs) and not worth_a_pool(len(jobs), LOAD_MS)):
        for job, (head, body) in zip(jobs, parallel_map(_load_job, jobs, ms_each=LOAD_MS), strict=True):
            key, entry = job[0], job[4]
            remake = partial(_body_again, job[1], str(job[2]), settings)
            results[key] = store.memory[key] = from_head(head, entry, key, body, remake)
    posts = []
    for post, found in results.values():
        problems.extend(found)
        if post is not None:
            posts.append(post)
    return posts


def _body_again(path: Path, name: str, settings: Settings, key: str, entry: Path) -> str:
    """The body of the post stored under `key`, whose entry was found damaged (or gone) when the body was read
    (`StoredHtml`): the file parsed again, when it still has the bytes of `key`, and the entry written anew."""
    try:
        data = path.read_bytes()
    except OSError as exc:
        raise ConfigError(f"cannot read {name}: {exc.strerror}") from exc
    if Store.key(name, settings, data) != key:
        raise ConfigError(f"{name} changed during the build, and its stored body is gone; build again")
    value = load_post(data, PurePosixPath(name), settings)
    if value[0] is None:  # not what the key's head says: never a page made of something else
        raise ConfigError(f"{name}: its stored body is damaged and it no longer parses alike; build again")
    write_parts(entry, *entry_parts(value, image_facts(value[0].html)))
    return value[0].html


def _relative_to(root: Path) -> Callable[[Path], str]:
    """A post file's path below `root` as text ("content/posts/x.md"): the prefix cut off, since pathlib's
    `relative_to` and a `PurePosixPath` for every post were 25 µs a post, 0.1 s of a 5000-post edit build. The
    store gives a known post's path with it; only a post parsed again, or in error, needs a path object."""
    prefix = "" if str(root) == "." else f"{root}{os.sep}"

    def relative(path: Path) -> str:
        text = str(path)
        if text.startswith(prefix) and os.sep == "/":
            return text[len(prefix):]
        return path.relative_to(root).as_posix()
    return relative


CODE_MEMO = "highlighted.pickle"  # in the store: the code blocks the last build that parsed posts here highlighted


@contextmanager
def code_memo(store: Store, *, here: bool) -> Iterator[None]:
    """While the few posts that changed are parsed in this process (`here`), highlight their code through the
    blocks the last such build highlighted: an edit to a post's prose then compiles no Pygments lexer. The
    memo keeps only those blocks (an edit's worth), under Stufen's build id and Pygments' version."""
    place = store.place(CODE_MEMO) if here else None
    if place is None:
        yield
        return
    stamp = (build_id(), pygments.__version__)
    data = read_sealed(place)
    try:
        kept = pickle.loads(data) if data is not None else None
    except Exception:
        kept = None  # damaged despite its seal: nothing to reuse
    if not (isinstance(kept, tuple) and len(kept) == 2 and kept[0] == stamp and isinstance(kept[1], dict)):
        kept = None  # another Stufen's or Pygments', or not a memo at all
    highlight.remember(kept[1] if kept is not None else {})
    try:
        yield
    finally:
        blocks = highlight.forget()
    if blocks and (kept is None or kept[1] != blocks):
        seal_into(place, pickle.dumps((stamp, blocks), protocol=pickle.HIGHEST_PROTOCOL))


def _load_job(args) -> tuple[bytes, str | None]:
    """Load one post, in a worker: store its entry, and send back the entry's head and, unless the body was
    stored and is to be `leave`-n there, the body. The file is read here again; bytes other than those the
    key was made of (the file changed during the build) are reported, never stored under that key."""
    key, path, source, settings, entry, leave = args
    try:
        data = path.read_bytes()
    except OSError as exc:
        data, problem = None, f"cannot read the file: {exc.strerror}"
    else:
        problem = "the file changed during the build" if Store.key(str(source), settings, data) != key else None
    if problem is not None:
        return entry_parts((None, (ContentError(source, None, problem, "build again"),)), ())[0], None
    value = load_post(data, source, settings)
    facts = image_facts(value[0].html) if value[0] is not None else ()  # the media stage's, without the body
    head, body = entry_parts(value, facts)
    stored = write_parts(entry, head, body)
    return head, None if stored and leave else body.decode("utf-8")


def settings_for(config: Config) -> Settings:
    """The settings a post's parse depends on (part of its key in the store)."""
    posts_dir = (config.content_path / "posts").relative_to(config.root).as_posix()
    return Settings(timezone=config.timezone, author=config.author, unsafe_html=config.unsafe_html,
                    posts_dir=posts_dir, urls=config.urls, inline_tags=config.inline_tags)
