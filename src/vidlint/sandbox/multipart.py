"""Just enough multipart/form-data parsing for a sandbox: fields as text, files as (name, bytes)."""

from __future__ import annotations

from dataclasses import dataclass, field
from email.message import Message


@dataclass
class Form:
    fields: dict[str, str] = field(default_factory=dict)
    files: dict[str, tuple[str, bytes]] = field(default_factory=dict)  # field -> (file name, content)


def _param(header: str, name: str, value: str) -> str | None:
    holder = Message()
    holder[header] = value
    found = holder.get_param(name, header=header)
    return found if isinstance(found, str) else None


def parse_form(content_type: str, body: bytes) -> Form | None:
    """None when the body is not multipart/form-data with a boundary."""
    if not content_type.lower().startswith("multipart/form-data"):
        return None
    boundary = _param("content-type", "boundary", content_type)
    if not boundary:
        return None
    form = Form()
    for chunk in body.split(b"--" + boundary.encode())[1:]:
        if chunk.startswith(b"--"):
            break
        head, _, data = chunk.removeprefix(b"\r\n").partition(b"\r\n\r\n")
        data = data.removesuffix(b"\r\n")
        headers = dict(
            line.split(":", 1) for line in head.decode("utf-8", "replace").split("\r\n") if ":" in line
        )
        disposition = next((v for k, v in headers.items() if k.strip().lower() == "content-disposition"), "")
        name = _param("content-disposition", "name", disposition.strip())
        if name is None:
            continue
        filename = _param("content-disposition", "filename", disposition.strip())
        if filename is None:
            form.fields[name] = data.decode("utf-8", "replace")
        else:
            form.files[name] = (filename, data)
    return form
