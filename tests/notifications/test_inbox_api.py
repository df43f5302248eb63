from __future__ import annotations

import pytest
from allauth.mfa.models import Authenticator

from notifications.models import Notification
from notifications.services import notify
from tests.helpers import assert_error

pytestmark = pytest.mark.django_db

PERSONAS = [
    "young_carer",
    "other_young_carer",
    "key_worker",
    "manager",
    "other_project_worker",
    "school_staff",
    "other_school_staff",
    "adult_services",
    "commissioner",
]


def _tell(user, n=1, preview="x"):
    return [
        notify(
            recipients=[user], kind="message.from_worker", context={"sender_name": "Priya", "preview": f"{preview}{i}"}
        )[0]
        for i in range(n)
    ]


@pytest.mark.parametrize("persona", PERSONAS)
def test_each_persona_sees_and_marks_only_their_own_notifications(personas, client_for, persona):
    user = personas[persona]
    other = personas["young_carer" if persona != "young_carer" else "key_worker"]
    mine = _tell(user)[0]
    theirs = _tell(other)[0]
    client = client_for(user)

    listed = client.get("/api/v1/notifications/").json()["results"]
    assert [row["id"] for row in listed] == [mine.pk]
    assert client.get(f"/api/v1/notifications/{mine.pk}/").status_code == 200
    assert_error(client.get(f"/api/v1/notifications/{theirs.pk}/"), 404, "not_found")

    assert_error(client.post(f"/api/v1/notifications/{theirs.pk}/read/"), 404, "not_found")
    assert Notification.objects.get(pk=theirs.pk).read_at is None
    read = client.post(f"/api/v1/notifications/{mine.pk}/read/")
    assert read.status_code == 200 and read.json()["is_read"] is True

    _tell(other, 2)
    assert client.post("/api/v1/notifications/read-all/", {}, format="json").json() == {"marked": 0, "unread": 0}
    assert Notification.objects.filter(recipient=other, read_at__isnull=True).count() == 3


def test_staff_need_mfa_to_read_their_inbox_which_names_children(cast, client_for):
    item = _tell(cast.priya)[0]
    client = client_for(cast.priya)
    assert client.get("/api/v1/notifications/").status_code == 200
    assert client.get(f"/api/v1/notifications/{item.pk}/").status_code == 200
    assert client.get("/api/v1/notifications/unread-count/").json() == {"unread": 1}

    Authenticator.objects.filter(user=cast.priya).delete()
    client = client_for(cast.priya)
    assert_error(client.get("/api/v1/notifications/"), 403, "mfa_required")
    assert_error(client.get(f"/api/v1/notifications/{item.pk}/"), 403, "mfa_required")
    assert_error(client.get("/api/v1/notifications/unread-count/"), 403, "mfa_required")
    assert_error(client.post(f"/api/v1/notifications/{item.pk}/read/"), 403, "mfa_required")
    assert_error(client.post("/api/v1/notifications/read-all/", {}, format="json"), 403, "mfa_required")
    assert Notification.objects.get(pk=item.pk).read_at is None
    # A young carer needs no second factor for their own inbox.
    _tell(cast.sam)
    assert client_for(cast.sam).get("/api/v1/notifications/unread-count/").json() == {"unread": 1}


def test_the_inbox_pages_by_cursor_newest_first(cast, client_for):
    items = _tell(cast.sam, 30)
    client = client_for(cast.sam)
    first = client.get("/api/v1/notifications/?page_size=20").json()
    assert [row["id"] for row in first["results"]] == [i.pk for i in reversed(items)][:20]
    second = client.get(first["next"]).json()
    assert [row["id"] for row in second["results"]] == [i.pk for i in reversed(items)][20:]
    assert second["next"] is None


def test_a_reconnecting_client_fetches_what_arrived_after_its_last_id(cast, client_for):
    seen = _tell(cast.sam, 3)
    missed = _tell(cast.sam, 2, preview="missed")
    rows = client_for(cast.sam).get(f"/api/v1/notifications/?after_id={seen[-1].pk}").json()["results"]
    assert sorted(row["id"] for row in rows) == sorted(i.pk for i in missed)


@pytest.mark.parametrize("query", ["after_id=abc", "after_id=-1", "unread=maybe"])
def test_bad_inbox_filters_are_a_400(cast, client_for, query):
    assert_error(client_for(cast.sam).get(f"/api/v1/notifications/?{query}"), 400)


def test_unread_count_mark_read_and_mark_all_read(cast, client_for):
    items = _tell(cast.sam, 4)
    client = client_for(cast.sam)
    assert client.get("/api/v1/notifications/unread-count/").json() == {"unread": 4}
    client.post(f"/api/v1/notifications/{items[0].pk}/read/")
    client.post(f"/api/v1/notifications/{items[0].pk}/read/")  # twice is fine
    assert client.get("/api/v1/notifications/unread-count/").json() == {"unread": 3}
    unread = client.get("/api/v1/notifications/?unread=true").json()["results"]
    assert len(unread) == 3
    # Marking all read up to what the client has shown leaves anything newer unread.
    result = client.post("/api/v1/notifications/read-all/", {"up_to_id": items[2].pk}, format="json").json()
    assert result == {"marked": 2, "unread": 1}
    assert client.post("/api/v1/notifications/read-all/", {}, format="json").json() == {"marked": 1, "unread": 0}


def test_the_inbox_keeps_a_flat_query_count(cast, client_for, django_assert_max_num_queries):
    client = client_for(cast.sam)
    _tell(cast.sam, 2)
    client.get("/api/v1/notifications/")
    with django_assert_max_num_queries(10) as small:
        client.get("/api/v1/notifications/")
    _tell(cast.sam, 40)
    with django_assert_max_num_queries(len(small.captured_queries)):
        response = client.get("/api/v1/notifications/")
    assert len(response.json()["results"]) == 25
