"""The retrieval query language: parsing, canonical text, errors that point at a column."""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Callable
from typing import Any

import pytest
from hypothesis import given
from hypothesis import strategies as st

from qualcode.domain.errors import QualcodeError
from qualcode.domain.query import (
    COMPARISONS,
    FIELDS,
    And,
    Attr,
    Code,
    Comparison,
    Filter,
    Lemma,
    Near,
    Not,
    Or,
    Overlaps,
    Phrase,
    Query,
    QuerySyntaxError,
    code_keys,
    parse,
    to_text,
)
from qualcode.domain.records import SPEAKER_ROLES, TRANSCRIPT_MODES

WAIT, STRUCT, LAW = Code("ACT.WAIT"), Code("DISC.STRUCT"), Code("COND.LAW")


# ---------------------------------------------------------------------------- structure


@pytest.mark.parametrize(
    ("query", "same_as"),
    [
        ("A OR B AND NOT C", "A OR (B AND (NOT C))"),
        ("NOT A AND B", "(NOT A) AND B"),
        ("A AND B OR C AND D", "(A AND B) OR (C AND D)"),
        ("NOT NOT A", "NOT (NOT A)"),
        ("A OVERLAPS B AND C", "(A OVERLAPS B) AND C"),
        ("NOT A OVERLAPS B", "NOT (A OVERLAPS B)"),
        ("A OR B NEAR/1 C", "A OR (B NEAR/1 C)"),
        ("((A))", "A"),
    ],
)
def test_precedence_matches_the_explicit_parentheses(query: str, same_as: str) -> None:
    assert parse(query) == parse(same_as)


def test_precedence_builds_the_expected_tree() -> None:
    a, b, c = Code("A"), Code("B"), Code("C")
    assert parse("A OR B AND NOT C") == Or((a, And((b, Not(c)))))
    assert parse("(A OR B) AND NOT C") == And((Or((a, b)), Not(c)))


def test_chains_of_one_operator_are_one_node_but_parentheses_nest() -> None:
    a, b, c = Code("A"), Code("B"), Code("C")
    assert parse("A AND B AND C") == And((a, b, c))
    assert parse("A OR B OR C") == Or((a, b, c))
    assert parse("(A AND B) AND C") == And((And((a, b)), c))
    assert parse("A OR (B OR C)") == Or((a, Or((b, c))))


@pytest.mark.parametrize(
    "query",
    [
        "ACT.WAIT AND NOT DISC.STRUCT",
        "ACT.WAIT and not DISC.STRUCT",
        "ACT.WAIT And Not DISC.STRUCT",
        "ACT.WAIT & !DISC.STRUCT",
        "ACT.WAIT & -DISC.STRUCT",
        "ACT.WAIT&-DISC.STRUCT",
        "ACT.WAIT\tAND\nNOT\u00a0DISC.STRUCT",
    ],
)
def test_keywords_are_case_insensitive_and_have_symbols(query: str) -> None:
    assert parse(query) == And((WAIT, Not(STRUCT)))


def test_or_symbol() -> None:
    assert parse("ACT.WAIT | COND.LAW") == Or((WAIT, LAW))


def test_a_dash_inside_a_key_is_part_of_it() -> None:
    assert parse("ACT-WAIT") == Code("ACT-WAIT")
    assert parse("ACT AND -WAIT") == And((Code("ACT"), Not(Code("WAIT"))))


def test_group_keys_and_code_keys_are_both_code_terms() -> None:
    assert parse("ACT") == Code("ACT")
    assert parse("BIC") == Code("BIC")
    assert parse("ACT.WAIT") == WAIT


def test_code_field_reaches_keys_that_look_like_keywords() -> None:
    assert parse("code:ACT.WAIT") == WAIT
    assert parse("code:AND") == Code("AND")
    assert parse('code:"NEAR"') == Code("NEAR")


def test_co_occurrence() -> None:
    assert parse("ACT.WAIT OVERLAPS DISC.STRUCT") == Overlaps(WAIT, STRUCT)
    assert parse("ACT.WAIT overlaps DISC.STRUCT") == Overlaps(WAIT, STRUCT)
    assert parse("ACT.WAIT NEAR/2 DISC.STRUCT") == Near(WAIT, STRUCT, 2)
    assert parse("ACT.WAIT near/0 DISC.STRUCT") == Near(WAIT, STRUCT, 0)
    assert parse("ACT.WAIT NEAR/12 DISC.STRUCT") == Near(WAIT, STRUCT, 12)


