"""The retrieval query language: ``ACT.WAIT OVERLAPS DISC.STRUCT AND role:participant``.

One language serves ``qualcode quotes QUERY`` and the TUI. This module only turns text
into an immutable syntax tree and back (:func:`parse`, :func:`to_text`); what a term
selects (a group key includes its descendants, a speaker label is looked up, a lemma is
matched) is the evaluator's job, because only it knows the codebook and the data. The
user's reference is ``docs/query.md``.

Grammar, loosest binding first (``NEAR/N`` is written as one token)::

    query    = or_expr END
    or_expr  = and_expr { ("OR" | "|") and_expr }
    and_expr = not_expr { ("AND" | "&") not_expr }
    not_expr = ("NOT" | "!" | "-") not_expr | co_expr
    co_expr  = primary [ ("OVERLAPS" | "NEAR/N") primary ]
    primary  = CODE_KEY | field ":" value | "attr" ":" value COMPARISON value
             | "(" or_expr ")"
    value    = WORD | STRING

Keywords and field names are case-insensitive. ``OVERLAPS`` and ``NEAR/N`` bind tightest
and do not chain: ``A OVERLAPS B NEAR/2 C`` is refused rather than guessed.
"""

from __future__ import annotations

import difflib
import re
import unicodedata
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import date
from typing import Literal, TypeAlias, cast, get_args

from qualcode.domain.errors import QualcodeError
from qualcode.domain.records import SPEAKER_ROLES, TRANSCRIPT_MODES

# ---------------------------------------------------------------------------- syntax tree

FilterField = Literal["speaker", "role", "transcript", "mode", "coder"]
Comparison = Literal["=", "!=", "<", "<=", ">", ">="]

FILTER_FIELDS: tuple[str, ...] = get_args(FilterField)
COMPARISONS: tuple[str, ...] = get_args(Comparison)
FIELDS: tuple[str, ...] = tuple(sorted((*FILTER_FIELDS, "attr", "code", "lemma", "text")))
KEYWORDS: frozenset[str] = frozenset({"and", "or", "not", "overlaps", "near"})


@dataclass(frozen=True, slots=True)
class Code:
    """Passages coded ``key`` (a code or a group key; the evaluator adds descendants)."""

    key: str


@dataclass(frozen=True, slots=True)
class Filter:
    """``field:value`` for the fields that name one thing: a speaker label, a speaker
    role, a transcript (title or id), an interview mode or a coder."""

    field: FilterField
    value: str


@dataclass(frozen=True, slots=True)
class Attr:
    """``attr:name<op>value``: a transcript or case attribute compared with a value.

    ``value`` stays text; the evaluator compares it with the attribute's typed value.
    Ordering comparisons are only parsed with a number or a ``YYYY-MM-DD`` date.
    """

    name: str
    op: Comparison
    value: str


@dataclass(frozen=True, slots=True)
class Phrase:
    """``text:"på is"``: passages containing the words of ``text`` in this order."""

    text: str


@dataclass(frozen=True, slots=True)
class Lemma:
    """``lemma:vänta``: passages with a word whose lemma is ``lemma``."""

    lemma: str


@dataclass(frozen=True, slots=True)
class Not:
    operand: Query


@dataclass(frozen=True, slots=True)
class And:
    """All of ``operands`` (two or more). Parentheses are kept as nesting, never
    flattened, so that :func:`to_text` gives back the same tree."""

    operands: tuple[Query, ...]

    def __post_init__(self) -> None:
        if len(self.operands) < 2:
            raise ValueError("And needs at least two operands")


@dataclass(frozen=True, slots=True)
class Or:
    """Any of ``operands`` (two or more); nesting as for :class:`And`."""

    operands: tuple[Query, ...]

    def __post_init__(self) -> None:
        if len(self.operands) < 2:
            raise ValueError("Or needs at least two operands")


@dataclass(frozen=True, slots=True)
class Overlaps:
    """Passages where something ``left`` matches and something ``right`` matches overlap."""

    left: Query
    right: Query


@dataclass(frozen=True, slots=True)
class Near:
    """``left`` and ``right`` within ``distance`` sentences of each other (0 = the same
    sentence), in either order."""

    left: Query
    right: Query
    distance: int

    def __post_init__(self) -> None:
        if self.distance < 0:
            raise ValueError("Near needs a distance of 0 or more sentences")


Query: TypeAlias = Code | Filter | Attr | Phrase | Lemma | Not | And | Or | Overlaps | Near


