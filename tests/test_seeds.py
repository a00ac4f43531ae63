"""The sources are the evidence: they must stay byte-identical to the originals."""

import hashlib
from pathlib import Path

import pytest

from conftest import SEEDS

# SHA-256 of the five responses as delivered in ../shared/seeds.
EXPECTED = {
    "000_1f65e360c591fba1.txt": "91f64a2387e90b17ef9cef846ac229628672a183a508e5bcb0b06605da66634d",
    "001_37ab94ba59815dd1.txt": "a647f465eff864d7878d0f9416a54446a70902c0b05cd695f818f9507eda7a4b",
    "002_d156005e0f5764e6.txt": "12cddd33520f35b3433d12f31ea354c9b5198f2b8a539d33d9d69db2f9656109",
    "003_7e837691441a8617.txt": "347faf2adc8834fbc63f010ab3901e957fe75c6da830a3bba721fdd8e0eddbf1",
    "004_d9c6762876b2bcea.txt": "085096937d607dc0ba4b8f6265ccac235abb62724197b09a115a4794c5ad3747",
}
SHARED = Path(__file__).resolve().parents[2] / "shared" / "seeds"


def sha256(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


@pytest.mark.parametrize("name", sorted(EXPECTED))
def test_seed_checksum(name):
    assert sha256(SEEDS / name) == EXPECTED[name]


def test_no_other_sources_in_seeds():
    assert sorted(p.name for p in SEEDS.glob("*.txt")) == sorted(EXPECTED)


@pytest.mark.skipif(not SHARED.is_dir(), reason="../shared/seeds is not beside this checkout")
def test_seeds_match_shared_originals():
    for original in sorted(SHARED.glob("*.txt")):
        assert sha256(SEEDS / original.name) == sha256(original), original.name
