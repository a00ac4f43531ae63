"""The console script's start-up settings, in a process of its own (they are process-wide)."""

import subprocess
import sys

# A run that makes far more cyclic garbage than start-up allocates: a cycle made first is freed
# during the run, without anyone calling gc.collect().
LONG_RUN = """
import weakref
import stancecli.entry

class Node:
    pass

freed = []
for i in range(400_000):
    node = Node()
    node.me = node
    if i == 0:
        weakref.finalize(node, freed.append, True)
    del node
print("freed" if freed else "kept")
"""


def test_a_long_run_still_frees_cyclic_garbage():
    out = subprocess.run([sys.executable, "-c", LONG_RUN], capture_output=True, text=True, timeout=120)
    assert out.returncode == 0, out.stderr
    assert out.stdout.strip() == "freed"

