"""Provision the real services the tests run against: Elasticsearch and PostgreSQL.

Both are installed from public registries (Maven Central, Debian's packages), started on
loopback with throwaway data folders, health-checked, and stopped when the session ends.
"""
