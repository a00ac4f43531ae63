"""Bundle the dataset and its sources into the package, so an installed stancecli works anywhere."""

import os
import shutil
from pathlib import Path

from setuptools import Extension, setup
from setuptools.command.build_py import build_py

ROOT = Path(__file__).resolve().parent


class BuildPyWithData(build_py):
    def run(self):
        super().run()
        target = Path(self.build_lib) / "stancecli" / "bundled"
        (target / "data").mkdir(parents=True, exist_ok=True)
        shutil.copy2(ROOT / "data" / "stances.yaml", target / "data" / "stances.yaml")
        shutil.copytree(ROOT / "seeds", target / "seeds", dirs_exist_ok=True)


# The source listing walked in C (search/_scan.c); optional: without a compiler, or off POSIX,
# the install goes on and search uses the same walk in Python.
SCAN = Extension("stancecli.search._scan", ["src/stancecli/search/_scan.c"], optional=True)
# The vocabulary's trigram table, built and intersected in C (search/_grams.c); optional too.
GRAMS = Extension("stancecli.search._grams", ["src/stancecli/search/_grams.c"], optional=True)
# Phrase scoring (rapidfuzz's partial_ratio for short phrases) in C (search/_score.c); optional too.
SCORE = Extension("stancecli.search._score", ["src/stancecli/search/_score.c"], optional=True)

setup(cmdclass={"build_py": BuildPyWithData},
      ext_modules=([SCAN] if os.name == "posix" else []) + [GRAMS, SCORE])
