"""Where the key comes from, which mode the console runs in, and where its files live.

The key is resolved in this order: `--api-key`, the `STRIPE_API_KEY` environment variable, the
Stripe CLI's own config file (written by `stripe login`), and otherwise the embedded sandbox.
The key is held in a `SecretKey`, whose str() and repr() never show it whole.
"""

from __future__ import annotations

import argparse
import os
from collections.abc import Mapping
from dataclasses import dataclass, field, replace
from datetime import date, datetime
from enum import StrEnum
from pathlib import Path
from typing import TYPE_CHECKING

from tui.sandbox.cli import default_db, webhook_config
from tui.stripe_cli import config_file

if TYPE_CHECKING:
    from tui.sandbox.webhooks import WebhookConfig

APP_NAME = "stripe-tui"


class Mode(StrEnum):
    """Which Stripe the console talks to."""

    SANDBOX = "SANDBOX"
    TEST = "TEST"
    LIVE = "LIVE"


class SettingsError(Exception):
    """A key or option the console refuses to start with; str() says why, for the operator."""


class SecretKey:
    """An API key whose str() and repr() show only its prefix and last four characters."""

    __slots__ = ("_value",)

    def __init__(self, value: str) -> None:
        self._value = value

    def reveal(self) -> str:
        """The whole key, for the gateway alone."""
        return self._value

    @property
    def masked(self) -> str:
        return mask_key(self._value)

    def __str__(self) -> str:
        return self.masked

    def __repr__(self) -> str:
        return f"SecretKey({self.masked!r})"

    def __eq__(self, other: object) -> bool:
        return isinstance(other, SecretKey) and other._value == self._value

    def __hash__(self) -> int:
        return hash(self._value)


_KEY_PREFIXES = tuple(f"{kind}_{mode}_" for kind in ("sk", "rk", "pk") for mode in ("test", "live"))


def mask_key(key: str) -> str:
    """`sk_test_...wxyz`: the kind of key and its last four characters, nothing more."""
    # Only Stripe's own kinds are shown: the start of anything else may be the secret itself.
    prefix = next((p for p in _KEY_PREFIXES if key.startswith(p)), "")
    if len(key) < len(prefix) + 8:
        return f"{prefix}..." if prefix else "..."
    return f"{prefix}...{key[-4:]}"


def mode_of_key(key: str, *, allow_live: bool) -> Mode:
    """TEST or LIVE from the key's prefix.

    Publishable, unknown and (without --live) live keys are refused.
    """
    if key.startswith(("sk_test_", "rk_test_")):
        return Mode.TEST
    if key.startswith(("sk_live_", "rk_live_")):
        if not allow_live:
            raise SettingsError(
                f"Refusing the live key {mask_key(key)}: live mode moves real money. "
                "Start with --live to use it (add --read-only to browse without writes)."
            )
        return Mode.LIVE
    if key.startswith("pk_"):
        raise SettingsError(
            f"{mask_key(key)} is a publishable key; the console needs a secret key "
            "(sk_test_... or sk_live_...) or a restricted key (rk_...)."
        )
    raise SettingsError(
        f"{mask_key(key)} is not a Stripe secret key: expected sk_test_, sk_live_, rk_test_ "
        "or rk_live_."
    )


def check_key_text(key: str, source: str) -> None:
    """Refuse a key with whitespace, control or non-ASCII characters inside, without showing it.

    Such a key is a copy-paste accident, and every library that quotes the header it breaks
    would print it whole.
    """
    if key.isascii() and key.isprintable() and not any(ch.isspace() for ch in key):
        return
    raise SettingsError(
        f"The key from {source} contains whitespace or a control character (it is not shown "
        "here). Copy it again from the Stripe Dashboard."
    )


def stripe_cli_config_path(environ: Mapping[str, str]) -> Path:
    """The file `stripe login` writes: $XDG_CONFIG_HOME/stripe/config.toml, else ~/.config/..."""
    return Path(config_file(environ))


def _read_cli_config(path: Path) -> dict[str, object] | None:
    """The Stripe CLI config as a table, or None when the file does not exist."""
    try:
        text = path.read_text(encoding="utf-8")
    except FileNotFoundError:
        return None
    except OSError as exc:
        raise SettingsError(f"Cannot read the Stripe CLI config {path}: {exc}") from None
    import tomllib  # only when there is a config to read

    try:
        return tomllib.loads(text)
    except tomllib.TOMLDecodeError as exc:
        raise SettingsError(f"Cannot read the Stripe CLI config {path}: {exc}") from None


_PROFILE_FIELDS = frozenset(
    {"test_mode_api_key", "display_name", "device_name", "account_id", "live_mode_api_key"}
)


