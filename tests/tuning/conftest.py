"""A real PostgreSQL server for the tests of tuning on many machines, started and stopped here."""

from __future__ import annotations

import itertools

import pytest

_names = itertools.count()


def _server():
    pytest.importorskip("psycopg2", reason="psycopg2 is not installed (pip install -e '.[test]')")
    from pg_server import PostgresServer, PostgresUnavailable

    try:
        return PostgresServer().start()
    except PostgresUnavailable as exc:
        pytest.skip(f"PostgreSQL cannot be used here: {exc}")


@pytest.fixture(scope="session")
def postgres():
    """One server for the session (initdb in a temporary directory, a free loopback port)."""
    server = _server()
    yield server
    server.remove()


@pytest.fixture
def pg_url(postgres):
    """A fresh database on the session's server, for one test."""
    return postgres.create_database(f"t{next(_names)}")


@pytest.fixture
def own_postgres():
    """A server of the test's own, which it may stop and start (the session's stays up)."""
    server = _server()
    yield server
    server.remove()
