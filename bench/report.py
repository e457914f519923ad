"""The one results table (printed and written) and BENCHMARKS.md around it.

The same Markdown table goes to the terminal and into the file, so what a person reads after
`make bench` is what is committed. Goals are rows of that table too, with their verdicts.
"""

from __future__ import annotations

import datetime as dt
import json
import os
import platform
import re
import shutil
import subprocess
from collections.abc import Sequence
from dataclasses import asdict, dataclass
from importlib.metadata import PackageNotFoundError, version
from pathlib import Path

from bench.results import Goal, Row, Section

PACKAGES = ("neo4j", "fastapi", "uvicorn", "pydantic", "networkx", "pyahocorasick", "pypinyin",
            "jieba", "pyinstrument", "playwright")
ENVIRONMENT = ("LIVEKG_NEO4J_HOME", "LIVEKG_NEO4J_PORT")
FINDINGS = Path(__file__).resolve().parent / "findings.md"
CORPUS = Path(__file__).resolve().parent.parent / "tests" / "corpus"
# The sections `python -m bench` writes; any other `## ` section of BENCHMARKS.md (a
# hand-written before/after, the entity-discovery figures) is kept where it stands.
CORPUS_TITLE = "Real-plan corpus"


@dataclass(frozen=True)
class Machine:
    """Where the figures were measured."""

    cpu: str
    cores: int
    memory_gib: float
    system: str
    python: str
    neo4j_server: str
    packages: dict[str, str]
    wrk: str
    commit: str


@dataclass
class RunRecord:
    """Everything one run measured, as saved next to the report."""

    sections: list[Section]
    machine: Machine
    command: str
    started: str  # ISO 8601, UTC
    seconds: float
    quick: bool
    corpus: str = ""  # the "Real-plan corpus" section (real_plan_corpus), when it was run


def machine(neo4j_server: str, commit: str) -> Machine:
    """The facts that make figures comparable: hardware, software versions, code revision."""
    cpu = next((line.split(":", 1)[1].strip() for line in _lines("/proc/cpuinfo")
                if line.startswith("model name")), platform.processor() or "unknown")
    memory = next((int(line.split()[1]) for line in _lines("/proc/meminfo")
                   if line.startswith("MemTotal:")), 0)
    return Machine(cpu=cpu, cores=os.cpu_count() or 0, memory_gib=memory / 2**20,
                   system=platform.platform(), python=platform.python_version(),
                   neo4j_server=neo4j_server, packages={p: _version(p) for p in PACKAGES},
                   wrk=_output(["wrk", "-v"]).splitlines()[0] if shutil.which("wrk") else
                   "not installed", commit=commit)


def command_line(arguments: Sequence[str]) -> str:
    """How this run was started, with the environment that changes where it runs."""
    settings = [f"{name}={os.environ[name]}" for name in ENVIRONMENT if os.environ.get(name)]
    return " ".join([*settings, ".venv/bin/python -m bench", *arguments])


def table(sections: Sequence[Section]) -> str:
    """Every section's rows, then every goal with its verdict, as one Markdown table."""
    rows: list[Row] = [row for section in sections for row in section.rows]
    for section in sections:
        for goal in section.goals:
            verdict = "**met**" if goal.met else f"**MISSED** — {goal.shortfall}"
            rows.append(Row("goal", goal.name, goal.measured, verdict))
    lines = ["| area | case | figure | ratio / verdict |", "|---|---|---|---|"]
    lines += [f"| {r.area} | {r.case} | {r.figure} | {r.ratio} |" for r in rows]
    return "\n".join(lines)


def markdown(sections: Sequence[Section], info: Machine, command: str, started: dt.datetime,
             seconds: float, quick: bool, corpus: str = "") -> str:
    mode = "quick mode (`make bench-quick`)" if quick else "full mode (`make bench`)"
    parts = [
        "# Benchmarks",
        "",
        "Written by `python -m bench` (`bench/`): a deterministic synthetic corpus "
        "(`bench/corpus.py`, fixed seed, no network) plus the bundled Changning plan. Every "
        "comparison runs both sides in the same run, on the same data, and is reported as "
        "their ratio; absolute figures depend on this (noisy, shared) machine.",
        "",
        f"- **Run:** {started:%Y-%m-%d %H:%M} UTC, {mode}, {seconds / 60:.1f} minutes",
        f"- **Command:** `{command}`",
        f"- **Code:** {info.commit}",
        "",
        "## Machine",
        "",
        "| | |",
        "|---|---|",
        f"| CPU | {info.cpu}, {info.cores} cores |",
        f"| memory | {info.memory_gib:.1f} GiB |",
        f"| system | {info.system} |",
        f"| Python | {info.python} |",
        f"| Neo4j server | {info.neo4j_server} |",
        f"| Neo4j Python driver | {info.packages.get('neo4j')} |",
        "| other packages | " + ", ".join(f"{name} {value}" for name, value in
                                         info.packages.items() if name != "neo4j") + " |",
        f"| load generator | {info.wrk} |",
        "",
        "## Results",
        "",
        table(sections),
        "",
    ]
    missed = [s for s in sections if s.profiles]
    if missed:
        parts += ["## What dominates where a goal is missed", ""]
        analysis = findings()
        for section in missed:
            parts += [f"### {section.title}", ""]
            if section.title in analysis:
                parts += [analysis[section.title], ""]
            for title, profile in section.profiles.items():
                parts += [f"#### {title}", "", "```text", profile, "```", ""]
    parts += ["## How each figure was measured", ""]
    for section in sections:
        for note in section.notes:
            parts.append(f"- **{section.title}:** {note}")
    if corpus:
        parts += ["", corpus]
    return "\n".join(parts).rstrip() + "\n"


