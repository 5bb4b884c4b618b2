"""The pipeline: discover → load → assemble → plan → render → write → report.

`build()` reads top to bottom as those stages. Everything it needs comes in as
arguments, so the CLI, the dev server and the tests all run the same build.
"""

from __future__ import annotations

import pickle
from collections.abc import Callable
from concurrent.futures import wait
from datetime import datetime
from functools import partial
from pathlib import Path, PurePosixPath
from time import perf_counter

from .config import Config
from .errors import Problems
from .extras.cards import og_images, start_drawing
from .extras.feeds import feeds
from .extras.search import IndexedPages, build_index, index_language
from .extras.seo import site_files
from .incremental.pool import CARD_MS, LOAD_MS, RENDER_MS, Workers, parallel_map, threads, worth_a_pool
from .incremental.store import Store, seal_into
from .incremental.uptodate import record, up_to_date
from .load.post import Settings, discover, load_post
from .markdown.highlight import stylesheet
from .model import Post
from .output.write import NewSite, Output, Pending, check_out_dir, fresh_folder, static_files, write_changed
from .render.environment import compile_all, make_env, nav_globals
from .render.images import add_image_sizes
from .render.memo import Memo
from .render.pagememo import PageMemo
from .render.pages import RenderJob, render_all, render_into
from .report import Report
from .routes import shard_count
from .site.about import about_pages, load_about
from .site.assemble import Mode, Site, assemble, next_release
from .site.links import check_links
from .site.plan import Page, plan, unique_files, unique_pages
from .site.roadmap import load_roadmap, roadmap_pages
from .theme import theme_dir

Indexer = Callable[..., None]  # (site folder, output=folder for the index) → None; see search.build_index


def build(config: Config, *, mode: Mode, cache: Store, out: Path, strict: bool = False,
          memo: Memo | None = None, stamp: str | None = None) -> Report:
    """One build; with a `memo` kept across calls (the dev server), unchanged pages are reused and not rewritten.

    `stamp`: the inputs' stamp when the caller has already found the site out of date (the CLI does,
    before loading this module), so the sources are not walked twice.
    """
    started = perf_counter()
    check_out_dir(out, config.root)
    key = stamp
    if key is None:
        key, current = up_to_date(config, out, (mode.drafts, mode.future, strict),
                                  cache.folder if memo is None else None, mode.now)
        if current is not None:
            return current
    problems = Problems()
    posts = load_all(discover(config.content_path), config, cache, problems)
    site = assemble(posts, config, mode, problems)
    pages = all_pages(site, problems)
    static, assets = static_and_assets(config)
    env = memo.environment(config) if memo else make_env(config, cache.place("jinja"))
    nav = nav_globals({page.url for page in pages})  # header and footer link only to pages that exist
    env.globals.update(nav)
    # `stufen build` with a cache reuses the last build's unchanged pages and feeds (the dev server has its memo)
    reuse = PageMemo.start(cache.folder, out, env, (config, static_stamp(static), nav)) \
        if memo is None and cache.folder else None
    assets += site_extras(site, pages, mode.now, cache, problems, cli=memo is None, reuse=reuse)
    assets += post_attachments(site)
    static = unique_files(static, [*(a.path for a in assets), *(p.output_path for p in pages)], config.root, problems)
    check_links(site, pages, [*static, *(a.path for a in assets)], problems)
    indexed = IndexedPages()
    index = _indexer(config, site, indexed, cache)
    finish = partial(add_image_sizes, files=static, base_path=config.base_path)  # pages' images get sizes
    if memo is None:  # stream: each page is written (or linked, if unchanged) as it is rendered, then let go of
        job = RenderJob(pages, env, fresh_folder(out), reuse, finish)
        files, written = publish(job, assets, static, out, problems, strict, indexed, index), None
        if reuse is not None:
            reuse.save()
    else:
        outputs = render_all(pages, env, problems, memo.start(env, (config, static_stamp(static), nav)), finish)
        problems.raise_if_errors(strict)
        files, written = write_outputs([*indexed.tap(outputs), *assets], static, out, memo, index)
    report = Report(len(site.posts), len(site.tags), len(pages), files, perf_counter() - started,
                    site.left_out, tuple(w.format() for w in problems.warnings), written)
    if key and site.posts:  # an empty site's feeds are dated "now": always rebuilt
        record(cache.folder, key, out, next_release(posts, config, mode), report)
    return report


def publish(job: RenderJob, assets: list[Output], static: dict[str, Path], out: Path, problems: Problems,
            strict: bool, indexed: IndexedPages, index: Indexer | None) -> int:
    """`stufen build`'s write, with every core busy: workers render the pages into the new site;
    then, while this process builds the search index in the background, fresh workers draw the
    Open Graph cards and the cards and feeds are written. The site is swapped in only when all of
    it is there. Returns the number of files written.

    The cards get workers of their own: those that rendered the pages are hundreds of megabytes
    each by then (a 5000-post journal), and drawing beside the index would add them to its peak.
    """
    drawn = sum(isinstance(a, Pending) for a in assets)
    compile_all(job.env)  # the workers inherit the templates compiled
    with NewSite(out, static) as site:
        with Workers(job, wanted=worth_a_pool(len(job.pages), RENDER_MS)) as workers:
            site.add(indexed.tap(render_into(workers, problems)))
        problems.raise_if_errors(strict)
        with Workers(None, wanted=worth_a_pool(drawn, CARD_MS)) as drawers, threads(1) as background:
            start_drawing(assets, drawers)  # forked before the index's thread starts
            indexing = background.submit(index, site.folder) if index is not None else None
            try:
                site.add(assets)
            finally:
                if indexing is not None:
                    wait([indexing])
            if indexing is not None:
                indexing.result()
        site.publish()
    return site.count


