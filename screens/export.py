"""Export this list: the list a screen shows, with its filter, to a CSV or JSON lines file.

The screen's list says what it lists: its table's `Resource` (a name such as "customers" and the
`fetch` that applies the screen's filter). The export pages through that same `fetch` in a
worker (tui/export.py does the paging and writing), shows how many objects are written, and
stops after the current page when asked, leaving a whole file up to there.
"""

from __future__ import annotations

import contextlib
import threading
from datetime import datetime
from pathlib import Path
from typing import TYPE_CHECKING, Any, ClassVar, cast

from textual import on, work
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Horizontal, Vertical
from textual.content import Content
from textual.screen import ModalScreen
from textual.widgets import Button, Footer, ProgressBar, Static
from textual.worker import Worker, WorkerState

from tui.export import Fetch, Kind, Outcome, export, kind_listed_as
from widgets.form import Field, FormScreen, FormSpec
from widgets.literal import literal
from widgets.resource_table import ResourceTable

if TYPE_CHECKING:
    from screens.base import ConsoleScreen
    from tui.app import StripeApp

TITLE = "Export this list"
FORMAT_CHOICES = (
    ("csv", "CSV: the list's columns, id and created"),
    ("jsonl", "JSON lines: Stripe's objects"),
)
NOTHING_HERE = "Nothing to export here: choose a list of Stripe objects first."


def list_table(screen: ConsoleScreen) -> ResourceTable | None:
    """The list to export: the focused table, else the screen's active one, else its first."""
    tables = [t for t in screen.query(ResourceTable) if t.resource is not None]
    focused = screen.focused
    for table in tables:
        if table is focused:
            return table
    active = [t for t in tables if t.has_class("-active")]
    return next(iter(active or tables), None)


def list_title(table: ResourceTable) -> str:
    """What the list shows, as its border says it ("Customers matching "jenny"")."""
    title = table.border_title or ""
    return Content.from_markup(title).plain.removesuffix("/ filter").strip()


def default_path(kind: Kind, fmt: str = "csv", now: datetime | None = None) -> str:
    """`./customers-20240501-120000.csv`: in the current folder, named by kind and time."""
    stamp = (now or datetime.now()).strftime("%Y%m%d-%H%M%S")
    return f"./{kind.word}-{stamp}.{fmt}"


def export_form(kind: Kind, what: str, path: str) -> FormSpec:
    def check(values: dict[str, Any]) -> dict[str, str]:
        target = Path(values["path"]).expanduser()
        if target.is_dir():
            return {"path": f"{target} is a folder: give a file name."}
        if not target.parent.is_dir():
            return {"path": f"The folder {target.parent} does not exist."}
        return {}

    return FormSpec(
        title=TITLE,
        fields=(
            Field("format", "Format", kind="choice", required=True, choices=FORMAT_CHOICES),
            Field(
                "path",
                "File",
                required=True,
                default=path,
                help=f"Every object of {what}, newest first. An existing file is replaced only "
                "if you say so.",
            ),
        ),
        submit_label="Export",
        check=check,
        writes=False,
    )


def export_list(screen: ConsoleScreen) -> None:
    """Open "Export this list" for the list the screen shows (with its filter)."""
    table = list_table(screen)
    resource = table.resource if table is not None else None
    kind = kind_listed_as(resource.name) if resource is not None else None
    if table is None or resource is None or kind is None:
        screen.notify(NOTHING_HERE, severity="warning")
        return
    what = list_title(table) or kind.listed_as
    ask(screen, kind, resource.fetch, what, {"format": "csv", "path": default_path(kind)})


def ask(screen: ConsoleScreen, kind: Kind, fetch: Fetch, what: str, values: dict[str, str]) -> None:
    """The form; then, for an existing file, whether to replace it; then the export."""
    csv_default = values["path"]

    def submit(chosen: dict[str, Any], key: str) -> dict[str, str]:
        return {"format": chosen["format"], "path": chosen["path"]}

    def chosen(result: dict[str, str] | None) -> None:
        if result is None:
            return
        fmt, path = result["format"], result["path"]
        if fmt == "jsonl" and path == csv_default and path.endswith(".csv"):
            path = path.removesuffix(".csv") + ".jsonl"  # the default name follows the format
        target = Path(path).expanduser()

        def start(overwrite: bool) -> None:
            job = ExportScreen(kind, fetch, fmt, target, what=what, overwrite=overwrite)
            screen.app.push_screen(job, lambda outcome: finished(job, outcome))

        if not target.exists():
            start(False)
            return

        def replace(yes: bool | None) -> None:
            if yes:
                start(True)
            else:  # back to the form, to choose another name
                ask(screen, kind, fetch, what, {"format": fmt, "path": path})

        screen.app.push_screen(OverwriteScreen(target), replace)

    def finished(job: ExportScreen, outcome: Outcome | None) -> None:
        if outcome is None:
            return  # failed: the export screen said why
        listed = kind.listed_as if outcome.written != 1 else kind.listed_as.removesuffix("s")
        count = f"{outcome.written:,} {listed}"
        if outcome.complete:
            screen.notify(f"Wrote {count} to {job.path}", title="Exported")
        else:
            screen.notify(
                f"Stopped: {count} written to {job.path} (a whole file up to there).",
                title="Export stopped",
                severity="warning",
            )

    spec = export_form(kind, what, csv_default)
    screen.app.push_screen(FormScreen(spec, submit, values=values), chosen)


