"""The live socket at /ws/v1/: allauth tokens, the Origin check, and per-user events after commit."""

from __future__ import annotations

import pytest
from asgiref.sync import async_to_sync, sync_to_async
from channels.testing import WebsocketCommunicator
from django.db import transaction

from backend.asgi import application
from core.events import send_event_on_commit
from tests.conftest import session_token_for

pytestmark = pytest.mark.django_db(transaction=True)


async def _connect(path: str = "/ws/v1/", headers: list[tuple[bytes, bytes]] | None = None):
    communicator = WebsocketCommunicator(application, path, headers=headers or [])
    connected, code = await communicator.connect(timeout=5)
    return communicator, connected, code


def _commit_event(user_ids: list[int], event: str, payload: dict) -> None:
    with transaction.atomic():
        send_event_on_commit(user_ids, event, payload)


def _rolled_back_event(user_ids: list[int], event: str, payload: dict) -> None:
    try:
        with transaction.atomic():
            send_event_on_commit(user_ids, event, payload)
            raise RuntimeError("rolled back")
    except RuntimeError:
        pass


def test_a_session_token_opens_the_socket_and_events_arrive_after_commit(cast):
    token = session_token_for(cast.priya)

    async def scenario():
        communicator, connected, _ = await _connect(headers=[(b"x-session-token", token.encode())])
        assert connected
        hello = await communicator.receive_json_from(timeout=5)
        await sync_to_async(_commit_event)([cast.priya.pk], "alert.raised", {"id": 7})
        message = await communicator.receive_json_from(timeout=5)
        nothing_else = await communicator.receive_nothing(timeout=0.2)
        await communicator.disconnect()
        return hello, message, nothing_else

    hello, message, nothing_else = async_to_sync(scenario)()
    assert hello == {"event": "hello", "data": {"user_id": cast.priya.pk}}
    assert message == {"event": "alert.raised", "data": {"id": 7}}
    assert nothing_else


def test_a_rolled_back_change_sends_nothing(cast):
    token = session_token_for(cast.sam)

    async def scenario():
        communicator, connected, _ = await _connect(headers=[(b"x-session-token", token.encode())])
        assert connected
        await communicator.receive_json_from(timeout=5)
        await sync_to_async(_rolled_back_event)([cast.sam.pk], "notification.created", {"id": 1})
        quiet = await communicator.receive_nothing(timeout=0.3)
        await communicator.disconnect()
        return quiet

    assert async_to_sync(scenario)()


def test_events_go_only_to_their_user(cast):
    jo_token = session_token_for(cast.jo)

    async def scenario():
        jo, connected, _ = await _connect(headers=[(b"x-session-token", jo_token.encode())])
        assert connected
        await jo.receive_json_from(timeout=5)
        await sync_to_async(_commit_event)([cast.sam.pk], "notification.created", {"id": 1})
        quiet = await jo.receive_nothing(timeout=0.3)
        await jo.disconnect()
        return quiet

    assert async_to_sync(scenario)()


def test_a_jwt_opens_the_socket(cast):
    from rest_framework.test import APIClient

    response = APIClient().post(
        "/_allauth/app/v1/auth/login", {"email": "sam@demo.example", "password": "demo-pass-2026"}, format="json"
    )
    access = response.json()["meta"]["access_token"]

    async def scenario():
        communicator, connected, _ = await _connect(headers=[(b"authorization", f"Bearer {access}".encode())])
        if connected:
            await communicator.disconnect()
        return connected

    assert async_to_sync(scenario)()


@pytest.mark.parametrize(
    "headers",
    [[], [(b"x-session-token", b"not-a-token")], [(b"authorization", b"Bearer not.a.jwt")]],
    ids=["missing", "bad-session-token", "bad-jwt"],
)
def test_a_missing_or_bad_token_is_refused(cast, headers):
    async def scenario():
        _, connected, code = await _connect(headers=headers)
        return connected, code

    connected, code = async_to_sync(scenario)()
    assert not connected and code == 4401


def test_a_foreign_browser_origin_is_refused_even_with_a_good_token(cast):
    token = session_token_for(cast.sam).encode()

    async def scenario(origin: bytes):
        communicator, connected, _ = await _connect(headers=[(b"x-session-token", token), (b"origin", origin)])
        if connected:
            await communicator.disconnect()
        return connected

    assert not async_to_sync(scenario)(b"https://evil.example")
    assert async_to_sync(scenario)(b"http://127.0.0.1:8000")  # PUBLIC_BASE_URL in tests


@pytest.mark.parametrize(
    "origin",
    [b"http://127.0.0.1:8001", b"https://127.0.0.1:8000", b"http://127.0.0.1", b"http://localhost:8000", b"null"],
    ids=["other-port", "other-scheme", "default-port", "other-host", "opaque"],
)
def test_an_origin_must_match_in_scheme_host_and_port(cast, origin):
    token = session_token_for(cast.sam).encode()

    async def scenario():
        communicator, connected, _ = await _connect(headers=[(b"x-session-token", token), (b"origin", origin)])
        if connected:
            await communicator.disconnect()
        return connected

    assert not async_to_sync(scenario)()


