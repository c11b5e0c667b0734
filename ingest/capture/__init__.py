"""Capture of submitted links: the page as served, its metadata, and when it was fetched."""

from ingest.capture.errors import CaptureError
from ingest.capture.fetch import DEFAULT_USER_AGENT, capture
from ingest.capture.page import CapturedPage

__all__ = ["DEFAULT_USER_AGENT", "CaptureError", "CapturedPage", "capture"]
