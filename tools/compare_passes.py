"""Agreement between the curation passes and the settled dataset.

The 100 codebook pairs: pass A (per-document curators) against the blind pass B. The 160
pairs of the 32 further issues: the settled dataset (pass A, settled) against the blind pass C.

Usage: python tools/compare_passes.py   (prints the figures recorded in docs/curation.md)
"""
from pathlib import Path

import yaml

root = Path(__file__).resolve().parents[1]
data = yaml.safe_load(open(root / "data/stances.yaml", encoding="utf-8"))
codebook = [i["key"] for i in data["issues"] if i.get("codebook")]
docs = [d["id"] for d in data["documents"]]
final = {(p["document"], p["issue"]): p["stance"] for p in data["positions"] if p.get("document")}
for doc, keys in data["not_addressed"].items():
    final.update({(doc, k): "absent" for k in keys})


def load(name):
    pairs = yaml.safe_load(open(root / "docs/curation" / name, encoding="utf-8"))["pairs"]
    return {(p["document"], p["issue"]): p["stance"] for p in pairs}


a, b = load("pass-a.yaml"), load("pass-b.yaml")
pairs = [(d, k) for d in docs for k in codebook]
SCORE = {"strongly-for": 2, "for": 1, "mixed": 0, "against": -1, "strongly-against": -2}


def report(name, x, y, pairs):
    """Print exact, addressed-or-not and same-direction agreement of x and y over pairs."""
    exact = sum(x[p] == y[p] for p in pairs)
    both = [p for p in pairs if x[p] != "absent" and y[p] != "absent"]
    direction = sum((SCORE[x[p]] > 0) == (SCORE[y[p]] > 0) and (SCORE[x[p]] < 0) == (SCORE[y[p]] < 0) for p in both)
    presence = sum((x[p] == "absent") == (y[p] == "absent") for p in pairs)
    print(f"{name}: exact {exact}/{len(pairs)}; addressed-or-not {presence}/{len(pairs)}; "
          f"same direction {direction}/{len(both)} where both took a position")


for name, x, y in (("A vs B", a, b), ("final vs A", final, a), ("final vs B", final, b)):
    report(name, x, y, pairs)
print("pairs where A and B differed:")
for p in pairs:
    if a[p] != b[p]:
        print(f"  {p[0]}\t{p[1]}\tA={a[p]}\tB={b[p]}\tfinal={final[p]}")


further = [i["key"] for i in data["issues"] if not i.get("codebook")]
c = load("pass-c.yaml")
fpairs = [(d, k) for d in docs for k in further]
final_f = {p: final.get(p, "absent") for p in fpairs}
report("further issues, settled vs C", final_f, c, fpairs)
print("further-issue pairs where the settled dataset and C differ:")
for p in fpairs:
    if final_f[p] != c[p]:
        print(f"  {p[0]}\t{p[1]}\tsettled={final_f[p]}\tC={c[p]}")
