"""The pinned Python judges: checked before a suite judges anything, never silently skipped.

A suite calls require("cfn-lint", "botocore") first. A missing package or another version than
test/judges/requirements.txt pins stops the suite with the command that installs the pinned one.
"""
import importlib.metadata
import pathlib
import sys

REQUIREMENTS = pathlib.Path(__file__).with_name("requirements.txt")


def pins():
    """{distribution name (lower case): pinned version} from requirements.txt."""
    pinned = {}
    for line in REQUIREMENTS.read_text().splitlines():
        line = line.split("#", 1)[0].strip()
        if line:
            name, _, version = line.partition("==")
            pinned[name.strip().lower()] = version.strip()
    return pinned


def problems(*names):
    """What is wrong with the named pinned distributions in this Python (empty when all is right)."""
    pinned = pins()
    found = []
    for name in names:
        wanted = pinned[name.lower()]
        try:
            installed = importlib.metadata.version(name)
        except importlib.metadata.PackageNotFoundError:
            found.append(f"{name} {wanted} is not installed")
            continue
        if installed != wanted:
            found.append(f"{name} {installed} is installed, the tests pin {wanted}")
    return found


def require(*names):
    """Exit with a clear message unless every named distribution is installed at its pinned version."""
    found = problems(*names)
    if found:
        sys.stderr.write(
            "JUDGE NOT AVAILABLE in " + sys.executable + ": " + "; ".join(found) + ".\n"
            "Install the pinned judges: " + sys.executable + " -m pip install -r " + str(REQUIREMENTS.relative_to(
                REQUIREMENTS.parents[2])) + "\n"
            "or set DATAPLATFORM_PYTHON to a Python 3 that has them.\n")
        sys.exit(3)
