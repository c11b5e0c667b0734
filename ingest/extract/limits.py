"""Size limits that keep extraction memory bounded, whatever the upload.

The original bytes are always kept by the caller; a file over a limit is refused for text extraction
with a clear "too_large" error rather than read in part, so a document is never half-searchable
without anyone knowing. Plain text and HTML are decoded whole, so their limit is on the file size and is
checked before anything is read; PDF and DOCX are read part by part and stop once the extracted text
passes ``MAX_TEXT_CHARS``.
"""

MB = 1024 * 1024

MAX_TEXT_CHARS = 50 * MB  # extracted text of any document
MAX_TEXT_FILE_BYTES = 50 * MB  # plain text and Markdown files
MAX_HTML_FILE_BYTES = 20 * MB  # an HTML parse takes several times the file size in memory
MAX_PDF_FILE_BYTES = 1024 * MB
MAX_DOCX_FILE_BYTES = 512 * MB
MAX_OFFICE_FILE_BYTES = 1024 * MB  # ODT, RTF, spreadsheets, slides, e-mails, ZIP and TAR archives
MAX_IMAGE_FILE_BYTES = 200 * MB  # photos and scans read by OCR …
MAX_IMAGE_PIXELS = 80_000_000  # … and their size once decoded, checked before decoding (image bombs)

# DOCX (a ZIP) checks, made on the ZIP directory before any part is inflated
MAX_ZIP_ENTRIES = 10_000
MAX_ZIP_TOTAL_BYTES = 1024 * MB  # all parts, pictures included
MAX_ZIP_XML_BYTES = 256 * MB  # the XML parts python-docx parses into memory
MAX_ZIP_RATIO = 200  # uncompressed / compressed size of one part …
MIN_RATIO_CHECK_BYTES = 4 * MB  # … checked for parts that inflate to more than this


def human_size(size: int) -> str:
    return f"{size / MB:.0f} MB" if size >= MB else f"{size / 1024:.0f} KB"

# Containers (ZIP, TAR, e-mails with attachments, mailboxes): each member becomes a document of its
# own. Past a bound the member is refused with the reason and the rest are kept; the container's
# original always is.
MAX_NESTING = 3  # a container in a container in a container; deeper ones are kept, not expanded
MAX_MEMBERS = 1_000  # members expanded from one container; the rest stay in its original
MAX_MEMBER_BYTES = 200 * MB  # one member, once expanded
MAX_EXPANDED_BYTES = 1024 * MB  # all members of one container together
MAX_MEMBER_RATIO = 100  # expanded / compressed size of a member …, checked above MIN_RATIO_CHECK_BYTES
MAX_SHEET_CELLS = 2_000_000  # cells read from a spreadsheet, all sheets together
