"""An Obsidian vault → Stufen: the notes chosen for publishing, in their folders below content/posts/, and the
files they embed or link, found where Obsidian finds them; nothing else of the vault is read into DEST.

Which notes: `publish: true` in front matter (Obsidian Publish's property), or with `--folder` the notes under a
folder, with `--tag` the notes tagged so in front matter or inline (both given: notes matching both); a note
with `publish: false` never. A wikilink from a published note to a note left in the vault would be an error in
the build, so the report names each (file:line), and the author decides to publish the other note or unlink it.
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path, PurePosixPath
from urllib.parse import unquote

from ...load.frontmatter import SourceError, decode, split
from ...markdown.parser import render_markdown
from ...model import Rendered
from ...site.embeds import IMAGE_EXTENSIONS
from .common import ImportReport, Source, copy_file, toml_text

NAME = "Obsidian vault"
OPTIONS = ("folder", "tag")
_DATES = ("pubDatetime", "created")


@dataclass
class Note:
    path: Path  # in the vault
    rel: PurePosixPath  # below the vault, as it goes below content/posts/
    text: str
    meta: dict
    rendered: Rendered
    inline_tag: bool = False  # chosen by `--tag` for a `#tag` in its text


@dataclass
class Vault:
    root: Path
    attachment_folder: str  # Obsidian's "attachmentFolderPath" when it is one folder of the vault, else ""
    notes: dict[PurePosixPath, Note] = field(default_factory=dict)
    files: dict[Path, Path] = field(default_factory=dict)  # everything else, resolved → as found
    names: dict[str, list[PurePosixPath]] = field(default_factory=dict)  # what a wikilink may name → notes


def detect(src: Path) -> bool:
    return (src / ".obsidian").is_dir()


def convert(src: Path, dest: Path, report: ImportReport, folder: str | None = None, tag: str | None = None) -> None:
    report.kind = NAME
    vault = read_vault(src, report)
    chosen = [n for n in vault.notes.values() if _chosen(n, folder, tag)]
    published = {n.rel for n in chosen}
    placed: dict[Path, Path] = {}
    for note in chosen:
        _copy_note(note, dest / "content/posts" / note.rel, report)
        _check_links(note, vault, published, report)
        _copy_attachments(note, vault, dest, placed, report)
    if not chosen:
        how = " and ".join(filter(None, [folder and f"under {folder}/", tag and f"tagged #{tag.lstrip('#')}"]))
        report.note("the vault", None, f"no note is {how or 'marked publish: true'}: nothing imported (mark "
                    "notes publish: true, or choose them with --folder or --tag)")
    settings = {"title": src.name}
    if vault.attachment_folder:
        settings["attachments_dir"] = vault.attachment_folder
    if any(n.inline_tag for n in chosen):
        settings["inline_tags"] = True
    (dest / "stufen.toml").write_text(toml_text(settings, {}, {
        "attachments_dir": "the vault's attachment folder (.obsidian/app.json)",
        "inline_tags": "--tag chose notes by a #tag in their text"}), encoding="utf-8")


SOURCE = Source(NAME, detect, convert, OPTIONS)


def read_vault(src: Path, report: ImportReport) -> Vault:
    """Every note's front matter and parsed body, and the other files; dot folders (.obsidian, .trash) left out."""
    vault = Vault(src, _attachment_folder(src))
    for path in sorted(src.rglob("*")):
        rel = path.relative_to(src)
        if any(part.startswith(".") for part in rel.parts) or path.is_symlink() or not path.is_file():
            continue
        if path.suffix.lower() != ".md":
            vault.files[path.resolve()] = path
            continue
        try:
            text = decode(path.read_bytes(), path)
        except SourceError as exc:
            report.note(path, exc.problem.line, f"{exc.problem.message}: not read (save it as UTF-8)")
            continue
        try:
            parts = split(text, path)
            meta, body, first = dict(parts.meta), parts.body, parts.body_line
        except SourceError as exc:  # no front matter (most notes), or one YAML cannot read
            meta, body, first = {}, text, 1
            if text.startswith("---\n"):
                report.note(path, exc.problem.line, f"front matter not read ({exc.problem.message}): the note is "
                            "imported only if --folder or --tag chooses it")
        vault.notes[PurePosixPath(rel.as_posix())] = Note(path, PurePosixPath(rel.as_posix()), text, meta,
                                                          render_markdown(body, first_line=first, inline_tags=True))
        parts = rel.with_suffix("").parts
        for i in range(len(parts)):  # every name the note answers to: gradient, ml/gradient, notes/ml/gradient
            vault.names.setdefault("/".join(parts[i:]).lower(), []).append(PurePosixPath(rel.as_posix()))
    return vault


