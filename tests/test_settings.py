from __future__ import annotations

import pytest
from pydantic import ValidationError

from gisserver.db import database_url, describe_target, sqlalchemy_url
from gisserver.errors import DatabaseUnavailable
from gisserver.settings import Settings


def test_database_url_from_environment(monkeypatch):
    monkeypatch.setenv("DATABASE_URL", "postgresql://a:b@db.example:6543/gis")
    monkeypatch.setenv("GISSERVER_PORT", "8080")
    s = Settings()
    assert s.database_url == "postgresql://a:b@db.example:6543/gis"
    assert s.port == 8080
    assert database_url(s) == s.database_url
    assert describe_target(database_url(s)) == "db.example:6543/gis"


def test_without_database_url_the_private_cluster_is_required(tmp_path, monkeypatch):
    monkeypatch.delenv("DATABASE_URL", raising=False)
    s = Settings(data_dir=tmp_path)
    with pytest.raises(DatabaseUnavailable, match="gisserver db start"):
        database_url(s)


def test_invalid_port_is_refused(monkeypatch):
    monkeypatch.setenv("GISSERVER_PORT", "70000")
    with pytest.raises(ValidationError, match="port"):
        Settings()


def test_sqlalchemy_url_uses_psycopg3():
    assert sqlalchemy_url("postgresql://x@h/d") == "postgresql+psycopg://x@h/d"
    assert sqlalchemy_url("postgres://x@h/d") == "postgresql+psycopg://x@h/d"
