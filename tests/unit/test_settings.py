"""Where the key comes from, which mode it means, what is refused, and that it never leaks."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from tui.embedded import EmbeddedSandbox
from tui.settings import (
    Mode,
    SecretKey,
    Settings,
    SettingsError,
    key_from_stripe_cli,
    mask_key,
    mode_of_key,
    resolve,
    stripe_cli_config_path,
)

# Recognisable keys: if any of these strings shows up whole, the key leaked.
TEST_KEY = "sk_test_51TESTsecretBODYthatMUSTneverLEAK0000abcd"
LIVE_KEY = "sk_live_51LIVEsecretBODYthatMUSTneverLEAK1111wxyz"
RK_TEST = "rk_test_51RESTRICTEDtestBODYneverLEAK2222rktt"
RK_LIVE = "rk_live_51RESTRICTEDliveBODYneverLEAK3333rkll"
PK_KEY = "pk_test_51PUBLISHABLEbodyNEVERleak4444pkpk"
CLI_KEY = "rk_test_51FROMtheSTRIPEcliCONFIGneverLEAK5555clic"
OTHER_CLI_KEY = "rk_test_51OTHERprojectKEYneverLEAK6666othr"
GARBAGE_KEY = "my_secret_password_nobody_should_see_9999"


def _write_cli_config(directory: Path, text: str) -> Path:
    path = directory / "stripe" / "config.toml"
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text, encoding="utf-8")
    return path


CLI_CONFIG = f"""
color = ""

[default]
  device_name = "laptop"
  display_name = "Acme sandbox"
  test_mode_api_key = "{CLI_KEY}"
  test_mode_pub_key = "{PK_KEY}"
  test_mode_key_expires_at = "2099-01-01"

[other]
  device_name = "laptop"
  test_mode_api_key = "{OTHER_CLI_KEY}"

[keyless]
  device_name = "laptop"
