"""File responses shared by the apps: PDFs shown in the browser, attachments downloaded."""

from __future__ import annotations

from urllib.parse import quote

from django.http import HttpResponse


def pdf_response(data: bytes, filename: str) -> HttpResponse:
    response = HttpResponse(bytes(data), content_type="application/pdf")
    response["Content-Disposition"] = f'inline; filename="{filename}"'
    return response


def download_response(data: bytes, filename: str, content_type: str) -> HttpResponse:
    response = HttpResponse(bytes(data), content_type=content_type)
    response["Content-Disposition"] = "attachment; filename*=UTF-8''" + quote(filename)
    response["X-Content-Type-Options"] = "nosniff"
    return response