def walk(node: Query) -> Iterator[Query]:
    """``node`` and every node below it, parents before children."""
    yield node
    match node:
        case Not(operand):
            yield from walk(operand)
        case And(operands) | Or(operands):
            for operand in operands:
                yield from walk(operand)
        case Overlaps(left, right) | Near(left, right, _):
            yield from walk(left)
            yield from walk(right)


def code_keys(node: Query) -> set[str]:
    """The code and group keys the query names, for the caller to check against the
    codebook (this module does not know it)."""
    return {sub.key for sub in walk(node) if isinstance(sub, Code)}


# ---------------------------------------------------------------------------- errors


class QuerySyntaxError(QualcodeError):
    """A query that cannot be parsed; ``column`` (1-based, in characters of ``query``)
    is where the problem is, and the message starts with it."""

    def __init__(self, query: str, column: int, reason: str) -> None:
        super().__init__(f"column {column}: {reason}")
        self.query = query
        self.column = column
        self.reason = reason

    def pointer(self) -> str:
        """The query's line holding the column and a caret line under it::

        ACT.WAIT AND
                    ^
        """
        index = self.column - 1
        line_start = self.query.rfind("\n", 0, index) + 1
        line_end = self.query.find("\n", index)
        line = self.query[line_start : line_end if line_end >= 0 else len(self.query)]
        # The caret must line up in a terminal: tabs are copied, accents take no cell
        # and wide (CJK) characters take two.
        pad = "".join(_pad(ch) for ch in self.query[line_start:index])
        return f"{line}\n{pad}^"


def _pad(ch: str) -> str:
    if ch == "\t":
        return "\t"
    if unicodedata.combining(ch):
        return ""
    return "  " if unicodedata.east_asian_width(ch) in "WF" else " "


# ---------------------------------------------------------------------------- tokenizer

TokenKind = Literal["word", "string", "near", "and", "or", "not", "(", ")", ":", "cmp", "end"]

_SYMBOLS: dict[str, TokenKind] = {
    "&": "and",
    "|": "or",
    "!": "not",
    "-": "not",
    "(": "(",
    ")": ")",
    ":": ":",
}
_CURLY_QUOTES = "“”„‟«»‘’‚‛"


@dataclass(frozen=True, slots=True)
class _Token:
    kind: TokenKind
    text: str  # as typed
    column: int
    value: str = ""  # a word's or a string's content
    distance: int = 0  # NEAR/N


def _word_start(ch: str) -> bool:
    return ch.isalnum()


def _word_part(ch: str) -> bool:
    # Combining marks keep a decomposed "vänta" (as some terminals send it) one word.
    return ch.isalnum() or ch in "._-" or unicodedata.category(ch).startswith("M")


def _is_word(text: str) -> bool:
    """Whether ``text`` can be written without quotes (as a code key or a value)."""
    return bool(text) and _word_start(text[0]) and all(_word_part(ch) for ch in text)


def _tokenize(query: str) -> list[_Token]:
    tokens: list[_Token] = []
    i, n = 0, len(query)
    while i < n:
        ch = query[i]
        column = i + 1
        if ch.isspace():
            i += 1
        elif ch == '"':
            value, i = _read_string(query, i)
            tokens.append(_Token("string", query[column - 1 : i], column, value))
        elif ch in "<>=" or query.startswith("!=", i):
            end = i
            while end < n and query[end] in "<>=!":
                end += 1
            op = query[i:end]
            if op not in COMPARISONS:
                raise QuerySyntaxError(
                    query, column, f"unknown comparison '{op}'; use one of {' '.join(COMPARISONS)}"
                )
            tokens.append(_Token("cmp", op, column, op))
            i = end
        elif ch in _SYMBOLS:
            tokens.append(_Token(_SYMBOLS[ch], ch, column))
            i += 1
        elif _word_start(ch):
            end = i + 1
            while end < n and _word_part(query[end]):
                end += 1
            # a trailing * makes a search word a prefix (text:placer*)
            while end < n and query[end] == "*":
                end += 1
            word = query[i:end]
            if word.casefold() == "near" and query.startswith("/", end):
                digits = end + 1
                while digits < n and query[digits] in "0123456789":
                    digits += 1
                if digits == end + 1 or (digits < n and _word_part(query[digits])):
                    raise QuerySyntaxError(
                        query, end + 2, "expected a number of sentences after NEAR/ (e.g. NEAR/2)"
                    )
                tokens.append(
                    _Token("near", query[i:digits], column, distance=int(query[end + 1 : digits]))
                )
                end = digits
            else:
                tokens.append(_Token("word", word, column, word))
            i = end
        elif ch in _CURLY_QUOTES:
            raise QuerySyntaxError(
                query, column, f"unexpected '{ch}'; quote with straight double quotes \"…\""
            )
        else:
            raise QuerySyntaxError(query, column, f"unexpected character '{ch}'")
    # An error at the end points just after the last character typed, not at
    # trailing spaces the user cannot see.
    tokens.append(_Token("end", "", len(query.rstrip()) + 1))
    return tokens


