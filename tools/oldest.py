"""The oldest versions skmnist declares, as pip constraints: ``python -m tools.oldest``.

Reads ``pyproject.toml`` and prints ``name==floor`` for each dependency with a
``>=`` floor (the package's own, and those of the extras named with
``--extras``, by default every extra but the test and docs tools). CI installs
skmnist with these constraints in a second environment and runs the tests of
the scikit-learn and skorch contract, persistence, the command line and the
searches, so that a floor the tests do not pass with fails CI::

    python -m tools.oldest > oldest.txt
    pip install torch==2.13.0 && pip install -c oldest.txt -e ".[test]"
"""

import argparse
import sys
import tomllib
from pathlib import Path

from packaging.requirements import Requirement

PYPROJECT = Path(__file__).resolve().parents[1] / "pyproject.toml"


def floors(extras=("tune", "distributed", "onnx")) -> dict[str, str]:
    """Each declared dependency with a ``>=`` floor, and that floor."""
    project = tomllib.loads(PYPROJECT.read_text())["project"]
    requirements = list(project["dependencies"])
    for extra in extras:
        requirements += project["optional-dependencies"][extra]
    found = {}
    for requirement in map(Requirement, requirements):
        for specifier in requirement.specifier:
            if specifier.operator == ">=" and requirement.name != "skmnist":
                found[requirement.name.lower()] = specifier.version
    return found


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--extras", nargs="*", default=["tune", "distributed", "onnx"])
    args = parser.parse_args(argv)
    for name, version in floors(args.extras).items():
        print(f"{name}=={version}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
