"""The request log screen: every request the console sent this session, newest first.

The gateway records them (`tui.requestlog`); this screen reads the log, filters it, shows one
request's parameters and response, and copies it as its request id, a `curl` or a `stripe`
command (with the key written as `$STRIPE_API_KEY`).
"""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any, ClassVar

from rich.text import Text
from textual import on
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Vertical
from textual.timer import Timer
from textual.widgets import Input

from screens.base import GO_TO, ConsoleAction, FittedListScreen
from screens.common import text
from tui.gateway import Page
from tui.requestlog import (
    Entry,
    RequestLog,
    curl_command,
    failed,
    matches,
    response_body,
    sent_params,
    stripe_command,
)
from widgets.detail import DetailPane
from widgets.inspector import JsonInspector
from widgets.literal import literal, literal_str
from widgets.resource_table import Column, Resource, ResourceTable

PAGE_SIZE = 100
POLL_SECONDS = 1.0
SCROLLBAR = 2
TIME_WIDTH = 8
METHOD_WIDTH = 6
STATUS_WIDTH = 3
PATH_MIN = 20
REQUEST_ID_WIDTH = 18  # Stripe's: req_ and 14 characters
EXTRAS: tuple[tuple[str, int], ...] = (("Request id", REQUEST_ID_WIDTH), ("ms", 6), ("Retries", 7))


def _time(entry: Entry) -> str:
    value = entry.get("time")
    if not isinstance(value, int | float):
        return "—"
    return datetime.fromtimestamp(value, tz=UTC).strftime("%H:%M:%S")


def _status(entry: Entry) -> Text:
    status = entry.get("status")
    label = str(status) if isinstance(status, int) else "—"
    return literal(label, style="bold red" if failed(entry) else "green")


def _extra(label: str) -> Any:
    if label == "ms":
        return lambda e: text(e.get("latency_ms"))
    if label == "Retries":
        return lambda e: str(e.get("retries") or "")
    return lambda e: text(e.get("request_id"))


def log_columns(width: int) -> tuple[Column, ...]:
    """Time, method, path and status always; latency, retries and the request id while they
    fit (the detail pane shows them all)."""
    room = max(width, 0) - SCROLLBAR
    used = TIME_WIDTH + METHOD_WIDTH + STATUS_WIDTH + 4 * 2
    extras: list[Column] = []
    for label, size in EXTRAS:
        if room - used - size - 2 < PATH_MIN:
            break
        used += size + 2
        extras.append(Column(label, _extra(label), width=size))
    return (
        Column("Time", _time, width=TIME_WIDTH),
        Column("Method", lambda e: text(e.get("method")), width=METHOD_WIDTH),
        Column("Path", lambda e: text(e.get("path")), width=max(room - used, PATH_MIN)),
        Column("St", _status, width=STATUS_WIDTH),
        *extras,
    )


def entry_rows(entry: Entry) -> list[tuple[str, str | Text]]:
    """The detail pane's rows for one request."""
    error = entry.get("error") if isinstance(entry.get("error"), dict) else None
    when = entry.get("time")
    stamp = (
        datetime.fromtimestamp(when, tz=UTC).strftime("%Y-%m-%d %H:%M:%S UTC")
        if isinstance(when, int | float)
        else "—"
    )
    rows: list[tuple[str, str | Text]] = [
        ("request id", text(entry.get("request_id"))),
        ("status", _status(entry)),
    ]
    if error:
        rows += [("error", text(error.get("type"))), ("message", text(error.get("message")))]
        rows += [
            (name, text(error[name])) for name in ("code", "decline_code", "param") if name in error
        ]
    rows += [
        ("time", stamp),
        ("latency", f"{entry.get('latency_ms')} ms"),
        ("retries", str(entry.get("retries") or 0)),
        ("idempotency key", text(entry.get("idempotency_key"))),
        ("api base", text(entry.get("api_base"))),
        ("stripe version", text(entry.get("stripe_version"))),
    ]
    params = entry.get("params") or []
    # One parameter a line: a newline inside a value is shown escaped, as in the list.
    rows.append(("params", "\n".join(literal_str(f"{k}={v}") for k, v in params) or "—"))
    if entry.get("response_note"):
        rows.append(("response", text(entry.get("response_note"))))
    return rows


