"""The YAML codebook: load and validate with file:line errors, and dump.

The YAML file is the readable form of a codebook (see docs/codebook.md). Loading is
strict because a silently misread codebook means wrongly coded data: duplicate keys,
unknown fields, wrong types, bad colours, clashing hotkeys, anchors and aliases (a
"billion laughs" vector) and files over 1 MB are all refused with the line they are on.
Codes nest under ``children:`` or name a ``parent:``; both forms may be mixed.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import yaml

from qualcode.domain.errors import InvalidInput
from qualcode.domain.records import TRANSLATED_FIELDS

MAX_BYTES = 1024 * 1024
# a letter or digit of any script (å, ä, ö, ø, ß…), then letters, digits, '.', '_',
# '-'; checked on the NFC form, which is how keys are stored and queried
KEY_RE = re.compile(r"^[^\W_][\w.-]{0,99}$")
COLOR_RE = re.compile(r"^#[0-9a-fA-F]{6}$")
CODE_FIELDS = {
    "key",
    "name",
    "definition",
    "include",
    "exclude",
    "example",
    "color",
    "colour",
    "hotkey",
    "patterns",
    "exclusive",
    "children",
    "parent",
    "retired",
}
TOP_FIELDS = {"codebook", "version", "language", "codes", "description"}
# keys a code may take as its hotkey; the TUI keeps the other letters for its commands
CODE_HOTKEYS = "1234567890adeghklorvyz"


def check_key(key: object) -> str | None:
    """Why ``key`` is not a valid code key, or None."""
    if not isinstance(key, str) or not KEY_RE.match(unicodedata.normalize("NFC", key)):
        return (
            f"code key {key!r} may only use letters (of any alphabet), digits, '.', '_', '-', "
            "and starts with a letter or digit"
        )
    return None


def check_color(color: object, owner: str = "") -> str | None:
    """Why ``color`` is not a ``#rrggbb`` colour (of the code ``owner``), or None."""
    if color is not None and (not isinstance(color, str) or not COLOR_RE.match(color)):
        return f"colour {color!r}{f' of {owner}' if owner else ''} is not of the form '#rrggbb'"
    return None


def check_hotkey(hotkey: object, owner: str = "") -> str | None:
    """Why ``hotkey`` is not a single character (of the code ``owner``), or None."""
    if hotkey is None:
        return None
    of = f" of {owner}" if owner else ""
    if not isinstance(hotkey, str) or len(hotkey) != 1:
        return f"hotkey {hotkey!r}{of} must be one character"
    if hotkey not in CODE_HOTKEYS:
        return (
            f"hotkey {hotkey!r}{of} is kept for a command in the coding screen; "
            f"use one of {' '.join(CODE_HOTKEYS)}"
        )
    return None


class CodebookError(InvalidInput):
    """A codebook problem, with ``file:line:`` in front of the message."""


@dataclass(frozen=True)
class CodeSpec:
    key: str
    parent_key: str | None
    name: str
    labels: dict[str, str]
    definition: str | None = None
    include: str | None = None
    exclude: str | None = None
    example: str | None = None
    # field -> language -> text, for the fields given per language (see records.Code)
    translations: dict[str, dict[str, str]] = field(default_factory=dict)
    color: str | None = None
    hotkey: str | None = None
    patterns: tuple[str, ...] = ()
    exclusive: bool = False
    retired: bool = False
    line: int = field(default=0, compare=False)


@dataclass(frozen=True)
class Codebook:
    title: str
    version: int | None
    language: str
    codes: tuple[CodeSpec, ...] = field(default_factory=tuple)
    titles: dict[str, str] = field(default_factory=dict)  # the title per language, if given

    def title_in(self, language: str) -> str:
        return self.titles.get(language, self.title)

    def by_key(self) -> dict[str, CodeSpec]:
        return {code.key: code for code in self.codes}


def load_codebook(path: str | Path) -> Codebook:
    path = Path(path)
    try:
        data = path.read_bytes()
    except OSError as exc:
        raise InvalidInput(f"cannot read codebook {path}: {exc.strerror}") from exc
    if len(data) > MAX_BYTES:
        raise CodebookError(f"{path}: codebook is larger than 1 MB; refused")
    try:
        source = data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        raise CodebookError(f"{path}: not UTF-8 text (byte {exc.start})") from exc
    return parse_codebook(source, str(path))


