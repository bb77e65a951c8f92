"""QR codes as inline SVG for the notice-board poster."""

import re

import qrcode
import qrcode.image.svg


def qr_svg(url: str) -> str:
    image = qrcode.make(
        url,
        image_factory=qrcode.image.svg.SvgPathImage,
        error_correction=qrcode.constants.ERROR_CORRECT_M,
        border=2,
    )
    svg = image.to_string(encoding="unicode").split("?>", 1)[-1].strip()
    return re.sub(r' (width|height)="[^"]*mm"', "", svg, count=2).replace(
        "<svg ", '<svg role="img" aria-label="QR" class="qr" ', 1
    )
