"""EcwidClient against the Ecwid sandbox: media by URL, 422 codes and per-item failures as findings,
and never an accidental gallery erase."""

from __future__ import annotations

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from vidlint.clients.errors import ClientConfigError, PreflightFailed, ValidationFailed
from vidlint.providers.ecwid.client import media_body
from vidlint.providers.ecwid.models import MediaItem
from vidlint.sandbox import SandboxServer, StaticFiles
from vidlint.sandbox.pytest_plugin import SandboxFactory

from .support import SAMPLES, ecwid_client

PRODUCT = 4711


def gallery_of(server: SandboxServer, product: int = PRODUCT) -> list[str]:
    for row in server.app.state()["products"]:
        if row["id"] == product:
            media = row["media"]
            items = [i for i in media["images"] if not i["isMain"]] + [
                v for v in media["videos"] if not v["isMain"]
            ]
            return [i.get("imageOriginalUrl") or i["url"] for i in sorted(items, key=lambda i: i["orderBy"])]
    return []


def seed(server: SandboxServer, files: StaticFiles) -> tuple[str, list[str]]:
    """A product with a main image and a two-item gallery."""
    main = files.publish(SAMPLES / "images" / "ok.jpg")
    gallery = [files.publish(SAMPLES / "images" / "ok.png"), files.publish(SAMPLES / "no_audio_10s.mp4")]
    with ecwid_client(server) as client:
        client.update_media(PRODUCT, main=MediaItem(imageUrl=main))
        client.update_media(PRODUCT, gallery=[MediaItem(imageUrl=gallery[0]), MediaItem(videoUrl=gallery[1])])
    return main, gallery


def test_a_main_video_keeps_the_main_image_and_the_gallery(
    vidlint_sandbox: SandboxFactory, vidlint_files: StaticFiles
) -> None:
    server = vidlint_sandbox("ecwid")
    main, gallery = seed(server, vidlint_files)
    video = vidlint_files.publish(SAMPLES / "ok_h264_aac_1080p_10s.mp4")
    with ecwid_client(server) as client:
        result = client.upload(video, metadata={"productId": PRODUCT})
        product = client.get_product(PRODUCT)
    assert (result.status, result.accepted) == ("UPDATED", True)
    assert product.main_item() == MediaItem(videoUrl=video, imageUrl=main)
    assert gallery_of(server) == gallery


def test_a_gallery_video_is_appended(vidlint_sandbox: SandboxFactory, vidlint_files: StaticFiles) -> None:
    server = vidlint_sandbox("ecwid")
    _, gallery = seed(server, vidlint_files)
    with ecwid_client(server, publisher=vidlint_files.publish) as client:
        result = client.upload(
            SAMPLES / "captioned_good.mp4", metadata={"productId": PRODUCT, "placement": "gallery"}
        )
    assert result.accepted and result.ids["mediaId"] == "3"
    assert gallery_of(server)[:2] == gallery and gallery_of(server)[2].endswith("captioned_good.mp4")


@pytest.mark.parametrize(
    ("link", "code"),
    [
        ("ftp://files.example/video.mp4", "WRONG_URL"),
        ("https://www.tiktok.com/@shop/video/1", "VIDEO_NOT_SUPPORTED"),
        ("{files}/missing.mp4", "VIDEO_UNAVAILABLE"),
        ("{files}/text.mp4", "NOT_VIDEO_URL"),
    ],
)
def test_refused_links_carry_the_documented_422_code(
    vidlint_sandbox: SandboxFactory, vidlint_files: StaticFiles, link: str, code: str
) -> None:
    server = vidlint_sandbox("ecwid")
    (vidlint_files.root / "text.mp4").write_bytes((SAMPLES / "text_named.mp4").read_bytes())
    with ecwid_client(server) as client, pytest.raises(ValidationFailed) as caught:
        client.update_media(PRODUCT, main=MediaItem(videoUrl=link.format(files=vidlint_files.url)))
    assert caught.value.status == 422 and caught.value.code == code
    [finding] = caught.value.findings
    assert finding.code == code and finding.rule.startswith("ecwid.")


