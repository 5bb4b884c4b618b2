"""The package tree reads like the pipeline, and imports flow one way: commands → build → stages → core.

Each package may import only from packages in lower layers and from its own modules;
the module graph has no cycles. A new module that imports upward fails here.
"""

from __future__ import annotations

import ast
from pathlib import Path

import stufen

PACKAGE = Path(stufen.__file__).parent

# Lowest first. A module may import its own package and anything in a lower layer.
LAYERS = [
    {"errors", "dates", "slugs", "routes", "model", "theme", "config", "report", "__init__"},
    {"output"},
    {"incremental"},
    {"markdown"},
    {"load"},
    {"site"},
    {"render"},
    {"extras"},
    {"build"},
    {"serve", "commands"},
    {"cli"},
    {"__main__"},
]
LAYER = {name: level for level, names in enumerate(LAYERS) for name in names}
CORE = LAYERS[0]


def module_name(path: Path) -> str:
    parts = list(path.relative_to(PACKAGE).with_suffix("").parts)
    return ".".join(parts)


def unit(module: str) -> str:
    """The layer unit a module belongs to: its package, or the core module itself."""
    return module.split(".")[0]


def imports(path: Path) -> set[str]:
    """Every stufen module `path` imports, at top level or inside functions, as dotted names under stufen."""
    module = module_name(path)
    package = module.split(".")[:-1] if path.name != "__init__.py" else module.split(".")
    found = set()
    tree = ast.parse(path.read_text(encoding="utf-8"))
    typing_only = {id(inner) for node in ast.walk(tree) if isinstance(node, ast.If)
                   and isinstance(node.test, ast.Name) and node.test.id == "TYPE_CHECKING"
                   for inner in ast.walk(node)}  # annotations only: never run, so no arrow
    for node in ast.walk(tree):
        if id(node) in typing_only:
            continue
        if isinstance(node, ast.ImportFrom):
            if node.level:
                base = package[: len(package) - node.level + 1]
                target = ".".join([*base, *(node.module.split(".") if node.module else [])])
            elif node.module and node.module.startswith("stufen"):
                target = node.module.removeprefix("stufen").lstrip(".")
            else:
                continue
            names = [alias.name for alias in node.names]
            for name in names:
                candidate = f"{target}.{name}" if target else name
                found.add(candidate if _exists(candidate) else target or "__init__")
        elif isinstance(node, ast.Import):
            for alias in node.names:
                if alias.name.startswith("stufen."):
                    found.add(alias.name.removeprefix("stufen."))
    return {name for name in found if name}


def _exists(dotted: str) -> bool:
    path = PACKAGE.joinpath(*dotted.split("."))
    return path.with_suffix(".py").is_file() or (path / "__init__.py").is_file()


def graph() -> dict[str, set[str]]:
    return {module_name(path): imports(path) for path in PACKAGE.rglob("*.py")}


def test_every_module_is_in_a_layer():
    unknown = {module for module in graph() if unit(module) not in LAYER}
    assert not unknown, f"add these to LAYERS: {sorted(unknown)}"


def test_no_upward_imports():
    upward = []
    for module, targets in graph().items():
        for target in targets:
            here, there = unit(module), unit(target)
            if here != there and LAYER[there] >= LAYER[here] and not (here in CORE and there in CORE):
                upward.append(f"{module} → {target}")
    assert not upward, "\n".join(sorted(upward))


def test_no_import_cycles():
    edges = graph()
    state: dict[str, int] = {}
    cycles = []

    def visit(node: str, path: list[str]) -> None:
        state[node] = 1
        for target in sorted(edges.get(node, ())):
            if target not in edges:
                continue
            if state.get(target) == 1:
                cycles.append(" → ".join([*path[path.index(target):], target]))
            elif target not in state:
                visit(target, [*path, target])
        state[node] = 2

    for node in sorted(edges):
        if node not in state:
            visit(node, [node])
    assert not cycles, "\n".join(cycles)


def test_root_package_stays_thin():
    modules = [p.name for p in PACKAGE.glob("*.py")]
    assert len(modules) <= 12, sorted(modules)


def test_no_module_grows_into_a_hub():
    long = {module_name(p): n for p in PACKAGE.rglob("*.py") if (n := len(p.read_text().splitlines())) > 350}
    assert not long, long


def test_build_imports_only_stages_and_core():
    allowed = {name for name, level in LAYER.items() if level < LAYER["build"]}
    assert {unit(target) for target in imports(PACKAGE / "build.py")} <= allowed