def _title(entry: Entry) -> str:
    return f"{entry.get('method', '')} {entry.get('path', '')}"


class RequestLogTable(ResourceTable):
    """The log's rows: `y` copies the request id, `c` a curl command, `s` a stripe command."""

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("y", "copy", "Copy id", id="requests.copy", tooltip="Copy the request id"),
        Binding("c", "copy_curl", "curl", id="requests.curl", tooltip="Copy as a curl command"),
        Binding(
            "s", "copy_stripe", "CLI", id="requests.stripe", tooltip="Copy as a stripe command"
        ),
    ]

    def action_copy(self) -> None:
        entry = self.selected
        request_id = entry.get("request_id") if entry else None
        if not request_id:
            self.notify("No request id: Stripe did not answer this one.", severity="warning")
            return
        self.app.copy_to_clipboard(str(request_id))
        self.notify(f"Copied {request_id}")

    def _copy_command(self, make: Any, what: str) -> None:
        entry = self.selected
        if entry is None:
            self.notify("Nothing selected to copy.", severity="warning")
            return
        self.app.copy_to_clipboard(make(entry))
        self.notify(f"Copied {_title(entry)} as a {what} command (key: $STRIPE_API_KEY)")

    def action_copy_curl(self) -> None:
        self._copy_command(curl_command, "curl")

    def action_copy_stripe(self) -> None:
        self._copy_command(stripe_command, "stripe CLI")

    def action_inspect(self) -> None:
        entry = self.selected
        if entry is None:
            self.notify("Nothing selected to inspect.", severity="warning")
            return
        self.app.push_screen(request_inspector(entry))


def request_inspector(entry: Entry) -> JsonInspector:
    """What was sent and what came back, as JSON (both already redacted by the gateway)."""
    shown = {
        "request": {
            "method": entry.get("method"),
            "url": f"{entry.get('api_base', '')}{entry.get('path', '')}",
            "idempotency_key": entry.get("idempotency_key"),
            "stripe_version": entry.get("stripe_version"),
            "params": sent_params(entry),
        },
        "response": {
            "status": entry.get("status"),
            "request_id": entry.get("request_id"),
            "body": response_body(entry),
        },
    }
    if entry.get("error") and entry.get("status") is None:
        shown["response"]["error"] = entry["error"]
    if entry.get("response_note"):
        shown["response"]["note"] = entry["response_note"]
    return JsonInspector(shown, title=_title(entry))


