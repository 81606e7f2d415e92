"""The config file: what it may say, what is refused (naming the line), and saving the theme.
Also the Stripe CLI's projects and the warning about a test key that expires."""

from __future__ import annotations

import tomllib
from datetime import date
from pathlib import Path

import pytest

from tui.__main__ import main
from tui.bindings import binding_ids
from tui.config import Config, ConfigError, config_path, load_config, save_theme, with_theme
from tui.settings import (
    Mode,
    Settings,
    SettingsError,
    key_expiry_warning,
    resolve,
    stripe_cli_projects,
)

THEMES = frozenset({"textual-dark", "nord", "gruvbox"})


def write(tmp_path: Path, text: str) -> Path:
    path = tmp_path / "stripe-tui" / "config.toml"
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text, encoding="utf-8")
    return path


def load(path: Path) -> Config:
    return load_config(path, themes=lambda: THEMES, binding_ids=binding_ids)


# Reading -------------------------------------------------------------------------------------


def test_the_file_lives_in_xdg_config_home_never_the_stripe_clis(tmp_path: Path) -> None:
    path = config_path({"XDG_CONFIG_HOME": str(tmp_path)})
    assert path == tmp_path / "stripe-tui" / "config.toml"


def test_a_missing_file_is_no_config(tmp_path: Path) -> None:
    path = tmp_path / "stripe-tui" / "config.toml"
    assert load(path) == Config(path=path)


def test_every_key_is_read(tmp_path: Path) -> None:
    path = write(
        tmp_path,
        """# mine
theme = "nord"
page_size = 25
default_currency = "EUR"

[keymap]
"customers.new" = "N"
table.down = "down,j"
""",
    )
    config = load(path)
    assert config.theme == "nord"
    assert config.page_size == 25
    assert config.default_currency == "eur"
    assert config.keymap == {"customers.new": "N", "table.down": "down,j"}


@pytest.mark.parametrize(
    ("text", "line", "says"),
    [
        ('theme = "nord"\ncolour = "red"\n', 2, "unknown key 'colour'"),
        ('theme = "nord"\n\n[colors]\nx = 1\n', 3, "unknown key 'colors'"),
        ("theme = 3\n", 1, "theme must be a string"),
        ('\ntheme = "solarized-pink"\n', 2, "unknown theme 'solarized-pink'"),
        ("page_size = 0\n", 1, "page_size 0 is out of range: 1 to 100"),
        ("page_size = 101\n", 1, "page_size 101 is out of range: 1 to 100"),
        ('page_size = "20"\n', 1, "page_size must be a whole number"),
        ("page_size = true\n", 1, "page_size must be a whole number"),
        ('default_currency = "xyz"\n', 1, "'XYZ' is not a currency Stripe supports"),
        ('default_currency = "euro"\n', 1, "not a three-letter ISO currency code"),
        ('keymap = "x"\n', 1, "keymap must be a table"),
        ('[keymap]\n"customers.new" = "N"\n"customers.neww" = "M"\n', 3, "unknown binding id"),
        ("[keymap]\ncustomers.nope = 'M'\n", 2, "unknown binding id 'customers.nope'"),
        ("[keymap]\n\"table.down\" = ''\n", 2, "'table.down' needs its keys"),
        ('theme = "nord\n', 1, "Illegal character"),
        ("page_size = 10\npage_size = 20\n", 2, "Cannot overwrite a value"),
    ],
)
def test_a_bad_file_is_refused_naming_its_line(
    tmp_path: Path, text: str, line: int, says: str
) -> None:
    path = write(tmp_path, text)
    with pytest.raises(ConfigError) as refused:
        load(path)
    message = str(refused.value)
    assert message.startswith(f"{path} line {line}: "), message
    assert says in message