def test_a_configured_origin_matches_with_its_default_port(cast, settings):
    settings.WEBSOCKET_ALLOWED_ORIGINS = ["https://portal.example"]
    token = session_token_for(cast.sam).encode()

    async def scenario(origin: bytes):
        communicator, connected, _ = await _connect(headers=[(b"x-session-token", token), (b"origin", origin)])
        if connected:
            await communicator.disconnect()
        return connected

    assert async_to_sync(scenario)(b"https://portal.example:443")
    assert not async_to_sync(scenario)(b"http://portal.example")


def test_staff_without_mfa_get_no_live_events(cast):
    from allauth.mfa.models import Authenticator

    Authenticator.objects.filter(user=cast.priya).delete()
    token = session_token_for(cast.priya).encode()

    async def scenario():
        communicator, connected, code = await _connect(headers=[(b"x-session-token", token)])
        return connected, code

    connected, code = async_to_sync(scenario)()
    assert not connected and code == 4403


# --- Sockets end with their credential ---------------------------------------------------------


def _sign_in(user, **extra):
    from tests.accounts.signin import app_sign_in

    return app_sign_in(user, **extra)


async def _closed_with(communicator) -> int | None:
    """The close code the server sent (None if the socket stayed open)."""
    try:
        output = await communicator.receive_output(timeout=3)
    except TimeoutError:
        return None
    return output.get("code") if output["type"] == "websocket.close" else None


def test_a_session_token_in_the_url_is_refused(cast):
    token = session_token_for(cast.sam)

    async def scenario():
        _, connected, code = await _connect(path=f"/ws/v1/?session_token={token}")
        return connected, code

    assert async_to_sync(scenario)() == (False, 4401)


def test_a_short_lived_jwt_in_the_url_is_accepted(cast):
    access = _sign_in(cast.sam)["access_token"]

    async def scenario():
        communicator, connected, _ = await _connect(path=f"/ws/v1/?access_token={access}")
        if connected:
            await communicator.disconnect()
        return connected

    assert async_to_sync(scenario)()


def test_signing_out_closes_the_socket_of_that_session_only(cast):
    from rest_framework.test import APIClient

    phone, tablet = _sign_in(cast.sam), _sign_in(cast.sam)

    async def scenario():
        on_phone, _, _ = await _connect(headers=[(b"x-session-token", phone["session_token"].encode())])
        on_tablet, _, _ = await _connect(headers=[(b"authorization", f"Bearer {tablet['access_token']}".encode())])
        await on_phone.receive_json_from(timeout=5)
        await on_tablet.receive_json_from(timeout=5)
        signed_out = await sync_to_async(
            lambda: APIClient(HTTP_X_SESSION_TOKEN=phone["session_token"]).delete("/_allauth/app/v1/auth/session")
        )()
        phone_code = await _closed_with(on_phone)
        tablet_quiet = await on_tablet.receive_nothing(timeout=0.3)
        await on_tablet.disconnect()
        return signed_out.status_code, phone_code, tablet_quiet

    assert async_to_sync(scenario)() == (401, 4401, True)


def test_the_end_of_a_membership_closes_the_users_sockets(cast):
    from accounts.models import Membership
    from accounts.services import membership_end

    token = session_token_for(cast.priya).encode()
    membership = Membership.objects.get(user=cast.priya, organisation=cast.riverside, ended_at__isnull=True)

    async def scenario():
        communicator, connected, _ = await _connect(headers=[(b"x-session-token", token)])
        assert connected
        await communicator.receive_json_from(timeout=5)
        await sync_to_async(lambda: membership_end(actor=cast.tom, membership=membership))()
        return await _closed_with(communicator)

    assert async_to_sync(scenario)() == 4401


def test_removing_the_second_factor_closes_the_users_sockets(cast):
    from allauth.mfa.models import Authenticator
    from allauth.mfa.signals import authenticator_removed

    token = session_token_for(cast.priya).encode()

    def remove() -> None:
        authenticator = Authenticator.objects.get(user=cast.priya, type=Authenticator.Type.TOTP)
        authenticator.delete()
        authenticator_removed.send(sender=Authenticator, request=None, user=cast.priya, authenticator=authenticator)

    async def scenario():
        communicator, connected, _ = await _connect(headers=[(b"x-session-token", token)])
        assert connected
        await communicator.receive_json_from(timeout=5)
        await sync_to_async(remove)()
        return await _closed_with(communicator)

    assert async_to_sync(scenario)() == 4401


def test_a_jwt_socket_closes_when_the_token_expires(cast, settings):
    settings.HEADLESS_JWT_ACCESS_TOKEN_EXPIRES_IN = 2
    access = _sign_in(cast.sam)["access_token"]

    async def scenario():
        communicator, connected, _ = await _connect(headers=[(b"authorization", f"Bearer {access}".encode())])
        assert connected
        await communicator.receive_json_from(timeout=5)
        still_open = await communicator.receive_nothing(timeout=0.5)
        output = await communicator.receive_output(timeout=5)
        return still_open, output

    still_open, output = async_to_sync(scenario)()
    assert still_open and output == {"type": "websocket.close", "code": 4401}


def test_a_staff_sign_in_that_skipped_the_second_factor_gets_no_live_events(cast):
    from tests.conftest import session_token_without_mfa_for

    token = session_token_without_mfa_for(cast.priya).encode()  # Priya has an authenticator; this sign-in skipped it

    async def scenario():
        _, connected, code = await _connect(headers=[(b"x-session-token", token)])
        return connected, code

    assert async_to_sync(scenario)() == (False, 4403)
