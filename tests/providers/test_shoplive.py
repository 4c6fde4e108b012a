"""ShopliveClient against the Shoplive sandbox: search and retrieval, and a clear refusal to upload."""

from __future__ import annotations

import pytest

from vidlint.clients.errors import NotOffered, ValidationFailed
from vidlint.sandbox.pytest_plugin import SandboxFactory

from .support import SAMPLES, shoplive_client


def test_search_pages_through_everything_once(vidlint_sandbox: SandboxFactory) -> None:
    server = vidlint_sandbox("shoplive", shortform_count=65)
    with shoplive_client(server) as client:
        found = [s.shortformId for s in client.iter_search()]
    assert len(found) == 65 == len(set(found))
    assert [r.path for r in server.requests] == ["/v2/access-key/shortform"] * 3


def test_filters_reach_the_api(vidlint_sandbox: SandboxFactory) -> None:
    server = vidlint_sandbox("shoplive")
    with shoplive_client(server) as client:
        opened = client.search({"status": "OPEN"}).results
        both = client.search({"tags": "food,snack", "tagSearchOperator": "AND"}).results
        early = client.search(
            {"to": "2024-01-01T12:00:00Z", "sortBy": "createdAt", "sortAscending": True}
        ).results
    assert opened and all(s.status == "OPEN" for s in opened)
    assert both and all({"food", "snack"} <= set(s.details.tags) for s in both)
    assert [s.createdAt for s in early] == sorted(s.createdAt or "" for s in early)
    assert all((s.createdAt or "") <= "2024-01-01T12:00:00Z" for s in early)


def test_the_documents_two_shapes_read_as_one(vidlint_sandbox: SandboxFactory) -> None:
    server = vidlint_sandbox("shoplive")
    with shoplive_client(server) as client:
        listed = client.search({"title": "Shortform 7"}, count=1).results[0]
        full = client.get(listed.shortformId)
    # search answers have ``video`` as an object (``previewVideoUrl``), retrieval as a list; ids are numbers
    assert listed.video is not None and full.video is not None
    assert listed.video.previewUrl == full.video.previewUrl and listed.video.previewUrl
    assert full.video.duration_ms == 15000
    assert isinstance(full.details.products[0].productId, str)
    assert listed.activity.likeCount is None and full.activity.likeCount == 7


def test_a_bad_filter_is_the_providers_400(vidlint_sandbox: SandboxFactory) -> None:
    server = vidlint_sandbox("shoplive")
    with shoplive_client(server) as client, pytest.raises(ValidationFailed) as caught:
        client.search({"status": "LIVE"})
    assert caught.value.code == "INVALID_PARAMETER"


def test_upload_is_not_offered_and_sends_nothing(vidlint_sandbox: SandboxFactory) -> None:
    server = vidlint_sandbox("shoplive")
    with (
        shoplive_client(server) as client,
        pytest.raises(NotOffered, match="not offered by this provider's API"),
    ):
        client.upload(SAMPLES / "ok_h264_aac_1080p_10s.mp4", metadata={})
    assert server.requests == []
