# The official Elasticsearch image plus the British English hunspell dictionary that
# Signpost's mapping stems with (the same files the tests install from Debian).
FROM debian:bookworm-slim AS dictionary
RUN apt-get update && apt-get install -y --no-install-recommends hunspell-en-gb \
    && rm -rf /var/lib/apt/lists/*

FROM docker.elastic.co/elasticsearch/elasticsearch:9.2.4
COPY --from=dictionary /usr/share/hunspell/en_GB.aff /usr/share/hunspell/en_GB.dic \
     /usr/share/elasticsearch/config/hunspell/en_GB/
COPY search/hunspell/en_GB/ /usr/share/elasticsearch/config/hunspell/en_GB/
