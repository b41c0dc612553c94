"""The layering and code rules the project promises, checked on the source itself."""

from __future__ import annotations

import ast
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
PACKAGES = ("scraper", "archive")
MAX_MODULE_LINES = 400


def modules(*packages: str) -> list[Path]:
    return sorted(path for package in packages for path in (ROOT / package).rglob("*.py"))


def imported(path: Path) -> set[str]:
    names: set[str] = set()
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.Import):
            names.update(alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            names.add(node.module)
    return names


def test_only_the_fetch_module_imports_httpx() -> None:
    importers = {path.relative_to(ROOT).as_posix() for path in modules(*PACKAGES)
                 if any(name.split(".")[0] == "httpx" for name in imported(path))}
    assert importers <= {"scraper/net/fetch.py"}


def test_only_postgres_modules_import_psycopg() -> None:
    """The embedded default never loads psycopg: only the PostgreSQL backends import it."""
    importers = {path.relative_to(ROOT).as_posix() for path in modules(*PACKAGES)
                 if any(name.split(".")[0] == "psycopg" for name in imported(path))}
    assert all("postgres" in Path(name).stem for name in importers), importers


def test_archive_never_imports_scraper() -> None:
    offenders = [path.name for path in modules("archive")
                 if any(name.split(".")[0] == "scraper" for name in imported(path))]
    assert offenders == []


def test_extractor_does_no_io() -> None:
    forbidden = {"httpx", "socket", "urllib.request", "requests", "os", "pathlib", "shutil",
                 "time", "datetime.datetime.now", "scraper.net.fetch", "scraper.net.downloader",
                 "archive"}
    for path in modules("scraper/extract"):
        names = imported(path)
        assert not {name for name in names if name.split(".")[0] in forbidden
                    or name in forbidden}, path
        source = path.read_text(encoding="utf-8")
        assert "open(" not in source.replace("fromstring(", ""), path
        assert ".now(" not in source and "today(" not in source, path


@pytest.mark.parametrize("path", modules(*PACKAGES), ids=lambda p: p.relative_to(ROOT).as_posix())
def test_modules_stay_small(path: Path) -> None:
    lines = len(path.read_text(encoding="utf-8").splitlines())
    assert lines <= MAX_MODULE_LINES, f"{path.name} has {lines} lines"


def test_ruff_is_clean() -> None:
    result = subprocess.run([sys.executable, "-m", "ruff", "check", "."], cwd=ROOT,
                            capture_output=True, text=True, check=False)
    assert result.returncode == 0, result.stdout + result.stderr


def test_mypy_is_clean() -> None:
    result = subprocess.run([sys.executable, "-m", "mypy", "scraper", "archive"], cwd=ROOT,
                            capture_output=True, text=True, check=False)
    assert result.returncode == 0, result.stdout + result.stderr
