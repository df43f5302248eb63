"""A newcomer exploring the demo finds Mr Khan's toolkit with something in it."""

from __future__ import annotations

import pytest

from schools import demo
from schools.models import ToolkitDownload, ToolkitResource, ToolkitVersion

pytestmark = pytest.mark.django_db


def test_mr_khan_opens_a_toolkit_with_resources_he_can_download(schools, client_for):
    demo.load(schools)
    khan = client_for(schools.khan)
    listed = khan.get("/api/v1/toolkit/resources/")
    assert listed.status_code == 200
    titles = [row["title"] for row in listed.json()["results"]]
    assert len(titles) == 3 and "Spotting a young carer: a checklist for staff" in titles
    resource = ToolkitResource.objects.get(title="Spotting a young carer: a checklist for staff")
    version = resource.versions.get()
    assert version.content_type == "application/pdf" and version.file.read().startswith(b"%PDF-")
    assert ToolkitDownload.objects.filter(resource=resource, school=schools.northgate, user=schools.khan).exists()


def test_the_schools_demo_loads_twice_without_doubling(schools):
    demo.load(schools)
    demo.load(schools)
    assert ToolkitResource.objects.count() == 3
    assert ToolkitVersion.objects.count() == 3 and ToolkitDownload.objects.count() == 1
