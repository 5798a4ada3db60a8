"""Checking a user's keymap against the workbench's bindings: ids that name no
binding (a typo) and keys that two bindings of one screen would then share.

Textual applies a keymap silently; its own clash report misses a remapped key
landing on a binding that keeps its default key, which is the common mistake.
"""

from __future__ import annotations

import importlib
import pkgutil
from collections.abc import Iterator, Mapping

from textual.binding import Binding
from textual.dom import DOMNode

from qualcode.tui import screens, widgets


def _node_classes(cls: type[DOMNode]) -> Iterator[type[DOMNode]]:
    for sub in cls.__subclasses__():
        yield sub
        yield from _node_classes(sub)


def keyed_classes() -> dict[type[DOMNode], list[Binding]]:
    """The workbench's app, screens and widgets with the bindings each declares. The
    screen and widget modules are imported first: most are only imported when used."""
    for package in (screens, widgets):
        for module in pkgutil.iter_modules(package.__path__):
            importlib.import_module(f"{package.__name__}.{module.name}")
    found: dict[type[DOMNode], list[Binding]] = {}
    for cls in _node_classes(DOMNode):
        if cls.__module__.startswith("qualcode.tui"):
            declared = [b for b in cls.__dict__.get("BINDINGS", ()) if isinstance(b, Binding)]
            if declared:
                found[cls] = declared
    return found


def binding_ids() -> set[str]:
    """The id of every binding the workbench declares."""
    return {b.id for bindings in keyed_classes().values() for b in bindings if b.id}


def keymap_problems(keymap: Mapping[str, str]) -> list[str]:
    """What is wrong with ``keymap`` (normalised key names, as ``App._keymap`` holds
    them), one sentence each."""
    classes = keyed_classes()
    known = {b.id for bindings in classes.values() for b in bindings if b.id}
    problems = [f"no key has the id {name}" for name in sorted(set(keymap) - known)]
    for cls, bindings in classes.items():
        holder: dict[str, str] = {}
        for binding in bindings:
            name = binding.id or binding.action
            keys = keymap.get(binding.id, binding.key) if binding.id else binding.key
            for key in (k.strip() for k in keys.split(",")):
                other = holder.setdefault(key, name)
                if other != name and (other in keymap or name in keymap):
                    problems.append(f"{other} and {name} would share {key} ({cls.__name__})")
    return problems
