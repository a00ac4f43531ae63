"""Bundle the dataset and its sources into the package, so an installed stancecli works anywhere."""

import shutil
from pathlib import Path

from setuptools import setup
from setuptools.command.build_py import build_py

ROOT = Path(__file__).resolve().parent


class BuildPyWithData(build_py):
    def run(self):
        super().run()
        target = Path(self.build_lib) / "stancecli" / "bundled"
        (target / "data").mkdir(parents=True, exist_ok=True)
        shutil.copy2(ROOT / "data" / "stances.yaml", target / "data" / "stances.yaml")
        shutil.copytree(ROOT / "seeds", target / "seeds", dirs_exist_ok=True)


setup(cmdclass={"build_py": BuildPyWithData})
