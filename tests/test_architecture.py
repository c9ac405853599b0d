"""The layout's rules, checked on the import graph (grimp) so a new upward import fails CI.

- Features depend one way: mywork → portal → billing → sprints → time → clients → attachments → boards → notifications
  → realtime → accounts → kernel → rules (each may import only those to its right); `server.tables` is the
  data model, under every feature and the kernel.
- Route modules (`pages`, `<topic>_pages`, `api`, `sockets`) are mounted by `server.app` and imported by
  nothing else: a helper that two features need lives in a store, writes, fragments or the kernel.
- `server.rules` is pure: no database, no web framework, nothing of ours but translations.
- `server.realtime` carries bytes: it renders nothing and knows no feature.
"""

from __future__ import annotations

import re
from functools import cache

import grimp
import pytest

LAYERS = [
    "server.imports",
    "server.mywork",
    "server.portal",
    "server.reports",
    "server.budgets",
    "server.billing",
    "server.sprints",
    "server.time",
    "server.clients",
    "server.attachments",
    "server.boards",
    "server.notifications",
    "server.realtime",
    "server.accounts",
    "server.kernel",
    "server.rules",
]
COMPOSITION = {"server.app", "server.asgi", "server.cli", "server.demo", "server.piccolo_app"}
ROUTE_MODULE = re.compile(r"^server\.\w+\.(\w+_)?(pages|api|sockets)$")
# What rules may use from the rest of Boardroom: translations only.
RULES_MAY_IMPORT = {"server.kernel.i18n"}


@cache
def graph() -> grimp.ImportGraph:
    return grimp.build_graph("server", "tasks", include_external_packages=True, cache_dir=None)


def layer_of(module: str) -> int | None:
    for index, layer in enumerate(LAYERS):
        if module == layer or module.startswith(layer + "."):
            return index
    return None


def ours(module: str) -> bool:
    return module.split(".")[0] in {"server", "tasks"}


def imports_of(module: str) -> set[str]:
    return {m for m in graph().find_modules_directly_imported_by(module) if ours(m)}


def test_features_import_only_downwards() -> None:
    upward = []
    for module in sorted(graph().modules):
        mine = layer_of(module)
        if mine is None:
            continue
        for imported in imports_of(module):
            theirs = layer_of(imported)
            if theirs is not None and theirs < mine and imported not in RULES_MAY_IMPORT:
                upward.append(f"{module} imports {imported}")
    assert upward == []


def test_nothing_but_the_app_imports_a_route_module() -> None:
    found = [
        f"{module} imports {imported}"
        for module in sorted(graph().modules)
        if ours(module) and module != "server.app"
        for imported in imports_of(module)
        if ROUTE_MODULE.match(imported)
    ]
    assert found == []


def test_every_route_module_is_mounted_by_the_app() -> None:
    from server.app import ROUTE_MODULES

    mounted = {module.__name__ for module in ROUTE_MODULES}
    route_modules = {m for m in graph().modules if ROUTE_MODULE.match(m)}
    assert mounted == route_modules


def test_no_feature_imports_the_composition_root() -> None:
    found = [
        f"{module} imports {imported}"
        for module in sorted(graph().modules)
        if layer_of(module) is not None or module.startswith("tasks")
        for imported in imports_of(module)
        if imported in COMPOSITION
    ]
    assert found == []


@pytest.mark.parametrize(
    "module", sorted(m for m in grimp.build_graph("server", cache_dir=None).modules if m.startswith("server.rules."))
)
def test_rules_are_pure(module: str) -> None:
    imported = graph().find_modules_directly_imported_by(module)
    io = {m for m in imported if m.split(".")[0] in {"piccolo", "litestar", "redis", "arq", "asyncpg", "aiosqlite"}}
    of_ours = {m for m in imported if ours(m) and not m.startswith("server.rules")} - RULES_MAY_IMPORT
    assert (io, of_ours) == (set(), set())


def test_realtime_renders_nothing_and_knows_no_feature() -> None:
    imported = {
        m
        for module in graph().modules
        if module.startswith("server.realtime")
        for m in graph().find_modules_directly_imported_by(module)
    }
    assert {m for m in imported if m.startswith(("jinja2", "server.kernel.templating", "litestar.response"))} == set()
    features = {m for m in imported if (layer_of(m) or 99) < LAYERS.index("server.realtime")}
    assert features == set()