def _read_string(query: str, start: int) -> tuple[str, int]:
    """The content of the string opening at ``start`` and the index after it."""
    chars: list[str] = []
    i = start + 1
    while i < len(query):
        ch = query[i]
        if ch == '"':
            return "".join(chars), i + 1
        if ch == "\\" and i + 1 < len(query):
            escaped = query[i + 1]
            if escaped not in '"\\':
                raise QuerySyntaxError(
                    query,
                    i + 1,
                    f"unknown escape '\\{escaped}'; inside quotes only \\\" and \\\\ are escapes",
                )
            chars.append(escaped)
            i += 2
        else:
            chars.append(ch)
            i += 1
    raise QuerySyntaxError(query, start + 1, "this string has no closing '\"'")


# ---------------------------------------------------------------------------- parser


def parse(query: str) -> Query:
    """The syntax tree of ``query``; raises :class:`QuerySyntaxError`.

    Code keys and values are NFC-normalised like transcript text, so that a decomposed
    "ä" typed in a terminal still matches; role and mode values are lower-cased.
    """
    return _Parser(query).parse()


_TERM = "a code key, a filter or '('"

# How deeply parentheses and NOTs may nest, together. Real queries use a handful; the
# parser, walk(), to_text() and evaluation recurse once per level, so a bound far
# below Python's recursion limit keeps every one of them safe (docs/decisions.md).
MAX_QUERY_DEPTH = 50


