"""Property: however two coders interleave their actions with undo and redo, one
coder's undo or redo never removes or changes a row the other coder made."""

from __future__ import annotations

from hypothesis import HealthCheck, example, given, settings
from hypothesis import strategies as st

from qualcode.domain.errors import QualcodeError
from qualcode.services import coding, history, memos
from qualcode.services.codes import edit_code
from qualcode.services.project import Project

CODERS = ("carl", "dora")
SPANS = ((0, 5), (6, 9), (10, 20))
CODES = ("BIC", "ACT.WAIT")

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


def _run(project: Project, step: tuple, last_writer: dict[int, str]) -> None:  # type: ignore[type-arg]
    kind, who = step[0], step[1]
    all_codings = coding.list_codings(project)
    if kind == "apply":
        (start, end), code = step[2], step[3]
        coding.apply_code(project, transcript="Fokus", code=code, start=start, end=end, coder=who)
    elif kind == "remove":
        own = [c for c in all_codings if c.coder == who]
        if own:
            coding.remove_coding(project, own[step[2] % len(own)].id, coder=who)
    elif kind == "memo" and all_codings:
        target = all_codings[step[2] % len(all_codings)]
        made = memos.add_memo(project, target="coding", ref=str(target.id), text=who, coder=who)
        last_writer[made.id] = who
    elif kind == "edit":
        present = sorted(_memos(project))
        if present:
            memo_id = present[step[2] % len(present)]
            memos.edit_memo(project, memo_id, text=f"{who} {memo_id}", coder=who)
            last_writer[memo_id] = who
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
    last_writer: dict[int, str] = {}
    for step in steps:
        who = step[1]
        other = CODERS[1 - CODERS.index(who)]
        codings_before = _codings_of(coded_project, other)
        memos_before = {
            memo_id: text
            for memo_id, text in _memos(coded_project).items()
            if last_writer.get(memo_id) == other
        }
        try:
            _run(coded_project, step, last_writer)
        except QualcodeError:
            continue
        if step[0] in ("undo", "redo"):
            assert _codings_of(coded_project, other) == codings_before, step
            now = _memos(coded_project)
            assert {m: now.get(m) for m in memos_before} == memos_before, step