def test_co_occurrence_takes_groups_and_filters_as_operands() -> None:
    assert parse("(ACT.WAIT OR ACT.LESS) OVERLAPS DISC") == Overlaps(
        Or((WAIT, Code("ACT.LESS"))), Code("DISC")
    )
    assert parse('ACT.WAIT NEAR/1 text:"på is"') == Near(WAIT, Phrase("på is"), 1)


def test_the_study_question_from_the_brief() -> None:
    query = "ACT.WAIT OVERLAPS DISC.STRUCT AND role:participant AND mode:focus_group"
    assert parse(query) == And(
        (Overlaps(WAIT, STRUCT), Filter("role", "participant"), Filter("mode", "focus_group"))
    )


# ---------------------------------------------------------------------------- filters


@pytest.mark.parametrize(
    ("query", "expected"),
    [
        ('speaker:"Socialsekreterare A"', Filter("speaker", "Socialsekreterare A")),
        ("speaker:IP1", Filter("speaker", "IP1")),
        ("speaker:Helena", Filter("speaker", "Helena")),
        ("role:participant", Filter("role", "participant")),
        ("role:moderator", Filter("role", "moderator")),
        ("role:Interviewer", Filter("role", "interviewer")),
        (
            'transcript:"Fokusgrupp Norrvik och Ekbacka"',
            Filter("transcript", "Fokusgrupp Norrvik och Ekbacka"),
        ),
        ("transcript:3", Filter("transcript", "3")),
        ("mode:focus_group", Filter("mode", "focus_group")),
        ("mode:TELEPHONE", Filter("mode", "telephone")),
        ("mode:survey_call", Filter("mode", "survey_call")),
        ("coder:anna", Filter("coder", "anna")),
        ("attr:county=Skåne", Attr("county", "=", "Skåne")),
        ('attr:case="Norrvik, Ekbacka"', Attr("case", "=", "Norrvik, Ekbacka")),
        ("attr:county!=Stockholm", Attr("county", "!=", "Stockholm")),
        ("attr:participants>=3", Attr("participants", ">=", "3")),
        ("attr:participants>2", Attr("participants", ">", "2")),
        ("attr:participants<5", Attr("participants", "<", "5")),
        ("attr:participants<=2.5", Attr("participants", "<=", "2.5")),
        ('attr:participants<"2,5"', Attr("participants", "<", "2,5")),
        ("attr:date>=2013-04-01", Attr("date", ">=", "2013-04-01")),
        ('attr:"antal LVU"<"-1"', Attr("antal LVU", "<", "-1")),
        ("attr:län=Skåne", Attr("län", "=", "Skåne")),
        ('text:"på is"', Phrase("på is")),
        ("text:väntar", Phrase("väntar")),
        ("lemma:vänta", Lemma("vänta")),
        ("Lemma:vänta", Lemma("vänta")),
        ("SPEAKER:Helena", Filter("speaker", "Helena")),
    ],
)
def test_every_filter_kind(query: str, expected: Query) -> None:
    assert parse(query) == expected


def test_every_field_is_accepted() -> None:
    examples = {
        "attr": "attr:county=Skåne",
        "code": "code:BIC",
        "coder": "coder:anna",
        "lemma": "lemma:vänta",
        "mode": "mode:interview",
        "role": "role:participant",
        "speaker": "speaker:IP1",
        "text": "text:avslag",
        "transcript": "transcript:1",
    }
    assert set(examples) == set(FIELDS)
    for query in examples.values():
        parse(query)


@pytest.mark.parametrize("role", SPEAKER_ROLES)
def test_every_role(role: str) -> None:
    assert parse(f"role:{role}") == Filter("role", role)


@pytest.mark.parametrize("mode", TRANSCRIPT_MODES)
def test_every_mode(mode: str) -> None:
    assert parse(f"mode:{mode}") == Filter("mode", mode)


@pytest.mark.parametrize("op", COMPARISONS)
def test_every_comparison(op: Comparison) -> None:
    assert parse(f"attr:participants{op}3") == Attr("participants", op, "3")


