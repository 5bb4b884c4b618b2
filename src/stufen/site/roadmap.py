"""The learning roadmap: `content/roadmap.yaml` → steps of topics → the `/roadmap/` page.

Each topic names the tags that cover it and a status (todo, learning, done); the
page shows progress per step and links the posts carrying those tags. The YAML
is read node by node so every mistake points at its own line.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path, PurePosixPath

import yaml

from ..errors import Problems, did_you_mean
from ..load.frontmatter import yaml_problem
from ..routes import ROADMAP
from ..slugs import slugify
from .assemble import Site
from .plan import Page

ROADMAP_FILE = "roadmap.yaml"
STATUSES = ("todo", "learning", "done")
_Loader = getattr(yaml, "CSafeLoader", yaml.SafeLoader)


@dataclass(frozen=True, slots=True)
class Topic:
    name: str
    status: str  # one of STATUSES
    tags: tuple[str, ...]  # tag slugs whose posts cover this topic


@dataclass(frozen=True, slots=True)
class Step:
    title: str
    topics: tuple[Topic, ...]

    def count(self, status: str) -> int:
        return sum(t.status == status for t in self.topics)


class _Invalid(Exception):
    def __init__(self, node, message: str, hint: str | None = None):
        super().__init__(message)
        self.line, self.message, self.hint = node.start_mark.line + 1, message, hint


def load_roadmap(content_dir: Path, root: Path, problems: Problems) -> tuple[Step, ...] | None:
    """The roadmap, None when there is no roadmap.yaml; every problem is reported with its line."""
    path = content_dir / ROADMAP_FILE
    if not path.is_file():
        return None
    source = PurePosixPath(path.relative_to(root).as_posix())
    try:
        node = yaml.compose(path.read_text(encoding="utf-8"), Loader=_Loader)
        return _steps(node)
    except yaml.YAMLError as exc:
        problems.error(source, *yaml_problem(exc, 1))
    except _Invalid as exc:
        problems.error(source, exc.line, exc.message, exc.hint)
    return None


def _steps(node) -> tuple[Step, ...]:
    top = _mapping(node, {"steps"}, "the roadmap")
    if "steps" not in top:
        raise _Invalid(node, "missing 'steps'", "start the file with 'steps:' and a list of steps")
    steps = []
    for item in _sequence(top["steps"], "steps"):
        keys = _mapping(item, {"title", "topics"}, "a step")
        topics = tuple(_topic(t) for t in _sequence(keys.get("topics"), "topics", item))
        steps.append(Step(_text(keys, "title", item), topics))
    return tuple(steps)


def _topic(node) -> Topic:
    keys = _mapping(node, {"name", "status", "tags"}, "a topic")
    status = _text(keys, "status", node)
    if status not in STATUSES:
        raise _Invalid(keys["status"], f"status: expected one of {', '.join(STATUSES)}; got '{status}'")
    tags = [] if "tags" not in keys else _sequence(keys["tags"], "tags")
    for tag in tags:
        if not isinstance(tag, yaml.ScalarNode):
            raise _Invalid(tag, "tags: expected a list of tag names")
    return Topic(_text(keys, "name", node), status, tuple(slugify(str(t.value)) for t in tags))


def _mapping(node, allowed: set[str], what: str) -> dict:
    if not isinstance(node, yaml.MappingNode):
        raise _Invalid(node, f"{what} must be a set of 'key: value' lines")
    keys = {}
    for key, value in node.value:
        if key.value not in allowed:
            raise _Invalid(key, f"unknown key '{key.value}' in {what}", did_you_mean(key.value, allowed))
        keys[key.value] = value
    return keys


def _sequence(node, key: str, parent=None) -> list:
    if node is None:
        raise _Invalid(parent, f"missing '{key}'")
    if not isinstance(node, yaml.SequenceNode):
        raise _Invalid(node, f"{key}: expected a list ('- ' lines)")
    return list(node.value)


def _text(keys: dict, key: str, parent) -> str:
    node = keys.get(key)
    if node is None:
        raise _Invalid(parent, f"missing '{key}'")
    if not isinstance(node, yaml.ScalarNode) or not str(node.value).strip():
        raise _Invalid(node, f"{key}: expected text")
    return str(node.value).strip()


def roadmap_pages(steps: tuple[Step, ...] | None, site: Site) -> list[Page]:
    """/roadmap/: each step's progress and, per topic, the shown posts tagged with its tags."""
    if steps is None:
        return []
    by_tag = {group.tag.slug: group.slugs for group in site.tags}
    covered = {}
    for step in steps:
        for topic in step.topics:
            slugs = dict.fromkeys(s for tag in topic.tags for s in by_tag.get(tag, ()))
            covered[(step.title, topic.name)] = [site.post(s) for s in slugs]
    done = sum(s.count("done") for s in steps)
    total = sum(len(s.topics) for s in steps)
    return [Page(ROADMAP, "roadmap.html", {
        "title": "Learning roadmap", "steps": steps, "covered": covered, "done": done, "total": total,
        "description": f"{site.config.title}: what there is to learn, what is learnt, and the posts about it."})]
