# The archive web application. Data (SQLite store of record, originals, embedded index) lives in /data.
FROM python:3.11-slim

ENV PYTHONDONTWRITEBYTECODE=1 \
    PYTHONUNBUFFERED=1 \
    PIP_NO_CACHE_DIR=1 \
    PIP_DISABLE_PIP_VERSION_CHECK=1 \
    ARCHIVE_HOME=/data

WORKDIR /app

# OCR of scanned PDFs (Kazakh, Russian, English); the archive runs without it, refusing such scans.
# Chromium takes the screenshots of captured pages (Playwright drives it); without it captures keep
# their WARC and WACZ and say that the screenshot is missing.
RUN apt-get update \
    && apt-get install -y --no-install-recommends tesseract-ocr tesseract-ocr-kaz tesseract-ocr-rus \
       chromium fonts-dejavu-core \
    && rm -rf /var/lib/apt/lists/*

# Only what the package needs (the build context also holds .venv/ and data/, which must stay out).
# The bracketed names are optional files: the glob copies them when present.
COPY pyproject.toml README.m[d] constraints.tx[t] ./
COPY archive ./archive
COPY ingest ./ingest
COPY search_api ./search_api
COPY web ./web
RUN if [ -f constraints.txt ]; then pip install -c constraints.txt '.[postgres,s3]'; else pip install '.[postgres,s3]'; fi \
    && rm -rf /app/build /app/*.egg-info

RUN useradd --system --uid 10001 --home-dir /data --shell /usr/sbin/nologin archive \
    && mkdir -p /data && chown archive:archive /data
USER archive
VOLUME ["/data"]
EXPOSE 8000
# The process answers; /readyz (used by docker-compose.yml) also asks the store, originals and index.
HEALTHCHECK --interval=30s --timeout=5s CMD ["python", "-c", "import urllib.request; urllib.request.urlopen('http://127.0.0.1:8000/healthz', timeout=4)"]

CMD ["archive", "serve", "--host", "0.0.0.0", "--port", "8000"]
