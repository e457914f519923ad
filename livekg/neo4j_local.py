"""Run a real, local Neo4j 5.26 LTS (Community) server from Neo4j's own jars on Maven Central.

Why this exists: the project needs a real Neo4j for loading and querying the graph, but the
machines it runs on have no Docker and cannot reach neo4j.com, only Maven Central. The
``org.neo4j:neo4j`` artifact contains the real server entry point
(``org.neo4j.server.CommunityEntryPoint``), so resolving its runtime jars with ``mvn`` and starting
that class with a generated ``neo4j.conf`` gives the same server the official tarball runs.

Where things go comes from `Settings` (livekg/core/config.py): the jars in
``<neo4j_cache>/lib`` (``LIVEKG_NEO4J_CACHE``; a checkout's ``.cache/neo4j``, else the user's
cache directory), the server home with ``conf/``, ``data/``, ``logs/``, ``run/neo4j.pid`` in
``neo4j_home`` (``LIVEKG_NEO4J_HOME``; a checkout's ``.neo4j/``, else the user's data directory).
Bolt listens on ``127.0.0.1:<LIVEKG_NEO4J_PORT>`` (7687), auth is on, user ``neo4j``, password
``LIVEKG_NEO4J_PASSWORD`` (default ``livekg-local-dev``, meant for local use only).

This is a developer tool: the CLI (`livekg neo4j start|stop|status`), the tests and the
benchmarks call it; the API and the graph never import it.

Java 17 or 21 is required (Neo4j 5.26 supports both; the 2025.x calendar releases need 21).
POSIX only: the server is detached into its own session and stopped with SIGTERM.
"""

from __future__ import annotations

import contextlib
import functools
import hashlib
import os
import re
import shutil
import signal
import socket
import string
import subprocess
import sys
import time
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

from livekg.core.config import DEFAULT_NEO4J_DATABASE, DEFAULT_NEO4J_USER, Settings

try:  # POSIX advisory locks keep two concurrent start() calls from launching two servers.
    import fcntl
except ImportError:  # pragma: no cover - non-POSIX platforms run without the lock
    fcntl = None  # type: ignore[assignment]

__all__ = [
    "Neo4jLocalError",
    "ServerStatus",
    "install",
    "neo4j_version",
    "start",
    "status",
    "stop",
]

MIN_PASSWORD_LENGTH = 8  # Neo4j refuses shorter passwords

# Memory is kept modest because the same machine runs the test suite and other services; the
# heap is twice the largest transaction (db.memory.transaction.max, neo4j.conf.template).
HEAP_INITIAL = "512m"
HEAP_MAX = "2g"
PAGECACHE = "128m"
TRANSACTION_TIMEOUT = "60s"

SUPPORTED_JAVA_MAJORS = (17, 21)
ENTRY_POINT = "org.neo4j.server.CommunityEntryPoint"
ADMIN_TOOL = "org.neo4j.cli.AdminTool"

_SUPPORT_DIR = Path(__file__).resolve().parent / "neo4j"
_POM = _SUPPORT_DIR / "pom.xml"
_CONF_TEMPLATE = _SUPPORT_DIR / "neo4j.conf.template"
_INSTALL_MARKER = ".livekg-installed"

