"""Build the offline kit — docgen's wheel and every wheel it needs, for Windows x64 and Linux x86_64/aarch64 on
each supported Python, in one flat folder beside install.bat / install.sh — or check that a folder holds a
complete set for each of those targets.

pip can fetch wheels for another platform (`pip download --platform`), but it evaluates environment markers
against the Python running it (pypa/pip#11664): run here it would leave out colorama, which click needs on
Windows, and tomli, which docgen needs before Python 3.11. So this walks the requirements itself, with each
target's own markers, and asks pip for one wheel at a time (`--no-deps`).

    python tools/offline_kit.py build [--out dist/offline-kit] [--python 3.9 ...] [--platform windows-x64 ...]
                                      [--extra ocr]
    python tools/offline_kit.py check KIT [--python ...] [--platform ...] [--extra ocr]

With --extra ocr the kit also holds the OCR extra (scans read offline); the installers install it when its
wheels are in the folder.
"""

from __future__ import annotations

import argparse
import email.message
import email.parser
import shutil
import subprocess
import sys
import tempfile
import zipfile
from dataclasses import dataclass
from functools import cache
from pathlib import Path

from packaging.markers import default_environment
from packaging.requirements import Requirement
from packaging.specifiers import SpecifierSet
from packaging.tags import Tag, compatible_tags, cpython_tags
from packaging.utils import NormalizedName, canonicalize_name, parse_wheel_filename
from packaging.version import Version

ROOT = Path(__file__).resolve().parent.parent
INSTALLERS = ROOT / "scripts" / "offline-kit"
PROJECT = "docgen-zwgk"
PYTHONS = ("3.9", "3.10", "3.11", "3.12", "3.13")
# glibc 2.28 is the floor: 信创 desktops (UOS 20, Kylin V10) and Debian 10 / CentOS 8 have it.
_GLIBC_FLOOR = 28


def _manylinux(machine: str) -> tuple[str, ...]:
    """Every manylinux tag a glibc-2.28 machine runs, the legacy names included: some wheels a dependency
    needs on an older Python are tagged only manylinux2010 (kiwisolver 1.4.7 for CPython 3.9)."""
    perennial = tuple(f"manylinux_2_{minor}_{machine}" for minor in range(_GLIBC_FLOOR, 4, -1))
    legacy = {"manylinux2014": 17, "manylinux2010": 12, "manylinux1": 5}
    aliases = tuple(f"{name}_{machine}" for name, minor in legacy.items() if machine == "x86_64" or minor >= 17)
    return (*perennial, *aliases)


@dataclass(frozen=True)
class Platform:
    wheel_tags: tuple[str, ...]  # pip's --platform values, most specific first
    markers: dict[str, str]


PLATFORMS = {
    "windows-x64": Platform(
        ("win_amd64",),
        {"sys_platform": "win32", "platform_system": "Windows", "os_name": "nt", "platform_machine": "AMD64"},
    ),
    "linux-x86_64": Platform(
        _manylinux("x86_64"),
        {"sys_platform": "linux", "platform_system": "Linux", "os_name": "posix", "platform_machine": "x86_64"},
    ),
    "linux-aarch64": Platform(
        _manylinux("aarch64"),
        {"sys_platform": "linux", "platform_system": "Linux", "os_name": "posix", "platform_machine": "aarch64"},
    ),
}


@dataclass(frozen=True)
class Target:
    platform_name: str
    python: str

    @property
    def platform(self) -> Platform:
        return PLATFORMS[self.platform_name]

    @property
    def abi(self) -> str:
        return "cp" + self.python.replace(".", "")

    def tags(self) -> list[Tag]:
        version = tuple(int(part) for part in self.python.split("."))
        platforms = list(self.platform.wheel_tags)
        return [
            *cpython_tags(version, abis=[self.abi], platforms=platforms),
            *compatible_tags(version, self.abi, platforms=platforms),
        ]

    def environment(self, extra: str = "") -> dict[str, str]:
        environment = dict(default_environment())
        environment.update(self.platform.markers)
        environment.update(
            python_version=self.python,
            python_full_version=f"{self.python}.0",
            implementation_name="cpython",
            platform_python_implementation="CPython",
            extra=extra,
        )
        return environment

    def pip_download(self, requirement: str, folder: Path, deps: bool = False) -> None:
        platforms = [argument for tag in self.platform.wheel_tags for argument in ("--platform", tag)]
        command = [sys.executable, "-m", "pip", "download", "--quiet", "--only-binary=:all:"]
        command += [] if deps else ["--no-deps"]
        command += [*platforms, "--python-version", self.python, "--implementation", "cp"]
        command += ["--abi", self.abi, "--abi", "abi3", "--abi", "none", "--dest", str(folder), requirement]
        subprocess.run(command, check=True)

    def __str__(self) -> str:
        return f"{self.platform_name} / Python {self.python}"


