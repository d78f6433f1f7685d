"""Closed-loop referrals: lifecycle, access rules, FHIR mapping, webhooks, reminders, retention."""
