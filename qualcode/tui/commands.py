"""Command palette providers: "Apply code …" on the coding screen and "Go to
transcript …" everywhere."""

from __future__ import annotations

from functools import partial
from typing import TYPE_CHECKING, cast

from textual.command import DiscoveryHit, Hit, Hits, Provider

from qualcode.domain.records import Transcript
from qualcode.services import transcripts
from qualcode.tui.screens.base import WorkbenchScreen

if TYPE_CHECKING:
    from qualcode.tui.screens.coding import CodingScreen


class ApplyCodeCommands(Provider):
    """One command per code that can be applied; only registered on the coding screen."""

    def _commands(self) -> list[tuple[str, str, str]]:
        screen = cast("CodingScreen", self.screen)
        language = screen.workbench.language
        return [
            (
                f"Apply code {code.key} {code.label(language)}",
                code.key,
                code.text_marked("definition", language) or "",
            )
            for code in screen.applicable_codes
        ]

    async def discover(self) -> Hits:
        screen = cast("CodingScreen", self.screen)
        for title, key, definition in self._commands():
            yield DiscoveryHit(title, partial(screen.apply_code, key), help=definition)

    async def search(self, query: str) -> Hits:
        screen = cast("CodingScreen", self.screen)
        matcher = self.matcher(query)
        for title, key, definition in self._commands():
            score = matcher.match(title)
            if score > 0:
                yield Hit(score, matcher.highlight(title), partial(screen.apply_code, key),
                          help=definition)  # fmt: skip


class GoToTranscriptCommands(Provider):
    """One command per transcript, opening it on the coding screen."""

    async def startup(self) -> None:
        screen = cast(WorkbenchScreen, self.screen)
        self._transcripts: list[Transcript] = transcripts.list_transcripts(screen.workbench.project)

    def _commands(self) -> list[tuple[str, int, str]]:
        return [
            (f"Go to transcript {t.title}", t.id,
             f"{t.mode.replace('_', ' ')}, {t.word_count} words")
            for t in self._transcripts
        ]  # fmt: skip

    async def discover(self) -> Hits:
        screen = cast(WorkbenchScreen, self.screen)
        for title, transcript_id, help_text in self._commands():
            open_it = partial(screen.open_transcript, transcript_id)
            yield DiscoveryHit(title, open_it, help=help_text)

    async def search(self, query: str) -> Hits:
        screen = cast(WorkbenchScreen, self.screen)
        matcher = self.matcher(query)
        for title, transcript_id, help_text in self._commands():
            score = matcher.match(title)
            if score > 0:
                open_it = partial(screen.open_transcript, transcript_id)
                yield Hit(score, matcher.highlight(title), open_it, help=help_text)
