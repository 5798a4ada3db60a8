"""How quotes are attributed in exports: generic labels by speaker role and
transcript mode, joined by a template, never a name.

Defaults follow the export's language, the project's unless asked otherwise ("en
deltagare, fokusgrupp" / "a participant, focus group"); a project sets its own wording
per role and per mode ("en socialsekreterare") and the template (``{role}, {mode}``) in
its settings, shared by every coder and every export in the project's language.
A template may also use ``{pseudonym}`` (the speaker's pseudonym, never the label:
empty when none is set) and any attribute name of the project (``{county}``: the value
the passage has by the cases rule); every export passes the result through the
pseudonymisation list.
"""

from __future__ import annotations

import string
from collections.abc import Mapping
from dataclasses import dataclass

from qualcode.domain.errors import InvalidInput
from qualcode.domain.records import SPEAKER_ROLES, TRANSCRIPT_MODES
from qualcode.domain.table_words import MODE_NAMES
from qualcode.services.attributes import list_values
from qualcode.services.coders import ensure_coder
from qualcode.services.project import Project
from qualcode.store.repositories import events
from qualcode.store.repositories import project as project_repo

SETTING = "attribution"
DEFAULT_TEMPLATE = "{role}, {mode}"
ROLE_LABELS = {
    "sv": {"participant": "en deltagare", "moderator": "moderator", "interviewer": "intervjuare"},
    "en": {"participant": "a participant", "moderator": "moderator", "interviewer": "interviewer"},
}
MODE_LABELS = MODE_NAMES


@dataclass(frozen=True)
class Attribution:
    roles: dict[str, str]
    modes: dict[str, str]
    template: str

    @property
    def fields(self) -> set[str]:
        """The names the template uses besides ``role`` and ``mode``."""
        return set(template_fields(self.template)) - {"role", "mode"}

    def of(self, role: str | None, mode: str, values: Mapping[str, str] | None = None) -> str:
        """The attribution of a quote by a speaker of ``role`` in a ``mode`` transcript;
        ``values`` fill the template's other fields (a missing one is left empty)."""
        filled = {name: (values or {}).get(name, "") for name in self.fields}
        text = self.template.format(
            **filled, role=self.roles.get(role or "", ""), mode=self.modes.get(mode, "")
        )
        # an unknown role or mode leaves an empty slot: drop its separator too
        return ", ".join(part.strip() for part in text.split(",") if part.strip())


def template_fields(template: str) -> list[str]:
    """The field names of ``template``; refuses what is not a plain ``{name}``."""
    try:
        parsed = list(string.Formatter().parse(template))
    except ValueError as exc:
        raise InvalidInput(f"the template {template!r} is malformed: {exc}") from exc
    names = []
    for _, name, spec, conversion in parsed:
        if name is None:
            continue
        if not name.isidentifier() or spec or conversion:
            raise InvalidInput(
                f"the template {template!r} may use {{role}}, {{mode}}, {{pseudonym}} and "
                f"attribute names such as {{county}}, not {{{name}}}"
            )
        names.append(name)
    return names


def _check_fields(project: Project, template: str) -> None:
    """Only role, mode, pseudonym and the names of attributes the project has."""
    allowed = {"role", "mode", "pseudonym"} | {value.attribute for value in list_values(project)}
    unknown = [name for name in template_fields(template) if name not in allowed]
    if unknown:
        attributes = ", ".join(sorted(allowed - {"role", "mode", "pseudonym"})) or "none yet"
        raise InvalidInput(
            f"the template {template!r} may only use {{role}}, {{mode}}, {{pseudonym}} and "
            f"the project's attribute names ({attributes}), not {{{unknown[0]}}}"
        )


def attribution(project: Project, language: str | None = None) -> Attribution:
    """The wording of attributions in ``language`` (default: the project's).

    The project's own wording (``set_attribution``) is written in the project's
    language, so it applies to exports in that language; an export in another language
    gets that language's default wording rather than a mix of the two."""
    wanted = language or project.language
    if wanted not in ROLE_LABELS:
        raise InvalidInput(f"no attribution wording in {wanted!r}; use {', '.join(ROLE_LABELS)}")
    configured = project.settings.get(SETTING) if wanted == project.language else None
    own = configured if isinstance(configured, dict) else {}
    language = wanted
    return Attribution(
        roles={**ROLE_LABELS[language], **own.get("roles", {})},
        modes={**MODE_LABELS[language], **own.get("modes", {})},
        template=own.get("template", DEFAULT_TEMPLATE),
    )


def set_attribution(
    project: Project,
    *,
    coder: str,
    role: tuple[str, str] | None = None,
    mode: tuple[str, str] | None = None,
    template: str | None = None,
) -> Attribution:
    """Set the wording for one role, one mode and/or the template."""
    if role is not None and role[0] not in SPEAKER_ROLES:
        raise InvalidInput(f"unknown role {role[0]!r}; choose one of {', '.join(SPEAKER_ROLES)}")
    if mode is not None and mode[0] not in TRANSCRIPT_MODES:
        raise InvalidInput(f"unknown mode {mode[0]!r}; choose one of {', '.join(TRANSCRIPT_MODES)}")
    if template is not None:
        _check_fields(project, template)
    with project.database.write() as session:
        settings = project_repo.get_project(session).settings
        current = dict(settings.get(SETTING) or {})
        before = dict(current)
        if role is not None:
            current["roles"] = {**current.get("roles", {}), role[0]: role[1]}
        if mode is not None:
            current["modes"] = {**current.get("modes", {}), mode[0]: mode[1]}
        if template is not None:
            current["template"] = template
        project_repo.set_setting(session, SETTING, current)
        who = ensure_coder(session, coder)
        events.record_event(
            session, action="attribution.set", entity="project", entity_id=None,
            coder_id=who.id, before=before, after=current,
        )  # fmt: skip
    return attribution(project)