# JVM flags, taken from the ones Neo4j's own launcher puts in the tarball's neo4j.conf
# (server.jvm.additional). The --add-opens are what Neo4j's off-heap/unsafe code and Netty need on
# Java 17+; without them it logs reflective-access failures and falls back to slower paths.
_JVM_FLAGS: tuple[str, ...] = (
    f"-Xms{HEAP_INITIAL}",
    f"-Xmx{HEAP_MAX}",
    "-XX:+UseG1GC",
    "-XX:-OmitStackTraceInFastThrow",
    "-XX:+DisableExplicitGC",
    "-XX:+ExitOnOutOfMemoryError",
    "-Djdk.nio.maxCachedBufferSize=1024",
    "-Dio.netty.tryReflectionSetAccessible=true",
    "-Dio.netty.leakDetection.level=DISABLED",
    "-Djdk.tls.ephemeralDHKeySize=2048",
    "-Djdk.tls.rejectClientInitiatedRenegotiation=true",
    "--add-opens=java.base/java.nio=ALL-UNNAMED",
    "--add-opens=java.base/java.io=ALL-UNNAMED",
    "--add-opens=java.base/sun.nio.ch=ALL-UNNAMED",
    "--add-opens=java.base/java.util.concurrent=ALL-UNNAMED",
    "--enable-native-access=ALL-UNNAMED",
    "-Dlog4j2.disable.jmx=true",
    "-Dfile.encoding=UTF-8",
)

# The server must outlive the Python process that starts it. A throw-away Python child starts
# Java in a new session and exits at once, so Java is re-parented (and later reaped) by init and
# no Popen object is left behind to warn about a still-running child.
_SPAWNER = (
    "import os, subprocess, sys\n"
    "log = open(sys.argv[1], 'ab')\n"
    "p = subprocess.Popen(sys.argv[3:], cwd=sys.argv[2], stdin=subprocess.DEVNULL, stdout=log,\n"
    "                     stderr=subprocess.STDOUT, start_new_session=True, close_fds=True)\n"
    "print(p.pid, flush=True)\n"
    "os._exit(0)\n"
)


class Neo4jLocalError(RuntimeError):
    """A problem with the local server, phrased as one sentence the user can act on."""


@dataclass(frozen=True)
class ServerStatus:
    """Where the local server lives and whether it runs, for `status()` and the CLI."""

    running: bool
    pid: int | None
    uri: str
    port: int
    home: Path
    log_file: Path
    console_log: Path
    version: str


# ---------------------------------------------------------------------------------------------
# Configuration (from Settings, read at call time so tests and the CLI can change it)
# ---------------------------------------------------------------------------------------------


def _configured_port(settings: Settings, port: int | None) -> int:
    """The argument wins, then LIVEKG_NEO4J_PORT (7687)."""
    port = settings.local_neo4j_port if port is None else port
    if not 0 < port < 65536:
        raise Neo4jLocalError(f"Port {port} is not a valid TCP port (1-65535).")
    return port


def _local_password(settings: Settings) -> str:
    """The local server's password; Neo4j rejects short ones, so say so before it does."""
    password = settings.local_neo4j_password
    if len(password) < MIN_PASSWORD_LENGTH:
        raise Neo4jLocalError(
            f"LIVEKG_NEO4J_PASSWORD must have at least {MIN_PASSWORD_LENGTH} characters "
            "(Neo4j refuses shorter ones)."
        )
    return password


def _bolt_uri(port: int) -> str:
    return f"bolt://127.0.0.1:{port}"


@functools.cache
def neo4j_version() -> str:
    """The Neo4j version pinned in livekg/neo4j/pom.xml (the single place to bump it)."""
    match = re.search(r"<neo4j\.version>\s*([^<\s]+)\s*</neo4j\.version>", _POM.read_text("utf-8"))
    if not match:
        raise Neo4jLocalError(f"{_POM} has no <neo4j.version> property.")
    return match.group(1)


# ---------------------------------------------------------------------------------------------
# Jars
# ---------------------------------------------------------------------------------------------