def findings(path: Path = FINDINGS) -> dict[str, str]:
    """The hand-written reading of the profiles, by results area (bench/findings.md)."""
    areas: dict[str, list[str]] = {}
    current: list[str] | None = None
    for line in path.read_text(encoding="utf-8").splitlines():
        if line.startswith("## "):
            current = areas.setdefault(line[3:].strip(), [])
        elif current is not None:
            current.append(line)
    return {area: "\n".join(lines).strip() for area, lines in areas.items()}


def real_plan_corpus(folder: Path = CORPUS) -> str:
    """The "Real-plan corpus" section: `livekg evaluate` on the hand-labelled real plans
    (tests/corpus/), measured when the report is written."""
    from livekg.evaluation import evaluate_folder
    from livekg.evaluation import render as render_evaluation
    from livekg.loaders.registry import load_registry

    result = evaluate_folder(folder, load_registry())
    loaded = len(result.documents) - len(result.load_failures)
    return "\n".join([
        f"## {CORPUS_TITLE}",
        "",
        f"Written by `python -m bench` from `livekg evaluate {_shown(folder)}` "
        f"(`livekg.evaluation`; `make bench` runs the command itself first): "
        f"{len(result.documents)} real published plans with hand labels "
        "(tests/corpus/README.md), loaded **with no sidecar**. Owner pairs are (task, unit "
        "as written); \"exact\" counts gold tasks whose ordered owner list is exactly right; "
        "\"roles\" counts units whose lead/support role is right where the text marks roles.",
        "",
        "| plans loaded | owner-pair P | R | F1 | exact ordered lists | lead/support |",
        "|---|---|---|---|---|---|",
        f"| {loaded}/{len(result.documents)} | {result.precision:.3f} | {result.recall:.3f} | "
        f"{result.f1:.3f} | {result.exact_lists}/{result.gold_tasks} "
        f"({result.exact_share:.1%}) | {result.role_accuracy:.3f} |",
        "",
        "```",
        render_evaluation(result),
        "```",
        "",
    ])


def _shown(folder: Path) -> str:
    try:
        return str(folder.resolve().relative_to(CORPUS.parent.parent))
    except ValueError:
        return str(folder)


def write(path: Path, text: str) -> None:
    """`text` as the report, keeping every `## ` section of the file already there that
    `text` does not have, after the section it followed (or first, if it followed none)."""
    if path.exists():
        text = with_kept_sections(path.read_text(encoding="utf-8"), text)
    path.write_text(text, encoding="utf-8")


def with_kept_sections(old: str, new: str) -> str:
    head, sections = _sections(new)
    titles = {title for title, _ in sections}
    _, previous = _sections(old)
    after: str | None = None
    for title, body in previous:
        if title in titles:
            after = title
            continue
        at = 0 if after is None else next(i for i, (t, _) in enumerate(sections)
                                          if t == after) + 1
        sections.insert(at, (title, body))
        titles.add(title)
        after = title
    return head + "".join(body.rstrip("\n") + "\n\n" for _, body in sections).rstrip(
        "\n") + "\n"


def _sections(text: str) -> tuple[str, list[tuple[str, str]]]:
    """The text before the first `## ` heading, and each `## ` section with its body."""
    parts = re.split(r"(?m)^(?=## )", text)
    head, sections = ("", parts) if text.startswith("## ") else (parts[0], parts[1:])
    return head, [(s.splitlines()[0][3:].strip(), s) for s in sections]


def save(path: Path, run: RunRecord) -> None:
    """The run's figures as JSON, so the report can be rendered again (`--render`) after the
    hand-written findings change, without measuring again."""
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(json.dumps(asdict(run), ensure_ascii=False, indent=1) + "\n",
                    encoding="utf-8")


def load(path: Path) -> RunRecord:
    data = json.loads(path.read_text(encoding="utf-8"))
    sections = []
    for raw in data["sections"]:
        section = Section(raw["title"], notes=raw["notes"], profiles=raw["profiles"])
        section.rows = [Row(**row) for row in raw["rows"]]
        section.goals = [Goal(**goal) for goal in raw["goals"]]
        sections.append(section)
    return RunRecord(sections=sections, machine=Machine(**data["machine"]),
                     command=data["command"], started=data["started"],
                     seconds=data["seconds"], quick=data["quick"],
                     corpus=data.get("corpus", ""))


def render(run: RunRecord) -> str:
    return markdown(run.sections, run.machine, run.command,
                    dt.datetime.fromisoformat(run.started), run.seconds, run.quick, run.corpus)


def _lines(path: str) -> list[str]:
    try:
        return Path(path).read_text().splitlines()
    except OSError:
        return []


def _version(package: str) -> str:
    try:
        return version(package)
    except PackageNotFoundError:
        return "not installed"


def _output(command: list[str]) -> str:
    try:
        done = subprocess.run(command, capture_output=True, text=True, timeout=10, check=False)
    except OSError:
        return ""
    return (done.stdout + done.stderr).strip()


def revision() -> str:
    """The checked-out revision, and whether the code under test differs from it (read-only
    git; the benchmark's own files and report do not count). Read when a run starts."""
    root = Path(__file__).resolve().parent.parent
    commit = _output(["git", "-C", str(root), "rev-parse", "--short", "HEAD"])
    if not commit or " " in commit:
        return "unknown (not a git checkout)"
    changed = _output(["git", "-C", str(root), "status", "--porcelain", "--", ".",
                       ":(exclude)bench", ":(exclude)BENCHMARKS.md"])
    return f"`{commit}`" + (" with uncommitted changes to the code" if changed else "")
