"""Object stores as sources: ``s3://``, ``gs://`` and ``az://`` URLs, through fsspec.

fsspec gives one interface over S3 (s3fs), Google Cloud Storage (gcsfs) and Azure Blob Storage
(adlfs), each using its cloud's own credential chain: for S3 botocore's (the ``AWS_*`` variables,
``~/.aws/credentials`` and ``~/.aws/config`` with ``AWS_PROFILE``, SSO, instance and container roles),
for GCS google-auth's (``GOOGLE_APPLICATION_CREDENTIALS``, gcloud's default credentials, the metadata
server), for Azure ``AZURE_STORAGE_CONNECTION_STRING`` / ``AZURE_STORAGE_ACCOUNT_NAME`` and the
azure-identity chain. ``AWS_ENDPOINT_URL`` (or ``AWS_ENDPOINT_URL_S3``) points S3 at another server
(MinIO, a local test server). A prefix is listed (recursively, videos by extension); an object is read
header-only by vidlint.catalog.objects.
"""

from __future__ import annotations

import os
from collections.abc import Iterator
from typing import Any

from vidlint.errors import VidlintError

SCHEMES = {"s3": "s3", "gs": "gcs", "gcs": "gcs", "az": "azure", "abfs": "azure"}  # scheme -> extra


class BucketError(VidlintError):
    """A bucket that cannot be reached or listed, or a missing library: one line."""


def is_bucket_url(source: object) -> bool:
    return isinstance(source, str) and source.split("://", 1)[0].lower() in SCHEMES and "://" in source


def filesystem(url: str) -> tuple[Any, str]:
    """fsspec's filesystem for ``url`` and the path inside it; BucketError when its library is missing."""
    scheme = url.split("://", 1)[0].lower()
    try:
        from fsspec.core import url_to_fs

        fs, path = url_to_fs(url, **_options(scheme))
        return fs, str(path)
    except ImportError as exc:
        extra = SCHEMES.get(scheme, scheme)
        raise BucketError(f"{scheme}:// sources need pip install 'vidlint[{extra}]' ({exc})") from None
    except ValueError as exc:
        raise BucketError(f"{url}: {exc}") from None


def list_objects(url: str) -> Iterator[str]:
    """``url`` itself when it names an object, else every video object under it as a URL, sorted.

    Raises BucketError when the bucket cannot be listed (no such bucket, no permission).
    """
    from vidlint.run.targets import VIDEO_EXTENSIONS

    fs, path = filesystem(url)
    scheme = url.split("://", 1)[0]
    try:
        if fs.isfile(path):
            yield url
            return
        found = fs.find(path)
    except (OSError, PermissionError) as exc:
        raise BucketError(f"{url}: cannot list: {exc}") from None
    if not found and not fs.exists(path):
        raise BucketError(f"{url}: no such bucket or prefix")
    for key in sorted(found):
        if os.path.splitext(key)[1].lower() in VIDEO_EXTENSIONS:
            yield f"{scheme}://{key}"


def _options(scheme: str) -> dict[str, Any]:
    """Storage options beyond what each library reads itself: S3's endpoint from the standard variable."""
    if scheme != "s3":
        return {}
    endpoint = os.environ.get("AWS_ENDPOINT_URL_S3") or os.environ.get("AWS_ENDPOINT_URL")
    return {"endpoint_url": endpoint} if endpoint else {}
