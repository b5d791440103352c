"""What a user installing the package gets: its name, its licence in the wheel, and a User-Agent
that points site owners at this project."""

from __future__ import annotations

import ast
import os
import re
import subprocess
import sys
import tomllib
import zipfile
from email.parser import HeaderParser
from importlib.metadata import packages_distributions
from pathlib import Path

import pytest

import tui_reader
from tui_reader import __version__
from tui_reader.net.settings import DEFAULT_USER_AGENT

ROOT = Path(__file__).resolve().parents[1]
PROJECT = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))["project"]
NAME = PROJECT["name"]


def _backend(hook: str, *args: str, pure: bool) -> str:
    """What the build backend's `hook` returns, called in a child process as pip would call it,
    with or without TUI_READER_PURE=1 (hatch_build.py's switch to the pure build)."""
    call = f"import sys; from hatchling import build; print(build.{hook}(*sys.argv[1:]))"
    env = {name: value for name, value in os.environ.items() if name != "TUI_READER_PURE"}
    if pure:
        env["TUI_READER_PURE"] = "1"
    done = subprocess.run([sys.executable, "-c", call, *args], cwd=ROOT, capture_output=True,
                          text=True, check=True, env=env)
    return done.stdout.strip().splitlines()[-1]


@pytest.fixture(scope="module")
def wheel(tmp_path_factory: pytest.TempPathFactory) -> zipfile.ZipFile:
    out = tmp_path_factory.mktemp("wheel")
    # The pure build: what these tests check does not depend on mypyc, which would take longer
    # (the compiled build is tested by its own CI leg).
    return zipfile.ZipFile(out / _backend("build_wheel", str(out), pure=True))


def _extension_modules(wheel: zipfile.ZipFile) -> list[str]:
    return [name for name in wheel.namelist() if name.endswith((".so", ".pyd"))]


def test_the_distribution_name_is_not_the_other_programs() -> None:
    # `tui-reader` on PyPI is an unrelated document viewer; the command keeps that name.
    assert NAME != "tui-reader"
    assert PROJECT["scripts"] == {"tui-reader": "tui_reader.cli:main"}


def test_the_wheel_ships_the_licence_styles_and_type_marker(wheel: zipfile.ZipFile) -> None:
    names = wheel.namelist()
    dist_info = f"{NAME.replace('-', '_')}-{__version__}.dist-info"
    assert f"{dist_info}/licenses/LICENSE" in names
    assert "MIT License" in wheel.read(f"{dist_info}/licenses/LICENSE").decode()
    assert "tui_reader/py.typed" in names
    assert any(n.startswith("tui_reader/styles/") and n.endswith(".tcss") for n in names)
    metadata = HeaderParser().parsestr(wheel.read(f"{dist_info}/METADATA").decode())
    assert metadata["Name"] == NAME
    assert metadata["License-Expression"] == "MIT"


def test_the_pure_build_is_one_wheel_for_every_platform(wheel: zipfile.ZipFile) -> None:
    # TUI_READER_PURE=1 (or a build without mypyc or a C compiler) gives the plain package.
    assert Path(str(wheel.filename)).name.endswith("-py3-none-any.whl")
    assert not _extension_modules(wheel)


def test_an_editable_install_is_never_compiled(tmp_path: Path) -> None:
    # A compiled module would be loaded instead of its source, edits and all.
    built = zipfile.ZipFile(tmp_path / _backend("build_editable", str(tmp_path), pure=False))
    assert Path(str(built.filename)).name.endswith("-py3-none-any.whl")
    assert not _extension_modules(built)


def test_mypy_is_fetched_for_the_build_only_when_it_may_compile() -> None:
    compiling = _backend("get_requires_for_build_wheel", pure=False)
    assert "mypy" in compiling
    assert "selectolax" in compiling  # the compiled modules are type-checked against it
    assert "mypy" not in _backend("get_requires_for_build_wheel", pure=True)


def test_textual_image_is_chosen_by_python_version(wheel: zipfile.ZipFile) -> None:
    metadata = wheel.read(f"{NAME.replace('-', '_')}-{__version__}.dist-info/METADATA").decode()
    pins = re.findall(r"^Requires-Dist: textual-image(.*)$", metadata, re.MULTILINE)
    assert len(pins) == 2
    assert any("<0.13" in pin and "python_version < '3.12'" in pin for pin in pins)
    assert any(">=0.14" in pin and "python_version >= '3.12'" in pin for pin in pins)


def test_the_user_agent_names_and_links_this_project() -> None:
    assert DEFAULT_USER_AGENT.startswith(f"{NAME}/{__version__} ")
    assert f"+https://pypi.org/project/{NAME}/" in DEFAULT_USER_AGENT


def test_the_readme_installs_this_project() -> None:
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    installs = re.findall(r"pipx install (\S+)", readme)
    assert NAME in installs
    assert "tui-reader" not in installs


def test_the_changelog_has_this_version() -> None:
    changelog = (ROOT / "CHANGELOG.md").read_text(encoding="utf-8")
    assert re.search(rf"^## \[{re.escape(__version__)}\]", changelog, re.MULTILINE)


def _distribution(requirement: str) -> str:
    """The distribution a requirement names, in PyPI's normal form."""
    name = re.split(r"[\s<>=!~;\[(]", requirement, maxsplit=1)[0]
    return re.sub(r"[-_.]+", "-", name).lower()


def test_every_package_our_modules_import_is_declared() -> None:
    imported: set[str] = set()
    for path in Path(tui_reader.__file__).parent.rglob("*.py"):
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if isinstance(node, ast.Import):
                imported.update(alias.name.split(".")[0] for alias in node.names)
            elif isinstance(node, ast.ImportFrom) and node.module and not node.level:
                imported.add(node.module.split(".")[0])
    third_party = imported - set(sys.stdlib_module_names) - {"tui_reader"}
    # The socks extra is imported only when a socks proxy is configured.
    requirements = PROJECT["dependencies"] + PROJECT["optional-dependencies"]["socks"]
    declared = {_distribution(requirement) for requirement in requirements}
    owners = packages_distributions()
    for module in sorted(third_party):
        names = {_distribution(name) for name in owners.get(module, [module])}
        assert names & declared, f"{module} is imported but not a declared dependency"
