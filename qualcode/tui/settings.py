"""The user's own settings file, read by the workbench: for now only the keymap.

``keymap`` maps a binding id (the help screen lists them) to the key or keys, comma
separated, that should run it instead of the default::

    keymap:
      find-passages: ctrl+f
      open-codebook: k

The file is optional. A file that cannot be used is reported once and the default
keys stay in force: a typo in a settings file must not lock anyone out of the app.
"""

from __future__ import annotations

import os
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path

import yaml

SETTINGS_ENV = "QUALCODE_SETTINGS"


def settings_path(environ: Mapping[str, str] = os.environ) -> Path:
    """``$QUALCODE_SETTINGS`` when set, else ``settings.yaml`` in the user's config folder."""
    if configured := environ.get(SETTINGS_ENV):
        return Path(configured).expanduser()
    from platformdirs import user_config_path

    return user_config_path("qualcode") / "settings.yaml"


@dataclass(frozen=True)
class UserSettings:
    keymap: dict[str, str] = field(default_factory=dict)
    problem: str | None = None  # why the file was not used, for one warning


def load_settings(path: Path) -> UserSettings:
    """The settings in ``path``; defaults (and the reason) when it is missing or unusable."""
    if not path.is_file():
        return UserSettings()
    try:
        loaded = yaml.safe_load(path.read_text("utf-8"))
    except (OSError, UnicodeDecodeError, yaml.YAMLError) as exc:
        reason = " ".join(str(exc).split())
        return UserSettings(problem=f"{path} cannot be read ({reason}); using the default keys")
    if loaded is None:
        return UserSettings()
    if not isinstance(loaded, dict):
        return UserSettings(
            problem=f"{path} must hold settings like `keymap:`; using the default keys"
        )
    keymap = loaded.get("keymap") or {}
    problem = _keymap_problem(keymap)
    if problem is not None:
        return UserSettings(problem=f"{path}: {problem}; using the default keys")
    return UserSettings(keymap={str(k): _keys(v) for k, v in keymap.items()})


def _keymap_problem(keymap: object) -> str | None:
    example = "write it as `keymap:` with lines like `find-passages: ctrl+f`"
    if not isinstance(keymap, dict):
        return f"keymap must map binding ids to keys; {example}"
    for binding_id, keys in keymap.items():
        if not isinstance(binding_id, str):
            return f"keymap: {binding_id!r} is not a binding id; {example}"
        listed = keys if isinstance(keys, list) else [keys]
        if not listed or not all(isinstance(key, str) and key.strip() for key in listed):
            return f"keymap: {binding_id} needs a key such as ctrl+f, not {keys!r}"
    return None


def _keys(value: str | list[str]) -> str:
    listed = value if isinstance(value, list) else value.split(",")
    return ",".join(key.strip() for key in listed)