def test_a_bad_file_exits_2_naming_the_line(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    monkeypatch.delenv("STRIPE_API_KEY", raising=False)
    monkeypatch.setenv("XDG_CONFIG_HOME", str(tmp_path))
    path = write(tmp_path, "theme = 'nord'\n\npage_size = 500\n")
    assert main(["--memory"]) == 2
    err = capsys.readouterr().err
    assert err == f"stripe-tui: {path} line 3: page_size 500 is out of range: 1 to 100\n"


def test_an_unknown_binding_id_exits_2(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    monkeypatch.delenv("STRIPE_API_KEY", raising=False)
    monkeypatch.setenv("XDG_CONFIG_HOME", str(tmp_path))
    write(tmp_path, '[keymap]\n"customer.new" = "N"\n')
    assert main(["--memory"]) == 2
    assert "line 2: keymap: unknown binding id 'customer.new'" in capsys.readouterr().err


def test_every_binding_id_is_in_the_readme() -> None:
    readme = (Path(__file__).parents[2] / "README.md").read_text(encoding="utf-8")
    missing = sorted(i for i in binding_ids() if f"`{i}`" not in readme)
    assert not missing, f"binding ids the README does not list: {missing}"


# Saving the theme ----------------------------------------------------------------------------


def test_saving_the_theme_keeps_every_other_line(tmp_path: Path) -> None:
    text = """# my console
theme = "nord"   # dark
page_size = 20

[keymap]
# vim, always
"table.down" = "j"
"""
    path = write(tmp_path, text)
    save_theme(path, "gruvbox")
    saved = path.read_text(encoding="utf-8")
    assert saved == text.replace('"nord"', '"gruvbox"')
    assert load(path).theme == "gruvbox"


def test_saving_a_theme_into_a_file_without_one_adds_it_before_the_tables(
    tmp_path: Path,
) -> None:
    path = write(tmp_path, '# mine\npage_size = 20\n[keymap]\ntheme = "x"\n')
    save_theme(path, "nord")
    data = tomllib.loads(path.read_text(encoding="utf-8"))
    assert data == {"theme": "nord", "page_size": 20, "keymap": {"theme": "x"}}
    assert path.read_text(encoding="utf-8").startswith("# mine\npage_size = 20\n")


def test_saving_a_theme_creates_the_file(tmp_path: Path) -> None:
    path = tmp_path / "stripe-tui" / "config.toml"
    save_theme(path, "nord")
    assert path.read_text(encoding="utf-8") == 'theme = "nord"\n'


def test_with_theme_on_empty_text() -> None:
    assert with_theme("", "nord") == 'theme = "nord"\n'


# Stripe CLI projects -------------------------------------------------------------------------

CLI = """
color = ""

[default]
  display_name = "Acme"
  test_mode_api_key = "sk_test_51DEFAULTkeyBODY0000aaaa"
  test_mode_key_expires_at = "2030-01-10"
  live_mode_api_key = "rk_live_*********zzzz"

[staging]
  display_name = "Acme staging"
  test_mode_api_key = "rk_test_51STAGINGkeyBODY1111bbbb"
  test_mode_key_expires_at = "2020-01-01"

[half]
  device_name = "laptop"
"""


def test_projects_are_the_cli_configs_tables_default_first(tmp_path: Path) -> None:
    path = tmp_path / "config.toml"
    path.write_text(CLI, encoding="utf-8")
    projects = stripe_cli_projects(path)
    assert [p.name for p in projects] == ["default", "half", "staging"]
    default, half, staging = projects
    assert default.display_name == "Acme"
    assert default.test_key is not None and default.test_key.masked == "sk_test_...aaaa"
    assert default.key_expires_at == date(2030, 1, 10)
    assert half.test_key is None and half.key_expires_at is None
    assert staging.key_expires_at == date(2020, 1, 1)
    assert "STAGINGkeyBODY" not in repr(projects)


def test_projects_in_the_v2_layout_are_read_too(tmp_path: Path) -> None:
    path = tmp_path / "config.toml"
    path.write_text(
        'config_version = 2\ncolor = ""\n[profiles.default]\n'
        'test_mode_api_key = "sk_test_51NESTEDkeyBODY2222cccc"\n'
        "[profiles.other]\ndisplay_name = 'Other'\n",
        encoding="utf-8",
    )
    assert [p.name for p in stripe_cli_projects(path)] == ["default", "other"]
    settings = resolve(environ={"XDG_CONFIG_HOME": str(tmp_path.parent), "HOME": "/nonexistent"})
    assert settings.mode is Mode.SANDBOX  # that file is not where the CLI keeps its config
    cli = tmp_path / "xdg" / "stripe" / "config.toml"
    cli.parent.mkdir(parents=True)
    cli.write_text(path.read_text(encoding="utf-8"), encoding="utf-8")
    settings = resolve(environ={"XDG_CONFIG_HOME": str(tmp_path / "xdg")})
    assert settings.mode is Mode.TEST and settings.project == "default"
    assert settings.masked_key == "sk_test_...cccc"


def test_settings_for_a_project_use_its_test_key_and_stay_read_only(tmp_path: Path) -> None:
    path = tmp_path / "config.toml"
    path.write_text(CLI, encoding="utf-8")
    _, half, staging = stripe_cli_projects(path)
    start = Settings(read_only=True, sandbox_db=tmp_path / "db")
    switched = start.for_project(staging)
    assert switched.mode is Mode.TEST
    assert switched.api_key == staging.test_key
    assert switched.read_only
    assert switched.project == "staging"
    assert switched.key_source == "Stripe CLI config [staging]"
    assert switched.key_expires_at == date(2020, 1, 1)
    with pytest.raises(SettingsError, match=r"\[half\] .* has no test key"):
        start.for_project(half)


def test_the_key_read_at_start_carries_its_project_and_expiry(tmp_path: Path) -> None:
    cli = tmp_path / "stripe" / "config.toml"
    cli.parent.mkdir()
    cli.write_text(CLI, encoding="utf-8")
    settings = resolve(environ={"XDG_CONFIG_HOME": str(tmp_path)}, project_name="staging")
    assert settings.project == "staging"
    assert settings.key_expires_at == date(2020, 1, 1)
    env_key = resolve(environ={"XDG_CONFIG_HOME": str(tmp_path), "STRIPE_API_KEY": "sk_test_51x"})
    assert env_key.project is None and env_key.key_expires_at is None


@pytest.mark.parametrize(
    ("expires", "says"),
    [
        (date(2026, 3, 1), "expired on 2026-03-01"),
        (date(2026, 3, 9), "expired on 2026-03-09"),
        (date(2026, 3, 10), "expires today (2026-03-10)"),
        (date(2026, 3, 11), "expires tomorrow"),
        (date(2026, 3, 17), "expires in 7 days (2026-03-17)"),
        (date(2026, 3, 18), None),
        (date(2030, 1, 1), None),
        (None, None),
    ],
)
def test_the_expiry_warning(expires: date | None, says: str | None) -> None:
    warning = key_expiry_warning("staging", expires, date(2026, 3, 10))
    if says is None:
        assert warning is None
    else:
        assert warning is not None and says in warning
        assert "Stripe CLI project staging" in warning
        assert "stripe login --project-name staging" in warning
