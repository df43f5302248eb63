"""Rate limits and the audit trail use the real client address: X-Forwarded-For counts only from our proxies."""

from __future__ import annotations

import pytest
from django.core.cache import cache
from django.urls import URLPattern, URLResolver, get_resolver
from rest_framework.test import APIClient

from api.peer.apis.events import ConsentLinkThrottle
from audit.models import AuditEntry
from core.clientip import client_ip_from
from core.throttling import ClientAddressMixin
from schools.throttles import SelfIdentificationBurstThrottle, SelfIdentificationThrottle
from tests.conftest import session_token_for

pytestmark = pytest.mark.django_db

CONSENT_LINK = "/api/v1/booking-consent/not-a-real-link/"
LOGIN = "/_allauth/app/v1/auth/login"


@pytest.mark.parametrize(
    ("proxies", "remote", "forwarded", "client"),
    [
        ([], "203.0.113.9", "198.51.100.1", "203.0.113.9"),  # no trusted proxy: the header is ignored
        (["10.0.0.0/8"], "203.0.113.9", "198.51.100.1", "203.0.113.9"),  # not from our proxy: ignored
        (["10.0.0.0/8"], "10.0.0.5", "198.51.100.1, 203.0.113.9", "203.0.113.9"),  # right-most untrusted hop
        (["10.0.0.0/8"], "10.0.0.5", "203.0.113.9, 10.0.0.7", "203.0.113.9"),  # two of our proxies
        (["10.0.0.0/8"], "10.0.0.5", "garbage", "10.0.0.5"),  # a garbled hop: stop at our proxy
        (["10.0.0.0/8"], "10.0.0.5", "", "10.0.0.5"),
        (["2001:db8::/32"], "2001:db8::1", "[2001:db8:ffff::1]:443, 2001:0db8::2", "2001:db8:ffff::1"),
        ([], "not-an-address", "", ""),
    ],
)
def test_the_client_is_the_right_most_address_that_is_not_our_proxy(settings, proxies, remote, forwarded, client):
    settings.TRUSTED_PROXIES = proxies
    assert client_ip_from(remote, forwarded) == client


def test_a_new_forwarded_header_gives_no_fresh_allowance(monkeypatch):
    monkeypatch.setattr(ConsentLinkThrottle, "rate", "3/hour")
    cache.clear()
    statuses = [
        APIClient(REMOTE_ADDR="198.51.100.23", HTTP_X_FORWARDED_FOR=f"192.0.2.{n}").get(CONSENT_LINK).status_code
        for n in range(4)
    ]
    assert statuses[:3] == [404, 404, 404] and statuses[3] == 429


def test_behind_a_trusted_proxy_each_real_client_has_its_own_allowance(monkeypatch, settings):
    settings.TRUSTED_PROXIES = ["10.0.0.0/8"]
    monkeypatch.setattr(ConsentLinkThrottle, "rate", "2/hour")
    cache.clear()

    def get(client_address: str) -> int:
        proxied = APIClient(REMOTE_ADDR="10.0.0.5", HTTP_X_FORWARDED_FOR=f"192.0.2.200, {client_address}")
        return proxied.get(CONSENT_LINK).status_code

    assert [get("203.0.113.1") for _ in range(3)] == [404, 404, 429]
    assert get("203.0.113.2") == 404  # another family behind the same proxy is not locked out


def test_failed_sign_ins_count_per_account_and_real_address(cast, settings):
    settings.ACCOUNT_RATE_LIMITS = settings.PRODUCTION_RATE_LIMITS
    settings.TRUSTED_PROXIES = ["10.0.0.0/8"]
    cache.clear()

    def sign_in(client_address: str, password: str) -> dict:
        proxied = APIClient(REMOTE_ADDR="10.0.0.5", HTTP_X_FORWARDED_FOR=client_address)
        return proxied.post(LOGIN, {"email": cast.sam.email, "password": password}, format="json").json()

    for _ in range(5):
        assert sign_in("203.0.113.66", "wrong-password")["status"] == 400
    locked = sign_in("203.0.113.66", "demo-pass-2026")
    assert locked["errors"][0]["code"] == "too_many_login_attempts"
    # Sam, at home, is not locked out by someone guessing from elsewhere.
    assert sign_in("198.51.100.7", "demo-pass-2026")["status"] == 200


def test_the_audit_trail_records_the_real_client_address(cast, settings):
    settings.TRUSTED_PROXIES = ["10.0.0.0/8"]
    client = APIClient(
        REMOTE_ADDR="10.0.0.5",
        HTTP_X_FORWARDED_FOR="192.0.2.1, 203.0.113.44",
        HTTP_X_SESSION_TOKEN=session_token_for(cast.priya),
    )
    assert client.get(f"/api/v1/young-carers/{cast.sam_case.pk}/").status_code == 200
    entry = AuditEntry.objects.filter(action=AuditEntry.Action.ACCESS, object_pk=str(cast.sam_case.pk)).latest("pk")
    assert entry.remote_addr == "203.0.113.44"


def _views(patterns: list[URLPattern | URLResolver]) -> list[object]:
    found: list[object] = []
    for pattern in patterns:
        if isinstance(pattern, URLResolver):
            found += _views(pattern.url_patterns)
        else:
            found.append(pattern.callback)
    return found


def test_every_throttle_keys_on_the_real_client_address():
    throttles = set()
    for view in _views(get_resolver().url_patterns):
        cls = getattr(view, "cls", None) or getattr(view, "view_class", None)
        throttles.update(getattr(cls, "throttle_classes", []) or [])
        for action in (getattr(view, "actions", None) or {}).values():
            handler = getattr(cls, action, None)
            throttles.update((getattr(handler, "kwargs", None) or {}).get("throttle_classes", []))
    throttles.update({SelfIdentificationThrottle, SelfIdentificationBurstThrottle})  # chosen in get_throttles()
    assert len(throttles) > 2, "no throttles found: the walk is broken"
    assert [t for t in throttles if not issubclass(t, ClientAddressMixin)] == []
