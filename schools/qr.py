"""QR codes for a presentation's self-identification link."""

from __future__ import annotations

import io

import qrcode
import qrcode.image.svg


def qr_png(data: str) -> bytes:
    image = qrcode.make(data, box_size=10, border=4)
    buffer = io.BytesIO()
    image.save(buffer)
    return buffer.getvalue()


def qr_svg(data: str) -> bytes:
    image = qrcode.make(data, image_factory=qrcode.image.svg.SvgPathImage, box_size=10, border=4)
    buffer = io.BytesIO()
    image.save(buffer)
    return buffer.getvalue()