def install(settings: Settings | None = None) -> Path:
    """Resolve Neo4j's runtime jars into the cache with mvn once; return the lib directory.

    Idempotent and quick when cached: a marker holding the pom's hash tells whether the jars in
    ``lib/`` match the pinned version. A new download goes into a temporary folder that is only
    swapped in when complete, so an interrupted run never leaves a half-filled lib.
    """
    cache = (settings or Settings()).neo4j_cache
    lib = cache / "lib"
    pom_hash = hashlib.sha256(_POM.read_bytes()).hexdigest()
    if _install_is_current(lib, pom_hash):
        return lib
    cache.mkdir(parents=True, exist_ok=True)
    with _locked(cache / ".install.lock"):
        if _install_is_current(lib, pom_hash):  # another process finished while we waited
            return lib
        mvn = shutil.which("mvn")
        if mvn is None:
            raise Neo4jLocalError(
                "mvn not found on PATH; install Maven 3.8+ to download the Neo4j jars."
            )
        staging = cache / f"lib.tmp-{os.getpid()}"
        shutil.rmtree(staging, ignore_errors=True)
        cmd = [
            mvn,
            "-q",
            "-B",
            "-f",
            str(_POM),
            "dependency:copy-dependencies",
            f"-DoutputDirectory={staging}",
            "-DincludeScope=runtime",
        ]
        try:
            proc = subprocess.run(cmd, capture_output=True, text=True, timeout=1800, check=False)
        except subprocess.TimeoutExpired:
            shutil.rmtree(staging, ignore_errors=True)
            raise Neo4jLocalError(
                "mvn did not finish within 30 minutes; check the network."
            ) from None
        if proc.returncode != 0:
            shutil.rmtree(staging, ignore_errors=True)
            tail = _last_lines(proc.stdout + proc.stderr, 6)
            raise Neo4jLocalError(f"mvn failed (exit {proc.returncode}): {tail}")
        server_jar = staging / f"neo4j-{neo4j_version()}.jar"
        if not server_jar.is_file():
            shutil.rmtree(staging, ignore_errors=True)
            raise Neo4jLocalError(f"mvn finished but {server_jar.name} is missing from the jars.")
        (staging / _INSTALL_MARKER).write_text(pom_hash + "\n", "utf-8")
        old = cache / f"lib.old-{os.getpid()}"
        if lib.exists():
            lib.rename(old)
        staging.rename(lib)
        shutil.rmtree(old, ignore_errors=True)
    return lib


def _install_is_current(lib: Path, pom_hash: str) -> bool:
    marker = lib / _INSTALL_MARKER
    return marker.is_file() and marker.read_text("utf-8").strip() == pom_hash


# ---------------------------------------------------------------------------------------------
# Server lifecycle
# ---------------------------------------------------------------------------------------------


def status(settings: Settings | None = None) -> ServerStatus:
    """Whether the local server runs (pid file + live Neo4j process), and where to look."""
    settings = settings or Settings()
    home = settings.neo4j_home
    pid = _read_pid(home)
    port = (_conf_port(home) if pid is not None else None) or _configured_port(settings, None)
    return _status(home, pid, port)


