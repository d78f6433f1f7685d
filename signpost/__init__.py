"""Signpost's composition root: settings, logging and the command-line interface.

The architecture lives in the top-level packages (connectors, aggregator, directory, search,
referrals, api, web); this package only wires them together.
"""