# How many levels codes may nest (a top-level code is level 1). Real codebooks use
# three or four; the YAML reader and writer recurse once per level, so a bound keeps
# them far from Python's recursion limit (docs/decisions.md).
MAX_CODE_DEPTH = 16
# YAML collections per code level: the children list and the code's mapping, plus
# the top mapping, the codes list and a code's name labels
_MAX_YAML_NESTING = 2 * MAX_CODE_DEPTH + 4


def _check_yaml_nesting(source: str, name: str) -> None:
    """Refuse nesting deeper than any codebook needs before PyYAML's composer, which
    recurses once per level, builds the tree (parsing events is iterative)."""
    depth = 0
    try:
        for event in yaml.parse(source, Loader=yaml.SafeLoader):
            if isinstance(event, yaml.CollectionStartEvent):
                depth += 1
                if depth > _MAX_YAML_NESTING:
                    line = event.start_mark.line + 1 if event.start_mark else 0
                    raise CodebookError(
                        f"{name}:{line}: codes nest deeper than {MAX_CODE_DEPTH} levels; "
                        "flatten the codebook"
                    )
            elif isinstance(event, yaml.CollectionEndEvent):
                depth -= 1
    except yaml.YAMLError:
        return  # compose reports it with its line


def parse_codebook(source: str, name: str = "<codebook>") -> Codebook:
    _check_yaml_nesting(source, name)
    try:
        root = yaml.compose(source, Loader=yaml.SafeLoader)
    except yaml.MarkedYAMLError as exc:
        mark = exc.problem_mark or exc.context_mark
        line = mark.line + 1 if mark else 0
        raise CodebookError(f"{name}:{line}: not valid YAML: {exc.problem}") from exc
    except yaml.reader.ReaderError as exc:
        line = source.count("\n", 0, max(exc.position, 0)) + 1
        raise CodebookError(
            f"{name}:{line}: not valid YAML: character {exc.character!r} is not allowed"
        ) from exc
    except yaml.YAMLError as exc:
        raise CodebookError(f"{name}: not valid YAML ({exc})") from exc
    return _Reader(name).codebook(root)