@dataclass(frozen=True)
class Wheel:
    path: Path
    name: NormalizedName
    version: Version
    tags: frozenset[Tag]


def _wheels(folder: Path) -> list[Wheel]:
    wheels = []
    for path in sorted(folder.glob("*.whl")):
        name, version, _build, tags = parse_wheel_filename(path.name)
        wheels.append(Wheel(path, name, version, tags))
    return wheels


@cache  # the walk backtracks: a wheel's metadata is read once, not at every attempt
def _metadata(wheel: Wheel) -> email.message.Message:
    with zipfile.ZipFile(wheel.path) as archive:
        member = next(name for name in archive.namelist() if name.endswith(".dist-info/METADATA"))
        return email.parser.BytesParser().parsebytes(archive.read(member), headersonly=True)


def _requires(wheel: Wheel) -> list[Requirement]:
    return [Requirement(line) for line in _metadata(wheel).get_all("Requires-Dist") or []]


def _runs_on(wheel: Wheel, python: str) -> bool:
    """A pure-Python wheel fits every CPython by its tags; its Requires-Python says which it runs on."""
    needed = _metadata(wheel).get("Requires-Python")
    return needed is None or SpecifierSet(needed).contains(f"{python}.0", prereleases=True)


class Missing(Exception):
    pass


def resolve(folder: Path, target: Target, root: Requirement, download: bool = False) -> dict[NormalizedName, Wheel]:
    """The wheel each requirement of `root` takes on `target`, following markers as that target would and
    trying older versions where a newer one's own requirements cannot be met (as pip does). With `download`,
    a requirement no wheel in `folder` meets is fetched (--no-deps); without, the folder must have it."""
    tags = target.tags()
    rank = {tag: index for index, tag in enumerate(tags)}
    unmet: list[str] = []

    def candidates(name: NormalizedName, requirement: Requirement) -> list[Wheel]:
        found = [
            wheel
            for wheel in _wheels(folder)
            if wheel.name == name
            and wheel.version in requirement.specifier
            and wheel.tags & rank.keys()
            and _runs_on(wheel, target.python)
        ]
        found.sort(key=lambda wheel: min(rank[tag] for tag in wheel.tags & rank.keys()))
        return sorted(found, key=lambda wheel: wheel.version, reverse=True)  # newest first, best tag within one

    def attempt(pending: list[Requirement], chosen: dict[NormalizedName, Wheel]) -> dict[NormalizedName, Wheel] | None:
        if not pending:
            return chosen
        requirement, rest = pending[0], pending[1:]
        name = canonicalize_name(requirement.name)
        if name in chosen:
            return attempt(rest, chosen) if chosen[name].version in requirement.specifier else None
        options = candidates(name, requirement)
        if not options and download:
            target.pip_download(f"{requirement.name}{requirement.specifier}", folder)
            options = candidates(name, requirement)
        if not options:
            unmet.append(f"{requirement.name}{requirement.specifier}")
        for wheel in options:
            environments = [target.environment(extra) for extra in ("", *requirement.extras)]
            needs = [
                needed
                for needed in _requires(wheel)
                if needed.marker is None or any(needed.marker.evaluate(environment) for environment in environments)
            ]
            found = attempt(rest + needs, {**chosen, name: wheel})
            if found is not None:
                return found
        return None

    chosen = attempt([root], {})
    if chosen is None:
        raise Missing(f"{target}: 缺少 {'、'.join(dict.fromkeys(unmet)) or '（版本相互冲突）'}")
    return chosen


