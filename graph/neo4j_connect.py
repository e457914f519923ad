"""Opening a Neo4j driver with errors that name the URI and the cause, within a bounded time."""

from __future__ import annotations

from typing import Any

from neo4j import Driver, GraphDatabase, NotificationMinimumSeverity
from neo4j.exceptions import AuthError, ConfigurationError, DriverError, Neo4jError

CONNECTION_TIMEOUT_S = 5.0
ACQUISITION_TIMEOUT_S = 10.0
# Managed transactions retry on a lost connection this long before the error reaches a user.
RETRY_TIME_S = 5.0
# A server answering HTTP requests must say "unavailable" at once (a 503 within a second), not
# after the driver has retried for RETRY_TIME_S: one attempt, one immediate retry, short
# connect timeouts. Loads keep the retries, which ride out deadlocks and restarts.
FAIL_FAST_CONNECTION_TIMEOUT_S = 0.5
FAIL_FAST_ACQUISITION_TIMEOUT_S = 1.0
# Settings.neo4j_pool_size's default; the driver's own (100) is more than one API needs.
DEFAULT_POOL_SIZE = 64


class Neo4jUnavailable(RuntimeError):
    """Neo4j cannot be used: unreachable, refused the credentials, or misconfigured."""


def open_driver(uri: str, user: str, password: str, *, verify: bool = True,
                fail_fast: bool = False, pool_size: int = DEFAULT_POOL_SIZE) -> Driver:
    """A driver for `uri` whose connectivity (and credentials) have been checked.

    `fail_fast` is for servers: an outage raises within about a second instead of retrying.
    `pool_size` connections are kept open and reused: the API's worker threads each hold one
    while a request runs, so fewer than its concurrency would queue requests on the pool.
    """
    connection_timeout, acquisition_timeout, retry_time = (
        (FAIL_FAST_CONNECTION_TIMEOUT_S, FAIL_FAST_ACQUISITION_TIMEOUT_S, 0.0) if fail_fast
        else (CONNECTION_TIMEOUT_S, ACQUISITION_TIMEOUT_S, RETRY_TIME_S))
    # The driver accepts initial_retry_delay though its typed signature does not list it.
    retry_delay: dict[str, Any] = {"initial_retry_delay": 0.0} if fail_fast else {}
    try:
        driver = GraphDatabase.driver(
            uri, auth=(user, password), max_connection_pool_size=pool_size,
            connection_timeout=connection_timeout,
            connection_acquisition_timeout=acquisition_timeout,
            max_transaction_retry_time=retry_time, **retry_delay,
            notifications_min_severity=NotificationMinimumSeverity.OFF)
    except (ConfigurationError, ValueError) as error:
        raise Neo4jUnavailable(f"cannot use Neo4j URI {uri!r}: {error}") from error
    if verify:
        try:
            driver.verify_connectivity()
        except BaseException as error:
            driver.close()
            raise unavailable(uri, error) from error
    return driver


def unavailable(uri: str, error: BaseException) -> Neo4jUnavailable:
    """One sentence naming the URI and what went wrong."""
    if isinstance(error, AuthError):
        cause = "the user name or password was refused"
    elif isinstance(error, Neo4jError):
        cause = error.message or str(error)
    elif isinstance(error, DriverError | OSError):
        cause = f"the server did not answer ({_reason(error)})"
    else:
        cause = str(error)
    return Neo4jUnavailable(f"cannot use Neo4j at {uri}: {cause}")


def _reason(error: BaseException) -> str:
    """The innermost reason of a driver error, on one line (e.g. 'Connection refused')."""
    text = " ".join(str(error).split())
    _, _, reason = text.rpartition("(reason ")
    reason = reason.rstrip(")").strip() if reason else text
    return reason or type(error).__name__
