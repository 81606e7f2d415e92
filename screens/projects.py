"""Switch Stripe project: pick a project of the Stripe CLI's config and reconnect with its key.

The projects are read from the Stripe CLI's own file (never written). Only a project's test key
is used; it is shown masked. Switching is not a write, so it is offered in read-only mode too,
and the new connection stays read-only.
"""

from __future__ import annotations

import os
from datetime import date
from typing import TYPE_CHECKING, ClassVar, cast

from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.command import DiscoveryHit, Hit, Hits, Provider
from textual.containers import Vertical
from textual.content import Content
from textual.screen import ModalScreen
from textual.widgets import Label, OptionList
from textual.widgets.option_list import Option

from tui.settings import (
    SettingsError,
    StripeProject,
    key_expiry_warning,
    stripe_cli_config_path,
    stripe_cli_projects,
)
from widgets.literal import literal_str

if TYPE_CHECKING:
    from tui.app import StripeApp

TITLE = "Switch Stripe project"
HELP = "reconnect with another Stripe CLI project's test key"


def _label(project: StripeProject, current: str | None) -> Content:
    parts: list[str | tuple[str, str]] = [literal_str(project.name)]
    if project.display_name and project.display_name != project.name:
        parts.append(f"  {literal_str(project.display_name)}")
    key = project.test_key.masked if project.test_key else "no test key"
    parts.append((f"  {key}", "dim"))
    if warning := key_expiry_warning(project.name, project.key_expires_at, date.today()):
        parts.append(("  expired" if "expired" in warning else "  expires soon", "bold $warning"))
    if project.name == current:
        parts.append(("  (current)", "dim"))
    return Content.assemble(*parts)


class ProjectPicker(ModalScreen[StripeProject | None]):
    """The Stripe CLI's projects, one per line: enter picks one, escape keeps the current."""

    DEFAULT_CSS = """
    ProjectPicker { align: center middle; }
    ProjectPicker > Vertical {
        width: 72; max-width: 100%; height: auto; max-height: 80%;
        border: round $accent; background: $surface; padding: 0 1;
    }
    ProjectPicker OptionList { height: auto; max-height: 16; }
    """
    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("escape", "dismiss(None)", "Cancel", id="projects.cancel"),
    ]

    def __init__(self, projects: list[StripeProject], current: str | None, source: str) -> None:
        super().__init__()
        self.projects = projects
        self.current = current
        self.source = source

    def compose(self) -> ComposeResult:
        with Vertical() as box:
            box.border_title = TITLE
            yield Label(Content(f"From {literal_str(self.source)}"))
            yield OptionList(
                *(Option(_label(p, self.current), id=str(i)) for i, p in enumerate(self.projects)),
            )

    def on_option_list_option_selected(self, event: OptionList.OptionSelected) -> None:
        event.stop()
        self.dismiss(self.projects[int(event.option_id or 0)])


def open_project_picker(app: StripeApp) -> None:
    """Read the Stripe CLI config and show its projects (or say why there are none)."""
    path = stripe_cli_config_path(os.environ)
    try:
        projects = stripe_cli_projects(path)
    except SettingsError as exc:
        app.notify(str(exc), title=TITLE, severity="error")
        return
    if not projects:
        app.notify(
            f"No Stripe CLI projects in {path}: `stripe login` adds one.",
            title=TITLE,
            severity="warning",
        )
        return

    async def chosen(project: StripeProject | None) -> None:
        if project is not None:
            await app.switch_project(project)

    app.push_screen(ProjectPicker(projects, app.settings.project, str(path)), chosen)


class ProjectsProvider(Provider):
    """The palette's "Switch Stripe project"."""

    def _open(self) -> None:
        open_project_picker(cast("StripeApp", self.app))

    async def discover(self) -> Hits:
        yield DiscoveryHit(TITLE, self._open, help=HELP)

    async def search(self, query: str) -> Hits:
        matcher = self.matcher(query)
        if (score := matcher.match(TITLE)) > 0:
            yield Hit(score, matcher.highlight(TITLE), self._open, text=TITLE, help=HELP)
