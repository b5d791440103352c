"""Wheel builds compile the hot modules of the cleaner, of the feed parser and of story
grouping with mypyc, and fall back to the pure-Python package whenever that cannot be done: mypyc
or a C compiler missing, a compile error, or `TUI_READER_PURE=1` in the environment. The compiled
modules behave as their sources do; they only save time on every page cleaned, every feed read
and every story grouped.

Editable installs always stay pure: a compiled module next to its source would shadow the
source's later edits. Nothing is built inside the source tree for the same reason: mypy's cache,
the generated C and the shared objects live in a temporary directory until the wheel is packed.

Run as a script (`python hatch_build.py OUT MODULE.py…`, from the project root), this file is the
compile step itself: a separate process, so a mypy or compiler failure cannot take the build
backend down with it.
"""

from __future__ import annotations

import os
import re
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path
from typing import Any

from hatchling.builders.config import BuilderConfig
from hatchling.builders.hooks.plugin.interface import BuildHookInterface

PURE_ENV = "TUI_READER_PURE"

# Each is only here because it saves measurable time: the cleaner's on bench/extraction.py's
# pages, stories' on bench/stories.py, the feed parser's on bench/refresh.py's feeds. None of
# them is monkeypatched by a test, which a compiled module would not allow, nor gives feedparser
# a method (see feeds/fallback.py).
COMPILED = (
    "src/tui_reader/body.py",
    "src/tui_reader/clean/blocks.py",
    "src/tui_reader/clean/boilerplate.py",
    "src/tui_reader/clean/score.py",
    "src/tui_reader/feeds/parse.py",
    "src/tui_reader/feeds/xmlfeed.py",
    "src/tui_reader/store/stories.py",
)

# Runtime dependencies whose types mypy reads while compiling: the modules above import them, or
# import modules of ours that do. The compile checks them under the project's strict settings,
# as development does, so it sees the same types; without these the check fails on their imports
# and the build falls back to pure Python.
TYPED_BY = ("selectolax", "charset-normalizer", "idna", "anyascii")

# Build requirements of the compile step, installed through `dependencies` below. mypy within the
# major version whose compiled modules were checked to behave as their sources (see .ci/run).
COMPILER = ("mypy>=2.4,<3", "setuptools>=70")

# The shared library holding all compiled modules, installed beside the `tui_reader` package.
GROUP = "tui_reader"


def _pure() -> bool:
    return os.environ.get(PURE_ENV, "") not in ("", "0")


def _name(requirement: str) -> str:
    """A requirement's distribution name in PyPI's normal form."""
    match = re.match(r"[A-Za-z0-9._-]+", requirement)
    return re.sub(r"[-_.]+", "-", match.group(0)).lower() if match else ""


class CompiledModules(BuildHookInterface[BuilderConfig]):
    """The build hook; see the module's docstring."""

    _build_dir: str | None = None

    def dependencies(self) -> list[str]:
        """What the compile step needs in the build environment; nothing when it will not run.
        Editable builds ask for the same list (hatchling does not say which build it is asking
        for), which costs them an install of mypy they do not use."""
        if _pure():
            return []
        typed = [dep for dep in self.metadata.core.dependencies if _name(dep) in TYPED_BY]
        return [*COMPILER, *typed]

    def initialize(self, version: str, build_data: dict[str, Any]) -> None:
        if self.target_name != "wheel" or version == "editable" or _pure():
            return
        self._build_dir = tempfile.mkdtemp(prefix="tui-reader-mypyc-")
        command = [sys.executable, __file__, self._build_dir, *COMPILED]
        done = subprocess.run(
            command, cwd=self.root, capture_output=True, text=True, check=False
        )
        built = Path(self._build_dir, "lib")
        if done.returncode != 0:
            reason = (done.stderr or done.stdout).strip().splitlines()[-1:] or ["no output"]
            self.app.display_warning(f"mypyc: building the pure-Python package ({reason[0][:200]})")
            return
        build_data["pure_python"] = False
        build_data["infer_tag"] = True
        for shared in (path for path in built.rglob("*") if path.is_file()):
            build_data["force_include"][str(shared)] = shared.relative_to(built).as_posix()

    def finalize(self, version: str, build_data: dict[str, Any], artifact_path: str) -> None:
        if self._build_dir is not None:
            shutil.rmtree(self._build_dir, ignore_errors=True)
            self._build_dir = None


def compile_modules(out: Path, sources: list[str]) -> None:
    """Compiles `sources` (paths under src/) into shared objects under `out`/lib, laid out as in
    the wheel. mypy reads the project's own configuration, so the modules are compiled under the
    same strict checks they pass in development."""
    from mypyc.build import mypycify
    from setuptools import Distribution
    from setuptools.command.build_ext import build_ext

    extensions = mypycify(
        ["--cache-dir", str(out / "mypy-cache"), *sources],
        target_dir=str(out / "c"),
        group_name=GROUP,
        # No debug information in what users install.
        debug_level="0",
    )
    command = build_ext(Distribution({"ext_modules": extensions}))
    command.build_lib = str(out / "lib")
    command.build_temp = str(out / "objects")
    command.ensure_finalized()
    command.run()


if __name__ == "__main__":
    compile_modules(Path(sys.argv[1]), sys.argv[2:])
