"""AkinonClient against the Omnitron sandbox: multipart uploads, DRF pagination and DRF errors as findings."""

from __future__ import annotations

import pytest

from vidlint.clients.errors import NotFound, PreflightFailed, ValidationFailed
from vidlint.sandbox import Fault, StaticFiles
from vidlint.sandbox.pytest_plugin import SandboxFactory

from .support import SAMPLES, akinon_client, paths

OK = SAMPLES / "ok_h264_aac_1080p_10s.mp4"
PRODUCT = 52


def test_upload_answers_at_once_with_the_new_pk(vidlint_sandbox: SandboxFactory) -> None:
    server = vidlint_sandbox("akinon")
    with akinon_client(server) as client:
        result = client.upload(OK, metadata={"product": PRODUCT})
        [video] = client.list_videos(PRODUCT)
    assert (result.status, result.done, result.accepted) == ("CREATED", True, True)
    assert result.ids == {"pk": str(video.pk), "product": str(PRODUCT)}
    assert video.video is not None and video.video.endswith("ok_h264_aac_1080p_10s.mp4")


def test_a_failing_clip_makes_no_request_at_all(vidlint_sandbox: SandboxFactory) -> None:
    server = vidlint_sandbox("akinon")
    with akinon_client(server) as client, pytest.raises(PreflightFailed) as caught:
        client.upload(SAMPLES / "mp4_named.mov", metadata={"product": PRODUCT})
    assert "video.invalid_extension" in caught.value.report.codes()
    assert server.requests == []


@pytest.mark.parametrize(
    ("sample", "code", "rule"),
    [
        ("mp4_named.mov", "video.invalid_extension", "akinon.video-extension"),
        ("mkv_named.mp4", "video.invalid_format", "akinon.video-format"),
        ("empty.mp4", "video.empty", "akinon.video-empty"),
    ],
)
def test_drf_errors_become_the_packs_findings(
    vidlint_sandbox: SandboxFactory, sample: str, code: str, rule: str
) -> None:
    server = vidlint_sandbox("akinon")
    with akinon_client(server) as client, pytest.raises(ValidationFailed) as caught:
        client.create_video(SAMPLES / sample, PRODUCT)
    assert [(f.code, f.rule) for f in caught.value.findings] == [(code, rule)]
    assert caught.value.status == 400


def test_listing_follows_next_links(vidlint_sandbox: SandboxFactory) -> None:
    server = vidlint_sandbox("akinon")
    with akinon_client(server, page_size=2) as client:
        made = [client.create_video(OK, PRODUCT).pk for _ in range(5)]
        client.create_video(OK, PRODUCT + 1)
        listed = client.list_videos(PRODUCT)
    assert [v.pk for v in listed] == made
    assert [v.order for v in listed] == [0, 1, 2, 3, 4]
    assert sum(p == "/api/v1/product_video/" for p in paths(server, "GET")) >= 3


def test_reorder_and_delete(vidlint_sandbox: SandboxFactory) -> None:
    server = vidlint_sandbox("akinon")
    with akinon_client(server) as client:
        first, second = (client.create_video(OK, PRODUCT).pk for _ in range(2))
        moved = client.reorder("video", first, 5)
        with pytest.raises(ValidationFailed) as caught:
            client.reorder("video", second, -1)
        client.delete("video", second)
        remaining = client.list_videos(PRODUCT)
        with pytest.raises(NotFound):
            client.delete("video", second)
    assert moved.order == 5
    assert [(f.code, f.rule) for f in caught.value.findings] == [("order.min_value", "akinon.order-min")]
    assert [v.pk for v in remaining] == [first]


def test_images_upload_become_main_and_come_from_an_erp(
    vidlint_sandbox: SandboxFactory, vidlint_files: StaticFiles
) -> None:
    server = vidlint_sandbox("akinon")
    url = vidlint_files.publish(SAMPLES / "images" / "ok.jpg")
    with akinon_client(server) as client:
        image = client.create_image(SAMPLES / "images" / "ok.png", PRODUCT)
        special = client.make_main_image(image.pk)
        with pytest.raises(ValidationFailed) as caught:
            client.create_image(SAMPLES / "images" / "corrupt.png", PRODUCT)
        client.download_image(PRODUCT, url, order=1)
        images = client.list_images(PRODUCT)
    assert special == "base"
    assert [f.code for f in caught.value.findings] == ["image.invalid_image"]
    assert len(images) == 2 and images[1].image is not None and images[1].image.endswith("ok.jpg")


def test_an_upload_whose_answer_was_lost_is_not_sent_twice(vidlint_sandbox: SandboxFactory) -> None:
    server = vidlint_sandbox("akinon")
    server.faults.add(Fault(kind="drop_after", method="POST", path="*/product_video/"))
    with akinon_client(server) as client:
        video = client.create_video(OK, PRODUCT)
        listed = client.list_videos(PRODUCT)
    assert [v.pk for v in listed] == [video.pk]
    assert paths(server, "POST") == ["/api/v1/product_video/"]


def test_an_upload_refused_with_500_is_sent_again_after_checking(vidlint_sandbox: SandboxFactory) -> None:
    server = vidlint_sandbox("akinon")
    server.faults.add(Fault(kind="status", status=500, method="POST", path="*/product_video/"))
    with akinon_client(server) as client:
        client.create_video(OK, PRODUCT)
        listed = client.list_videos(PRODUCT)
    assert len(listed) == 1 and len(paths(server, "POST")) == 2


@pytest.mark.parametrize("image", ["ok.jpg", "ok.png"])
def test_an_image_upload_goes_to_the_product_image_endpoint(
    vidlint_sandbox: SandboxFactory, image: str
) -> None:
    """The pack's ``inputs.image`` extensions decide the endpoint, as they decide the pre-flight's rules."""
    server = vidlint_sandbox("akinon")
    with akinon_client(server) as client:
        result = client.upload(SAMPLES / "images" / image, metadata={"product": PRODUCT, "source": "unified"})
        [listed] = client.list_images(PRODUCT)
        assert client.list_videos(PRODUCT) == []
    assert (result.status, result.accepted, result.approved) == ("CREATED", True, True)
    assert result.ids == {"pk": str(listed.pk), "product": str(PRODUCT)}
    assert result.notes == ("uploaded as a product image (/api/v1/product_image/)",)
    assert listed.source == "unified" and listed.image is not None and listed.image.endswith(image)
    assert paths(server, "POST") == ["/api/v1/product_image/"]