def test_keywords_are_plain_words_in_value_position() -> None:
    assert parse("coder:and") == Filter("coder", "and")
    assert parse("speaker:NOT AND ACT") == And((Filter("speaker", "NOT"), Code("ACT")))


def test_filters_combine_with_boolean_operators() -> None:
    query = 'ACT.WAIT AND (speaker:"Socialsekreterare A" OR speaker:"Socialsekreterare B") AND NOT coder:anna'
    assert parse(query) == And(
        (
            WAIT,
            Or(
                (Filter("speaker", "Socialsekreterare A"), Filter("speaker", "Socialsekreterare B"))
            ),
            Not(Filter("coder", "anna")),
        )
    )


# ---------------------------------------------------------------------------- quoting


@pytest.mark.parametrize(
    ("query", "phrase"),
    [
        (r'text:"hon sa \"vänta\""', 'hon sa "vänta"'),
        (r'text:"C:\\mappen"', "C:\\mappen"),
        (r'text:"\\"', "\\"),
        ('text:"AND OR NOT (x)"', "AND OR NOT (x)"),
        ('text:"vi lägger det på is: det är så"', "vi lägger det på is: det är så"),
        ('text:"två\nrader"', "två\nrader"),
        ('text:"Älvsida – Riverside"', "Älvsida – Riverside"),
    ],
)
def test_quoted_strings_and_escapes(query: str, phrase: str) -> None:
    assert parse(query) == Phrase(phrase)


def test_values_and_keys_are_nfc_normalised() -> None:
    decomposed = unicodedata.normalize("NFD", "vänta")
    assert decomposed != "vänta"
    assert parse(f"lemma:{decomposed}") == Lemma("vänta")
    assert parse(f'speaker:"{unicodedata.normalize("NFD", "Socialsekreterare Å")}"') == Filter(
        "speaker", "Socialsekreterare Å"
    )
    assert parse(unicodedata.normalize("NFD", "ÅTGÄRD.VÄNTA")) == Code("ÅTGÄRD.VÄNTA")


# ---------------------------------------------------------------------------- code_keys


def test_code_keys_collects_every_code_term() -> None:
    query = parse(
        "(ACT.WAIT OR ACT.LESS) OVERLAPS DISC AND NOT code:BIC AND coder:anna AND lemma:vänta"
    )
    assert code_keys(query) == {"ACT.WAIT", "ACT.LESS", "DISC", "BIC"}
    assert code_keys(parse('speaker:"Socialsekreterare A"')) == set()


# ---------------------------------------------------------------------------- to_text


@pytest.mark.parametrize(
    ("query", "canonical"),
    [
        ("act.wait", "act.wait"),
        ("ACT.WAIT & !DISC.STRUCT | COND.LAW", "ACT.WAIT AND NOT DISC.STRUCT OR COND.LAW"),
        ("(A OR B) AND C", "(A OR B) AND C"),
        ("((A)) AND ((B))", "A AND B"),
        ("A AND (B AND C)", "A AND (B AND C)"),
        ("NOT A near/2 B", "NOT (A NEAR/2 B)"),
        ("NOT (A) OVERLAPS (B)", "NOT (A OVERLAPS B)"),
        ("(NOT A) OVERLAPS B", "(NOT A) OVERLAPS B"),
        ('Speaker:"Helena"', "speaker:Helena"),
        ("ROLE:Participant", "role:participant"),
        ('speaker:"Socialsekreterare A"', 'speaker:"Socialsekreterare A"'),
        ('attr:"county"="Skåne"', "attr:county=Skåne"),
        ('code:"ACT.WAIT"', "ACT.WAIT"),
        ("code:or", "code:or"),
        ('code:"a key"', 'code:"a key"'),
        (r'text:"hon sa \"vänta\""', r'text:"hon sa \"vänta\""'),
    ],
)
def test_canonical_text(query: str, canonical: str) -> None:
    assert to_text(parse(query)) == canonical


def test_to_text_parenthesises_what_the_tree_needs() -> None:
    a, b, c = Code("A"), Code("B"), Code("C")
    assert to_text(Overlaps(Overlaps(a, b), c)) == "(A OVERLAPS B) OVERLAPS C"
    assert to_text(Near(a, And((b, c)), 3)) == "A NEAR/3 (B AND C)"
    assert to_text(Not(Or((a, b)))) == "NOT (A OR B)"
    assert to_text(Not(Not(a))) == "NOT NOT A"


