"""The lock files in requirements/ agree with pyproject.toml, so a fresh machine installs what was tested."""

from __future__ import annotations

import re
import tomllib
from dataclasses import dataclass, field
from pathlib import Path

import pytest
from packaging.requirements import Requirement
from packaging.utils import canonicalize_name

from sitegen.bootstrap import lock_file

ROOT = Path(__file__).resolve().parent.parent
PROJECT = "clinic-site (pyproject.toml)"
FIX = "hint: run `make lock`, review the diff of requirements/, and commit it"


@dataclass
class Locked:
    version: str
    marker: str  # where a universal lock pins two versions, which Pythons or platforms get this one
    hashes: int = 0
    via: set[str] = field(default_factory=set)


def read_lock(path: Path) -> dict[str, list[Locked]]:
    """Return each locked package's pins (usually one) with their hashes and what needs them."""
    entries: dict[str, list[Locked]] = {}
    current: Locked | None = None
    in_via = False
    for line in path.read_text(encoding="utf-8").splitlines():
        pin = re.match(r"^([A-Za-z0-9][A-Za-z0-9._-]*)==([^ ;\\]+)(?: ; ([^\\]+))?", line)
        if pin:
            current = Locked(pin[2], (pin[3] or "").strip())
            entries.setdefault(canonicalize_name(pin[1]), []).append(current)
            in_via = False
        elif current and line.strip().startswith("--hash=sha256:"):
            current.hashes += 1
        elif current and line.startswith("    # via"):
            rest = line.removeprefix("    # via").strip()
            in_via = not rest
            current.via.update([rest] if rest else [])
        elif current and in_via and line.startswith("    #   "):
            current.via.add(line.removeprefix("    #   ").strip())
        elif line.strip() and not line.startswith("#"):
            pytest.fail(f"{path.name}: cannot read the line {line!r}")
    return entries


def declared(extras: tuple[str, ...]) -> list[Requirement]:
    project = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))["project"]
    found = [Requirement(r) for r in project["dependencies"]]
    for extra in extras:
        found += [Requirement(r) for r in project["optional-dependencies"][extra]]
    return found


def disagreements(
    lock: dict[str, list[Locked]], requirements: list[Requirement], lock_name: str
) -> list[str]:
    """Say where *lock* and pyproject.toml's *requirements* disagree."""
    found = []
    for requirement in requirements:
        name = canonicalize_name(requirement.name)
        found += [f"{requirement} is in pyproject.toml but not in {lock_name}"] if name not in lock else []
        found += [
            f"{lock_name} locks {name}=={pin.version}, outside pyproject.toml's {requirement}"
            for pin in lock.get(name, [])
            if not requirement.specifier.contains(pin.version, prereleases=True)
        ]
    direct = {name for name, pins in lock.items() if any(PROJECT in pin.via for pin in pins)}
    dropped = direct - {canonicalize_name(r.name) for r in requirements}
    found += [
        f"{lock_name} locks {name} for pyproject.toml, which no longer asks for it"
        for name in sorted(dropped)
    ]
    return found


@pytest.mark.parametrize("extras", [(), ("test",)], ids=["run", "test"])
def test_the_lock_and_pyproject_agree(extras):
    lock = read_lock(lock_file(extras))
    assert disagreements(lock, declared(extras), lock_file(extras).name) == [], FIX


def test_a_lock_out_of_step_with_pyproject_is_caught():
    lock = read_lock(lock_file(()))
    requirements = declared(())
    assert disagreements(
        {**lock, "jinja2": [Locked("4.0.1", "", 2, {PROJECT})]}, requirements, "run.txt"
    ) == ["run.txt locks jinja2==4.0.1, outside pyproject.toml's jinja2<4,>=3.1"]
    without_yaml = {name: pins for name, pins in lock.items() if name != "pyyaml"}
    assert disagreements(without_yaml, requirements, "run.txt") == [
        "pyyaml<7,>=6.0 is in pyproject.toml but not in run.txt"
    ]
    fewer = [r for r in requirements if r.name != "livereload"]
    assert disagreements(lock, fewer, "run.txt") == [
        "run.txt locks livereload for pyproject.toml, which no longer asks for it"
    ]


@pytest.mark.parametrize("extras", [(), ("test",)], ids=["run", "test"])
def test_every_locked_package_is_pinned_with_hashes_and_needed(extras):
    for name, pins in read_lock(lock_file(extras)).items():
        for pin in pins:
            assert pin.hashes >= 1, (
                f"{name}=={pin.version} has no hash: pip's --require-hashes would refuse it"
            )
            assert pin.via, f"{name}=={pin.version} is locked but nothing needs it"
        assert len({pin.marker for pin in pins}) == len(pins), (
            f"{name} is locked twice for the same platforms"
        )


def untested(run: dict[str, list[Locked]], test: dict[str, list[Locked]]) -> list[str]:
    """Say which pins of the runtime lock the tests did not run with. A pin for some platforms
    only (anyio needs typing-extensions below Python 3.15) is tested by the same version
    pinned for those platforms or for all of them (mypy needs it everywhere)."""
    found = []
    for name, pins in run.items():
        tested = {(p.version, p.marker) for p in test.get(name, [])}
        found += [
            f"{name}=={pin.version}{' ; ' + pin.marker if pin.marker else ''} is not in the test lock"
            for pin in pins
            if (pin.version, pin.marker) not in tested and (pin.version, "") not in tested
        ]
    return found


def test_the_runtime_lock_has_the_versions_that_the_tests_ran_with():
    assert untested(read_lock(lock_file(())), read_lock(lock_file(("test",)))) == [], FIX


def test_a_runtime_pin_the_tests_did_not_run_with_is_caught():
    def pin(version: str, marker: str = "") -> Locked:
        return Locked(version, marker, 1, {PROJECT})

    test = {"anyio": [pin("4.16.0")], "idna": [pin("3.20", "python_version < '3.12'")]}
    assert untested({"anyio": [pin("4.16.0", "python_version < '3.15'")]}, test) == []
    assert untested({"idna": [pin("3.20", "python_version < '3.12'")]}, test) == []
    assert untested(
        {"anyio": [pin("4.15.0")], "idna": [pin("3.20")], "watchfiles": [pin("1.3.0", "os_name == 'nt'")]},
        test,
    ) == [
        "anyio==4.15.0 is not in the test lock",
        "idna==3.20 is not in the test lock",
        "watchfiles==1.3.0 ; os_name == 'nt' is not in the test lock",
    ]