def _attachment_folder(src: Path) -> str:
    """`attachmentFolderPath` when it names one folder ("attachments"); "./x" (beside each note) and "/" are not."""
    try:
        value = json.loads((src / ".obsidian/app.json").read_text(encoding="utf-8")).get("attachmentFolderPath", "")
    except (OSError, ValueError, AttributeError):
        return ""
    value = str(value or "").strip().strip("/")
    return "" if not value or value.startswith(".") else value


def _chosen(note: Note, folder: str | None, tag: str | None) -> bool:
    if note.meta.get("publish") is False:
        return False
    if folder is None and tag is None:
        return note.meta.get("publish") is True
    if folder is not None and note.rel.parts[:len(PurePosixPath(folder.strip("/")).parts)] != \
            PurePosixPath(folder.strip("/")).parts:
        return False
    if tag is None:
        return True
    wanted = tag.lstrip("#").lower()
    tags = note.meta.get("tags") or []
    tags = [tags] if isinstance(tags, str) else tags if isinstance(tags, list) else []
    if any(_is_tag(str(t).lstrip("#"), wanted) for t in tags):
        return True
    note.inline_tag = any(_is_tag(t, wanted) for t in note.rendered.inline_tags)
    return note.inline_tag


def _is_tag(name: str, wanted: str) -> bool:
    """`#ml` chooses #ml and its nested #ml/optimisation, as Obsidian's tag search does."""
    name = name.lower()
    return name == wanted or name.startswith(wanted + "/")


def _copy_note(note: Note, target: Path, report: ImportReport) -> None:
    """The note's bytes, with a `title:` (its file name, as Obsidian shows it) and a `pubDatetime:` (its
    modification time, reported) added when missing."""
    text, added = note.text, []
    if not note.meta.get("title"):
        added.append(f"title: {json.dumps(note.path.stem, ensure_ascii=False)}")
    if not any(key in note.meta for key in _DATES):
        when = datetime.fromtimestamp(note.path.stat().st_mtime, UTC).strftime("%Y-%m-%dT%H:%M:%SZ")
        added.append(f"pubDatetime: {when}")
        report.note(note.path, 1, f"no pubDatetime or created: pubDatetime {when} (the file's modification time) "
                    "written into the copy")
    if added:
        block = "---\n" + "".join(line + "\n" for line in added)
        text = block + text[4:] if text.startswith("---\n") else block + "---\n\n" + text
    target.parent.mkdir(parents=True, exist_ok=True)
    target.write_text(text, encoding="utf-8")
    report.posts += 1


def _check_links(note: Note, vault: Vault, published: set[PurePosixPath], report: ImportReport) -> None:
    """Each wikilink to a note that stays in the vault, or to a name no note has."""
    for link in note.rendered.wikilinks:
        if not link.target or _is_attachment(vault, link.target):
            continue
        found = _notes_named(vault, link.target)
        shown = f"[[{link.target}{'#' + link.anchor if link.anchor else ''}]]"
        if found and not any(rel in published for rel in found):
            report.note(note.path, link.line, f"{shown} links to {found[0]}, which is not published: publish it "
                        "too, or unlink it (the build reports it as a missing note)")
        elif not found and not _an_alias(link.target, vault, published):
            report.note(note.path, link.line, f"{shown}: no note in the vault has this name (the build reports it "
                        "as a missing note)")


def _an_alias(target: str, vault: Vault, published: set[PurePosixPath]) -> bool:
    """The build also finds a post by its title or an `aliases:` entry (when no file has the name)."""
    key = target.strip().lower()
    for rel in published:
        meta = vault.notes[rel].meta
        aliases = meta.get("aliases") or []
        aliases = [aliases] if isinstance(aliases, str) else aliases if isinstance(aliases, list) else []
        if key in {str(meta.get("title", "")).lower(), *(str(a).lower() for a in aliases)}:
            return True
    return False