def _targets(arguments: argparse.Namespace) -> list[Target]:
    return [Target(platform, python) for platform in arguments.platform for python in arguments.python]


def _project_requirement(folder: Path, extras: list[str]) -> Requirement:
    [own] = [wheel for wheel in _wheels(folder) if wheel.name == PROJECT]
    return Requirement(f"{PROJECT}[{','.join(extras)}]=={own.version}" if extras else f"{PROJECT}=={own.version}")


def build(arguments: argparse.Namespace) -> None:
    out: Path = arguments.out
    if out.exists():
        shutil.rmtree(out)
    out.mkdir(parents=True)
    subprocess.run(
        [sys.executable, "-m", "pip", "wheel", "--quiet", "--no-deps", "--wheel-dir", str(out), str(ROOT)], check=True
    )
    [own] = out.glob("*.whl")
    root = _project_requirement(out, arguments.extra)
    for target in _targets(arguments):
        with tempfile.TemporaryDirectory(prefix="offline-kit-") as scratch:
            staging = Path(scratch)
            shutil.copy2(own, staging)
            # pip chooses versions (backtracking where a newer one has no wheel for this Python); the walk
            # then adds what pip's markers, evaluated for this machine, left out.
            extras = f"[{','.join(arguments.extra)}]" if arguments.extra else ""
            target.pip_download(f"{own}{extras}", staging, deps=True)
            chosen = resolve(staging, target, root, download=True)
            for wheel in chosen.values():
                if not (out / wheel.path.name).exists():
                    shutil.copy2(wheel.path, out)
        print(f"{target}: {len(chosen)} 个安装包", file=sys.stderr)
    for target in _targets(arguments):
        resolve(out, target, root)  # the flat folder, as the installers will read it
    for installer in sorted(INSTALLERS.iterdir()):
        text = installer.read_text(encoding="utf-8")
        # cmd.exe reads batch files line by line and wants CRLF, as Notepad does for the notes; the shell
        # script keeps LF.
        newline = "\r\n" if installer.suffix in (".bat", ".txt") else "\n"
        (out / installer.name).write_bytes(text.replace("\n", newline).encode("utf-8"))
    (out / "install.sh").chmod(0o755)
    archive = out.with_suffix(".zip")
    if archive.exists():
        archive.unlink()
    with zipfile.ZipFile(archive, "w", zipfile.ZIP_DEFLATED) as bundle:
        for path in sorted(out.iterdir()):
            # The folder name inside the zip is what the clerk sees after 解压.
            bundle.write(path, f"{out.name}/{path.name}")
    size = sum(path.stat().st_size for path in out.iterdir()) / 2**20
    print(f"已生成：{out}（{len(list(out.glob('*.whl')))} 个安装包，{size:.0f} MB）和 {archive}", file=sys.stderr)


def check(arguments: argparse.Namespace) -> int:
    root = _project_requirement(arguments.kit, arguments.extra)
    failed = 0
    for target in _targets(arguments):
        try:
            chosen = resolve(arguments.kit, target, root)
        except Missing as error:
            print(f"不完整：{error}", file=sys.stderr)
            failed += 1
        else:
            names = ", ".join(sorted(f"{wheel.name}=={wheel.version}" for wheel in chosen.values()))
            print(f"{target}: {names}")
    return 1 if failed else 0


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    commands = parser.add_subparsers(dest="command", required=True)
    for name in ("build", "check"):
        command = commands.add_parser(name)
        command.add_argument("--python", action="append", choices=PYTHONS)
        command.add_argument("--platform", action="append", choices=sorted(PLATFORMS))
        # ocr: the OCR extra (RapidOCR with its models, OpenCV, onnxruntime: about 100 MB a platform)
        command.add_argument("--extra", action="append", default=[], choices=("ocr",))
        if name == "build":
            command.add_argument("--out", type=Path, default=ROOT / "dist" / "offline-kit")
        else:
            command.add_argument("kit", type=Path)
    arguments = parser.parse_args()
    arguments.python = arguments.python or list(PYTHONS)
    arguments.platform = arguments.platform or list(PLATFORMS)
    if arguments.command == "build":
        build(arguments)
        return 0
    return check(arguments)


if __name__ == "__main__":
    sys.exit(main())
