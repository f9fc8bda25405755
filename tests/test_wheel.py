"""The built wheel is a working tool: installed in a clean venv, it validates the KB and builds the site.

The editable install of ``make`` would hide a package or template missing from
the wheel, so this test builds the wheel from the tracked files, installs it
with the locked runtime dependencies into a fresh venv under ``tmp_path`` and
runs the installed ``reengineering-kb`` against this repository.
``PYTHONSAFEPATH`` keeps the repository off ``sys.path``, so MkDocs' hook
imports the installed ``generator``, never the source tree.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
import venv
import zipfile
from email.parser import Parser
from pathlib import Path

import pytest

from tests.conftest import ROOT

pytestmark = pytest.mark.site


def _run(args: list[str | Path], cwd: Path, env: dict[str, str] | None = None) -> subprocess.CompletedProcess[str]:
    result = subprocess.run(
        [str(a) for a in args], cwd=cwd, env=env, capture_output=True, text=True, check=False, timeout=600
    )
    assert result.returncode == 0, f"{args}\n{result.stdout}\n{result.stderr}"
    return result


def _tracked_source(target: Path) -> Path:
    """Copy the files that go into the wheel (tracked ones only) to ``target``."""
    listed = _run(["git", "ls-files", "-z", "pyproject.toml", "README.md", "LICENSE", "generator"], ROOT).stdout
    for rel in filter(None, listed.split("\0")):
        (target / rel).parent.mkdir(parents=True, exist_ok=True)
        shutil.copy2(ROOT / rel, target / rel)
    return target


@pytest.fixture(scope="module")
def wheel(tmp_path_factory: pytest.TempPathFactory) -> Path:
    tmp = tmp_path_factory.mktemp("wheel")
    source = _tracked_source(tmp / "src")
    # No build isolation: setuptools comes from the hashed dev lock, not an unpinned download.
    _run([sys.executable, "-m", "pip", "wheel", "--quiet", "--no-deps", "--no-build-isolation", "-w", tmp, "."], source)
    (built,) = tmp.glob("reengineering_kb-*.whl")
    return built


def test_wheel_holds_every_package_and_template(wheel: Path) -> None:
    names = set(zipfile.ZipFile(wheel).namelist())
    wanted = {
        path.relative_to(ROOT).as_posix()
        for path in (ROOT / "generator").rglob("*")
        if path.is_file() and path.suffix in {".py", ".j2"} and "__pycache__" not in path.parts
    }
    assert wanted - names == set()
    assert not any(name.startswith(("tests/", "kb/", "docs/")) for name in names)


def test_wheel_metadata_declares_the_licence(wheel: Path) -> None:
    with zipfile.ZipFile(wheel) as archive:
        (meta_name,) = [n for n in archive.namelist() if n.endswith(".dist-info/METADATA")]
        meta = Parser().parsestr(archive.read(meta_name).decode())
        assert meta["License-Expression"] == "MIT"
        assert meta["License-File"] == "LICENSE"
        assert any(n.endswith(".dist-info/licenses/LICENSE") for n in archive.namelist())


def test_installed_wheel_validates_and_builds_the_site(wheel: Path, tmp_path: Path) -> None:
    env_dir = tmp_path / "venv"
    venv.EnvBuilder(with_pip=True).create(env_dir)
    python, tool = env_dir / "bin" / "python", env_dir / "bin" / "reengineering-kb"
    _run([python, "-m", "pip", "install", "--quiet", "--require-hashes", "-r", ROOT / "requirements.lock"], tmp_path)
    _run([python, "-m", "pip", "install", "--quiet", "--no-deps", wheel], tmp_path)
    (env_dir / "bin" / "dot").symlink_to("graphviz-pure")

    env = {k: v for k, v in os.environ.items() if k not in {"PYTHONPATH", "VIRTUAL_ENV"}}
    env |= {"PYTHONSAFEPATH": "1", "PATH": f"{env_dir / 'bin'}{os.pathsep}{env['PATH']}"}
    where = _run([python, "-c", "import generator; print(generator.__file__)"], ROOT, env).stdout.strip()
    assert Path(where).is_relative_to(env_dir), where

    assert "validate" in _run([tool, "--help"], ROOT, env).stdout
    _run([tool, "validate", "--strict"], ROOT, env)
    site = tmp_path / "site"
    _run([tool, "site", "--strict", "-d", site], ROOT, env)
    assert (site / "index.html").is_file()
    assert (site / "practices" / "index.html").is_file()
    assert (site / "downloads" / "kb.json").is_file() or any(site.rglob("kb.json"))