def static_stamp(static: dict[str, Path]) -> tuple[tuple[str, int, int], ...]:
    """Static files by size and mtime: a page may embed what it reads of them (the page memo's key)."""
    stats = ((rel, path.stat()) for rel, path in sorted(static.items()))
    return tuple((rel, info.st_size, info.st_mtime_ns) for rel, info in stats)


def all_pages(site: Site, problems: Problems) -> list[Page]:
    """Every page: the plan from posts, plus pages from other content files (roadmap, About)."""
    config = site.config
    return unique_pages([*plan(site), *roadmap_pages(load_roadmap(config.content_path, config.root, problems), site),
                         *about_pages(load_about(config, problems))], problems)


def write_outputs(outputs: list[Output], static: dict[str, Path], out: Path, memo: Memo,
                  index: Indexer | None) -> tuple[int, tuple[str, ...] | None]:
    """While serving, write only the changed files; the index is left in `memo.index` for the
    server to refresh after the reload (`stufen build` indexes before it publishes)."""
    result = write_changed(outputs, static, out, memo.written)
    memo.finish(index)
    return result


def _indexer(config: Config, site: Site, pages: IndexedPages, cache: Store) -> Indexer | None:
    """What runs over the written site before it is published: the search index (cached by its pages)."""
    if not config.search:
        return None
    language = index_language(config.search_language, config.language, site.posts)
    return partial(build_index, language=language, pages=pages, shards=shard_count(len(site.posts)),
                   cache=cache.place("shards"))


def site_extras(site: Site, pages: list[Page], now: datetime, cache: Store, problems: Problems,
                cli: bool = False, reuse: PageMemo | None = None) -> list[Output]:
    """Feeds, sitemap, robots.txt, manifest, GitHub Pages files and Open Graph cards.

    For `stufen build` (`cli`), cards are read from the store, or drawn, as they are written (`publish`).
    """
    return [*feeds(site, now, reuse), *site_files(site, pages, now), *og_images(site, cache, problems, defer=cli)]


def post_attachments(site: Site) -> list[Output]:
    """Files a post shows beside its page: a notebook's output images, at /posts/<slug>/<name>."""
    return [Output(f"posts/{post.slug}/{name}", data)
            for post in site.posts for name, data in sorted(post.attachments.items())]


def static_and_assets(config: Config) -> tuple[dict[str, Path], list[Output]]:
    """Static files (theme's, then the site's) and generated assets: what links may point at besides pages."""
    static = static_files([(theme_dir() / "static" / "assets", "assets/"), (config.root / "static", "")])
    return static, [bundle_css(static, config)]


# One render-blocking request instead of three: on a slow mobile link each extra stylesheet
# costs a connection and delays first paint (Lighthouse measured 98 with three files).
CSS_PARTS = ("assets/style.css", "assets/journal.css")


def bundle_css(static: dict[str, Path], config: Config) -> Output:
    """assets/style.css = the theme's style.css, journal.css and the code colours, in that order."""
    parts = [static.pop(name).read_text(encoding="utf-8") for name in CSS_PARTS if name in static]
    parts.append(stylesheet(config.light_code_style, config.dark_code_style))
    return Output("assets/style.css", "\n".join(part.rstrip("\n") for part in parts).encode() + b"\n")


def load_all(paths: list[Path], config: Config, cache: Store, problems: Problems) -> list[Post]:
    """Load every post, from the cache where the bytes are unchanged, in parallel when many are not."""
    settings = settings_for(config)
    jobs, results = [], {}
    for path in paths:
        source = PurePosixPath(path.relative_to(config.root).as_posix())
        try:
            key, data = cache.file_key(path, source, settings)
            cached = cache.get(key)
            if cached is None and data is None:  # known unchanged, yet evicted: read it after all
                data = path.read_bytes()
        except OSError as exc:
            problems.error(source, None, f"cannot read the file: {exc.strerror}")
            continue
        if cached is None:
            jobs.append((key, data, source))
        else:
            results[key] = cached
    for (key, _, _), blob in zip(jobs, _run(jobs, settings, cache), strict=True):
        results[key] = cache.memory[key] = pickle.loads(blob)
    posts = []
    for post, found in results.values():
        problems.extend(found)
        if post is not None:
            posts.append(post)
    return posts


def _run(jobs: list[tuple[str, bytes, PurePosixPath]], settings: Settings, cache: Store) -> list[bytes]:
    return parallel_map(_load_job, [(d, s, settings, cache.entry("posts", k)) for k, d, s in jobs], ms_each=LOAD_MS)


def _load_job(args) -> bytes:
    """Load one post, pickled: written to its cache entry here, in the worker, and sent back as is."""
    data, source, settings, entry = args
    blob = pickle.dumps(load_post(data, source, settings), protocol=pickle.HIGHEST_PROTOCOL)
    seal_into(entry, blob)
    return blob


def settings_for(config: Config) -> Settings:
    posts_dir = (config.content_path / "posts").relative_to(config.root).as_posix()
    return Settings(timezone=config.timezone, author=config.author, base_path=config.base_path,
                    unsafe_html=config.unsafe_html, posts_dir=posts_dir)