"""


@pytest.fixture
def home(tmp_path: Path) -> Path:
    """An empty home directory: nothing of the real one is read."""
    path = tmp_path / "home"
    path.mkdir()
    return path


@pytest.fixture
def env(home: Path) -> dict[str, str]:
    return {"HOME": str(home)}


# Key sources, in order -----------------------------------------------------------------------


def test_no_key_anywhere_is_the_embedded_sandbox(env: dict[str, str], tmp_path: Path) -> None:
    settings = resolve(environ=env, sandbox_db=tmp_path / "db.sqlite3")
    assert settings.mode is Mode.SANDBOX
    assert settings.api_key is None
    assert settings.api_base is None
    assert settings.key_source == "embedded sandbox"
    assert settings.masked_key == "no key needed"
    assert settings.sandbox_db == tmp_path / "db.sqlite3"


def test_sandbox_memory_keeps_no_file(env: dict[str, str]) -> None:
    assert resolve(environ=env, memory=True).sandbox_db is None


def test_sandbox_default_db_is_a_sqlite_file(env: dict[str, str]) -> None:
    db = resolve(environ=env).sandbox_db
    assert db is not None
    assert db.name == "sandbox.sqlite3"
    assert "stripe-tui" in str(db)


def test_api_key_option(env: dict[str, str]) -> None:
    settings = resolve(api_key=TEST_KEY, environ=env)
    assert settings.api_key == SecretKey(TEST_KEY)
    assert settings.mode is Mode.TEST
    assert settings.key_source == "--api-key"


def test_api_key_option_beats_the_environment(env: dict[str, str]) -> None:
    env["STRIPE_API_KEY"] = RK_TEST
    settings = resolve(api_key=TEST_KEY, environ=env)
    assert settings.api_key is not None
    assert settings.api_key.reveal() == TEST_KEY
    assert settings.key_source == "--api-key"


def test_environment_beats_the_stripe_cli_config(env: dict[str, str], home: Path) -> None:
    _write_cli_config(home / ".config", CLI_CONFIG)
    env["STRIPE_API_KEY"] = RK_TEST
    settings = resolve(environ=env)
    assert settings.api_key is not None
    assert settings.api_key.reveal() == RK_TEST
    assert settings.key_source == "STRIPE_API_KEY"
    assert settings.mode is Mode.TEST


def test_empty_environment_variable_is_ignored(env: dict[str, str], home: Path) -> None:
    _write_cli_config(home / ".config", CLI_CONFIG)
    env["STRIPE_API_KEY"] = ""
    settings = resolve(environ=env)
    assert settings.api_key == SecretKey(CLI_KEY)


def test_keys_are_stripped_of_surrounding_whitespace(env: dict[str, str]) -> None:
    settings = resolve(api_key=f"  {TEST_KEY}\n", environ=env)
    assert settings.api_key == SecretKey(TEST_KEY)
    env["STRIPE_API_KEY"] = f"{TEST_KEY}\n"
    assert resolve(environ=env).api_key == SecretKey(TEST_KEY)


def test_stripe_cli_config_under_xdg_config_home(env: dict[str, str], tmp_path: Path) -> None:
    xdg = tmp_path / "xdg"
    _write_cli_config(xdg, CLI_CONFIG)
    env["XDG_CONFIG_HOME"] = str(xdg)
    settings = resolve(environ=env)
    assert settings.api_key == SecretKey(CLI_KEY)
    assert settings.mode is Mode.TEST
    assert settings.key_source == "Stripe CLI config [default]"
    assert settings.api_base is None


def test_xdg_config_home_wins_over_home(env: dict[str, str], home: Path, tmp_path: Path) -> None:
    _write_cli_config(home / ".config", CLI_CONFIG.replace(CLI_KEY, OTHER_CLI_KEY))
    xdg = tmp_path / "xdg"
    _write_cli_config(xdg, CLI_CONFIG)
    env["XDG_CONFIG_HOME"] = str(xdg)
    assert resolve(environ=env).api_key == SecretKey(CLI_KEY)


def test_stripe_cli_config_under_home_when_xdg_is_unset(env: dict[str, str], home: Path) -> None:
    _write_cli_config(home / ".config", CLI_CONFIG)
    assert "XDG_CONFIG_HOME" not in env
    settings = resolve(environ=env)
    assert settings.api_key == SecretKey(CLI_KEY)
    assert settings.key_source == "Stripe CLI config [default]"


def test_empty_xdg_config_home_falls_back_to_home(env: dict[str, str], home: Path) -> None:
    _write_cli_config(home / ".config", CLI_CONFIG)
    env["XDG_CONFIG_HOME"] = ""
    assert resolve(environ=env).api_key == SecretKey(CLI_KEY)


def test_config_path(tmp_path: Path) -> None:
    assert stripe_cli_config_path({"XDG_CONFIG_HOME": str(tmp_path)}) == (
        tmp_path / "stripe" / "config.toml"
    )
    assert stripe_cli_config_path({"HOME": str(tmp_path)}) == (
        tmp_path / ".config" / "stripe" / "config.toml"
    )


def test_project_name_picks_a_table(env: dict[str, str], home: Path) -> None:
    _write_cli_config(home / ".config", CLI_CONFIG)
    settings = resolve(project_name="other", environ=env)
    assert settings.api_key == SecretKey(OTHER_CLI_KEY)
    assert settings.key_source == "Stripe CLI config [other]"


def test_a_named_project_the_config_lacks_is_refused(env: dict[str, str], home: Path) -> None:
    _write_cli_config(home / ".config", CLI_CONFIG)
    with pytest.raises(
        SettingsError, match=r"has no \[nowhere\] project \(it has: default, keyless, other\)"
    ):
        resolve(project_name="nowhere", environ=env)


def test_a_named_project_without_a_test_key_is_refused(env: dict[str, str], home: Path) -> None:
    _write_cli_config(home / ".config", CLI_CONFIG)
    with pytest.raises(SettingsError, match=r"\[keyless\] .* has no test key"):
        resolve(project_name="keyless", environ=env)


def test_a_named_project_without_a_cli_config_is_refused(env: dict[str, str]) -> None:
    with pytest.raises(SettingsError, match="there is no Stripe CLI config"):
        resolve(project_name="default", environ=env)


def test_no_default_project_is_the_sandbox(env: dict[str, str], home: Path) -> None:
    _write_cli_config(home / ".config", "[other]\n  device_name = 'x'\n")
    assert resolve(environ=env).mode is Mode.SANDBOX


def test_a_project_name_beside_another_key_source_is_refused(
    env: dict[str, str], home: Path
) -> None:
    _write_cli_config(home / ".config", CLI_CONFIG)
    env["STRIPE_API_KEY"] = TEST_KEY
    with pytest.raises(SettingsError, match="STRIPE_API_KEY gives one") as caught:
        resolve(project_name="other", environ=env)
    assert TEST_KEY not in str(caught.value)


@pytest.mark.parametrize(
    ("options", "named"),
    [({"memory": True}, "--memory"), ({"sandbox_db": Path("x.sqlite3")}, "--sandbox-db")],
)
def test_sandbox_options_beside_a_key_are_refused(
    env: dict[str, str], options: dict[str, object], named: str
) -> None:
    with pytest.raises(SettingsError, match=f"{named} is for the embedded sandbox") as caught:
        resolve(api_key=TEST_KEY, environ=env, **options)  # type: ignore[arg-type]
    assert TEST_KEY not in str(caught.value)


def test_only_test_mode_api_key_is_read(tmp_path: Path) -> None:
    path = _write_cli_config(
        tmp_path, f'[default]\nlive_mode_api_key = "{RK_LIVE}"\ntest_mode_pub_key = "{PK_KEY}"\n'
    )
    assert key_from_stripe_cli(path, "default") is None


def test_missing_config_file_is_none(tmp_path: Path) -> None:
    assert key_from_stripe_cli(tmp_path / "absent.toml", "default") is None


def test_cli_config_key_is_stripped(env: dict[str, str], home: Path) -> None:
    _write_cli_config(home / ".config", f'[default]\ntest_mode_api_key = " {CLI_KEY} "\n')
    assert resolve(environ=env).api_key == SecretKey(CLI_KEY)


# Refusals ------------------------------------------------------------------------------------


def _refusal(**kwargs: object) -> str:
    with pytest.raises(SettingsError) as info:
        resolve(**kwargs)  # type: ignore[arg-type]
    return str(info.value)


@pytest.mark.parametrize("key", [LIVE_KEY, RK_LIVE])
def test_live_key_without_live_is_refused_pointing_at_the_option(
    env: dict[str, str], key: str
) -> None:
    message = _refusal(api_key=key, environ=env)
    assert "--live" in message
    assert "live" in message.lower()
    assert key not in message


def test_live_key_from_the_environment_is_refused_too(env: dict[str, str]) -> None:
    env["STRIPE_API_KEY"] = LIVE_KEY
    assert "--live" in _refusal(environ=env)


def test_publishable_key_is_refused(env: dict[str, str]) -> None:
    message = _refusal(api_key=PK_KEY, environ=env)
    assert "publishable" in message
    assert "secret key" in message
    assert PK_KEY not in message


@pytest.mark.parametrize("key", [GARBAGE_KEY, "hello", "sk_something_else_entirely", "whsec_x"])
def test_garbage_key_is_refused(env: dict[str, str], key: str) -> None:
    message = _refusal(api_key=key, environ=env)
    assert "not a Stripe secret key" in message
    assert "sk_test_" in message
    assert key not in message


def test_garbage_key_message_does_not_leak_its_beginning(env: dict[str, str]) -> None:
    message = _refusal(api_key=GARBAGE_KEY, environ=env)
    assert "my_secret" not in message
    assert "password" not in message


BROKEN_KEYS = {
    "newline": "sk_test_51TESTsecret\nBODYthatMUSTneverLEAK",
    "space": "sk_test_51TESTsecret BODYthatMUSTneverLEAK",
    "tab": "sk_test_51TESTsecret\tBODYthatMUSTneverLEAK",
    "return": "sk_test_51TESTsecret\rBODYthatMUSTneverLEAK",
    "nul": "sk_test_51TESTsecret\x00BODYthatMUSTneverLEAK",
    "escape": "sk_test_51TESTsecret\x1b[2JBODYthatMUSTneverLEAK",
    "non-ascii": "sk_test_51TESTsecret\u00a0BODYthatMUSTneverLEAK",
}


def _says_broken_without_showing(message: str, source: str) -> None:
    assert "whitespace or a control character" in message
    assert source in message
    for part in ("51TESTsecret", "BODYthatMUSTneverLEAK", "LEAK"):
        assert part not in message


@pytest.mark.parametrize("key", BROKEN_KEYS.values(), ids=BROKEN_KEYS.keys())
def test_key_with_whitespace_or_control_characters_is_refused_unshown(
    env: dict[str, str], home: Path, key: str
) -> None:
    _says_broken_without_showing(_refusal(api_key=key, environ=env), "--api-key")
    _says_broken_without_showing(_refusal(environ={**env, "STRIPE_API_KEY": key}), "STRIPE_API_KEY")
    # A TOML basic string takes JSON's escapes: the key is stored with its character inside.
    _write_cli_config(home / ".config", f"[default]\ntest_mode_api_key = {json.dumps(key)}\n")
    _says_broken_without_showing(_refusal(environ=env), "Stripe CLI config")


def test_api_base_without_a_key_is_refused(env: dict[str, str]) -> None:
    message = _refusal(api_base="http://127.0.0.1:12111", environ=env)
    assert "--api-base" in message
    assert "--api-key" in message


def test_live_without_a_key_is_refused(env: dict[str, str]) -> None:
    assert "--live" in _refusal(live=True, environ=env)


def test_api_base_with_a_key_is_kept(env: dict[str, str]) -> None:
    settings = resolve(api_key=TEST_KEY, api_base="http://127.0.0.1:12111", environ=env)
    assert settings.api_base == "http://127.0.0.1:12111"
    assert settings.mode is Mode.TEST


@pytest.mark.parametrize(
    "text",
    [
        "[default\ntest_mode_api_key = 'x'\n",
        f'[default]\ntest_mode_api_key = "{CLI_KEY}\n',
        "default = = 1\n",
    ],
)
def test_malformed_config_is_refused_naming_the_file(
    env: dict[str, str], home: Path, text: str
) -> None:
    path = _write_cli_config(home / ".config", text)
    message = _refusal(environ=env)
    assert str(path) in message
    assert "Stripe CLI config" in message
    assert CLI_KEY not in message


def test_project_that_is_not_a_table_is_refused(env: dict[str, str], home: Path) -> None:
    _write_cli_config(home / ".config", 'default = "sk_test_x"\n')
    message = _refusal(environ=env)
    assert "[default] is not a table" in message


def test_invalid_key_in_the_cli_config_is_refused(env: dict[str, str], home: Path) -> None:
    _write_cli_config(home / ".config", f'[default]\ntest_mode_api_key = "{PK_KEY}"\n')
    message = _refusal(environ=env)
    assert "publishable" in message
    assert PK_KEY not in message


# Modes ---------------------------------------------------------------------------------------


@pytest.mark.parametrize("key", [TEST_KEY, RK_TEST])
def test_test_keys_are_test_mode(env: dict[str, str], key: str) -> None:
    assert mode_of_key(key, allow_live=False) is Mode.TEST
    assert mode_of_key(key, allow_live=True) is Mode.TEST
    assert resolve(api_key=key, environ=env).mode is Mode.TEST


@pytest.mark.parametrize("key", [LIVE_KEY, RK_LIVE])
def test_live_keys_with_live_are_live_mode(env: dict[str, str], key: str) -> None:
    assert mode_of_key(key, allow_live=True) is Mode.LIVE
    settings = resolve(api_key=key, live=True, read_only=True, environ=env)
    assert settings.mode is Mode.LIVE
    assert settings.read_only is True


def test_read_only_is_kept_for_the_sandbox(env: dict[str, str]) -> None:
    assert resolve(read_only=True, environ=env).read_only is True


def test_the_embedded_sandbox_key_is_a_test_key() -> None:
    assert mode_of_key(EmbeddedSandbox(None).key, allow_live=False) is Mode.TEST


# Masking -------------------------------------------------------------------------------------


@pytest.mark.parametrize("key", [TEST_KEY, LIVE_KEY, RK_TEST, RK_LIVE, PK_KEY, GARBAGE_KEY])
def test_secret_key_never_shows_whole(key: str) -> None:
    secret = SecretKey(key)
    for shown in (str(secret), repr(secret), f"{secret}", f"{secret!r}", secret.masked):
        assert key not in shown
        assert shown.endswith(key[-4:]) or shown.endswith(f"{key[-4:]}')")
    assert secret.reveal() == key


def test_settings_str_and_repr_do_not_show_the_key(env: dict[str, str]) -> None:
    settings = resolve(api_key=TEST_KEY, environ=env)
    for shown in (str(settings), repr(settings), settings.masked_key):
        assert TEST_KEY not in shown
        assert "TESTsecretBODY" not in shown
    assert "sk_test_...abcd" in repr(settings)


@pytest.mark.parametrize(
    ("key", "masked"),
    [
        (TEST_KEY, "sk_test_...abcd"),
        (LIVE_KEY, "sk_live_...wxyz"),
        (RK_TEST, "rk_test_...rktt"),
        (PK_KEY, "pk_test_...pkpk"),
        ("sk_test_short", "sk_test_..."),
        ("sk_test_", "sk_test_..."),
        ("", "..."),
        ("abc", "..."),
        (GARBAGE_KEY, "...9999"),
        ("sk_something_else_entirely", "...rely"),
    ],
)
def test_mask_key(key: str, masked: str) -> None:
    assert mask_key(key) == masked


@pytest.mark.parametrize("key", [TEST_KEY, LIVE_KEY, GARBAGE_KEY, "x_y_z_secretvalue_1234"])
def test_mask_key_shows_at_most_a_stripe_prefix_and_the_last_four(key: str) -> None:
    masked = mask_key(key)
    prefix, dots, last = masked.partition("...")
    assert dots == "..."
    assert prefix in {"", "sk_test_", "sk_live_", "rk_test_", "rk_live_", "pk_test_", "pk_live_"}
    assert len(last) <= 4
    assert key.endswith(last)


def test_secret_keys_compare_by_value_without_showing_it() -> None:
    assert SecretKey(TEST_KEY) == SecretKey(TEST_KEY)
    assert SecretKey(TEST_KEY) != SecretKey(RK_TEST)
    assert SecretKey(TEST_KEY) != TEST_KEY
    assert len({SecretKey(TEST_KEY), SecretKey(TEST_KEY)}) == 1


def test_default_settings_are_the_sandbox() -> None:
    settings = Settings()
    assert settings.mode is Mode.SANDBOX
    assert settings.masked_key == "no key needed"
