"""Referral settings, read from ``REFERRALS_*`` environment variables (defaults documented)."""

from __future__ import annotations

from functools import lru_cache

from pydantic import Field
from pydantic_settings import BaseSettings, SettingsConfigDict


class ReferralSettings(BaseSettings):
    model_config = SettingsConfigDict(env_prefix="REFERRALS_", extra="ignore", frozen=True)

    nudge_after_working_days: int = Field(
        default=3, ge=1,
        description="Remind the provider when a referral is unanswered for this many working "
        "days (Monday to Friday; England's bank holidays are not excluded).",
    )
    escalate_after_working_days: int = Field(
        default=5, ge=1,
        description="Escalate to the referrer this many further working days after the reminder.",
    )
    retention_days: int = Field(
        default=730, ge=1,
        description="Anonymise a closed referral this many days after it closed.",
    )
    max_body_bytes: int = Field(default=65536, ge=1024, description="Largest request body.")
    webhook_max_attempts: int = Field(
        default=10, ge=1, description="Deliveries give up (status dead) after this many attempts.",
    )
    webhook_backoff_s: float = Field(
        default=30.0, gt=0,
        description="First retry delay; it doubles after each failure (exponential backoff).",
    )
    webhook_backoff_max_s: float = Field(default=6 * 3600.0, gt=0, description="Longest delay.")
    webhook_timeout_s: float = Field(default=10.0, gt=0, description="Per-delivery HTTP timeout.")
    webhook_lease_s: float = Field(
        default=120.0, gt=0,
        description="A claimed delivery is retried by another worker after this long (crash).",
    )
    fhir_base: str = Field(
        default="https://signpost.invalid/fhir",
        description="Base URI of Signpost's own FHIR code systems and extensions.",
    )


@lru_cache(maxsize=1)
def get_referral_settings() -> ReferralSettings:
    return ReferralSettings()
