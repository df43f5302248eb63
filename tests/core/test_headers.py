"""Security headers: a CSP and Permissions-Policy on HTML pages, no-store on every API response."""

from __future__ import annotations

import re

import pytest
from rest_framework.test import APIClient

from tests.conftest import session_token_for

pytestmark = pytest.mark.django_db

HTML_PAGES = ["/accounts/login/", "/api/docs/", "/_allauth/openapi.html", "/consent/not-a-real-link/"]


def cache_control(response) -> set[str]:
    return {part.strip() for part in response.get("Cache-Control", "").split(",") if part.strip()}


def directives(response) -> dict[str, str]:
    policy = response["Content-Security-Policy"]
    return {part.split()[0]: part.strip() for part in policy.split(";") if part.strip()}


@pytest.mark.parametrize("path", HTML_PAGES)
def test_html_pages_carry_a_content_security_policy_and_a_permissions_policy(client, path):
    response = client.get(path)
    assert response["Content-Type"].startswith("text/html")
    policy = directives(response)
    assert policy["script-src"] == "script-src 'self'"
    assert policy["object-src"] == "object-src 'none'" and policy["frame-ancestors"] == "frame-ancestors 'none'"
    assert "camera=()" in response["Permissions-Policy"] and "geolocation=()" in response["Permissions-Policy"]


def test_the_admin_carries_the_policy(client):
    response = client.get("/admin/login/")
    assert "script-src 'self'" in response["Content-Security-Policy"]


@pytest.mark.parametrize("path", ["/api/docs/", "/_allauth/openapi.html"])
def test_the_docs_pages_work_under_the_policy(client, path):
    """No inline script and nothing from another origin: everything they run comes from /static/ or this site."""
    html = client.get(path).content.decode()
    scripts = re.findall(r"<script([^>]*)>(.*?)</script>", html, flags=re.S)
    assert scripts
    for attributes, body in scripts:
        assert 'src="/' in attributes and not body.strip()
    urls = re.findall(r'(?:src|href)="([^"]*)"', html)
    assert urls and all(url.startswith("/") and not url.startswith("//") for url in urls), urls


def test_the_docs_start_up_script_is_served_from_the_site(client):
    script = client.get("/api/docs/?script=")
    assert script.status_code == 200 and "SwaggerUIBundle" in script.content.decode()


@pytest.mark.parametrize(
    "path", ["/api/v1/me/", "/api/v1/young-carers/", "/_allauth/app/v1/auth/session", "/api/v1/no-such-thing/"]
)
def test_api_responses_are_never_stored(cast, path):
    response = APIClient(HTTP_X_SESSION_TOKEN=session_token_for(cast.priya)).get(path)
    assert "no-store" in cache_control(response)


def test_an_anonymous_api_refusal_is_not_stored_either():
    assert "no-store" in cache_control(APIClient().get("/api/v1/me/"))


def test_health_probes_are_left_cacheable_by_the_rule(client):
    assert "no-store" not in cache_control(client.get("/health/"))


def test_a_views_own_cache_words_are_kept_beside_no_store(cast):
    from django.http import HttpResponse
    from django.test import RequestFactory

    from core.middleware import SecurityHeadersMiddleware

    def view(request):
        response = HttpResponse()
        response["Cache-Control"] = "private"
        return response

    response = SecurityHeadersMiddleware(view)(RequestFactory().get("/api/v1/anything/"))
    assert cache_control(response) == {"private", "no-store"}
