"""Where the Stripe CLI keeps its config (`stripe login` writes the test key there).

On its own, with no imports but `os`: `stripe-tui` reads it before anything else is imported
(tui/launch.py), to tell whether a key may come from somewhere; tui/settings.py reads the file.
"""

from __future__ import annotations

import os
from collections.abc import Mapping


def config_file(environ: Mapping[str, str]) -> str:
    """$XDG_CONFIG_HOME/stripe/config.toml, else ~/.config/stripe/config.toml."""
    base = environ.get("XDG_CONFIG_HOME") or os.path.join(environ.get("HOME", "~"), ".config")
    return os.path.join(os.path.expanduser(base), "stripe", "config.toml")
