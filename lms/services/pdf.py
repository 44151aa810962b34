"""HTML to PDF with WeasyPrint, for certificates and learning records.

WeasyPrint is imported on first use (it loads Pango and fonts: nothing a page request needs).
Pages are our own templates; the stylesheet names a CJK font from Debian's packages
(``scripts/ensure-pdf-deps``) so Chinese never prints as boxes. Remote resources are refused:
the only images are data URIs we build (the QR code).
"""

from __future__ import annotations


class PdfUnavailable(RuntimeError):
    """WeasyPrint or its system libraries are missing on this server."""


def render_pdf(html: str) -> bytes:
    """Render a complete HTML document (our template output) to PDF bytes."""
    try:
        import weasyprint
    except (ImportError, OSError) as error:  # OSError: Pango is missing
        raise PdfUnavailable(str(error)) from error
    from weasyprint.urls import URLFetcher

    only_data = URLFetcher(allowed_protocols={"data"})
    return weasyprint.HTML(string=html, url_fetcher=only_data).write_pdf()
