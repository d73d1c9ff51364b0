# gisserver: the application server. PostGIS runs in its own container (docker-compose.yml).
FROM python:3.11-slim-bookworm

ENV PYTHONDONTWRITEBYTECODE=1 PYTHONUNBUFFERED=1 PIP_NO_CACHE_DIR=1
WORKDIR /app

# rasterio, pyogrio and psycopg ship their native libraries (GDAL, PROJ, libpq) in their wheels.
COPY pyproject.toml README.md ./
COPY gisserver ./gisserver
RUN pip install .

COPY layers ./layers
COPY styles ./styles
COPY etl ./etl

ENV GISSERVER_LAYERS_DIR=/app/layers \
    GISSERVER_STYLES_DIR=/app/styles \
    GISSERVER_DATA_DIR=/var/lib/gisserver
RUN useradd --system --home /var/lib/gisserver --create-home gisserver
USER gisserver

EXPOSE 5000
HEALTHCHECK --interval=10s --timeout=3s CMD python -c \
  "import urllib.request; urllib.request.urlopen('http://127.0.0.1:5000/healthz')"
CMD ["gisserver", "serve", "--host", "0.0.0.0", "--port", "5000", "--workers", "2"]
