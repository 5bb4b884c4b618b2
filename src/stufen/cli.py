"""The `stufen` command. Author problems are printed as a report, never as a traceback.

Exit codes: 0 built, 1 the content has errors, 2 the command or stufen.toml is wrong.
"""

from __future__ import annotations

import sys
from pathlib import Path

import click

from . import __version__
from .config import check_site, load_config
from .dates import now
from .errors import BuildFailed, ConfigError, printable_path
from .incremental.store import CACHE_DIR, Store, clear
from .incremental.uptodate import up_to_date
from .report import profile_table, start_profile

# Each command imports what it needs when it runs: "nothing changed" answers in a tenth of a second.


@click.group(context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(__version__, prog_name="stufen")
@click.option("-C", "--directory", type=click.Path(file_okay=False, path_type=Path), default=Path("."),
              help="The site folder (holding content/ and stufen.toml). Default: the current folder.")
@click.pass_context
def cli(ctx: click.Context, directory: Path) -> None:
    """Stufen turns a folder of Markdown posts into a fast, accessible static site."""
    ctx.obj = directory


@cli.command("build")
@click.option("--out", type=click.Path(file_okay=False, path_type=Path), help="Output folder (default: _site).")
@click.option("--drafts", is_flag=True, help="Include drafts and posts scheduled for later.")
@click.option("--strict", is_flag=True, help="Fail on warnings too (use in CI).")
@click.option("--no-cache", is_flag=True, help=f"Ignore and do not write {CACHE_DIR}/.")
@click.option("--profile", is_flag=True, help="Build even when nothing changed, then show where the time went: "
              "CPU per post by stage, wall time by phase (with --no-cache: a cold build's).")
@click.pass_obj
def build_command(root: Path, out: Path | None, drafts: bool, strict: bool, no_cache: bool, profile: bool) -> None:
    """Build the site into _site/."""
    config = load_config(root)
    check_site(config)
    target = out if out is not None and out.is_absolute() else root / (out or config.out_dir)
    cache = Store(None if no_cache else root / CACHE_DIR)
    clock = now()
    start_profile()
    key, report = up_to_date(config, target, (drafts, drafts, strict), cache.folder, clock)
    if report is None or profile:
        from .build import build
        from .site.assemble import Mode

        report = build(config, mode=Mode(clock, drafts=drafts, future=drafts), cache=cache, out=target, strict=strict,
                       stamp=key)
    click.echo(report.format())
    if profile:
        from .incremental.pool import cores

        click.echo(profile_table(report, cores()))


@cli.command("serve")
@click.option("--watch", is_flag=True, help="Rebuild on every change and reload open tabs.")
@click.option("--port", type=click.IntRange(0, 65535), default=8000, show_default=True,
              help="Port to listen on; 0 picks a free one.")
@click.option("--host", default="127.0.0.1", show_default=True, help="Address to listen on.")
@click.option("--drafts/--no-drafts", default=True, show_default=True,
              help="Show drafts and posts scheduled for later (marked as such).")
@click.option("--open", "open_browser", is_flag=True, help="Open the site in the default browser.")
@click.pass_obj
def serve_command(root: Path, watch: bool, port: int, host: str, drafts: bool, open_browser: bool) -> None:
    """Build into .stufen-serve/ and serve it at http://127.0.0.1:8000/ (under base_url's path)."""
    from .serve.command import Options, run  # the server and watcher load only when serving

    check_site(load_config(root))
    run(root, Options(host, port, watch, drafts, open_browser), echo=click.echo)


@cli.command("deploy")
@click.option("--remote", default="origin", show_default=True, help="The git remote to push to.")
@click.option("--branch", default="gh-pages", show_default=True, help="The branch GitHub Pages serves.")
@click.option("--no-build", is_flag=True, help="Push the existing _site/ without building it first.")
@click.pass_context
def deploy_command(ctx: click.Context, remote: str, branch: str, no_build: bool) -> None:
    """Build with --strict, then push _site/ to the gh-pages branch."""
    if not no_build:
        ctx.invoke(build_command, out=None, drafts=False, strict=True, no_cache=False)
    from .commands.deploy import deploy

    root = ctx.obj
    config = load_config(root)
    click.echo(deploy(root, root / config.out_dir, remote=remote, branch=branch, content_dir=config.content_dir))


@cli.command("new")
@click.argument("title")
@click.option("--slug", help="The post's URL segment and file name, instead of one made from the title.")
@click.pass_obj
def new_command(root: Path, title: str, slug: str | None) -> None:
    """Start a post: writes content/posts/<slug>.md with complete front matter."""
    from .commands.new import PostExists, new_post

    if not title.strip():
        raise click.UsageError("the title is empty")
    if slug is not None and not slug.strip():
        raise click.UsageError("the slug is empty")
    try:
        path = new_post(load_config(root), title, now(), slug)
    except PostExists as exc:
        raise click.ClickException(str(exc)) from None
    click.echo(path.relative_to(root).as_posix())


@cli.command("check")
@click.option("--format", "fmt", type=click.Choice(["text", "json"]), default="text", help="Output format.")
@click.option("--fix", is_flag=True, help="Repair mojibake in place (nothing else is changed).")
@click.option("--strict", is_flag=True, help="Fail on warnings too, as `build --strict` does.")
@click.pass_obj
def check_command(root: Path, fmt: str, fix: bool, strict: bool) -> None:
    """Lint the content without building: links, encoding, dates, descriptions, alt text, tags."""
    from .commands.check import check, fix_mojibake
    from .site.assemble import Mode

    config = load_config(root)
    check_site(config)
    if fix:
        for path, count in fix_mojibake(config):
            click.echo(f"Repaired {count} line{'s' if count != 1 else ''} of mojibake in {path}", err=fmt == "json")
    result = check(config, Mode(now()))
    click.echo(result.to_json() if fmt == "json" else result.format())
    if result.errors or (strict and result.problems):
        raise click.exceptions.Exit(1)


@cli.command("import")
@click.argument("src", type=click.Path(file_okay=False, path_type=Path))
@click.argument("dest", type=click.Path(path_type=Path))
@click.option("--folder", metavar="NAME", help="A vault: publish the notes under this folder.")
@click.option("--tag", metavar="TAG", help="A vault: publish the notes with this tag (front matter or #tag).")
def import_command(src: Path, dest: Path, folder: str | None, tag: str | None) -> None:
    """Turn another generator's site (AstroPaper v1–v5) or an Obsidian vault in SRC into a Stufen site in the
    new folder DEST. From a vault, the notes with `publish: true` (or those --folder/--tag choose)."""
    from .commands.importing import import_site

    click.echo(import_site(src, dest, folder=folder, tag=tag).format())


@cli.command("clean")
@click.pass_obj
def clean_command(root: Path) -> None:
    """Remove the build cache (.stufen-cache/)."""
    click.echo(f"Removed {CACHE_DIR}/" if clear(root) else "No cache to remove.")


def main(argv: list[str] | None = None) -> int:
    """Run the CLI and return its exit code (for tests and `python -m stufen`)."""
    try:
        code = cli.main(args=argv, prog_name="stufen", standalone_mode=False)
        if isinstance(code, int):  # click returns a command's Exit code instead of raising it here
            return code
    except BuildFailed as exc:
        click.echo(exc.format(), err=True)
        return 1
    except ConfigError as exc:
        click.echo(f"Error: {exc}", err=True)
        return 2
    except click.exceptions.Abort:
        click.echo("Aborted.", err=True)
        return 130
    except OSError as exc:  # the machine said no (a folder not writable, a disk full): its words, no traceback
        if exc.filename is None:
            raise
        click.echo(f"Error: cannot use {printable_path(exc.filename)}: {exc.strerror}", err=True)
        return 2
    except click.ClickException as exc:
        exc.show()
        return exc.exit_code
    except click.exceptions.Exit as exc:
        return exc.exit_code
    return 0


if __name__ == "__main__":
    sys.exit(main())
