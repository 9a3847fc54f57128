"""The package drawn from its imports: stages one above the other, no import back up, no cycle, small modules."""

import ast
from collections import defaultdict
from pathlib import Path

PACKAGE = Path(__file__).resolve().parent.parent / "pricewar"

# The stages the data passes through, lowest first: a module imports its own stage or those below it, never one
# above. `price` (what a price is) is under everything; the CLI is on top.
STAGES = ("price", "sources", "history", "answers", "output", "api", "cli")
# Modules of the package's top that belong to no stage: the version (imported from anywhere), the data that ships
# (catalog/, no code) and `python -m`, which is the CLI.
OUTSIDE = {"pricewar": None, "pricewar.catalog": None, "pricewar.__main__": "cli"}
# A module past about LINES says why here.
LINES = 410
LONG = {
    "pricewar.sources.tables": "one reader of HTML and Markdown tables, kept whole so its rules read in order",
    # one module per source: a page's parser keeps every quirk of that page beside the rule it bends
    "pricewar.sources.providers.alibaba": "three layouts of one page, each proven on a recorded one",
    "pricewar.sources.providers.deepseek": "the English and Chinese pages, their layouts since 2024, peak and off-peak hours",
    "pricewar.sources.providers.google": "three renditions of the Gemini page, how each names the model a table prices",
}


def modules() -> dict[str, Path]:
    found = {}
    for path in sorted(PACKAGE.rglob("*.py")):
        parts = path.relative_to(PACKAGE.parent).with_suffix("").parts
        found[".".join(parts[:-1] if parts[-1] == "__init__" else parts)] = path
    return found


def imports(name: str, path: Path, known: set[str]) -> set[str]:
    """The pricewar modules `name` imports, at its top or inside a function."""
    package = name if path.name == "__init__.py" else name.rpartition(".")[0]
    found = set()
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.Import):
            found |= {alias.name for alias in node.names}
        elif isinstance(node, ast.ImportFrom):
            base = node.module or ""
            if node.level:
                base = ".".join(package.split(".")[: len(package.split(".")) - node.level + 1] + ([base] if base else []))
            # `from pricewar.history import database` imports the module pricewar.history.database
            found |= {f"{base}.{alias.name}" if f"{base}.{alias.name}" in known else base for alias in node.names}
    return {module for module in found if module in known and module != name}


def stage(name: str) -> str | None:
    if name in OUTSIDE:
        return OUTSIDE[name]
    return name.split(".")[1]


def graph() -> dict[str, set[str]]:
    found = modules()
    return {name: imports(name, path, set(found)) for name, path in found.items()}


def test_every_module_is_in_a_stage():
    assert {stage(name) for name in modules()} - {None} == set(STAGES)


def test_no_import_runs_back_up():
    upward = []
    for name, targets in graph().items():
        for target in targets:
            if stage(target) is not None and stage(name) is not None \
                    and STAGES.index(stage(target)) > STAGES.index(stage(name)):
                upward.append(f"{name} imports {target}")
    assert upward == []


def test_the_top_of_the_package_holds_only_the_version():
    assert "import" not in (PACKAGE / "__init__.py").read_text(encoding="utf-8")


def test_no_module_imports_itself_round_a_cycle():
    edges = graph()
    state: dict[str, str] = {}
    cycles = []

    def visit(name: str, path: list[str]) -> None:
        state[name] = "open"
        for target in sorted(edges[name]):
            if state.get(target) == "open":
                cycles.append(" -> ".join(path[path.index(target):] + [target]))
            elif target not in state:
                visit(target, path + [target])
        state[name] = "done"

    for name in sorted(edges):
        if name not in state:
            visit(name, [name])
    assert cycles == []


def test_modules_stay_small_or_say_why():
    long = {name: len(path.read_text(encoding="utf-8").splitlines()) for name, path in modules().items()}
    assert {name for name, lines in long.items() if lines > LINES} <= set(LONG)


def test_only_fetch_talks_to_the_network():
    importers = defaultdict(set)
    for name, path in modules().items():
        tree = ast.parse(path.read_text(encoding="utf-8"))
        for node in ast.walk(tree):
            if isinstance(node, ast.Import) and any(alias.name == "httpx" for alias in node.names) \
                    or isinstance(node, ast.ImportFrom) and node.module == "httpx":
                importers["httpx"].add(name)
    assert importers["httpx"] == {"pricewar.sources.fetch"}


def test_the_layout_test_sees_an_upward_import(tmp_path):
    path = tmp_path / "offers.py"
    path.write_text("from pricewar.output import render\nfrom pricewar.history import queries\n")
    known = {"pricewar.output", "pricewar.output.render", "pricewar.history", "pricewar.history.queries"}
    assert imports("pricewar.answers.offers", path, known) == {"pricewar.output.render", "pricewar.history.queries"}
