"""A one-line banner that always shows which Stripe the console talks to, and with which key."""

from __future__ import annotations

from textual.content import Content
from textual.reactive import reactive
from textual.widgets import Static

from tui.settings import Mode
from widgets.literal import literal_str


class ModeBanner(Static):
    """SANDBOX (green), TEST (amber) or LIVE (white on red), the masked key and a detail."""

    DEFAULT_CSS = """
    ModeBanner {
        height: 1;
        width: 100%;
        text-wrap: nowrap;
        text-overflow: ellipsis;
        background: $panel;
        color: $text-muted;
        padding: 0 1;
    }
    ModeBanner.-live {
        background: $error 30%;
    }
    """

    mode: reactive[Mode] = reactive(Mode.SANDBOX)
    """Which Stripe the console talks to."""
    masked_key: reactive[str] = reactive("")
    """The key as `mask_key` shows it; never the whole key."""
    detail: reactive[str] = reactive("")
    """Extra context, e.g. the API base."""
    read_only: reactive[bool] = reactive(False)
    """Whether writes are disabled (`--read-only`)."""

    def __init__(
        self,
        mode: Mode,
        masked_key: str,
        detail: str = "",
        *,
        read_only: bool = False,
        name: str | None = None,
        id: str | None = None,
        classes: str | None = None,
    ) -> None:
        super().__init__(name=name, id=id, classes=classes)
        self.set_reactive(ModeBanner.mode, mode)
        self.set_reactive(ModeBanner.masked_key, masked_key)
        self.set_reactive(ModeBanner.detail, detail)
        self.set_reactive(ModeBanner.read_only, read_only)

    def on_mount(self) -> None:
        self._redraw()

    def watch_mode(self) -> None:
        self._redraw()

    def watch_masked_key(self) -> None:
        self._redraw()

    def watch_detail(self) -> None:
        self._redraw()

    def watch_read_only(self) -> None:
        self._redraw()

    BADGES = {
        Mode.SANDBOX: "bold $text on $success",
        Mode.TEST: "bold $text on $warning",
        Mode.LIVE: "bold #ffffff on $error",
    }

    def banner_content(self) -> Content:
        """The banner's text, as rendered."""
        parts: list[str | tuple[str, str]] = [(f" {self.mode.value} ", self.BADGES[self.mode])]
        if self.read_only:
            parts += [" ", (" READ-ONLY ", "bold reverse")]
        if self.masked_key:
            parts.append(f"  {literal_str(self.masked_key)}")
        if self.detail:
            parts.append((f"  {literal_str(self.detail)}", "dim"))
        return Content.assemble(*parts)

    def _redraw(self) -> None:
        self.set_class(self.mode is Mode.LIVE, "-live")
        if self.is_attached:
            self.update(self.banner_content())
