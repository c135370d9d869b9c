"""What the database's client printed tells a statement the server refused (it connected and
answered with an error about the data or the schema) from a server never reached or logged in to."""

from __future__ import annotations

import pytest

from launchpad.users.target import refused_by_server

REFUSED = [
    "ERROR 4025 (23000) at line 6: CONSTRAINT `site_rule` failed for `ry`.`sys_user`",
    "ERROR 1406 (22001) at line 5: Data too long for column 'nick_name' at row 1",
    "ERROR 1048 (23000) at line 5: Column 'nick_name' cannot be null",
    "ERROR 1644 (45000) at line 4: passwords change only through the portal",  # a trigger's SIGNAL
    'psql:<stdin>:6: ERROR:  new row for relation "sys_user" violates check constraint "site_rule"',
    "psql:<stdin>:3: ERROR:  value too long for type character varying(30)",
    "psql:<stdin>:3: 错误:  值对于类型 character varying(30) 太长了",  # a server speaking Chinese
]
NOT_REACHED = [
    "ERROR 1045 (28000): Access denied for user 'lp'@'localhost' (using password: YES)",
    "ERROR 2002 (HY000): Can't connect to local server through socket '/run/mysqld/mysqld.sock' (2)",
    "ERROR 2003 (HY000): Can't connect to MySQL server on '127.0.0.1' (111)",
    "ERROR 2005 (HY000): Unknown server host 'db.example' (-2)",
    "ERROR 2013 (HY000) at line 6: Lost connection to server during query",
    'psql: error: connection to server at "127.0.0.1", port 5432 failed: FATAL:  password authentication '
    'failed for user "lp"',
    'psql: error: connection to server at "127.0.0.1", port 5432 failed: Connection refused',
    "psql:<stdin>:6: server closed the connection unexpectedly",
]


@pytest.mark.parametrize("said", REFUSED)
def test_a_statement_the_server_refused_is_told_as_refused(said: str) -> None:
    assert refused_by_server(f"app1: mysql failed: INSERT … / -------------- / {said}")


@pytest.mark.parametrize("said", NOT_REACHED)
def test_a_server_not_reached_or_not_logged_in_to_is_not(said: str) -> None:
    assert not refused_by_server(f"app1: psql failed: {said}")
