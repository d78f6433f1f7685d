"""Configuration from the environment (12-factor), with documented defaults.

Every setting is read from an environment variable of the same name in upper case
(``DATABASE_URL``, ``SEARCH_BACKEND`` ...). The README's configuration table lists them.
"""

from __future__ import annotations

from enum import StrEnum
from functools import lru_cache
from pathlib import Path

from pydantic import Field
from pydantic_settings import BaseSettings, SettingsConfigDict

PROJECT_ROOT = Path(__file__).resolve().parent.parent
DEFAULT_VAR_DIR = PROJECT_ROOT / "var"


class SearchBackendName(StrEnum):
    EMBEDDED = "embedded"
    ELASTICSEARCH = "elasticsearch"


class Settings(BaseSettings):
    model_config = SettingsConfigDict(env_prefix="", extra="ignore", frozen=True)

    database_url: str = Field(
        default=f"sqlite:///{DEFAULT_VAR_DIR / 'signpost.db'}",
        description="SQLAlchemy URL of the database (SQLite file or PostgreSQL).",
    )
    search_backend: SearchBackendName = Field(
        default=SearchBackendName.EMBEDDED,
        description="Which search backend serves queries: embedded or elasticsearch.",
    )
    elasticsearch_url: str = Field(
        default="http://127.0.0.1:9200",
        description="Elasticsearch HTTP endpoint, used when SEARCH_BACKEND=elasticsearch.",
    )
    elasticsearch_index: str = Field(
        default="signpost-listings",
        description="Alias that searches read; versioned indices sit behind it.",
    )
    elasticsearch_timeout_s: float = Field(default=5.0, description="Per-request timeout.")
    search_index_path: Path = Field(
        default=DEFAULT_VAR_DIR / "search-index.db",
        description="The embedded backend's index file (derived; `signpost reindex` rebuilds it).",
    )
    search_vocabulary_path: Path = Field(
        default=PROJECT_ROOT / "search" / "vocabulary.yaml",
        description="Everyday-language vocabulary applied to searches (edits need no reindex).",
    )
    search_default_radius_km: float = Field(
        default=5.0, gt=0, description="Search radius around a place when none is asked for."
    )
    search_max_radius_km: float = Field(
        default=50.0, gt=0, description="The largest radius a search may ask for."
    )
    signpost_sources: Path = Field(
        default=Path("sources.yaml"),
        description="The sources file (YAML or TOML) that sync and the worker read.",
    )
    sync_hold_below_ratio: float = Field(
        default=0.5, ge=0, le=1,
        description="Hold a run for review when it fetches under this share of the last good run.",
    )
    sync_withdraw_after_missing_runs: int = Field(
        default=3, ge=1,
        description="Withdraw a listing after this many successful runs without its record.",
    )
    host: str = Field(default="127.0.0.1", description="Address `signpost serve` binds to.")
    port: int = Field(default=8000, description="Port `signpost serve` listens on.")
    log_level: str = Field(default="INFO", description="DEBUG, INFO, WARNING or ERROR.")
    log_format: str = Field(default="console", description="console (human) or json.")
    readiness_timeout_s: float = Field(
        default=2.0, description="How long /readyz waits for each dependency."
    )


@lru_cache(maxsize=1)
def get_settings() -> Settings:
    """The process-wide settings, read once from the environment."""
    return Settings()