def test_nodes_refuse_impossible_shapes() -> None:
    with pytest.raises(ValueError):
        And((Code("A"),))
    with pytest.raises(ValueError):
        Or(())
    with pytest.raises(ValueError):
        Near(Code("A"), Code("B"), -1)


# ---------------------------------------------------------------------------- errors


@pytest.mark.parametrize(
    ("query", "column", "message"),
    [
        ("", 1, "the query is empty"),
        ("   ", 1, "the query is empty"),
        ("(ACT.WAIT OR DISC.STRUCT", 1, "this '(' is never closed"),
        ("ACT.WAIT AND (DISC OR (COND.LAW)", 14, "this '(' is never closed"),
        ("ACT.WAIT OR DISC.STRUCT)", 24, "')' without a matching '('"),
        ("ACT.WAIT AND", 13, "expected a code key, a filter or '(' after AND"),
        ("ACT.WAIT AND   ", 13, "expected a code key, a filter or '(' after AND"),
        ("ACT.WAIT OR NOT", 16, "expected a code key, a filter or '(' after NOT"),
        ("ACT.WAIT AND OR DISC", 14, "expected a code key, a filter or '(' after AND, found OR"),
        ("AND ACT.WAIT", 1, "AND needs a term on its left"),
        ("()", 2, "expected a code key, a filter or '(' after '(', found ')'"),
        ("ACT.WAIT NEAR/x DISC.STRUCT", 15, "expected a number of sentences after NEAR/"),
        ("ACT.WAIT NEAR/ DISC.STRUCT", 15, "expected a number of sentences after NEAR/"),
        ("ACT.WAIT NEAR/2x DISC.STRUCT", 15, "expected a number of sentences after NEAR/"),
        ("ACT.WAIT NEAR DISC.STRUCT", 10, "NEAR needs a distance in sentences, e.g. NEAR/2"),
        ("ACT.WAIT OVERLAPS", 18, "after OVERLAPS"),
        ("ACT.WAIT NEAR/2", 16, "after NEAR/2"),
        ("A OVERLAPS B NEAR/2 C", 14, "OVERLAPS and NEAR/N do not chain"),
        ("A OVERLAPS NOT B", 12, "after OVERLAPS, found NOT"),
        (
            "colour:red",
            1,
            "unknown field 'colour'; use one of attr, code, coder, lemma, mode, role, speaker, text, transcript",
        ),
        ("ACT AND speker:IP1", 9, "unknown field 'speker' (did you mean speaker?)"),
        ('text:"på is', 6, "this string has no closing '\"'"),
        ('ACT AND text:"på is\\"', 14, "this string has no closing '\"'"),
        (r'text:"på \is"', 10, r"unknown escape '\i'"),
        ("attr:county", 12, "expected a comparison (=, !=, <, <=, >, >=) after attr:county"),
        ("attr:county Skåne", 13, "expected a comparison"),
        ("attr:county=>3", 12, "unknown comparison '=>'"),
        ("attr:participants==3", 18, "unknown comparison '=='"),
        ("attr:county<>Skåne", 12, "unknown comparison '<>'"),
        ("attr:participants>=", 20, "expected a value after attr:participants>="),
        (
            "attr:county<Skåne",
            13,
            "'<' compares numbers or dates (YYYY-MM-DD), and 'Skåne' is neither",
        ),
        ("attr:date>2013-02-30", 11, "is neither"),
        ("attr:=3", 6, "expected an attribute name after attr:"),
        ("county=Skåne", 7, "comparisons go in attr: filters"),
        ("ACT.WAIT DISC.STRUCT", 10, "missing operator before 'DISC.STRUCT'"),
        ("(ACT.WAIT) (DISC.STRUCT)", 12, "missing operator before '('"),
        ("ACT.WAIT NOT DISC.STRUCT", 10, "missing operator before NOT; write AND NOT or OR NOT"),
        ("ACT.WAIT -DISC.STRUCT", 10, "missing operator before '-'"),
        ("speaker:Socialsekreterare A", 27, "put the whole value in quotes"),
        ("speaker:", 9, "expected a value after speaker:"),
        ('speaker:""', 9, "not an empty string"),
        ("speaker:(IP1)", 9, "expected a value after speaker:"),
        (
            "role:deltagare",
            6,
            "unknown role 'deltagare'; use one of moderator, interviewer, participant",
        ),
        ("mode:fokusgrupp", 6, "unknown mode 'fokusgrupp'"),
        ('lemma:"vänta på"', 7, "lemma: takes one word"),
        ('"på is"', 1, 'a quoted text needs a field, e.g. text:"på is"'),
        ("attr:time=10:30", 13, "unexpected ':'"),
        ("ACT.WAIT @ DISC", 10, "unexpected character '@'"),
        ("text:”på is”", 6, "straight double quotes"),
        ("ÅTGÄRD.VÄNTA ÖVRIGT", 14, "missing operator before 'ÖVRIGT'"),
    ],
)
def test_errors_point_at_the_column(query: str, column: int, message: str) -> None:
    with pytest.raises(QuerySyntaxError) as raised:
        parse(query)
    error = raised.value
    assert error.column == column
    assert message in error.reason
    assert str(error) == f"column {column}: {error.reason}"


