# Signpost's API and worker image.
FROM python:3.11-slim AS app

ENV PYTHONDONTWRITEBYTECODE=1 PYTHONUNBUFFERED=1 PIP_NO_CACHE_DIR=1
WORKDIR /app

COPY pyproject.toml README.md ./
COPY signpost signpost
COPY connectors connectors
COPY aggregator aggregator
COPY directory directory
COPY search search
COPY referrals referrals
COPY api api
COPY web web
RUN pip install . && useradd --system --uid 10001 signpost
USER signpost

ENV HOST=0.0.0.0 PORT=8000 LOG_FORMAT=json
EXPOSE 8000
CMD ["signpost", "serve"]
