"""Agreement between the curation passes and the dataset: the figures in docs/curation.md.

Independent figures (two readers who had not seen each other's labels, before any settling):
  pass A (per-document curators) vs the blind pass B over the 100 codebook pairs, and
  pass A vs the blind pass C over the 160 pairs of the 32 further issues pass A defined.
How close the dataset is to them now (not independent: disagreements were settled by re-reading,
and the second pass of issue 12 re-read every position): the dataset against pass A, B and C, and
against the dataset as settled before that second pass (docs/curation/settled-first.yaml).

Usage: python tools/compare_passes.py
"""
from pathlib import Path

import yaml

ROOT = Path(__file__).resolve().parents[1]
PASSES = ROOT / "docs" / "curation"
SCORE = {"strongly-for": 2, "for": 1, "mixed": 0, "against": -1, "strongly-against": -2}


def load_pass(name: str) -> dict[tuple[str, str], str]:
    pairs = yaml.safe_load(open(PASSES / name, encoding="utf-8"))["pairs"]
    return {(p["document"], p["issue"]): p["stance"] for p in pairs}


def load_dataset() -> tuple[dict[tuple[str, str], str], list[str], list[str], list[str]]:
    """The documents' own labels (absent where there is no position), documents, codebook and further keys."""
    data = yaml.safe_load(open(ROOT / "data" / "stances.yaml", encoding="utf-8"))
    docs = [d["id"] for d in data["documents"]]
    codebook = [i["key"] for i in data["issues"] if i.get("codebook")]
    further = [i["key"] for i in data["issues"] if not i.get("codebook")]
    own = {(p["document"], p["issue"]): p["stance"] for p in data["positions"] if p.get("document")}
    labels = {(d, k): own.get((d, k), "absent") for d in docs for k in codebook + further}
    return labels, docs, codebook, further


def same_direction(x: str, y: str) -> bool:
    return (SCORE[x] > 0) == (SCORE[y] > 0) and (SCORE[x] < 0) == (SCORE[y] < 0)


def report(name: str, x: dict, y: dict, pairs: list) -> None:
    """Print exact, addressed-or-not and same-direction agreement of x and y over pairs."""
    exact = sum(x[p] == y[p] for p in pairs)
    presence = sum((x[p] == "absent") == (y[p] == "absent") for p in pairs)
    both = [p for p in pairs if x[p] != "absent" and y[p] != "absent"]
    direction = sum(same_direction(x[p], y[p]) for p in both)
    print(f"{name}: exact {exact}/{len(pairs)}; addressed-or-not {presence}/{len(pairs)}; "
          f"same direction {direction}/{len(both)} where both took a position")


def differences(name_x: str, x: dict, name_y: str, y: dict, pairs: list) -> None:
    for p in pairs:
        if x[p] != y[p]:
            print(f"  {p[0]}\t{p[1]}\t{name_x}={x[p]}\t{name_y}={y[p]}")


def main() -> None:
    now, docs, codebook, further = load_dataset()
    a, b = load_pass("pass-a.yaml"), load_pass("pass-b.yaml")
    a_further, c = load_pass("pass-a-further.yaml"), load_pass("pass-c.yaml")
    first = load_pass("settled-first.yaml")
    cb = [(d, k) for d in docs for k in codebook]
    first_further = list(a_further)  # the 160 pairs of pass A's 32 further issues

    print("Independent (before any settling)")
    report("  codebook, pass A vs pass B", a, b, cb)
    report("  further issues, pass A vs pass C", a_further, c, first_further)

    print("The dataset now (second pass) against them")
    for name, other in (("pass A", a), ("pass B", b), ("settled before the second pass", first)):
        report(f"  codebook, dataset vs {name}", now, other, cb)
    kept = [p for p in first_further if p[1] in further]
    report(f"  further issues kept ({len(kept) // len(docs)}), dataset vs pass A", now, a_further, kept)
    report(f"  further issues kept ({len(kept) // len(docs)}), dataset vs pass C", now, c, kept)
    report(f"  further issues kept ({len(kept) // len(docs)}), dataset vs settled before", now, first, kept)

    print("Codebook pairs where pass A and pass B differed")
    differences("A", a, "B", b, cb)
    print("Pairs the second pass changed (settled before -> now)")
    differences("before", first, "now", now, cb + kept)
    dropped = sorted({k for _, k in first_further} - set(further))
    added = [k for k in further if k not in {k for _, k in first_further}]
    print(f"Further issues dropped or merged: {', '.join(dropped) or 'none'}")
    print(f"Further issues added: {', '.join(added) or 'none'}")


if __name__ == "__main__":
    main()