def _notes_named(vault: Vault, target: str) -> list[PurePosixPath]:
    return vault.names.get(target.strip().lower().removesuffix(".md"), [])


def _is_attachment(vault: Vault, target: str) -> bool:
    """A file other than a note: no note has the name ([[v1.2]] may be one), and it ends in an extension."""
    suffix = PurePosixPath(target.strip()).suffix.lower()
    return bool(suffix) and suffix != ".md" and " " not in suffix and not _notes_named(vault, target)


def _copy_attachments(note: Note, vault: Vault, dest: Path, placed: dict[Path, Path], report: ImportReport) -> None:
    """The files the note embeds or links, each placed where the build looks for it: a Markdown link's file at
    the same path from the copied note; a wikilink's beside the note, or in the attachment folder when it was
    found there (the build's attachments_dir)."""
    posts = dest / "content/posts"
    for link in note.rendered.wikilinks:
        if not _is_attachment(vault, link.target):
            continue
        name = link.target.strip()
        found = _find(vault, note, name)
        shown = f"{'!' * link.embed}[[{name}]]"
        if found is None:
            report.note(note.path, link.line, f"{shown}: no such file in the vault (not beside the note, nor in "
                        f"{vault.attachment_folder or 'any folder'})")
            continue
        image = link.embed and found.suffix.lower() in IMAGE_EXTENSIONS
        target = posts / note.rel.parent / name  # beside the note, where the build looks first
        if image and _in_attachment_folder(vault, found) and (note.path.parent / name).resolve() != found.resolve():
            target = dest / "content" / vault.attachment_folder / name  # the build's attachments_dir
        _place(found, target, placed, report)
        if not image:
            report.note(note.path, link.line, f"{shown}: copied beside the post, but the build links only notes "
                        f"by [[…]]: write [{PurePosixPath(name).name}](<{name}>)")
    for link in note.rendered.links:
        address = unquote(link.target.split("#", 1)[0].split("?", 1)[0])
        if not address or address.startswith("/") or address.lower().endswith(".md"):
            continue
        found = _find(vault, note, address)
        if found is None:
            report.note(note.path, link.line, f"{address}: no such file in the vault")
        else:
            _place(found, posts / note.rel.parent / address, placed, report)


def _in_attachment_folder(vault: Vault, path: Path) -> bool:
    return bool(vault.attachment_folder) and path.is_relative_to(vault.root / vault.attachment_folder)


def _find(vault: Vault, note: Note, name: str) -> Path | None:
    """As Obsidian finds a linked file: from the note's folder, from the vault's root, in the attachment
    folder, then anywhere in the vault by its name (the nearest to the root first)."""
    root = vault.root.resolve()
    folders = [note.path.parent, vault.root] + ([vault.root / vault.attachment_folder]
                                                  if vault.attachment_folder else [])
    for folder in folders:
        path = (folder / name).resolve()
        if path.is_relative_to(root) and path in vault.files:
            return vault.files[path]
    tail = PurePosixPath(name).parts
    by_name = [p for p in vault.files.values() if p.relative_to(vault.root).parts[-len(tail):] == tail]
    return min(by_name, key=lambda p: (len(p.relative_to(vault.root).parts), p)) if by_name else None


def _place(found: Path, target: Path, placed: dict[Path, Path], report: ImportReport) -> None:
    """Copy once; a place another file already took keeps the first, and the report says so. A link that
    climbs out of the notes' folders (`../../x.png`) would place it outside content/: it is not copied."""
    target = target.resolve()
    if not target.is_relative_to(report.dest / "content"):
        report.note(found, None, "not copied: a link to it leads out of the vault's folders")
        return
    if target in placed:
        if placed[target] != found:
            report.note(found, None, f"not copied: {target.relative_to(report.dest).as_posix()} already holds "
                        f"{placed[target].relative_to(report.src).as_posix()}")
        return
    placed[target] = found
    copy_file(found, target)
    report.files += 1