class RequestLogScreen(FittedListScreen):
    """The session's requests, newest first, with the selected one's detail."""

    MODE = "requests"
    ACTIONS: ClassVar[tuple[ConsoleAction, ...]] = (
        ConsoleAction(
            "Show the request log",
            "every request sent this session: status, request id, latency, errors",
            "show_log",
            writes=False,
        ),
    )
    SHARED_ACTIONS: ClassVar[tuple[ConsoleAction, ...]] = (GO_TO,)  # no export: --log-file keeps it
    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("slash", "filter", "Filter", key_display="/", id="requests.filter"),
        Binding("f", "failures", "Failures", id="requests.failures"),
        Binding("escape", "clear_filter", "Clear", show=False, id="requests.clear"),
    ]

    LIST_SHARE = (3, 5)

    def __init__(self) -> None:
        super().__init__()
        self.filter_text = ""
        self.failures_only = False
        self._seen = -1
        self._detail_timer: Timer | None = None

    def compose_body(self) -> ComposeResult:
        with Vertical(classes="body"):
            with Vertical(classes="list-pane"):
                with Vertical(classes="filter-bar", id="requests-filter-bar"):
                    yield Input(
                        placeholder="part of a path or request id, a status (404, 4xx)",
                        id="requests-filter",
                    )
                table = RequestLogTable(id="requests")
                table.border_title = "Request log"
                yield table
            with Vertical(classes="detail-pane"):
                yield DetailPane(id="request-detail")

    @property
    def table(self) -> RequestLogTable:
        return self.query_one("#requests", RequestLogTable)

    def list_columns(self, width: int) -> tuple[Column, ...]:
        return log_columns(width)

    @property
    def request_log(self) -> RequestLog:
        log: RequestLog = self.gateway.request_log
        return log

    def on_mount(self) -> None:
        self.query_one("#request-detail", DetailPane).clear("Select a request.")
        self.table.focus()
        self.call_after_refresh(self._reload)
        self.set_interval(POLL_SECONDS, self._poll)

    def _poll(self) -> None:
        """Show new requests as they are made (the log is read, never Stripe)."""
        if (
            self.is_current
            and self.request_log.last_seq != self._seen
            and not self.table.is_loading
        ):
            self._reload()

    def _resource(self) -> Resource:
        log = self.request_log
        query = self.filter_text
        failures = self.failures_only

        def fetch(cursor: str | None) -> Page:
            entries = [
                {**e, "id": f"#{e['seq']}"}
                for e in log.entries()
                if (not failures or failed(e)) and matches(e, query)
            ]
            start = int(cursor) if cursor else 0
            end = start + PAGE_SIZE
            return Page(entries[start:end], str(end) if end < len(entries) else None)

        empty = "No requests yet this session."
        if query or failures:
            empty = "No request matches. Escape clears the filter."
        return Resource("requests", self.fitted_columns(), fetch, empty_text=empty)

    def _reload(self) -> None:
        self._seen = self.request_log.last_seq
        parts = []
        if self.failures_only:
            parts.append("failures")
        if self.filter_text:
            parts.append(f"matching {self.filter_text!r}")
        title = "Request log" + (f": {', '.join(parts)}" if parts else "")
        self.table.border_title = literal(title)
        self.table.load(self._resource())
        if self.request_log.file_error:
            self.notify(self.request_log.file_error, severity="error")

    # Filter ----------------------------------------------------------------------------------

    def action_filter(self) -> None:
        self.query_one("#requests-filter-bar").add_class("-shown")
        self.query_one("#requests-filter", Input).focus()

    @on(Input.Submitted, "#requests-filter")
    def _apply_filter(self, event: Input.Submitted) -> None:
        self.filter_text = event.value.strip()
        if not self.filter_text:
            self.query_one("#requests-filter-bar").remove_class("-shown")
        self._reload()
        self.table.focus()

    def action_failures(self) -> None:
        self.failures_only = not self.failures_only
        self._reload()

    def action_clear_filter(self) -> None:
        had = bool(self.filter_text) or self.failures_only
        self.query_one("#requests-filter", Input).value = ""
        self.query_one("#requests-filter-bar").remove_class("-shown")
        self.filter_text = ""
        self.failures_only = False
        if had:
            self._reload()
        self.table.focus()

    # Detail ----------------------------------------------------------------------------------

    @on(ResourceTable.Highlighted, "#requests")
    def _highlighted(self, event: ResourceTable.Highlighted) -> None:
        if self._detail_timer is not None:
            self._detail_timer.stop()
        item = event.item
        self._detail_timer = self.set_timer(0.15, lambda: self.show_entry(item))

    def show_entry(self, entry: Entry) -> None:
        self.query_one("#request-detail", DetailPane).show(_title(entry), entry_rows(entry))

    @on(ResourceTable.Opened, "#requests")
    def _open_entry(self, event: ResourceTable.Opened) -> None:
        self.app.push_screen(request_inspector(event.item))

    # Palette ---------------------------------------------------------------------------------

    def show_log(self) -> None:
        """The palette's "Show the request log": the newest requests, the filter kept."""
        self.table.focus()
        self._reload()
