from __future__ import annotations

import pytest
from django.core.exceptions import ImproperlyConfigured

from backend import env
from tests.helpers import assert_error

pytestmark = pytest.mark.django_db


def test_health_answers_without_touching_anything(client, django_assert_num_queries):
    with django_assert_num_queries(0):
        response = client.get("/health/")
    assert response.status_code == 200 and response.json() == {"status": "ok"}


def test_ready_checks_database_cache_and_channel_layer(client, settings):
    response = client.get("/ready/")
    assert response.status_code == 200
    expected = {"database": "ok", "cache": "ok", "channel_layer": "ok"} | (
        {"redis": "ok"} if settings.REDIS_URL else {}
    )
    assert response.json()["checks"] == expected


def test_ready_reports_a_broken_dependency_by_name(client, settings):
    # A cache that silently loses what is written (as a misconfigured one would).
    settings.CACHES = {"default": {"BACKEND": "django.core.cache.backends.dummy.DummyCache"}}
    response = client.get("/ready/")
    assert response.status_code == 503
    assert response.json()["checks"]["cache"].startswith("error")


def test_the_api_needs_a_sign_in(client_for):
    assert_error(client_for(None).get("/api/v1/young-carers/"), 401, "not_authenticated")


def test_malformed_json_is_a_clear_400_not_a_500(cast, client_for):
    response = client_for(cast.priya).post("/api/v1/young-carers/", "{not json", content_type="application/json")
    assert_error(response, 400, "parse_error")


def test_a_non_numeric_id_is_a_404_not_a_500(cast, client_for):
    assert_error(client_for(cast.priya).get("/api/v1/young-carers/abc/"), 404)


def test_field_errors_are_listed_by_field(cast, client_for):
    error = assert_error(client_for(cast.priya).post("/api/v1/young-carers/", {}), 400, "invalid")
    assert {"first_name", "last_name", "date_of_birth"} <= set(error["fields"])


class TestEnvironment:
    def test_booleans_parse_or_fail_naming_the_variable(self, monkeypatch):
        monkeypatch.setenv("FLAG", "yes")
        assert env.env_bool("FLAG") is True
        monkeypatch.setenv("FLAG", "maybe")
        with pytest.raises(ImproperlyConfigured, match="FLAG"):
            env.env_bool("FLAG")

    def test_integers_fail_naming_the_variable(self, monkeypatch):
        monkeypatch.setenv("WORKERS", "four")
        with pytest.raises(ImproperlyConfigured, match="WORKERS"):
            env.env_int("WORKERS", 1)
        monkeypatch.setenv("WORKERS", "0")
        with pytest.raises(ImproperlyConfigured, match="WORKERS must be at least 1"):
            env.env_int("WORKERS", 1, minimum=1)

    def test_secrets_can_come_from_a_file(self, monkeypatch, tmp_path):
        secret = tmp_path / "secret"
        secret.write_text("s3cret\n")
        monkeypatch.delenv("API_SECRET", raising=False)
        monkeypatch.setenv("API_SECRET_FILE", str(secret))
        assert env.env_str("API_SECRET") == "s3cret"
        monkeypatch.setenv("API_SECRET_FILE", str(tmp_path / "missing"))
        with pytest.raises(ImproperlyConfigured, match="API_SECRET_FILE"):
            env.env_str("API_SECRET")

    def test_urls_must_have_a_known_scheme(self, monkeypatch):
        monkeypatch.setenv("DATABASE_URL", "mysql://nope")
        with pytest.raises(ImproperlyConfigured, match="DATABASE_URL"):
            env.env_url("DATABASE_URL", schemes=("postgres", "sqlite"))


def _settings_in_subprocess(extra_env: dict[str, str]) -> tuple[int, str]:
    import os
    import subprocess
    import sys

    clean = {k: v for k, v in os.environ.items() if k not in {"DEBUG", "TESTING", "SECRET_KEY", "DEMO_RELAX_MFA"}}
    result = subprocess.run(  # noqa: S603
        [
            sys.executable,
            "-c",
            "import django, os; os.environ['DJANGO_SETTINGS_MODULE']='backend.settings'; django.setup()",
        ],
        env={**clean, **extra_env},
        capture_output=True,
        text=True,
        check=False,
    )
    return result.returncode, result.stderr


def test_a_malformed_variable_stops_start_up_with_its_name():
    code, stderr = _settings_in_subprocess({"DEBUG": "true", "REDIS_URL": "http://not-redis"})
    assert code != 0 and "REDIS_URL" in stderr


def test_the_demo_mfa_relaxation_cannot_be_on_with_debug_off():
    code, stderr = _settings_in_subprocess({"DEBUG": "false", "SECRET_KEY": "x" * 60, "DEMO_RELAX_MFA": "true"})
    assert code != 0 and "DEMO_RELAX_MFA" in stderr


def test_production_refuses_to_start_without_a_secret_key():
    code, stderr = _settings_in_subprocess({"DEBUG": "false"})
    assert code != 0 and "SECRET_KEY" in stderr


@pytest.mark.parametrize(
    "path",
    [
        "/api/v1/young-carers/?key_worker=99999999999999999999",
        "/api/v1/audit/?case=99999999999999999999",
        "/api/v1/young-carers/99999999999999999999/",
    ],
)
def test_an_id_beyond_the_key_range_is_a_4xx_not_a_database_error(cast, client_for, path):
    response = client_for(cast.tom).get(path)
    assert response.status_code in (400, 404), response.content[:300]