def test_the_error_is_a_qualcode_error_with_the_query() -> None:
    with pytest.raises(QualcodeError) as raised:
        parse("ACT.WAIT AND")
    assert isinstance(raised.value, QuerySyntaxError)
    assert raised.value.query == "ACT.WAIT AND"


def test_pointer_puts_a_caret_under_the_column() -> None:
    with pytest.raises(QuerySyntaxError) as raised:
        parse("ACT.WAIT AND")
    assert raised.value.pointer() == "ACT.WAIT AND\n            ^"


def test_pointer_keeps_tabs_and_accents_aligned() -> None:
    decomposed = unicodedata.normalize("NFD", "lemma:vänta")
    with pytest.raises(QuerySyntaxError) as raised:
        parse(f"{decomposed}\tdåligt")
    # The combining ring takes no cell; the tab is copied so the caret lines up.
    assert raised.value.pointer() == f"{decomposed}\tdåligt\n{' ' * 11}\t^"


def test_pointer_shows_only_the_line_with_the_error() -> None:
    with pytest.raises(QuerySyntaxError) as raised:
        parse("ACT.WAIT AND\nrole:deltagare")
    assert raised.value.column == 19
    assert raised.value.pointer() == "role:deltagare\n     ^"


def test_pointer_under_wide_characters() -> None:
    with pytest.raises(QuerySyntaxError) as raised:
        parse("漢字 @")
    assert raised.value.pointer() == "漢字 @\n     ^"


# ---------------------------------------------------------------------------- properties

WORD = re.compile(r"[A-Za-z0-9ÅÄÖåäö][A-Za-z0-9ÅÄÖåäö._-]*")


def nfc(text: str) -> str:
    return unicodedata.normalize("NFC", text)


words = st.from_regex(WORD, fullmatch=True).filter(lambda w: len(w) <= 12)
any_text = st.text(min_size=1, max_size=12).map(nfc)
values = st.one_of(words, any_text)
keys = st.one_of(
    st.sampled_from(["ACT", "ACT.WAIT", "DISC.STRUCT", "BIC", "and", "NEAR", "Overlaps", "not"]),
    values,
)
numbers = st.from_regex(r"[+-]?[0-9]{1,4}(\.[0-9]{1,2})?", fullmatch=True)
dates = st.dates().map(lambda d: d.isoformat())
leaves: st.SearchStrategy[Query] = st.one_of(
    keys.map(Code),
    st.builds(Filter, st.sampled_from(["speaker", "transcript", "coder"]), values),
    st.builds(Filter, st.just("role"), st.sampled_from(SPEAKER_ROLES)),
    st.builds(Filter, st.just("mode"), st.sampled_from(TRANSCRIPT_MODES)),
    st.builds(Attr, values, st.sampled_from(["=", "!="]), values),
    st.builds(Attr, values, st.sampled_from(["<", "<=", ">", ">="]), st.one_of(numbers, dates)),
    values.map(Phrase),
    values.filter(lambda v: not any(ch.isspace() for ch in v)).map(Lemma),
)