def start(port: int | None = None, timeout: float = 120.0,
          settings: Settings | None = None) -> ServerStatus:
    """Start the server detached and wait until Bolt answers and the password is accepted.

    A second call finds the running server through its pid file, checks that it answers, and
    returns it instead of starting another one. On the very first start the password is set
    with neo4j-admin before the server creates its system database, so the default
    neo4j/neo4j account with its forced password change is never exposed.
    """
    settings = settings or Settings()
    home = settings.neo4j_home
    password = _local_password(settings)
    (home / "run").mkdir(parents=True, exist_ok=True)
    with _locked(home / "run" / "livekg.lock"):
        running_pid = _read_pid(home)
        if running_pid is not None:
            running_port = _conf_port(home) or _configured_port(settings, None)
            if port is not None and port != running_port:
                raise Neo4jLocalError(
                    f"Neo4j is already running on port {running_port} (pid {running_pid}); "
                    "stop it before starting it on another port."
                )
            st = _status(home, running_pid, running_port)
            _wait_until_ready(st, password, timeout, started_pid=None)
            return st

        bolt_port = _configured_port(settings, port)
        _pid_file(home).unlink(missing_ok=True)  # stale: its process is gone
        _ensure_port_free(bolt_port)
        lib = install(settings)
        java = _find_java()
        _write_conf(home, bolt_port)
        for sub in ("data", "logs", "import", "plugins"):
            (home / sub).mkdir(exist_ok=True)
        if not (home / "data" / "databases" / "system").exists():
            _set_initial_password(java, lib, home, password)

        st = _status(home, None, bolt_port)
        with st.console_log.open("ab") as log:
            log.write(f"\n--- livekg: starting Neo4j {neo4j_version()} ---\n".encode())
        cmd = [
            java,
            *_JVM_FLAGS,
            f"-XX:ErrorFile={home / 'logs' / 'hs_err_pid%p.log'}",
            "-cp",
            f"{home / 'plugins'}/*{os.pathsep}{lib}/*",
            ENTRY_POINT,
            f"--home-dir={home}",
            f"--config-dir={home / 'conf'}",
            "--console-mode",
        ]
        spawner = subprocess.run(
            [sys.executable, "-c", _SPAWNER, str(st.console_log), str(home), *cmd],
            capture_output=True,
            text=True,
            check=False,
        )
        if spawner.returncode != 0 or not spawner.stdout.strip().isdigit():
            raise Neo4jLocalError(
                f"could not launch Java for Neo4j: {_last_lines(spawner.stderr, 3)}"
            )
        pid = int(spawner.stdout.strip())
        _pid_file(home).write_text(f"{pid}\n", "utf-8")
        st = _status(home, pid, bolt_port)
        try:
            _wait_until_ready(st, password, timeout, started_pid=pid)
        except BaseException:
            _terminate(pid, 15.0)  # do not leave a half-started server behind
            _pid_file(home).unlink(missing_ok=True)
            raise
        return st


def stop(timeout: float = 60.0, settings: Settings | None = None) -> bool:
    """Shut the server down cleanly (SIGTERM, wait); return whether something was stopped.

    SIGTERM makes Neo4j checkpoint and close its stores; SIGKILL is only the last resort when
    the server ignores it for ``timeout`` seconds.
    """
    home = (settings or Settings()).neo4j_home
    run_dir = home / "run"
    if not run_dir.is_dir():
        return False
    with _locked(run_dir / "livekg.lock"):
        pid = _read_pid(home)
        if pid is None:
            _pid_file(home).unlink(missing_ok=True)  # stale or absent: nothing to stop
            return False
        _terminate(pid, timeout)
        _pid_file(home).unlink(missing_ok=True)
        return True


def _status(home: Path, pid: int | None, port: int) -> ServerStatus:
    return ServerStatus(
        running=pid is not None,
        pid=pid,
        uri=_bolt_uri(port),
        port=port,
        home=home,
        log_file=home / "logs" / "neo4j.log",
        console_log=home / "logs" / "console.log",
        version=neo4j_version(),
    )


def _wait_until_ready(
    st: ServerStatus, password: str, timeout: float, started_pid: int | None
) -> None:
    """Poll until a driver session authenticates with the password and runs ``RETURN 1``."""
    # Imported here so the rest of the module (paths, CLI status) works without the driver.
    from neo4j import GraphDatabase
    from neo4j.exceptions import AuthError, Neo4jError, ServiceUnavailable, SessionExpired

    deadline = time.monotonic() + timeout
    pid = st.pid if started_pid is None else started_pid
    while True:
        if pid is not None and not _is_alive(pid):
            raise Neo4jLocalError(
                f"Neo4j exited during startup ({_last_lines(_tail_file(st.console_log), 1)}); "
                f"see {st.console_log} and {st.log_file}."
            )
        if _port_open(st.port):
            try:
                with GraphDatabase.driver(
                    st.uri,
                    auth=(DEFAULT_NEO4J_USER, password),
                    connection_timeout=5.0,
                    max_transaction_retry_time=1.0,  # this loop does the retrying
                ) as driver:
                    driver.execute_query("RETURN 1 AS ok", database_=DEFAULT_NEO4J_DATABASE)
                return
            except AuthError:
                raise Neo4jLocalError(
                    f"Neo4j on {st.uri} refuses the password from LIVEKG_NEO4J_PASSWORD; "
                    f"the store in {st.home / 'data'} was created with another password "
                    "(use that one, or stop the server and delete that data folder)."
                ) from None
            except (ServiceUnavailable, SessionExpired, OSError):
                pass  # Bolt is up but the databases are still starting
            except Neo4jError as exc:
                if "Unavailable" not in (exc.code or "") and "Transient" not in (exc.code or ""):
                    raise Neo4jLocalError(
                        f"Neo4j on {st.uri} answered with an error: {exc}"
                    ) from exc
        if time.monotonic() >= deadline:
            raise Neo4jLocalError(
                f"Neo4j did not answer on {st.uri} within {timeout:g} s; see {st.log_file}."
            )
        time.sleep(0.5)


