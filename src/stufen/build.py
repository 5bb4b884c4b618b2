"""The pipeline: discover → load → assemble → plan → render → write → report.

`build()` reads top to bottom as those stages, one line each, for `stufen build`
and the dev server alike. What differs between them is data passed in: the dev
server hands over its `Session` (what it remembers between builds, and the folder
is then rewritten in place); `stufen build` has none (a new folder is written
beside the old site, by forked workers when the site is large, and swapped in).
"""

from __future__ import annotations

import gc
from collections.abc import Callable
from dataclasses import dataclass, field, replace
from functools import partial, wraps
from pathlib import Path
from time import perf_counter

import jinja2

from .config import Config
from .errors import Problems
from .extras.assets import static_and_assets, static_stamp
from .extras.cards import start_drawing
from .extras.files import extra_files
from .extras.search import IndexedPages, indexer
from .incremental import prune
from .incremental.pool import CARD_MS, RENDER_MS, Workers, worth_a_pool
from .incremental.store import Store
from .incremental.uptodate import record
from .load.post import discover
from .load.posts import load_all
from .output.atomic import libc_function
from .output.inplace import InPlace, Written
from .output.swap import FreshFolder
from .output.write import Output, Pending, check_out_dir
from .render import pagememo
from .render.environment import check_templates, compile_all, make_env, nav_globals
from .render.finish import finish_page
from .render.media import place_media
from .render.memo import Digests, Fingerprints, template_files
from .render.pagememo import PageMemo
from .render.pages import RenderJob, render_into
from .report import Report, phase
from .routes import SEARCH_BUNDLE
from .site.assemble import Mode, assemble, next_release
from .site.links import check_links
from .site.pages import all_pages
from .site.plan import unique_files

Indexer = Callable[..., None]  # (site folder, output=folder for the index) → None; see extras.search.build_index


@dataclass
class Session:
    """What the dev server remembers from one build to the next (`stufen build` runs without one)."""

    digests: Digests = field(default_factory=Digests)  # each post object hashed once per session
    pages: pagememo.Record | None = None  # the page memo's record of the last build
    written: Written = field(default_factory=Written)  # what is in the served folder
    rendered: list[str] = field(default_factory=list)  # URLs the last build rendered (the rest were reused)
    index: Indexer | None = None  # the search index the last build owes: the server runs it after the reload
    env: tuple[object, jinja2.Environment] | None = None  # templates stay compiled across rebuilds


def without_cycle_collection(fn: Callable[..., Report]) -> Callable[..., Report]:
    """Run `fn` with Python's cycle collector paused (as the process had it, after). A build makes hundreds of
    thousands of long-lived objects (every post's headings, links, dates) and no cycles worth collecting: a
    whole cold build of 1000 posts, in one process, left 9.5 thousand cyclic objects, the same with cards and
    search, and most from compiling the templates. Yet each full collection walks every object: turning a
    stored head into a post took 112-154 µs with the collector on and 45 µs with it off (4800 posts, one
    process). Worker processes forked meanwhile inherit the pause, and the dev server's cycles are collected
    between its builds."""
    @wraps(fn)
    def paused(*args, **kwargs) -> Report:
        was = gc.isenabled()
        gc.disable()
        try:
            return fn(*args, **kwargs)
        finally:
            if was:
                gc.enable()
    return paused


@without_cycle_collection
def build(config: Config, *, mode: Mode, cache: Store, out: Path, strict: bool = False,
          session: Session | None = None, stamp: str | None = None) -> Report:
    """One build. `stamp`: the inputs' stamp from the up-to-date check (incremental.uptodate), recorded
    with the result so the next `stufen build` of the same inputs can answer "nothing changed"."""
    started, problems = perf_counter(), Problems()
    check_out_dir(out, config.root)
    prune.begin(cache.folder if session is None else None)  # the dev server's builds never prune
    posts = load_all(discover(config.content_path, problems), config, cache, problems,
                     bodies_in_store=session is None)  # the dev server keeps bodies in memory
    site = assemble(posts, config, mode, problems)
    site = place_media(site, cache, problems)  # files beside posts and in alias folders; images sized
    pages = all_pages(site, problems)
    static, assets = static_and_assets(config, problems)
    nav = nav_globals({page.url for page in pages})  # header and footer link only to pages that exist
    check_templates(config, problems)
    env = environment(config, cache, session, nav)
    # a page's bytes do not depend on where the site folder is: a checkout at another path reuses its pages
    reuse = page_memo(cache, out, env, (replace(config, root=Path()), static_stamp(static), nav), session)
    assets += extra_files(site, pages, mode.now, cache, problems, reuse, defer=session is None)
    static = unique_files(static, [*(a.path for a in assets), *(p.output_path for p in pages)], config.root, problems)
    check_links(site, pages, [*static, *(a.path for a in assets)], problems)
    indexed = IndexedPages()
    index = indexer(config, site, indexed, cache, reuse if session is None else None)  # served: indexed apart
    index_folder = (SEARCH_BUNDLE.strip("/"),)  # the search index writes into the new site itself
    writer = FreshFolder(out, static, beside=index_folder) if session is None else InPlace(out, static, session.written)
    finish = partial(finish_page, files=static, base_path=config.base_path)  # image sizes, then the base path
    counts = (len(site.posts), len(site.tags), len(pages)), site.left_out, next_release(posts, config, mode)
    job = [RenderJob(pages, env, writer.folder, reuse, finish)]
    del posts, site, pages  # the job is the one holder of the posts now: `publish` lets go once the pages are written
    publish(job.pop(), assets, writer, problems, strict, indexed, index if session is None else None,
            partial(let_go, cache, reuse) if session is None else None)
    remember(reuse, cache, session, index)
    report = Report(*counts[0], writer.count, perf_counter() - started,
                    counts[1], tuple(w.format() for w in problems.warnings), writer.written)
    if stamp and counts[0][0]:  # an empty site's feeds are dated "now": always rebuilt
        record(cache.folder, stamp, out, counts[2], report)
    prune.prune(cache.folder if session is None else None)  # the site is out: drop what no recent build used
    return report