class _Reader:
    """Walks the composed YAML nodes so every error can name its line."""

    def __init__(self, name: str) -> None:
        self.name = name
        self.codes: list[CodeSpec] = []
        self.hotkeys: dict[str, str] = {}

    def fail(self, node: yaml.Node | None, message: str) -> CodebookError:
        line = node.start_mark.line + 1 if node is not None else 1
        return CodebookError(f"{self.name}:{line}: {message}")

    def mapping(self, node: yaml.Node, what: str) -> dict[str, tuple[yaml.Node, yaml.Node]]:
        if not isinstance(node, yaml.MappingNode):
            raise self.fail(node, f"{what} must be a mapping")
        result: dict[str, tuple[yaml.Node, yaml.Node]] = {}
        for key_node, value_node in node.value:
            if not isinstance(key_node, yaml.ScalarNode):
                raise self.fail(key_node, f"keys of {what} must be plain names")
            if key_node.value in result:
                raise self.fail(key_node, f"duplicate key {key_node.value!r} in {what}")
            result[key_node.value] = (key_node, value_node)
        return result

    def scalar(self, node: yaml.Node, what: str, kind: type = str) -> Any:
        if not isinstance(node, yaml.ScalarNode):
            raise self.fail(node, f"{what} must be a single value, not a list or mapping")
        value = (
            yaml.safe_load(yaml.serialize(node))
            if node.tag != "tag:yaml.org,2002:str"
            else node.value
        )
        if kind is str and value is not None and not isinstance(value, str):
            value = str(value)
        if kind is int and (not isinstance(value, int) or isinstance(value, bool)):
            raise self.fail(node, f"{what} must be a whole number, not {node.value!r}")
        if kind is bool and not isinstance(value, bool):
            raise self.fail(node, f"{what} must be true or false, not {node.value!r}")
        return value

    def codebook(self, root: yaml.Node | None) -> Codebook:
        if root is None:
            raise CodebookError(f"{self.name}:1: the codebook is empty")
        self._no_aliases(root)
        top = self.mapping(root, "the codebook")
        for key, (key_node, _) in top.items():
            if key not in TOP_FIELDS:
                raise self.fail(
                    key_node,
                    f"unknown field {key!r} (expected one of {', '.join(sorted(TOP_FIELDS))})",
                )
        if "codes" not in top:
            raise self.fail(root, "the codebook has no 'codes:' list")
        language = self.scalar(top["language"][1], "language") if "language" in top else "en"
        title, titles = "Codebook", {}
        if "codebook" in top and isinstance(top["codebook"][1], yaml.MappingNode):
            titles = self.labels(top["codebook"][1], "the codebook's title")
            title = titles.get(str(language)) or next(iter(titles.values()), title)
        elif "codebook" in top:
            title = self.scalar(top["codebook"][1], "codebook") or title
        version = self.scalar(top["version"][1], "version", int) if "version" in top else None
        codes_node = top["codes"][1]
        if not isinstance(codes_node, yaml.SequenceNode):
            raise self.fail(codes_node, "'codes' must be a list of codes")
        for item in codes_node.value:
            self.code(item, None, language)
        self._check_parents()
        return Codebook(str(title), version, str(language), tuple(self.codes), titles)

    def _no_aliases(self, root: yaml.Node) -> None:
        seen: set[int] = set()
        stack = [root]
        while stack:
            node = stack.pop()
            if id(node) in seen:
                raise self.fail(node, "anchors and aliases are not allowed in a codebook")
            seen.add(id(node))
            if isinstance(node, yaml.MappingNode):
                for k, v in node.value:
                    stack.extend((k, v))
            elif isinstance(node, yaml.SequenceNode):
                stack.extend(node.value)

    def text(self, fields: dict[str, tuple[yaml.Node, yaml.Node]], name: str) -> str | None:
        if name not in fields:
            return None
        node = fields[name][1]
        if isinstance(node, yaml.MappingNode):
            labels = self.labels(node, name)
            return next(iter(labels.values())) if labels else None
        value = self.scalar(node, name)
        return value.strip() if isinstance(value, str) else value

    def translated(
        self, fields: dict[str, tuple[yaml.Node, yaml.Node]], name: str, key: str, language: str
    ) -> tuple[str | None, dict[str, str]]:
        """A field that may be given per language (``{sv: …, en: …}``): its text in the
        codebook's ``language`` (else the first given) and every language's text."""
        if name not in fields:
            return None, {}
        node = fields[name][1]
        if isinstance(node, yaml.MappingNode):
            texts = self.labels(node, f"{name} of {key}")
            return texts.get(language) or next(iter(texts.values()), None), texts
        return self.text(fields, name), {}

    def labels(self, node: yaml.Node, what: str) -> dict[str, str]:
        result = {}
        for lang, (lang_node, value_node) in self.mapping(node, what).items():
            if not re.fullmatch(r"[a-z]{2,3}", lang):
                raise self.fail(lang_node, f"{lang!r} is not a language code like 'sv' or 'en'")
            value = self.scalar(value_node, f"{what}.{lang}")
            if not value:
                raise self.fail(value_node, f"{what}.{lang} is empty")
            result[lang] = str(value).strip()
        return result

    def code(self, node: yaml.Node, parent: str | None, language: str) -> None:
        fields = self.mapping(node, "a code")
        for key, (key_node, _) in fields.items():
            if key not in CODE_FIELDS:
                raise self.fail(key_node, f"unknown field {key!r} in a code")
        if "key" not in fields:
            raise self.fail(node, "a code has no 'key'")
        key_node = fields["key"][1]
        key = self.scalar(key_node, "key")
        if isinstance(key, str):
            key = unicodedata.normalize("NFC", key)
        if problem := check_key(key):
            raise self.fail(key_node, problem)
        if any(code.key == key for code in self.codes):
            raise self.fail(key_node, f"code key {key!r} is used twice")
        if "name" not in fields:
            raise self.fail(node, f"code {key} has no 'name'")
        name_node = fields["name"][1]
        if isinstance(name_node, yaml.MappingNode):
            labels = self.labels(name_node, f"name of {key}")
            name = labels.get(language) or next(iter(labels.values()))
        else:
            name = str(self.scalar(name_node, f"name of {key}") or "").strip()
            labels = {}
            if not name:
                raise self.fail(name_node, f"code {key} has an empty name")
        texts = {part: self.translated(fields, part, key, language) for part in TRANSLATED_FIELDS}
        definition = texts["definition"][0]
        if not definition:
            raise self.fail(node, f"code {key} has no 'definition'")
        color_field = "color" if "color" in fields else "colour"
        color = self.text(fields, color_field)
        if problem := check_color(color, key):
            raise self.fail(fields[color_field][1], problem)
        hotkey = self.text(fields, "hotkey")
        if hotkey is not None:
            if problem := check_hotkey(hotkey, key):
                raise self.fail(fields["hotkey"][1], problem)
            if hotkey in self.hotkeys:
                raise self.fail(
                    fields["hotkey"][1],
                    f"hotkey {hotkey!r} is on both {self.hotkeys[hotkey]} and {key}",
                )
            self.hotkeys[hotkey] = key
        patterns: tuple[str, ...] = ()
        if "patterns" in fields:
            pnode = fields["patterns"][1]
            if not isinstance(pnode, yaml.SequenceNode):
                raise self.fail(pnode, f"patterns of {key} must be a list of strings")
            patterns = tuple(str(self.scalar(p, f"a pattern of {key}")) for p in pnode.value)
        if "parent" in fields:
            if parent is not None:
                raise self.fail(
                    fields["parent"][0],
                    f"code {key} is nested under {parent} and also names a parent",
                )
            parent = self.scalar(fields["parent"][1], f"parent of {key}")
        exclusive = (
            self.scalar(fields["exclusive"][1], "exclusive", bool)
            if "exclusive" in fields
            else False
        )
        retired = (
            self.scalar(fields["retired"][1], "retired", bool) if "retired" in fields else False
        )
        self.codes.append(
            CodeSpec(
                key=key,
                parent_key=parent,
                name=name,
                labels=labels,
                definition=definition,
                include=texts["include"][0],
                exclude=texts["exclude"][0],
                example=texts["example"][0],
                translations={part: found for part, (_, found) in texts.items() if found},
                color=color,
                hotkey=hotkey,
                patterns=patterns,
                exclusive=exclusive,
                retired=retired,
                line=key_node.start_mark.line + 1,
            )
        )
        if "children" in fields:
            children = fields["children"][1]
            if isinstance(children, yaml.ScalarNode) and children.tag.endswith(":null"):
                return  # an empty "children:" left behind after moving codes out
            if not isinstance(children, yaml.SequenceNode):
                raise self.fail(children, f"children of {key} must be a list of codes")
            for child in children.value:
                self.code(child, key, language)

    def _check_parents(self) -> None:
        keys = {code.key: code for code in self.codes}
        for code in self.codes:
            if code.parent_key is not None and code.parent_key not in keys:
                raise CodebookError(
                    f"{self.name}:{code.line}: code {code.key} names unknown parent "
                    f"{code.parent_key!r}"
                )
        for code in self.codes:
            seen = {code.key}
            parent = code.parent_key
            while parent is not None:
                if parent in seen:
                    raise CodebookError(
                        f"{self.name}:{code.line}: code {code.key} is its own ancestor "
                        f"(a cycle through {parent})"
                    )
                seen.add(parent)
                parent = keys[parent].parent_key
            if len(seen) > MAX_CODE_DEPTH:
                raise CodebookError(
                    f"{self.name}:{code.line}: code {code.key} is {len(seen)} levels deep; "
                    f"codes nest at most {MAX_CODE_DEPTH} levels"
                )