def _project_tables(data: Mapping[str, object]) -> dict[str, dict[str, object]]:
    """The projects of a Stripe CLI config: its top-level tables, and those under [profiles]
    (the layout `config_version = 2` files use; a project there wins over one of the same name
    at the top level)."""
    nested = data.get("profiles")
    container = (
        isinstance(nested, dict)
        and bool(nested)
        and all(isinstance(v, dict) for v in nested.values())
        and (data.get("config_version") == 2 or not _PROFILE_FIELDS & nested.keys())
    )
    tables: dict[str, dict[str, object]] = {k: v for k, v in data.items() if isinstance(v, dict)}
    if container:
        assert isinstance(nested, dict)
        del tables["profiles"]
        tables.update(nested)
    return tables


def key_from_stripe_cli(path: Path, project: str, *, required: bool = False) -> str | None:
    """The project's `test_mode_api_key` from the Stripe CLI config, or None when absent.

    With `required` (a project the operator named), a missing file, project or key is refused.
    """
    data = _read_cli_config(path)
    if data is not None and project in data and not isinstance(data[project], dict):
        raise SettingsError(f"{path}: [{project}] is not a table.")
    table = None if data is None else _project_tables(data).get(project)
    key = table.get("test_mode_api_key") if table is not None else None
    if isinstance(key, str) and key.strip():
        return key.strip()
    if required:
        if data is None:
            raise SettingsError(f"--project-name {project}: there is no Stripe CLI config {path}.")
        if table is None:
            known = ", ".join(sorted(_project_tables(data)))
            raise SettingsError(
                f"--project-name {project}: {path} has no [{project}] project"
                + (f" (it has: {known})." if known else ".")
            )
        raise SettingsError(f"--project-name {project}: [{project}] in {path} has no test key.")
    return None


def _expiry_date(value: object) -> date | None:
    """`test_mode_key_expires_at` as the Stripe CLI writes it ("2024-06-19"), or None."""
    if isinstance(value, datetime):
        return value.date()
    if isinstance(value, date):
        return value
    if isinstance(value, str):
        try:
            return date.fromisoformat(value.strip())
        except ValueError:
            return None
    return None


@dataclass(frozen=True)
class StripeProject:
    """One project (profile) of the Stripe CLI config; only its test key is ever used."""

    name: str
    display_name: str = ""
    test_key: SecretKey | None = None
    key_expires_at: date | None = None


def stripe_cli_projects(path: Path) -> list[StripeProject]:
    """The projects of the Stripe CLI config at `path` ([default] first), [] without a file."""
    data = _read_cli_config(path)
    projects = []
    for name, table in _project_tables(data or {}).items():
        key = table.get("test_mode_api_key")
        display = table.get("display_name")
        projects.append(
            StripeProject(
                name=name,
                display_name=display if isinstance(display, str) else "",
                test_key=SecretKey(key.strip()) if isinstance(key, str) and key.strip() else None,
                key_expires_at=_expiry_date(table.get("test_mode_key_expires_at")),
            )
        )
    return sorted(projects, key=lambda p: (p.name != "default", p.name))


EXPIRY_WARNING_DAYS = 7


def key_expiry_warning(project: str, expires_at: date | None, today: date) -> str | None:
    """What to tell the operator when a CLI project's test key has expired or soon will."""
    if expires_at is None:
        return None
    days = (expires_at - today).days
    renew = f"run `stripe login --project-name {project}` to renew it."
    if days < 0:
        return f"The test key of Stripe CLI project {project} expired on {expires_at}: {renew}"
    if days <= EXPIRY_WARNING_DAYS:
        when = "today" if days == 0 else "tomorrow" if days == 1 else f"in {days} days"
        return (
            f"The test key of Stripe CLI project {project} expires {when} ({expires_at}): {renew}"
        )
    return None


def check_log_file(path: Path) -> None:
    """Refuse a `--log-file` that cannot be a file: a directory, or in a missing folder."""
    if path.is_dir():
        raise SettingsError(f"--log-file {path} is a directory; give a file name.")
    if not path.parent.is_dir():
        raise SettingsError(f"--log-file {path}: the folder {path.parent} does not exist.")


