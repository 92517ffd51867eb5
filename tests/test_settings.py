"""Settings come from `MSKG_*` variables with their types; explicit overrides win; workers get the same settings."""

from __future__ import annotations

from pathlib import Path

from modernstats_kg.settings import Settings


def test_environment_values_take_the_type_of_their_field() -> None:
    settings = Settings.from_env(
        {
            "MSKG_STORE": "/data/store",
            "MSKG_CONTENT_DIR": "/srv/content",
            "MSKG_QUERY_TIMEOUT_S": "2.5",
            "MSKG_MAX_RESULT_ROWS": "10",
            "MSKG_CORS_ORIGINS": "https://a.example, https://b.example",
            "MSKG_SERVICE_ALLOW_LIST": "",
        }
    )
    assert settings.store == "/data/store"
    assert settings.content_dir == Path("/srv/content")
    assert settings.query_timeout_s == 2.5
    assert settings.max_result_rows == 10
    assert settings.cors_origins == ("https://a.example", "https://b.example")
    assert settings.service_allow_list == ()


def test_unset_variables_keep_the_defaults_and_overrides_win() -> None:
    settings = Settings.from_env({"MSKG_STORE": "/from/env"}, store="memory", max_result_rows=None)
    assert settings.store == "memory"
    assert settings.max_result_rows == Settings().max_result_rows


def test_to_env_reproduces_the_settings_in_another_process() -> None:
    original = Settings(store="/x", content_dir=Path("/c"), query_timeout_s=3.0, cors_origins=("https://a",))
    assert Settings.from_env(original.to_env()) == original