def _set_initial_password(java: str, lib: Path, home: Path, password: str) -> None:
    """Run ``neo4j-admin dbms set-initial-password`` before the first start.

    It writes data/dbms/auth.ini, which the server consumes when it creates the system database,
    so the account never exists with the default password and no forced change is pending.
    """
    env = dict(os.environ, NEO4J_HOME=str(home), NEO4J_CONF=str(home / "conf"))
    proc = subprocess.run(
        [java, "-cp", f"{lib}/*", ADMIN_TOOL, "dbms", "set-initial-password", password],
        env=env,
        cwd=home,
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )
    if proc.returncode != 0:
        tail = _last_lines(proc.stdout + proc.stderr, 3)
        raise Neo4jLocalError(f"neo4j-admin set-initial-password failed: {tail}")


def _write_conf(home: Path, bolt_port: int) -> None:
    """Render conf/neo4j.conf from the template (rewritten on each start on purpose)."""
    text = string.Template(_CONF_TEMPLATE.read_text("utf-8")).substitute(
        bolt_port=bolt_port,
        heap_initial=HEAP_INITIAL,
        heap_max=HEAP_MAX,
        pagecache=PAGECACHE,
        transaction_timeout=TRANSACTION_TIMEOUT,
    )
    conf_dir = home / "conf"
    conf_dir.mkdir(parents=True, exist_ok=True)
    (conf_dir / "neo4j.conf").write_text(text, "utf-8")


def _conf_port(home: Path) -> int | None:
    """The Bolt port the server in ``home`` was configured with, if its conf exists."""
    try:
        text = (home / "conf" / "neo4j.conf").read_text("utf-8")
    except OSError:
        return None
    match = re.search(r"^server\.bolt\.listen_address=.*:(\d+)\s*$", text, re.MULTILINE)
    return int(match.group(1)) if match else None


def _pid_file(home: Path) -> Path:
    return home / "run" / "neo4j.pid"


def _read_pid(home: Path) -> int | None:
    """The pid from the pid file if that process is alive and is this home's Neo4j server."""
    try:
        pid = int(_pid_file(home).read_text("utf-8").strip())
    except (OSError, ValueError):
        return None
    if not _is_alive(pid):
        return None
    cmdline = _cmdline(pid)
    # Guard against pid reuse: the process must be the Neo4j entry point for this very home.
    if cmdline is not None and (ENTRY_POINT not in cmdline or f"--home-dir={home}" not in cmdline):
        return None
    return pid


def _is_alive(pid: int) -> bool:
    """True if the process exists and is not a zombie waiting to be reaped."""
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True
    try:
        stat = Path(f"/proc/{pid}/stat").read_text()
    except OSError:
        return True  # no /proc (macOS): trust kill(0)
    return stat.rpartition(")")[2].split()[:1] != ["Z"]


