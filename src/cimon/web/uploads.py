"""Uploaded files keep the name their sender gave them (issue #14).

Django's multipart parser cuts a file name at ``/`` and ``\\`` before anything else sees it, so
``bad-<i>x</i>.xlsx`` arrived as ``i>.xlsx``. :class:`KeepUploadNamesMiddleware` lets the parser
remember the name as sent: each uploaded file gets ``original_name`` (control characters
removed, at most 200 characters: :func:`cimon.safe.display_name`), which the portal shows and
keeps as the submission's file name; the file is stored on disk only under
:func:`cimon.safe.safe_filename` of it. Nothing here ever builds a path from the name.
"""

from __future__ import annotations

import html
from collections.abc import Callable
from typing import Any

from django.http import HttpRequest, HttpResponse
from django.http.multipartparser import MultiPartParser

from cimon.safe import display_name


class NameKeepingParser(MultiPartParser):
    """Django's parser, noting each file's name as sent before sanitising it as usual."""

    _sent_name: str = ""

    def sanitize_file_name(self, file_name: str) -> str | None:
        # browsers send " as %22 (and line breaks as %0A, %0D), as the HTML standard says
        sent = html.unescape(file_name).replace("%22", '"')
        self._sent_name = display_name(sent.replace("%0A", " ").replace("%0D", " "), "")
        return super().sanitize_file_name(file_name)

    def handle_file_complete(self, old_field_name: str, counters: list[int]) -> None:
        before = {k: len(v) for k, v in self._files.lists()}
        super().handle_file_complete(old_field_name, counters)
        for key, files in self._files.lists():
            if len(files) > before.get(key, 0):
                files[-1].original_name = self._sent_name or files[-1].name


def sent_name(f: Any) -> str:
    """The name an uploaded file was sent with (its sanitised name when unknown)."""
    return str(getattr(f, "original_name", "") or getattr(f, "name", "") or "")


class KeepUploadNamesMiddleware:
    """Parse multipart requests with :class:`NameKeepingParser` (before CSRF reads the form)."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        if request.method == "POST" and request.content_type == "multipart/form-data":

            def parse(meta: Any, post_data: Any) -> Any:
                parser = NameKeepingParser(
                    meta, post_data, request.upload_handlers, request.encoding
                )
                return parser.parse()

            request.parse_file_upload = parse
        return self.get_response(request)