@dataclass(frozen=True)
class Settings:
    """Everything the console needs to start, resolved once from the command line and env."""

    api_key: SecretKey | None = None
    """The key; None means the embedded sandbox, which is started before the app."""
    mode: Mode = Mode.SANDBOX
    api_base: str | None = None
    """Base URL of a Stripe-compatible API; None is real Stripe (or the sandbox once started)."""
    read_only: bool = False
    key_source: str = "embedded sandbox"
    """Where the key came from, to tell the operator (never the key itself)."""
    sandbox_db: Path | None = field(default=None)
    """The embedded sandbox's SQLite file; None keeps it in memory."""
    webhooks: WebhookConfig | None = None
    """Where the embedded sandbox forwards its events (`--forward-to`), with the signing secret."""
    log_file: Path | None = None
    """Where the request log is also written, as JSON lines (redacted); None: memory only."""
    project: str | None = None
    """The Stripe CLI project the key came from, if it did."""
    key_expires_at: date | None = None
    """When that project's test key expires (`test_mode_key_expires_at`), if known."""

    @property
    def masked_key(self) -> str:
        return self.api_key.masked if self.api_key else "no key needed"

    def for_project(self, project: StripeProject) -> Settings:
        """These settings with a Stripe CLI project's test key (read-only stays read-only)."""
        if project.test_key is None:
            raise SettingsError(
                f"[{project.name}] in the Stripe CLI config has no test key: run "
                f"`stripe login --project-name {project.name}`."
            )
        source = f"Stripe CLI config [{project.name}]"
        check_key_text(project.test_key.reveal(), source)
        return replace(
            self,
            api_key=project.test_key,
            mode=mode_of_key(project.test_key.reveal(), allow_live=False),
            key_source=source,
            project=project.name,
            key_expires_at=project.key_expires_at,
            sandbox_db=None,
            webhooks=None,
        )


def resolve(
    *,
    api_key: str | None = None,
    api_base: str | None = None,
    project_name: str | None = None,
    live: bool = False,
    read_only: bool = False,
    sandbox_db: Path | None = None,
    memory: bool = False,
    forward_to: str | None = None,
    webhook_secret: str | None = None,
    events: str | None = None,
    log_file: Path | None = None,
    environ: Mapping[str, str] | None = None,
) -> Settings:
    """Resolve the key and mode from the options, the environment and the Stripe CLI config.

    `project_name` None is the CLI config's [default] project, read only if it exists; a named
    project must exist. Options that cannot apply to the key's source are refused, not ignored.
    """
    env = os.environ if environ is None else environ
    if log_file is not None:
        check_log_file(log_file)
    sources: list[tuple[str, str | None]] = [
        ("--api-key", api_key),
        ("STRIPE_API_KEY", env.get("STRIPE_API_KEY") or None),
    ]
    key: str | None = None
    source = "embedded sandbox"
    for name, value in sources:
        if value:
            key, source = value.strip(), name
            break
    if key is not None and project_name is not None:
        raise SettingsError(
            f"--project-name reads the key from the Stripe CLI config, but {source} gives one: "
            f"drop one of them."
        )
    cli_project: StripeProject | None = None
    if key is None:
        project = project_name or "default"
        cli_path = stripe_cli_config_path(env)
        key = key_from_stripe_cli(cli_path, project, required=project_name is not None)
        if key is not None:
            source = f"Stripe CLI config [{project}]"
            cli_project = next(p for p in stripe_cli_projects(cli_path) if p.name == project)
    if key is None:
        if api_base is not None:
            raise SettingsError("--api-base needs a key (--api-key or STRIPE_API_KEY).")
        if live:
            raise SettingsError("--live needs a live key; the embedded sandbox is test mode.")
        db = None if memory else (sandbox_db or default_db())
        from tui.sandbox.webhooks import WebhookOptionError

        try:
            webhooks = webhook_config(forward_to, webhook_secret, events)
        except WebhookOptionError as exc:
            raise SettingsError(str(exc)) from None
        return Settings(read_only=read_only, sandbox_db=db, webhooks=webhooks, log_file=log_file)
    check_key_text(key, source)
    sandbox_only = [
        ("--memory", memory),
        ("--sandbox-db", sandbox_db is not None),
        ("--forward-to", forward_to is not None),
        ("--webhook-secret", webhook_secret is not None),
        ("--events", events is not None),
    ]
    option = next((name for name, given in sandbox_only if given), None)
    if option is not None:
        raise SettingsError(
            f"{option} is for the embedded sandbox, but a key was given ({source}): "
            f"drop {option}, or the key to use the sandbox."
        )
    mode = mode_of_key(key, allow_live=live)
    return Settings(
        api_key=SecretKey(key),
        mode=mode,
        api_base=api_base,
        read_only=read_only,
        key_source=source,
        log_file=log_file,
        project=cli_project.name if cli_project else None,
        key_expires_at=cli_project.key_expires_at if cli_project else None,
    )


def add_key_options(parser: argparse.ArgumentParser, *, live_help: str) -> None:
    """The options that say where the key comes from, as the console and `export` take them."""
    parser.add_argument(
        "--api-key",
        metavar="KEY",
        help="a secret or restricted key (prefer STRIPE_API_KEY: arguments show in ps)",
    )
    parser.add_argument(
        "--api-base", metavar="URL", help="a Stripe-compatible API base URL (needs a key)"
    )
    parser.add_argument(
        "--project-name",
        metavar="NAME",
        help="the Stripe CLI config project to read the key from (default: [default] if any)",
    )
    parser.add_argument("--live", action="store_true", help=live_help)
