"""The offline kit: built here from PyPI once, then installed with no index at all, and checked complete for
Windows x64 from the kit alone (pip's --platform options, and the kit tool's own marker-aware walk)."""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
import zipfile
from pathlib import Path

import pytest

from tests.conftest import EXAMPLE, ROOT, docx_units

# One kit for the whole module, built once on one worker; it holds both Pythons' wheels, so it is built and
# tried on one Python only.
pytestmark = [pytest.mark.xdist_group("offline-kit"), pytest.mark.once]

TOOL = ROOT / "tools" / "offline_kit.py"
THIS_PYTHON = f"{sys.version_info.major}.{sys.version_info.minor}"
PYTHONS = sorted({"3.9", THIS_PYTHON})
PLATFORMS = ("windows-x64", "linux-x86_64")
# No configuration, no index: what the kit does not hold cannot be installed.
OFFLINE = {**os.environ, "PIP_CONFIG_FILE": os.devnull, "PIP_INDEX_URL": "http://127.0.0.1:9/"}


def _selection(option: str, values: tuple[str, ...] | list[str]) -> list[str]:
    return [argument for value in values for argument in (option, value)]


@pytest.fixture(scope="module")
def kit(tmp_path_factory: pytest.TempPathFactory) -> Path:
    out = tmp_path_factory.mktemp("kit") / "offline-kit"
    command = [sys.executable, str(TOOL), "build", "--out", str(out)]
    subprocess.run([*command, *_selection("--platform", PLATFORMS), *_selection("--python", PYTHONS)], check=True)
    return out


def _check(kit: Path, platform: str, python: str) -> subprocess.CompletedProcess[str]:
    command = [sys.executable, str(TOOL), "check", str(kit), "--platform", platform, "--python", python]
    return subprocess.run(command, capture_output=True, text=True)


def test_the_kit_is_one_flat_folder_and_a_zip_of_it(kit: Path) -> None:
    names = sorted(path.name for path in kit.iterdir())
    assert not [path for path in kit.iterdir() if path.is_dir()]
    assert {"install.bat", "install.sh", "安装说明.txt"} <= set(names)
    assert [name for name in names if name.startswith("docgen_zwgk-") and name.endswith("-py3-none-any.whl")]
    assert b"\r\n" in (kit / "install.bat").read_bytes() and b"\r\n" not in (kit / "install.sh").read_bytes()
    with zipfile.ZipFile(kit.with_suffix(".zip")) as archive:
        assert sorted(archive.namelist()) == sorted(f"offline-kit/{name}" for name in names)


def test_markers_are_those_of_each_target_not_of_this_machine(kit: Path) -> None:
    windows_39 = _check(kit, "windows-x64", "3.9")
    assert windows_39.returncode == 0, windows_39.stderr
    assert "colorama==" in windows_39.stdout  # click needs it on Windows only
    assert "tomli==" in windows_39.stdout  # docgen needs it before Python 3.11
    assert "win_amd64" not in windows_39.stdout  # names and versions, not files
    wheels = [path.name for path in kit.glob("*.whl")]
    assert [name for name in wheels if name.startswith("pydantic_core-") and "cp39-cp39-win_amd64" in name]
    linux = _check(kit, "linux-x86_64", THIS_PYTHON)
    assert linux.returncode == 0, linux.stderr
    assert "colorama==" not in linux.stdout


def test_a_kit_missing_a_wheel_is_reported_incomplete(kit: Path, tmp_path: Path) -> None:
    broken = tmp_path / "broken"
    shutil.copytree(kit, broken)
    for wheel in broken.glob("colorama-*.whl"):
        wheel.unlink()
    result = _check(broken, "windows-x64", "3.9")
    assert result.returncode == 1
    assert "colorama" in result.stderr and "windows-x64 / Python 3.9" in result.stderr
    assert _check(broken, "linux-x86_64", THIS_PYTHON).returncode == 0  # Linux never needed it


def test_a_kit_without_the_ocr_extra_is_incomplete_for_it(kit: Path) -> None:
    """The extra's requirements are walked too (with its own markers): the plain kit lacks RapidOCR."""
    command = [sys.executable, str(TOOL), "check", str(kit), "--platform", "linux-x86_64", "--python", "3.9"]
    result = subprocess.run([*command, "--extra", "ocr"], capture_output=True, text=True)
    assert result.returncode == 1 and "rapidocr-onnxruntime" in result.stderr


def test_pip_resolves_windows_from_the_kit_alone(kit: Path, tmp_path: Path) -> None:
    report = tmp_path / "report.json"
    command = [sys.executable, "-m", "pip", "install", "--dry-run", "--quiet", "--ignore-installed", "--no-index"]
    command += ["--find-links", str(kit), "--only-binary=:all:", "--platform", "win_amd64", "--implementation", "cp"]
    command += ["--python-version", THIS_PYTHON, "--target", str(tmp_path / "target"), "--report", str(report)]
    result = subprocess.run([*command, "docgen-zwgk"], capture_output=True, text=True, env=OFFLINE)
    assert result.returncode == 0, result.stderr
    files = [item["download_info"]["url"].rsplit("/", 1)[1] for item in json.loads(report.read_text())["install"]]
    compiled = [name for name in files if not name.endswith("-none-any.whl")]
    assert compiled and all(name.endswith("win_amd64.whl") for name in compiled), compiled
    assert {name.split("-")[0] for name in files} >= {"docgen_zwgk", "lxml", "pydantic_core", "docxtpl", "openpyxl"}


def test_install_sh_installs_with_no_index_and_the_launcher_renders(kit: Path, tmp_path: Path) -> None:
    target = tmp_path / "安装目录"
    environment = {**OFFLINE, "PYTHON": sys.executable}
    result = subprocess.run(
        ["sh", str(kit / "install.sh"), str(target)], capture_output=True, text=True, env=environment
    )
    assert result.returncode == 0, result.stderr
    assert "安装完成" in result.stdout
    output = tmp_path / "2021.docx"
    rendered = subprocess.run(
        [str(target / "docgen"), "render", str(EXAMPLE), "-o", str(output)], capture_output=True, text=True
    )
    assert rendered.returncode == 0, rendered.stderr
    assert "保德县人民政府2021年政府信息公开工作年度报告" in "".join(docx_units(output.read_bytes()))
