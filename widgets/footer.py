"""A footer that shows only the key hints that fit whole: fewer hints, never half of one.

When not all fit, the help key is kept first, then the screen's own keys (its actions: New,
Refund, Capture...), then the focused widget's and the app's (Copy id, Inspect, Refresh), which
every list has and the help screen lists; the kept hints stay in their order.
"""

from __future__ import annotations

from rich.cells import cell_len
from textual import events
from textual.app import ComposeResult
from textual.widgets import Footer
from textual.widgets._footer import FooterKey

HELP_ACTIONS = ("help", "app.help")
"""Kept before the others: the help screen lists every key the footer leaves out."""


class FittedFooter(Footer):
    """Textual's Footer, less the hints that the terminal's width would cut."""

    def __init__(self, *, compact: bool = False, show_command_palette: bool = True) -> None:
        super().__init__(compact=compact, show_command_palette=show_command_palette)
        self._fitted_width = 0

    def _key_width(self, key: FooterKey) -> int:
        # Footer's CSS: a compact key is "k description" and a margin of one; otherwise the key
        # is padded on both sides and the description on its right.
        key_width = cell_len(key.key_display)
        description = cell_len(key.description)
        if self.compact:
            return key_width + (1 + description if description else 0) + 1
        return key_width + 2 + (description + 1 if description else 0)

    def _rank(self, key: FooterKey) -> int:
        """0 for help, 1 for a key of the screen itself, 2 for the others."""
        if key.action in HELP_ACTIONS:
            return 0
        active = self.screen.active_bindings.get(key.key)
        return 1 if active is not None and active.node is self.screen else 2

    def compose(self) -> ComposeResult:
        widgets = list(super().compose())
        width = self._fitted_width = self.size.width or self.app.size.width
        keys = [w for w in widgets if isinstance(w, FooterKey)]
        if self.compact:
            # Born compact (the class the key's `compact` watcher sets once mounted, which
            # would restyle every key at each recompose).
            for key in keys:
                key.add_class("-compact", update=False)
        if sum(self._key_width(key) for key in keys) <= width:
            yield from widgets
            return
        room = width
        kept: set[int] = set()
        for key in sorted(keys, key=self._rank):  # a stable sort: the order within a rank stays
            if self._key_width(key) <= room:
                kept.add(id(key))
                room -= self._key_width(key)
        for widget in widgets:
            if not isinstance(widget, FooterKey) or id(widget) in kept:
                yield widget

    def on_resize(self, event: events.Resize) -> None:
        if event.size.width != self._fitted_width:
            self.call_after_refresh(self.recompose)
