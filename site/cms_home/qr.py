"""QR codes as inline SVG: crisp on paper at any size, no image files to serve."""

import re

import qrcode
import qrcode.image.svg


def qr_svg(url: str) -> str:
    """An <svg> element (no XML declaration) that encodes ``url``."""
    image = qrcode.make(
        url,
        image_factory=qrcode.image.svg.SvgPathImage,
        error_correction=qrcode.constants.ERROR_CORRECT_M,
        border=2,
    )
    svg = image.to_string(encoding="unicode").split("?>", 1)[-1].strip()
    # Sized by the page's CSS, not in millimetres fixed by the library.
    return re.sub(r' (width|height)="[^"]*mm"', "", svg, count=2).replace(
        "<svg ", '<svg role="img" aria-label="QR" ', 1
    )
