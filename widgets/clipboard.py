"""Copying in a terminal: OSC 52, which works over SSH but which a terminal may ignore silently.

Textual cannot know whether the terminal took the text, so the message never says it was
copied: it shows the value whole, long enough to select it by hand.
"""

from __future__ import annotations

from textual.widget import Widget

OSC52_NOTE = "Sent to the clipboard (OSC 52) if your terminal allows it."
SHOWN_FOR = 12.0
"""Seconds the value stays on screen, time enough to select it by hand."""


def offer_copy(widget: Widget, label: str, value: str) -> None:
    """Send `value` to the clipboard and show it in full under `label` ("Id", "Url")."""
    widget.app.copy_to_clipboard(value)
    widget.notify(f"{value}\n{OSC52_NOTE}", title=label, markup=False, timeout=SHOWN_FOR)
