"""The house's layer order, read from the source (every import, at the top of a module
or inside a function): a package imports only packages below it, and only Django's
``AppConfig.ready`` (which must) and the listed exceptions import inside a function.

From the top down (docs/decisions/0014-layers.md):

- the shell: navigation, start pages, help, the administration pages that read across
  apps, error pages, demo data;
- the features, each on the ones it builds on: money (finance) on reporting, reporting on
  case handling, case handling on the portal (applications), the portal on schemes; the
  register beside them;
- jobs; users and roles (accounts); the organisation register; the audit log;
- the foundation (core): mail, PDF, files, HTTP helpers, formatting, text, logging,
  middleware, decorators, forms, health;
- the rules core, which imports no Django at all.

A package lower down learns about those above through signals (casework/signals.py,
applications/signals.py) and registries filled when the apps are ready
(audit.display.describe, core.labels.mail_kinds_register, jobs.registry), never by
importing them.
"""

from __future__ import annotations

import ast
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent

# Bottom first. Packages on one line are peers: neither imports the other.
LAYERS: list[tuple[str, ...]] = [
    ("rules",),
    ("core",),
    ("audit",),
    ("organizations",),
    ("accounts",),
    ("jobs",),
    ("schemes",),
    ("register", "applications"),
    ("casework",),
    ("reporting",),
    ("finance",),
    ("shell",),
]
LEVEL = {package: level for level, packages in enumerate(LAYERS) for package in packages}

# Imports inside a function that stay, each with its reason (module, imported module).
LATE_IMPORTS = {
    # Celery is loaded only when settings choose it as the task backend.
    ("jobs.backends", "jobs.celery"),
}


def _packages() -> list[str]:
    return sorted(p.name for p in ROOT.iterdir()
                  if (p / "__init__.py").exists() and p.name not in ("tests", "tilskudd"))


def _modules():
    for package in _packages():
        for path in sorted((ROOT / package).rglob("*.py")):
            if "migrations" in path.parts:
                continue
            name = ".".join(path.relative_to(ROOT).with_suffix("").parts)
            yield name.removesuffix(".__init__"), path


def _resolve(module: str, node: ast.ImportFrom | ast.Import, is_package: bool) -> list[str]:
    if isinstance(node, ast.Import):
        return [alias.name for alias in node.names]
    if node.level == 0:
        return [node.module or ""]
    base = module.split(".")
    base = base if is_package else base[:-1]
    base = base[: len(base) - (node.level - 1)]
    target = ".".join([*base, node.module] if node.module else base)
    if node.module is None:  # from . import a, b
        return [f"{target}.{alias.name}" for alias in node.names]
    return [target]


def _imports():
    """(module, imported module, line, inside a function, inside AppConfig.ready)."""
    for module, path in _modules():
        tree = ast.parse(path.read_text(), filename=str(path))
        is_package = path.name == "__init__.py"

        def visit(node, function=None, *, module=module, is_package=is_package):
            for child in ast.iter_child_nodes(node):
                if isinstance(child, (ast.FunctionDef, ast.AsyncFunctionDef)):
                    yield from visit(child, function or child.name)
                elif isinstance(child, (ast.Import, ast.ImportFrom)):
                    for target in _resolve(module, child, is_package):
                        yield module, target, child.lineno, function
                else:
                    yield from visit(child, function)

        yield from visit(tree)


def _ours(target: str) -> str | None:
    top = target.split(".")[0]
    return top if top in LEVEL else None


def test_every_package_has_a_layer():
    assert set(_packages()) <= set(LEVEL), (
        f"give these packages a place in LAYERS: {sorted(set(_packages()) - set(LEVEL))}")


def test_no_import_goes_up_or_sideways():
    wrong = []
    for module, target, line, _function in _imports():
        source, imported = module.split(".")[0], _ours(target)
        if imported is None or imported == source:
            continue
        if LEVEL[imported] >= LEVEL[source]:
            wrong.append(f"{module}:{line} imports {target} "
                         f"({source} is not above {imported})")
    assert not wrong, "\n".join(wrong)


def test_the_rules_core_imports_no_django():
    wrong = [f"{module}:{line} imports {target}" for module, target, line, _f in _imports()
             if module.split(".")[0] == "rules" and target.split(".")[0] == "django"]
    assert not wrong, "\n".join(wrong)


def test_no_import_hides_inside_a_function():
    """A late import dodged a cycle; the cycles are gone, so the imports sit at the top.
    Django's ``AppConfig.ready`` is the exception: models load only when apps are ready."""
    late = []
    for module, target, line, function in _imports():
        if function is None or _ours(target) is None:
            continue
        if function == "ready" and module.endswith(".apps"):
            continue
        if (module, target) in LATE_IMPORTS:
            continue
        late.append(f"{module}:{line} imports {target} inside {function}()")
    assert not late, "\n".join(late)

