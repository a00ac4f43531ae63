"""Development helper: agreement between curation pass A (data/parts or data/stances.yaml) and blind pass B."""
import sys
from collections import Counter
from pathlib import Path

import yaml

root = Path(__file__).resolve().parents[1]
base = yaml.safe_load(open(root / "data/parts/00-base.yaml"))
codebook = [i["key"] for i in base["issues"] if i.get("codebook")]
docs = [d["id"] for d in base["documents"]]
a = {}
for d in docs:
    part = yaml.safe_load(open(root / f"data/parts/{d}.yaml"))
    for p in part["positions"]:
        if p.get("document") == d:
            a[(d, p["issue"])] = p["stance"]
    for k in part.get("not_addressed") or []:
        a[(d, k)] = "absent"
b = {(p["document"], p["issue"]): p["stance"] for p in yaml.safe_load(open(root / "docs/curation/pass-b.yaml"))["pairs"]}
agree = exact = 0
rows = []
for d in docs:
    for k in codebook:
        sa, sb = a.get((d, k), "MISSING"), b.get((d, k), "MISSING")
        if sa == sb:
            exact += 1
        else:
            rows.append((d, k, sa, sb))
print(f"exact agreement {exact}/{len(docs)*len(codebook)}")
for r in rows:
    print("\t".join(r))
