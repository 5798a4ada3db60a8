"""REFI-QDA projects (.qdpx): a zip of ``project.qde`` and a flat ``sources/`` folder.

Nothing is unpacked to disk. The archive's directory is checked before any member
is read: sizes (zip bombs, through ``ingest.zipsafe``), names (absolute paths, ``..``
and anything outside ``sources/`` besides the one ``.qde`` are refused), and a
source path must name a plain file in ``sources/``. NVivo for Windows writes
``Sources/`` and qc writes paths without ``internal://``; both are read.
"""

from __future__ import annotations

import io
import re
import zipfile
from pathlib import PurePosixPath

from qualcode.domain.errors import InvalidInput
from qualcode.exchange.project import read_project, write_project
from qualcode.exchange.records import ExProject
from qualcode.ingest.zipsafe import open_archive, read_member

KIND = "a REFI-QDA project (.qdpx)"
_PLAIN_NAME = re.compile(r"[^/\\]+")
# a fixed time stamp: exporting the same project twice gives the same bytes
_ZIP_TIME = (1980, 1, 1, 0, 0, 0)


def _check_name(member: str, name: str) -> str:
    """'qde', 'source' or 'folder' for an allowed member; InvalidInput otherwise."""
    path = PurePosixPath(member)
    if (
        member.startswith(("/", "\\"))
        or "\\" in member
        or re.match(r"[A-Za-z]:", member)
        or any(part == ".." for part in path.parts)
    ):
        raise InvalidInput(f"{name} is refused: its entry {member!r} points outside the archive")
    parts = [p for p in path.parts if p not in ("", ".")]
    if len(parts) == 1 and parts[0].lower().endswith(".qde"):
        return "qde"
    if parts and parts[0].lower() == "sources":
        if len(parts) == 1 and member.endswith("/"):
            return "folder"
        if len(parts) == 2:
            return "source"
    raise InvalidInput(
        f"{name} is refused: its entry {member!r} is outside sources/ "
        "(a .qdpx holds project.qde and a flat sources/ folder only)"
    )


def read_qdpx(data: bytes, name: str) -> ExProject:
    with open_archive(data, name, KIND) as archive:
        qdes: list[str] = []
        sources: dict[str, str] = {}
        for info in archive.infolist():
            kind = _check_name(info.filename, name)
            if kind == "qde":
                qdes.append(info.filename)
            elif kind == "source" and not info.is_dir():
                sources[PurePosixPath(info.filename).name.lower()] = info.filename
        if not qdes:
            raise InvalidInput(f"{name} is not {KIND} (it holds no project.qde)")
        if len(qdes) > 1:
            named = [q for q in qdes if q.lower() == "project.qde"]
            if len(named) != 1:
                raise InvalidInput(f"{name} holds several .qde files ({', '.join(qdes)})")
            qdes = named
        qde = read_member(archive, qdes[0], name, KIND)
        warnings: list[str] = []

        def source_file(path: str) -> bytes | None:
            file_name = path
            if path.lower().startswith("internal://"):
                file_name = path[len("internal://") :]
            else:
                warnings.append(
                    f"{name}: source path {path!r} lacks internal://; looked for it in sources/"
                )
            if not _PLAIN_NAME.fullmatch(file_name) or file_name in (".", ".."):
                raise InvalidInput(
                    f"{name} is refused: source path {path!r} points outside sources/"
                )
            member = sources.get(file_name.lower())
            return None if member is None else read_member(archive, member, name, KIND)

        project = read_project(qde, f"{name}:{qdes[0]}", source_file)
    if warnings:
        from dataclasses import replace

        project = replace(project, warnings=(*project.warnings, *dict.fromkeys(warnings)))
    return project


def write_qdpx(project: ExProject, origin: str) -> bytes:
    """The .qdpx bytes: ``project.qde`` and each source as UTF-8 ``.txt`` with ``\\n``."""
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", compression=zipfile.ZIP_DEFLATED) as archive:
        archive.writestr(zipfile.ZipInfo("project.qde", _ZIP_TIME), write_project(project, origin))
        for source in project.sources:
            info = zipfile.ZipInfo(f"sources/{source.guid}.txt", _ZIP_TIME)
            info.compress_type = zipfile.ZIP_DEFLATED
            archive.writestr(info, source.text.encode("utf-8"))
    return buffer.getvalue()
