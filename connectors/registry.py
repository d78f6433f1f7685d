"""Which connector reads which format."""

from __future__ import annotations

from connectors.aliss import AlissConnector
from connectors.base import Connector
from connectors.datapackage import DatapackageConnector
from connectors.hsds3 import Hsds3Connector
from connectors.mapping import Geocoder
from connectors.oruk import OrukConnector
from connectors.sources import SourceConfig, SourceFormat
from connectors.spreadsheet import SpreadsheetConnector

CONNECTORS: dict[SourceFormat, type[Connector]] = {
    cls.format: cls
    for cls in (
        OrukConnector,
        Hsds3Connector,
        DatapackageConnector,
        AlissConnector,
        SpreadsheetConnector,
    )
}


def connector_for(source: SourceConfig, geocoder: Geocoder | None = None) -> Connector:
    return CONNECTORS[source.format](source, geocoder)
