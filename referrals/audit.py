"""The referral audit log: every read and write, by whom and through which channel."""

from __future__ import annotations

from collections.abc import Iterable
from enum import StrEnum

from sqlmodel import Session

from referrals.models import ReferralAudit


class Channel(StrEnum):
    JSON = "json"
    FHIR = "fhir"
    CLI = "cli"
    JOB = "job"


def record(
    session: Session,
    referral_ids: Iterable[str],
    account_id: str | None,
    action: str,
    channel: Channel,
) -> None:
    """Add one audit row per referral, in the caller's transaction."""
    session.add_all(
        ReferralAudit(referral_id=rid, account_id=account_id, action=action, channel=channel)
        for rid in referral_ids
    )
