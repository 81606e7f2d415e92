"""Every binding of the console that has an id: what the config file's [keymap] may rebind.

The bindings are read from the classes themselves (the app, and every screen and widget module),
so the list cannot drift from the keys; it imports every screen, so it is only called when a
config file has a [keymap].
"""

from __future__ import annotations

import pkgutil
from importlib import import_module

from textual.binding import Binding
from textual.dom import DOMNode

PACKAGES = ("screens", "widgets")


def _subclasses(cls: type[DOMNode]) -> list[type[DOMNode]]:
    found: list[type[DOMNode]] = []
    for sub in cls.__subclasses__():
        found += [sub, *_subclasses(sub)]
    return found


def console_bindings() -> dict[str, tuple[str, Binding]]:
    """Binding id -> (the class that declares it, the binding), in a stable order."""
    import_module("tui.app")
    for package in PACKAGES:
        root = import_module(package)
        for module in pkgutil.walk_packages(root.__path__, f"{package}."):
            import_module(module.name)
    owners = ("tui.", *(f"{package}." for package in PACKAGES))
    bindings: dict[str, tuple[str, Binding]] = {}
    for cls in sorted(set(_subclasses(DOMNode)), key=lambda c: (c.__module__, c.__qualname__)):
        if not cls.__module__.startswith(owners):
            continue
        for binding in cls.__dict__.get("BINDINGS", ()):
            if isinstance(binding, Binding) and binding.id:
                bindings.setdefault(binding.id, (cls.__qualname__, binding))
    return bindings


def binding_ids() -> frozenset[str]:
    return frozenset(console_bindings())