class _Parser:
    """Recursive descent over the token list, one method per grammar rule."""

    def __init__(self, query: str) -> None:
        self.query = query
        self.tokens = _tokenize(query)
        self.index = 0
        self.depth = 0

    # -- token access

    def peek(self) -> _Token:
        return self.tokens[self.index]

    def kind(self, token: _Token | None = None) -> str:
        """The token's role in the grammar: a word spelled like a keyword is that
        operator (in value position :meth:`value` takes it as a word again). A bare
        NEAR word shares the kind of NEAR/N so that :meth:`check_near` can explain it."""
        if token is None:
            token = self.peek()
        if token.kind == "word" and token.value.casefold() in KEYWORDS:
            return token.value.casefold()
        return token.kind

    def advance(self) -> _Token:
        token = self.tokens[self.index]
        self.index += 1
        return token

    def previous(self) -> _Token | None:
        return self.tokens[self.index - 1] if self.index else None

    def error(self, token: _Token, reason: str) -> QuerySyntaxError:
        return QuerySyntaxError(self.query, token.column, reason)

    # -- grammar

    def parse(self) -> Query:
        if self.peek().kind == "end":
            raise self.error(
                self.peek(), "the query is empty; write a code key such as ACT.WAIT or a filter"
            )
        node = self.or_expr()
        if self.peek().kind != "end":
            raise self.unexpected_after_term(self.peek())
        return node

    def or_expr(self) -> Query:
        operands = [self.and_expr()]
        while self.kind() == "or":
            self.advance()
            operands.append(self.and_expr())
        return operands[0] if len(operands) == 1 else Or(tuple(operands))

    def and_expr(self) -> Query:
        operands = [self.not_expr()]
        while self.kind() == "and":
            self.advance()
            operands.append(self.not_expr())
        return operands[0] if len(operands) == 1 else And(tuple(operands))

    def deeper(self, token: _Token) -> None:
        self.depth += 1
        if self.depth > MAX_QUERY_DEPTH:
            raise self.error(
                token,
                f"the query nests parentheses and NOTs more than {MAX_QUERY_DEPTH} deep; "
                "simplify it (NOT NOT A is A)",
            )

    def not_expr(self) -> Query:
        # a loop, not recursion: a run of NOTs costs no stack until the depth check
        nots = 0
        while self.kind() == "not":
            self.deeper(self.advance())
            nots += 1
        node = self.co_expr()
        for _ in range(nots):
            node = Not(node)
        self.depth -= nots
        return node

    def co_expr(self) -> Query:
        left = self.primary()
        operator = self.peek()
        if self.kind() not in ("overlaps", "near"):
            return left
        self.check_near(operator)
        self.advance()
        right = self.primary()
        node: Query = (
            Overlaps(left, right)
            if self.kind(operator) == "overlaps"
            else Near(left, right, operator.distance)
        )
        if self.kind() in ("overlaps", "near"):
            raise self.error(
                self.peek(),
                "OVERLAPS and NEAR/N do not chain; add parentheses to say which pair "
                "comes first, e.g. (A OVERLAPS B) NEAR/2 C",
            )
        return node

    def primary(self) -> Query:
        token = self.peek()
        kind = self.kind()
        if kind == "(":
            self.deeper(self.advance())
            node = self.or_expr()
            if self.peek().kind == ")":
                self.advance()
                self.depth -= 1
                return node
            if self.peek().kind == "end":
                raise self.error(token, "this '(' is never closed")
            raise self.unexpected_after_term(self.peek())
        if kind == "word":
            self.advance()
            if self.peek().kind == ":":
                return self.field(token)
            return Code(_nfc(token.value))
        raise self.expected_term(token)

    def field(self, name_token: _Token) -> Query:
        name = name_token.value.casefold()
        if name not in FIELDS:
            close = difflib.get_close_matches(name, FIELDS, n=1)
            hint = f" (did you mean {close[0]}?)" if close else ""
            raise self.error(
                name_token,
                f"unknown field '{name_token.value}'{hint}; use one of {', '.join(FIELDS)}",
            )
        self.advance()  # the colon
        if name == "attr":
            return self.attr()
        value_token, value = self.value(f"{name}:")
        match name:
            case "code":
                return Code(value)
            case "text":
                return Phrase(value)
            case "lemma":
                if any(ch.isspace() for ch in value):
                    raise self.error(
                        value_token, 'lemma: takes one word; use text:"…" for a phrase'
                    )
                return Lemma(value)
            case "role":
                return Filter("role", self.choice(value_token, value, "role", SPEAKER_ROLES))
            case "mode":
                return Filter("mode", self.choice(value_token, value, "mode", TRANSCRIPT_MODES))
            case "speaker":
                return Filter("speaker", value)
            case "transcript":
                return Filter("transcript", value)
            case _:  # coder, the one field left
                return Filter("coder", value)

    def attr(self) -> Attr:
        _, name = self.value("attr:", what="an attribute name")
        op_token = self.peek()
        if op_token.kind != "cmp":
            raise self.error(
                op_token, f"expected a comparison ({', '.join(COMPARISONS)}) after attr:{name}"
            )
        self.advance()
        op = cast(Comparison, op_token.value)  # the tokenizer lets only COMPARISONS through
        value_token, value = self.value(f"attr:{name}{op}")
        if op not in ("=", "!=") and not _orderable(value):
            raise self.error(
                value_token,
                f"'{op}' compares numbers or dates (YYYY-MM-DD), and '{value}' is neither",
            )
        return Attr(name, op, value)

    def value(self, after: str, what: str = "a value") -> tuple[_Token, str]:
        """A word or a quoted string; keywords are plain words here (``coder:and``)."""
        token = self.peek()
        if token.kind not in ("word", "string"):
            raise self.error(token, f"expected {what} after {after}")
        self.advance()
        if not token.value:
            raise self.error(token, f"expected {what} after {after}, not an empty string")
        return token, _nfc(token.value)

    def choice(self, token: _Token, value: str, field: str, allowed: tuple[str, ...]) -> str:
        folded = value.casefold()
        if folded not in allowed:
            raise self.error(token, f"unknown {field} '{value}'; use one of {', '.join(allowed)}")
        return folded

    # -- error messages

    def check_near(self, token: _Token) -> None:
        if self.kind(token) == "near" and token.kind == "word":
            raise self.error(token, "NEAR needs a distance in sentences, e.g. NEAR/2")

    def expected_term(self, token: _Token) -> QuerySyntaxError:
        self.check_near(token)
        previous = self.previous()
        kind = self.kind(token)
        if previous is None and kind in ("and", "or", "overlaps", "near"):
            return self.error(token, f"{_describe(token)} needs a term on its left")
        if kind == "string":
            return self.error(
                token, f"a quoted text needs a field, e.g. text:{token.text} for a phrase"
            )
        where = f"after {_describe(previous)}" if previous else "at the start"
        found = "" if kind == "end" else f", found {_describe(token)}"
        return self.error(token, f"expected {_TERM} {where}{found}")

    def unexpected_after_term(self, token: _Token) -> QuerySyntaxError:
        """The error for a token that cannot follow a complete term."""
        self.check_near(token)
        match token.kind:
            case ")":
                return self.error(token, "')' without a matching '('")
            case ":":
                return self.error(token, "unexpected ':'; put a value that contains ':' in quotes")
            case "cmp":
                return self.error(
                    token,
                    f"unexpected '{token.text}'; comparisons go in attr: filters, "
                    "e.g. attr:county=Skåne",
                )
        if self.kind(token) == "not":
            return self.error(
                token, f"missing operator before {_describe(token)}; write AND NOT or OR NOT"
            )
        before = self.tokens[self.index - 2] if self.index >= 2 else None
        if token.kind == "word" and before is not None and before.kind in (":", "cmp"):
            # speaker:Socialsekreterare A — the commonest slip: a value with a space.
            return self.error(
                token,
                f"missing operator before {_describe(token)}; if it belongs to the value "
                "before it, put the whole value in quotes",
            )
        return self.error(
            token,
            f"missing operator before {_describe(token)}; "
            "join terms with AND, OR, OVERLAPS or NEAR/N",
        )


