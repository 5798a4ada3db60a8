"""Property: however two coders interleave their actions with undo and redo, one
coder's undo or redo never removes or changes a row the other coder made.

Hypothesis runs every example on the same project (the fixture is per test), so each
example gets its own pair of coder names and only looks at the memos it made: the
examples cannot see each other's undo stacks, and a failing one replays the same way.
"""

from __future__ import annotations

import itertools

from hypothesis import HealthCheck, example, given, settings
from hypothesis import strategies as st

from qualcode.domain.errors import QualcodeError
from qualcode.services import coding, history, memos
from qualcode.services.codes import edit_code
from qualcode.services.project import Project

CODERS = ("carl", "dora")
SPANS = ((0, 5), (6, 9), (10, 20))
CODES = ("BIC", "ACT.WAIT")
EXAMPLE_NUMBERS = itertools.count(1)


action = st.one_of(
    st.tuples(st.just("apply"), st.sampled_from(CODERS), st.sampled_from(SPANS),
              st.sampled_from(CODES)),
    st.tuples(st.just("remove"), st.sampled_from(CODERS), st.integers(0, 5)),
    st.tuples(st.just("memo"), st.sampled_from(CODERS), st.integers(0, 5)),
    st.tuples(st.just("edit"), st.sampled_from(CODERS), st.integers(0, 5)),
    st.tuples(st.just("rename"), st.sampled_from(CODERS), st.sampled_from(CODES)),
    st.tuples(st.just("undo"), st.sampled_from(CODERS)),
    st.tuples(st.just("redo"), st.sampled_from(CODERS)),
)  # fmt: skip


def _codings_of(project: Project, who: str) -> set[tuple[int, str, int, int]]:
    return {
        (c.id, c.code_key, c.start, c.end) for c in coding.list_codings(project) if c.coder == who
    }


def _memos(project: Project) -> dict[int, str]:
    return {m.id: m.text for m in memos.list_memos(project)}


class Run:
    """One example's coders and what it knows about its memos.

    ``fresh`` maps a memo to the coder whose own add or edit wrote its current text;
    an undo or redo that changes the text clears it (the text is then one the log
    restored, which the next reversal may legitimately replace). Edited texts carry a
    counter, so a later write never looks like an earlier one.
    """

    def __init__(self) -> None:
        number = next(EXAMPLE_NUMBERS)
        self.names = {who: f"{who}{number}" for who in CODERS}
        self.made: set[int] = set()
        self.fresh: dict[int, str] = {}
        self.writes = itertools.count(1)

    def step(self, project: Project, step: tuple) -> None:  # type: ignore[type-arg]
        kind, who = step[0], self.names[step[1]]
        all_codings = coding.list_codings(project)
        if kind == "apply":
            (start, end), code = step[2], step[3]
            coding.apply_code(
                project, transcript="Fokus", code=code, start=start, end=end, coder=who
            )
        elif kind == "remove":
            own = [c for c in all_codings if c.coder == who]
            if own:
                coding.remove_coding(project, own[step[2] % len(own)].id, coder=who)
        elif kind == "memo" and all_codings:
            target = all_codings[step[2] % len(all_codings)]
            text = f"{who} #{next(self.writes)}"
            made = memos.add_memo(
                project, target="coding", ref=str(target.id), text=text, coder=who
            )
            self.made.add(made.id)
            self.fresh[made.id] = who
        elif kind == "edit":
            present = sorted(set(_memos(project)) & self.made)
            if present:
                memo_id = present[step[2] % len(present)]
                text = f"{who} #{next(self.writes)}"
                memos.edit_memo(project, memo_id, text=text, coder=who)
                self.fresh[memo_id] = who
        elif kind == "rename":
            edit_code(project, step[2], coder=who, name=f"named by {who}")
        elif kind == "undo":
            history.undo(project, coder=who)
        elif kind == "redo":
            history.redo(project, coder=who)


@settings(max_examples=12, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(steps=st.lists(action, min_size=1, max_size=14))
# the interleavings that lost data before undo checked for other coders' work
@example(steps=[("apply", "carl", (0, 5), "BIC"), ("memo", "dora", 0), ("undo", "carl")])
@example(
    steps=[
        ("apply", "carl", (0, 5), "BIC"),
        ("memo", "carl", 0),
        ("edit", "dora", 0),
        ("undo", "carl"),
    ]
)
def test_undo_and_redo_never_touch_the_other_coders_rows(
    coded_project: Project,
    steps: list[tuple],  # type: ignore[type-arg]
) -> None:
    run = Run()
    for step in steps:
        who, other = run.names[step[1]], run.names[CODERS[1 - CODERS.index(step[1])]]
        codings_before = _codings_of(coded_project, other)
        texts_before = _memos(coded_project)
        others_fresh = {
            memo_id: texts_before[memo_id]
            for memo_id, writer in run.fresh.items()
            if writer == other and memo_id in texts_before
        }
        try:
            run.step(coded_project, step)
        except QualcodeError:
            continue
        if step[0] in ("undo", "redo"):
            assert _codings_of(coded_project, other) == codings_before, (step, who)
            now = _memos(coded_project)
            assert {m: now.get(m) for m in others_fresh} == others_fresh, (step, who)
            for memo_id in run.made:
                if now.get(memo_id) != texts_before.get(memo_id):
                    run.fresh.pop(memo_id, None)
