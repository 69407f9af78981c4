"""QR codes printed on sheets and shown on screens (sign-in, one-time feedback links, QR boxes, joining)."""

import segno


def qr_svg(url: str) -> str:
    """An inline SVG that scales with its CSS box (class qr-svg); error level M survives a creased printout."""
    return segno.make(url, error="m").svg_inline(scale=1, border=2, omitsize=True, svgclass="qr-svg")
