"""QR codes as inline SVG (no image files, sharp at any size)."""

import re

import qrcode
import qrcode.image.svg


def qr_svg(url: str, label: str = "QR") -> str:
    image = qrcode.make(
        url,
        image_factory=qrcode.image.svg.SvgPathImage,
        error_correction=qrcode.constants.ERROR_CORRECT_M,
        border=3,
    )
    svg = image.to_string(encoding="unicode").split("?>", 1)[-1].strip()
    return re.sub(r' (width|height)="[^"]*mm"', "", svg, count=2).replace(
        "<svg ", f'<svg role="img" aria-label="{label}" class="qr" ', 1
    )