def depth_of(parent_of: dict[str, str | None], key: str) -> int:
    """The level of ``key`` in a tree given as key -> parent key (1 at the top)."""
    depth, seen, current = 1, {key}, parent_of.get(key)
    while current is not None and current not in seen:
        seen.add(current)
        depth += 1
        current = parent_of.get(current)
    return depth


def dump_codebook(codebook: Codebook) -> str:
    """The codebook as nested YAML in the shape ``load_codebook`` reads."""
    children: dict[str | None, list[CodeSpec]] = {}
    for code in codebook.codes:
        children.setdefault(code.parent_key, []).append(code)
    parent_of = {code.key: code.parent_key for code in codebook.codes}
    for code in codebook.codes:
        if depth_of(parent_of, code.key) > MAX_CODE_DEPTH:
            raise CodebookError(
                f"code {code.key} is nested deeper than {MAX_CODE_DEPTH} levels; move it "
                "up before exporting"
            )

    def node(code: CodeSpec) -> dict[str, Any]:
        out: dict[str, Any] = {"key": code.key, "name": code.labels or code.name}
        for name in ("definition", "include", "exclude", "example", "color", "hotkey"):
            value = code.translations.get(name) or getattr(code, name)
            if value:
                out[name] = dict(value) if isinstance(value, Mapping) else value
        if code.patterns:
            out["patterns"] = list(code.patterns)
        if code.exclusive:
            out["exclusive"] = True
        if code.retired:
            out["retired"] = True
        if children.get(code.key):
            out["children"] = [node(child) for child in children[code.key]]
        return out

    document = {
        "codebook": codebook.titles or codebook.title,
        "version": codebook.version,
        "language": codebook.language,
        "codes": [node(code) for code in children.get(None, [])],
    }
    if codebook.version is None:
        del document["version"]
    return yaml.safe_dump(document, allow_unicode=True, sort_keys=False, width=88)