def _describe(token: _Token) -> str:
    if token.kind == "word" and token.value.casefold() in KEYWORDS:
        return token.value.upper()
    if token.kind == "near":
        return f"NEAR/{token.distance}"
    return f"'{token.text}'" if token.kind != "string" else token.text


# A decimal comma is what Swedish users type ("2,5"); the evaluator reads both.
_NUMBER = re.compile(r"[+-]?(\d+([.,]\d*)?|[.,]\d+)", re.ASCII)
_DATE = re.compile(r"\d{4}-\d{2}-\d{2}", re.ASCII)


def _orderable(value: str) -> bool:
    """A number or a real ``YYYY-MM-DD`` date (``fromisoformat`` alone also takes
    week dates and compact forms, which nobody means here)."""
    if _NUMBER.fullmatch(value):
        return True
    if not _DATE.fullmatch(value):
        return False
    try:
        date.fromisoformat(value)
    except ValueError:
        return False
    return True


def _nfc(text: str) -> str:
    return unicodedata.normalize("NFC", text)


# ---------------------------------------------------------------------------- rendering

_OR, _AND, _NOT, _CO, _PRIMARY = range(1, 6)


def to_text(node: Query) -> str:
    """The canonical text of ``node``: upper-case keywords, one space around operators,
    quotes only where needed, parentheses only where the tree needs them (and around a
    negated OVERLAPS/NEAR, for the reader). ``parse(to_text(node)) == node``."""
    match node:
        case Code(key):
            if _is_word(key) and key.casefold() not in KEYWORDS:
                return key
            return f"code:{_value_text(key)}"
        case Filter(field, value):
            return f"{field}:{_value_text(value)}"
        case Attr(name, op, value):
            return f"attr:{_value_text(name)}{op}{_value_text(value)}"
        case Phrase(text):
            return f"text:{_value_text(text)}"
        case Lemma(lemma):
            return f"lemma:{_value_text(lemma)}"
        case Not(operand):
            bare = _level(operand) in (_NOT, _PRIMARY)
            return f"NOT {to_text(operand) if bare else f'({to_text(operand)})'}"
        case And(operands):
            return " AND ".join(_operand_text(operand, _NOT) for operand in operands)
        case Or(operands):
            return " OR ".join(_operand_text(operand, _AND) for operand in operands)
        case Overlaps(left, right):
            return f"{_operand_text(left, _PRIMARY)} OVERLAPS {_operand_text(right, _PRIMARY)}"
        case Near(left, right, distance):
            return (
                f"{_operand_text(left, _PRIMARY)} NEAR/{distance} {_operand_text(right, _PRIMARY)}"
            )


def _level(node: Query) -> int:
    match node:
        case Or():
            return _OR
        case And():
            return _AND
        case Not():
            return _NOT
        case Overlaps() | Near():
            return _CO
        case _:
            return _PRIMARY


def and_operand_text(node: Query) -> str:
    """``node`` written as one operand of an AND (in parentheses when it binds more
    loosely): ``" AND ".join`` of these is ``to_text`` of the AND, built from parts
    that can be computed once and reused (a matrix's row and column terms)."""
    return _operand_text(node, _NOT)


def _operand_text(node: Query, lowest: int) -> str:
    """``node`` as an operand that must bind at least as tightly as ``lowest``."""
    text = to_text(node)
    return text if _level(node) >= lowest else f"({text})"


def _value_text(value: str) -> str:
    if _is_word(value):
        return value
    escaped = value.replace("\\", "\\\\").replace('"', '\\"')
    return f'"{escaped}"'