class OverwriteScreen(ModalScreen[bool]):
    """The file exists: replace it (y), or go back to choose another name (n, escape)."""

    DEFAULT_CSS = """
    OverwriteScreen { align: center middle; }
    OverwriteScreen > #overwrite-dialog {
        width: 72; max-width: 95%; height: auto; padding: 1 2;
        border: thick $warning; border-title-style: bold; background: $surface;
    }
    OverwriteScreen #overwrite-buttons { height: auto; margin-top: 1; }
    OverwriteScreen #overwrite-buttons Button { margin-right: 2; }
    """
    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("y", "answer(True)", "Replace", id="overwrite.yes"),
        Binding("n,escape", "answer(False)", "Keep it", id="overwrite.no"),
    ]

    def __init__(self, path: Path) -> None:
        super().__init__()
        self.path = path

    def compose(self) -> ComposeResult:
        with Vertical(id="overwrite-dialog") as dialog:
            dialog.border_title = "The file exists"
            yield Static(literal(f"{self.path} exists. Replace it?"), id="overwrite-prompt")
            with Horizontal(id="overwrite-buttons"):
                yield Button("Replace it", variant="warning", id="overwrite-yes", compact=True)
                yield Button("Keep it", id="overwrite-no", compact=True)
        yield Footer()

    def on_mount(self) -> None:
        self.query_one("#overwrite-no", Button).focus()

    def action_answer(self, yes: bool) -> None:
        self.dismiss(yes)

    @on(Button.Pressed)
    def _pressed(self, event: Button.Pressed) -> None:
        self.dismiss(event.button.id == "overwrite-yes")


class ExportScreen(ModalScreen[Outcome | None]):
    """The export under way: how many written so far, and Stop (after the current page)."""

    DEFAULT_CSS = """
    ExportScreen { align: center middle; }
    ExportScreen > #export-dialog {
        width: 76; max-width: 95%; height: auto; padding: 1 2;
        border: thick $accent; border-title-style: bold; background: $surface;
    }
    ExportScreen #export-what { margin-bottom: 1; }
    ExportScreen #export-count { margin-top: 1; color: $text-muted; }
    ExportScreen #export-stop { margin-top: 1; }
    """
    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("escape", "stop", "Stop", id="export.stop"),
    ]

    def __init__(
        self,
        kind: Kind,
        fetch: Fetch,
        fmt: str,
        path: Path,
        *,
        what: str,
        overwrite: bool = False,
    ) -> None:
        super().__init__()
        self.kind = kind
        self.fetch = fetch
        self.fmt = fmt
        self.path = path
        self.what = what
        self.overwrite = overwrite
        self.written = 0
        self.stopping = threading.Event()

    def compose(self) -> ComposeResult:
        with Vertical(id="export-dialog") as dialog:
            dialog.border_title = TITLE
            yield Static(literal(f"{self.what} → {self.path}"), id="export-what")
            yield ProgressBar(total=None, show_percentage=False, show_eta=False)
            yield Static(self._count(), id="export-count")
            yield Button("Stop", id="export-stop", compact=True)
        yield Footer()

    def on_mount(self) -> None:
        self._run()

    def _count(self) -> str:
        return f"{self.written:,} {self.kind.listed_as} written"

    def _progress(self, written: int) -> None:
        self.written = written
        self.query_one("#export-count", Static).update(self._count())

    @work(thread=True, exclusive=True, group="export", exit_on_error=False)
    def _run(self) -> Outcome:
        def report(written: int) -> None:
            self.app.call_from_thread(self._progress, written)

        mode = "w" if self.overwrite else "x"  # "x": never replace a file nobody agreed to
        with open(self.path, mode, encoding="utf-8", newline="") as out:
            return export(self.fetch, self.kind, self.fmt, out, stop=self.stopping, progress=report)

    def action_stop(self) -> None:
        self.stopping.set()
        button = self.query_one("#export-stop", Button)
        button.label = "Stopping after this page…"
        button.disabled = True

    @on(Button.Pressed, "#export-stop")
    def _stop_pressed(self) -> None:
        self.action_stop()

    def on_worker_state_changed(self, event: Worker.StateChanged) -> None:
        worker = event.worker
        if worker.group != "export":
            return
        if event.state == WorkerState.SUCCESS:
            self.dismiss(worker.result)
        elif event.state == WorkerState.ERROR:
            error = worker.error
            assert error is not None
            self._forget_empty_file(error)
            title = f"Export failed after {self.written:,} {self.kind.listed_as}"
            if isinstance(error, OSError):
                reason = error.strerror or str(error)
                self.app.notify(f"{self.path}: {reason}", title=title, severity="error")
            else:
                cast("StripeApp", self.app).report_error(error, title)
            self.dismiss(None)

    def _forget_empty_file(self, error: BaseException) -> None:
        """A file this export made and could not write a byte into is not left behind."""
        if self.overwrite or isinstance(error, FileExistsError):
            return
        with contextlib.suppress(OSError):
            if self.path.stat().st_size == 0:
                self.path.unlink()

    def on_unmount(self) -> None:
        self.stopping.set()  # the app is closing: no more pages