def _cmdline(pid: int) -> list[str] | None:
    """The process's command line from /proc, or None where /proc is unavailable."""
    try:
        raw = Path(f"/proc/{pid}/cmdline").read_bytes()
    except OSError:
        return None
    return raw.decode(errors="replace").split("\0")


def _terminate(pid: int, timeout: float) -> None:
    """SIGTERM, wait up to ``timeout`` s, then SIGKILL as a last resort."""
    with contextlib.suppress(ProcessLookupError):
        os.kill(pid, signal.SIGTERM)
    if _wait_dead(pid, timeout):
        return
    with contextlib.suppress(ProcessLookupError):
        os.kill(pid, signal.SIGKILL)
    if not _wait_dead(pid, 10.0):
        raise Neo4jLocalError(f"Neo4j (pid {pid}) did not exit even after SIGKILL.")


def _wait_dead(pid: int, timeout: float) -> bool:
    deadline = time.monotonic() + timeout
    while _is_alive(pid):
        if time.monotonic() >= deadline:
            return False
        time.sleep(0.2)
    return True


def _port_open(port: int) -> bool:
    """Whether something accepts TCP connections on 127.0.0.1:port."""
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        sock.settimeout(1.0)
        return sock.connect_ex(("127.0.0.1", port)) == 0


def _ensure_port_free(port: int) -> None:
    """Fail early with a clear message instead of a Netty bind stack trace in the log."""
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        # SO_REUSEADDR (as Neo4j/Netty use it) ignores TIME_WAIT leftovers of a previous run.
        sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        try:
            sock.bind(("127.0.0.1", port))
        except OSError:
            raise Neo4jLocalError(
                f"port {port} is in use by another process; stop it or set LIVEKG_NEO4J_PORT."
            ) from None


def _find_java() -> str:
    """JAVA_HOME's java if set, else java on PATH; Neo4j 5.26 needs Java 17 or 21."""
    java_home = os.environ.get("JAVA_HOME", "").strip()
    candidate = Path(java_home) / "bin" / "java" if java_home else None
    java = str(candidate) if candidate and candidate.is_file() else shutil.which("java")
    if java is None:
        raise Neo4jLocalError("Java not found; install a Java 17 JDK or set JAVA_HOME.")
    proc = subprocess.run([java, "-version"], capture_output=True, text=True, check=False)
    match = re.search(r'version "(\d+)(?:\.(\d+))?', proc.stderr + proc.stdout)
    if not match:
        raise Neo4jLocalError(f"Could not tell the Java version of {java}; set JAVA_HOME.")
    major = int(match.group(1))
    if major == 1 and match.group(2):  # "1.8.0_x" style
        major = int(match.group(2))
    if major not in SUPPORTED_JAVA_MAJORS:
        raise Neo4jLocalError(
            f"Neo4j {neo4j_version()} needs Java 17 or 21 but {java} is Java {major}; "
            "set JAVA_HOME to a Java 17 or 21 JDK."
        )
    return java


@contextlib.contextmanager
def _locked(path: Path) -> Iterator[None]:
    """An exclusive advisory file lock (no-op where fcntl does not exist)."""
    path.parent.mkdir(parents=True, exist_ok=True)
    with path.open("a") as handle:
        if fcntl is not None:
            fcntl.flock(handle, fcntl.LOCK_EX)
        try:
            yield
        finally:
            if fcntl is not None:
                fcntl.flock(handle, fcntl.LOCK_UN)


def _tail_file(path: Path, max_bytes: int = 8192) -> str:
    try:
        with path.open("rb") as handle:
            handle.seek(0, os.SEEK_END)
            handle.seek(max(0, handle.tell() - max_bytes))
            return handle.read().decode(errors="replace")
    except OSError:
        return ""


def _last_lines(text: str, count: int) -> str:
    lines = [line.strip() for line in text.strip().splitlines() if line.strip()]
    return " | ".join(lines[-count:]) if lines else "no output"