def test_a_wrong_url_never_leaves_the_machine(vidlint_sandbox: SandboxFactory) -> None:
    server = vidlint_sandbox("ecwid")
    with ecwid_client(server) as client, pytest.raises(PreflightFailed) as caught:
        client.upload("ftp://files.example/video.mp4", metadata={"productId": PRODUCT})
    assert caught.value.report.codes() == {"WRONG_URL"}
    assert server.requests == []


def test_per_item_failures_become_findings_and_keep_the_gallery(
    vidlint_sandbox: SandboxFactory, vidlint_files: StaticFiles
) -> None:
    server = vidlint_sandbox("ecwid")
    _, gallery = seed(server, vidlint_files)
    broken = vidlint_files.publish(SAMPLES / "images" / "corrupt.png")
    with ecwid_client(server) as client:
        result = client.update_media(
            PRODUCT, gallery=[MediaItem(imageUrl=gallery[0]), MediaItem(imageUrl=broken)]
        )
    assert [(r.success, r.errorCode) for r in result.galleryMedia or []] == [
        (True, None),
        (False, "DOWNLOAD_IMAGE_FAILED"),
    ]
    assert gallery_of(server) == gallery


def test_an_empty_gallery_is_refused_unless_asked_for(
    vidlint_sandbox: SandboxFactory, vidlint_files: StaticFiles
) -> None:
    server = vidlint_sandbox("ecwid")
    seed(server, vidlint_files)
    server.clear_requests()
    with ecwid_client(server) as client:
        with pytest.raises(ClientConfigError, match="erase_gallery=True"):
            client.update_media(PRODUCT, gallery=[])
        assert server.requests == [] and len(gallery_of(server)) == 2
        client.update_media(PRODUCT, erase_gallery=True)
    assert gallery_of(server) == []


@settings(max_examples=60)
@given(
    main=st.none() | st.builds(MediaItem, videoUrl=st.none() | st.just("https://v/1.mp4")),
    gallery=st.none() | st.lists(st.builds(MediaItem, imageUrl=st.just("https://i/1.png")), max_size=3),
)
def test_the_body_never_holds_an_empty_gallery_unless_erasing(
    main: MediaItem | None, gallery: list[MediaItem] | None
) -> None:
    try:
        body = media_body(main, gallery, erase_gallery=False)
    except ClientConfigError:
        return
    assert body["galleryMedia"] != []
    assert set(body) == {"mainMedia", "galleryMedia"}  # an untouched field is an explicit null


OPS = st.lists(st.sampled_from(["main", "gallery", "main-image", "bad-gallery"]), min_size=1, max_size=4)


@settings(max_examples=8, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(ops=OPS)
def test_no_sequence_of_uploads_shrinks_the_gallery(
    ops: list[str], vidlint_sandbox: SandboxFactory, vidlint_files: StaticFiles
) -> None:
    server = vidlint_sandbox("ecwid")
    _, gallery = seed(server, vidlint_files)
    video = vidlint_files.publish(SAMPLES / "ok_h264_aac_1080p_10s.mp4")
    image = vidlint_files.publish(SAMPLES / "images" / "ok.png")
    with ecwid_client(server) as client:
        for op in ops:
            before = gallery_of(server)
            if op == "main":
                client.upload(video, metadata={"productId": PRODUCT})
            elif op == "gallery":
                client.upload(video, metadata={"productId": PRODUCT, "placement": "gallery"})
            elif op == "main-image":
                client.update_media(PRODUCT, main=MediaItem(imageUrl=image))
            else:  # the whole gallery again plus a link that fails: the update must not lose anything
                current = client.get_product(PRODUCT).gallery_items()
                broken = MediaItem(imageUrl=f"{vidlint_files.url}/missing.png")
                client.update_media(PRODUCT, gallery=[*current, broken])
            assert gallery_of(server)[: len(before)] == before
    assert gallery_of(server)[: len(gallery)] == gallery
