"""Documents the platform prints: HTML templates rendered to PDF by WeasyPrint (DESIGN §2), in
French or Arabic (right to left), with the fonts shipped by npm (no font is fetched) and QR codes
drawn by segno."""

from typing import Any

import segno
from django.contrib.staticfiles import finders
from django.http import HttpResponse
from django.template.loader import render_to_string
from django.utils import translation

# The fonts every PDF embeds: Noto Sans for Latin script, Noto Sans Arabic for Arabic.
FONTS = {
    ("Noto Sans", 400): "vendor/fonts/noto-sans/files/noto-sans-latin-400-normal.woff2",
    ("Noto Sans", 700): "vendor/fonts/noto-sans/files/noto-sans-latin-700-normal.woff2",
    ("Noto Sans Arabic", 400): (
        "vendor/fonts/noto-sans-arabic/files/noto-sans-arabic-arabic-400-normal.woff2"
    ),
    ("Noto Sans Arabic", 700): (
        "vendor/fonts/noto-sans-arabic/files/noto-sans-arabic-arabic-700-normal.woff2"
    ),
}


def font_faces() -> str:
    """@font-face rules naming the font files on disk."""
    rules = []
    for (family, weight), static_path in FONTS.items():
        path = finders.find(static_path)
        if path:
            rules.append(
                f"@font-face {{ font-family: '{family}'; font-weight: {weight}; "
                f"src: url('file://{path}'); }}"
            )
    return "\n".join(rules)


def qr_png_data_uri(text: str) -> str:
    """A QR code as a PNG data URI (an image every PDF reader and phone camera reads)."""
    return segno.make(text, error="m").png_data_uri(scale=6, border=4)


def render_pdf(template: str, context: dict[str, Any], language: str, stylesheet: str) -> bytes:
    """The template as a PDF in `language`, styled by the static `stylesheet` (a file, not a
    <style> in the template: templates hold no inline style, as the CSP wants of every page)."""
    from weasyprint import CSS, HTML  # imported when a PDF is made: it loads Pango

    css_path = finders.find(stylesheet)
    if css_path is None:
        raise FileNotFoundError(stylesheet)
    with open(css_path, encoding="utf-8") as handle:
        css = CSS(string=font_faces() + "\n" + handle.read())
    with translation.override(language):
        html = render_to_string(template, {**context, "rtl": language == "ar"})
    return HTML(string=html).write_pdf(stylesheets=[css])


def pdf_response(pdf: bytes, filename: str) -> HttpResponse:
    response = HttpResponse(pdf, content_type="application/pdf")
    response["Content-Disposition"] = f'inline; filename="{filename}"'
    return response