@phase("plan")
def environment(config: Config, store: Store, session: Session | None, nav: dict) -> jinja2.Environment:
    """The Jinja environment with the navigation globals `nav`. The dev server keeps one per settings
    and set of template files, so compiled templates survive rebuilds (Jinja re-checks each template's
    file itself; the key catches a new override or a new templates/ folder)."""
    key = (config, template_files(config))
    if session is not None and session.env is not None and session.env[0] == key:
        env = session.env[1]
    else:
        env = make_env(config, store.place("jinja"))
        if session is not None:
            session.env = (key, env)
    env.globals.update(nav)
    return env


@phase("plan")
def page_memo(store: Store, out: Path, env: jinja2.Environment, settings: object,
              session: Session | None) -> PageMemo | None:
    """The last build's pages for this one to reuse: from the session, or the store (none without either).
    `settings`: everything besides a page's context and templates that its bytes depend on."""
    if session is None and store.folder is None:
        return None
    digests = session.digests if session is not None else Digests()
    digests.name_loaded(store.loaded())
    record_ = session.pages if session is not None else pagememo.load(store.place(pagememo.FILE))
    return PageMemo(out, Fingerprints(digests, env, settings), record_)


def publish(job: RenderJob, assets: list[Output], writer: FreshFolder | InPlace, problems: Problems, strict: bool,
            indexed: IndexedPages, index: Indexer | None, rendered: Callable[[], None] | None = None) -> None:
    """Write the feeds and files already made, render the pages into the writer (by forked workers,
    where it lets them write and the site is large), then draw and write the Open Graph cards, then
    build the search index; publish only when all of it is there. `assets` is emptied as it is written.

    Each step has the cores to itself, one after the other, so their memory never adds up: the render
    workers share the posts with this process, which lets go of them (`rendered`; only when cards or an
    index follow, since handing memory back costs a `malloc_trim`) before the card drawers fork; and
    Pagefind, ~120 MiB a process at 5000 posts (as many at once as `search.PAGEFIND_MEMORY` allows),
    starts once the drawers are gone. On a machine whose cores each step keeps busy, overlapping them
    saved no time.
    """
    drawn = sum(isinstance(a, Pending) for a in assets)
    compile_all(job.env)  # the workers inherit the templates compiled
    with writer:
        with phase("feeds, files"):  # what is made already (feeds, sitemap, files) is written and let go of first
            writer.add([a for a in assets if not isinstance(a, Pending)])
            assets[:] = [a for a in assets if isinstance(a, Pending)]  # (~25 MiB of feeds at 5000 posts)
        fresh = job.reuse.to_render(job.pages) if job.reuse is not None else len(job.pages)
        with phase("render"), Workers(job, wanted=writer.forks and worth_a_pool(fresh, RENDER_MS)) as workers:
            writer.add(indexed.tap(render_into(workers, problems)))
        del job, workers
        if rendered is not None and (drawn or index is not None):  # else nothing after this needs the memory
            rendered()
        problems.raise_if_errors(strict)
        with Workers(None, wanted=worth_a_pool(drawn, CARD_MS)) as drawers:
            start_drawing(assets, drawers)
            with phase("cards"):
                writer.add(assets)
        if index is not None:
            index(writer.folder)
        with phase("publish"):
            writer.publish()


def let_go(store: Store, reuse: PageMemo | None) -> None:
    """`stufen build`, once its pages are written: drop every post (the store's memory and the page memo's
    digests hold them too) and hand the freed memory back to the OS, so that the card drawers, Pagefind
    and this process do not carry them through the rest of the build (their bodies stay in the store:
    what is let go of is their headings, links and dates, ~45 MiB at 5000 posts). The posts hold no
    reference cycles, so they are freed as they are dropped: a full collection here found nothing, in cold
    and edit builds alike, and took 0.02-0.03 s at 1000 posts and ~0.1 s at 5000."""
    store.memory.clear()
    if reuse is not None:
        reuse.forget_posts()
    trim = libc_function("malloc_trim")  # glibc: returns the free pages inside its heap, not only at its top
    if trim is not None:
        trim(0)


def remember(reuse: PageMemo | None, store: Store, session: Session | None, index: Indexer | None) -> None:
    """Keep what the next build reuses: the page memo's record in the session or the store."""
    if reuse is None:
        return
    if session is None:
        pagememo.save(store.place(pagememo.FILE), reuse.record())
        return
    session.pages, session.rendered, session.index = reuse.record(), reuse.rendered, index
    session.digests.finish()
