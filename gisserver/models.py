"""GeoAlchemy2 models of the schema that the migrations create.

The migrations own the schema; these models describe it for Python code and are checked against
the migrated database in the tests (alembic's comparison finds no difference).
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Any

from geoalchemy2 import Geometry, Raster
from sqlalchemy import BigInteger, Date, ForeignKey, Identity, Integer, Numeric, Text, text
from sqlalchemy.dialects.postgresql import JSONB, TIMESTAMP
from sqlalchemy.orm import DeclarativeBase, Mapped, mapped_column, relationship

TZ = TIMESTAMP(timezone=True)


class Base(DeclarativeBase):
    pass


class LayerRow:
    """Columns every published layer has."""

    id: Mapped[int] = mapped_column(BigInteger, Identity(always=True), primary_key=True)
    source: Mapped[str] = mapped_column(Text)
    source_id: Mapped[str] = mapped_column(Text)
    properties: Mapped[dict[str, Any]] = mapped_column(JSONB, server_default=text("'{}'::jsonb"))
    loaded_at: Mapped[dt.datetime] = mapped_column(TZ, server_default=text("now()"))
    updated_at: Mapped[dt.datetime] = mapped_column(TZ, server_default=text("now()"))


def _geom(kind: str) -> Any:
    return mapped_column(Geometry(kind, srid=4326, spatial_index=False), nullable=False)


class HazardZone(LayerRow, Base):
    __tablename__ = "hazard_zones"
    hazard_type: Mapped[str] = mapped_column(Text)
    severity: Mapped[str] = mapped_column(Text)
    name: Mapped[str | None] = mapped_column(Text)
    description: Mapped[str | None] = mapped_column(Text)
    valid_from: Mapped[dt.datetime | None] = mapped_column(TZ)
    valid_to: Mapped[dt.datetime | None] = mapped_column(TZ)
    geom: Mapped[Any] = _geom("MULTIPOLYGON")


class Shelter(LayerRow, Base):
    __tablename__ = "shelters"
    name: Mapped[str] = mapped_column(Text)
    address: Mapped[str | None] = mapped_column(Text)
    city: Mapped[str | None] = mapped_column(Text)
    capacity: Mapped[int | None] = mapped_column(Integer)
    occupancy: Mapped[int] = mapped_column(Integer, server_default=text("0"))
    status: Mapped[str] = mapped_column(Text, server_default=text("'standby'::text"))
    wheelchair_accessible: Mapped[bool | None]
    pets_allowed: Mapped[bool | None]
    has_food: Mapped[bool | None]
    has_medical: Mapped[bool | None]
    phone: Mapped[str | None] = mapped_column(Text)
    geom: Mapped[Any] = _geom("POINT")


class Stockpile(LayerRow, Base):
    __tablename__ = "stockpiles"
    name: Mapped[str] = mapped_column(Text)
    kind: Mapped[str] = mapped_column(Text, server_default=text("'depot'::text"))
    address: Mapped[str | None] = mapped_column(Text)
    status: Mapped[str] = mapped_column(Text, server_default=text("'active'::text"))
    geom: Mapped[Any] = _geom("POINT")
    items: Mapped[list[StockpileItem]] = relationship(back_populates="stockpile")


class StockpileItem(Base):
    __tablename__ = "stockpile_items"
    id: Mapped[int] = mapped_column(BigInteger, Identity(always=True), primary_key=True)
    stockpile_id: Mapped[int] = mapped_column(
        BigInteger, ForeignKey("stockpiles.id", ondelete="CASCADE")
    )
    item: Mapped[str] = mapped_column(Text)
    quantity: Mapped[Decimal] = mapped_column(Numeric)
    unit: Mapped[str] = mapped_column(Text)
    expires_on: Mapped[dt.date | None] = mapped_column(Date)
    source: Mapped[str] = mapped_column(Text)
    loaded_at: Mapped[dt.datetime] = mapped_column(TZ, server_default=text("now()"))
    updated_at: Mapped[dt.datetime] = mapped_column(TZ, server_default=text("now()"))
    stockpile: Mapped[Stockpile] = relationship(back_populates="items")


class Camera(LayerRow, Base):
    __tablename__ = "cameras"
    name: Mapped[str] = mapped_column(Text)
    status: Mapped[str] = mapped_column(Text, server_default=text("'online'::text"))
    direction: Mapped[str | None] = mapped_column(Text)
    stream_url: Mapped[str | None] = mapped_column(Text)
    geom: Mapped[Any] = _geom("POINT")


class Incident(LayerRow, Base):
    __tablename__ = "incidents"
    incident_type: Mapped[str] = mapped_column(Text)
    severity: Mapped[str] = mapped_column(Text, server_default=text("'moderate'::text"))
    status: Mapped[str] = mapped_column(Text, server_default=text("'reported'::text"))
    reported_at: Mapped[dt.datetime] = mapped_column(TZ)
    description: Mapped[str | None] = mapped_column(Text)
    geom: Mapped[Any] = _geom("GEOMETRY")


class PopulationSource(Base):
    __tablename__ = "population_sources"
    id: Mapped[int] = mapped_column(BigInteger, Identity(always=True), primary_key=True)
    name: Mapped[str] = mapped_column(Text, unique=True)
    kind: Mapped[str] = mapped_column(Text)
    title: Mapped[str | None] = mapped_column(Text)
    description: Mapped[str | None] = mapped_column(Text)
    licence: Mapped[str | None] = mapped_column(Text)
    attribution: Mapped[str | None] = mapped_column(Text)
    reference_year: Mapped[int | None] = mapped_column(Integer)
    srid: Mapped[int | None] = mapped_column(Integer)
    total_population: Mapped[float | None]
    footprint: Mapped[Any] = mapped_column(
        Geometry("MULTIPOLYGON", srid=4326, spatial_index=False), nullable=True
    )
    properties: Mapped[dict[str, Any]] = mapped_column(JSONB, server_default=text("'{}'::jsonb"))
    loaded_at: Mapped[dt.datetime] = mapped_column(TZ, server_default=text("now()"))


class PopulationUnit(Base):
    __tablename__ = "population_units"
    id: Mapped[int] = mapped_column(BigInteger, Identity(always=True), primary_key=True)
    population_source_id: Mapped[int] = mapped_column(
        BigInteger, ForeignKey("population_sources.id", ondelete="CASCADE")
    )
    unit_id: Mapped[str] = mapped_column(Text)
    population: Mapped[float]
    properties: Mapped[dict[str, Any]] = mapped_column(JSONB, server_default=text("'{}'::jsonb"))
    geom: Mapped[Any] = _geom("MULTIPOLYGON")


class PopulationRasterTile(Base):
    __tablename__ = "population_raster_tiles"
    id: Mapped[int] = mapped_column(BigInteger, Identity(always=True), primary_key=True)
    population_source_id: Mapped[int] = mapped_column(
        BigInteger, ForeignKey("population_sources.id", ondelete="CASCADE")
    )
    rast: Mapped[Any] = mapped_column(Raster(spatial_index=False), nullable=False)


class EtlRun(Base):
    __tablename__ = "etl_runs"
    id: Mapped[int] = mapped_column(BigInteger, Identity(always=True), primary_key=True)
    job: Mapped[str] = mapped_column(Text)
    layer: Mapped[str] = mapped_column(Text)
    source: Mapped[str] = mapped_column(Text)
    file: Mapped[str | None] = mapped_column(Text)
    started_at: Mapped[dt.datetime] = mapped_column(TZ, server_default=text("now()"))
    finished_at: Mapped[dt.datetime | None] = mapped_column(TZ)
    rows_read: Mapped[int] = mapped_column(Integer, server_default=text("0"))
    rows_loaded: Mapped[int] = mapped_column(Integer, server_default=text("0"))
    rows_inserted: Mapped[int] = mapped_column(Integer, server_default=text("0"))
    rows_updated: Mapped[int] = mapped_column(Integer, server_default=text("0"))
    rows_unchanged: Mapped[int] = mapped_column(Integer, server_default=text("0"))
    rows_retired: Mapped[int] = mapped_column(Integer, server_default=text("0"))
    rows_rejected: Mapped[int] = mapped_column(Integer, server_default=text("0"))
    status: Mapped[str] = mapped_column(Text, server_default=text("'running'::text"))
    error: Mapped[str | None] = mapped_column(Text)
    rejects_file: Mapped[str | None] = mapped_column(Text)
    backend_pid: Mapped[int | None] = mapped_column(Integer)
    backend_start: Mapped[dt.datetime | None] = mapped_column(TZ)


class LayerVersion(Base):
    __tablename__ = "layer_versions"
    layer: Mapped[str] = mapped_column(Text, primary_key=True)
    version: Mapped[int] = mapped_column(BigInteger, server_default=text("1"))
    changed_at: Mapped[dt.datetime] = mapped_column(TZ, server_default=text("now()"))