def compound(children: st.SearchStrategy[Query]) -> st.SearchStrategy[Query]:
    operands = st.lists(children, min_size=2, max_size=3).map(tuple)
    return st.one_of(
        children.map(Not),
        operands.map(And),
        operands.map(Or),
        st.builds(Overlaps, children, children),
        st.builds(Near, children, children, st.integers(0, 20)),
    )


queries = st.recursive(leaves, compound, max_leaves=10)

OR, AND, NOT, CO, PRIMARY = range(1, 6)


def level(node: Query) -> int:
    return {Or: OR, And: AND, Not: NOT, Overlaps: CO, Near: CO}.get(type(node), PRIMARY)


def noisy_text(node: Query, draw: Callable[[st.SearchStrategy[Any]], Any]) -> str:
    """``node`` written the way a person might: any keyword spelling, symbols, extra
    whitespace and parentheses, decomposed accents, quotes where none are needed."""

    def space() -> str:
        return draw(st.sampled_from([" ", "  ", "\t", "\n", "\u00a0"]))

    def spell(*forms: str) -> str:
        return draw(st.sampled_from(forms))

    def value(text: str) -> str:
        if draw(st.booleans()):
            text = unicodedata.normalize("NFD", text)
        if WORD.fullmatch(nfc(text)) and draw(st.booleans()):
            return text
        return '"' + text.replace("\\", "\\\\").replace('"', '\\"') + '"'

    def operand(child: Query, lowest: int) -> str:
        text = noisy_text(child, draw)
        if level(child) < lowest or draw(st.integers(0, 5)) == 0:
            return f"({space()}{text}{space()})"
        return text

    match node:
        case Code(key):
            if WORD.fullmatch(key) and key.casefold() not in {
                "and",
                "or",
                "not",
                "overlaps",
                "near",
            }:
                return spell(key, f"code:{key}", f'CODE:"{key}"')
            return f"{spell('code', 'Code')}:{value(key)}"
        case Filter(field, text):
            shown = spell(text, text.upper()) if field in ("role", "mode") else text
            return f"{spell(field, field.upper())}:{value(shown)}"
        case Attr(name, op, text):
            return f"{spell('attr', 'ATTR')}:{value(name)}{op}{value(text)}"
        case Phrase(text):
            return f"text:{value(text)}"
        case Lemma(lemma):
            return f"lemma:{value(lemma)}"
        case Not(child):
            return spell("NOT", "not", "!", "-") + space() + operand(child, NOT)
        case And(children):
            joiner = space() + spell("AND", "and", "&") + space()
            return joiner.join(operand(child, NOT) for child in children)
        case Or(children):
            joiner = space() + spell("OR", "Or", "|") + space()
            return joiner.join(operand(child, AND) for child in children)
        case Overlaps(left, right):
            keyword = spell("OVERLAPS", "overlaps")
            return f"{operand(left, PRIMARY)}{space()}{keyword}{space()}{operand(right, PRIMARY)}"
        case Near(left, right, distance):
            keyword = spell("NEAR", "near") + "/" + spell(str(distance), f"0{distance}")
            return f"{operand(left, PRIMARY)}{space()}{keyword}{space()}{operand(right, PRIMARY)}"
    raise AssertionError(node)


@given(queries)
def test_to_text_parses_back_to_the_same_tree(query: Query) -> None:
    assert parse(to_text(query)) == query


@given(st.data())
def test_any_spelling_parses_to_the_same_tree_and_canonical_text_is_stable(
    data: st.DataObject,
) -> None:
    query = data.draw(queries)
    typed = noisy_text(query, data.draw)
    parsed = parse(typed)
    assert parsed == query
    canonical = to_text(parsed)
    assert parse(canonical) == parsed
    assert to_text(parse(canonical)) == canonical


# Mostly query characters, so that a good share of the inputs parse; any character at all
# may turn up too.
@given(
    st.text(
        alphabet=st.sampled_from(list('AB.:"\\()&|!-= <>/NEARNOTattr:2åä\t')) | st.characters(),
        max_size=30,
    )
)
def test_any_input_parses_or_fails_with_a_column_inside_it(query: str) -> None:
    try:
        parsed = parse(query)
    except QuerySyntaxError as error:
        assert 1 <= error.column <= len(query) + 1
        assert error.pointer().endswith("^")
    else:
        assert parse(to_text(parsed)) == parsed
