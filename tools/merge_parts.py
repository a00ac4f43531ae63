"""One-off curation step: merge data/parts/*.yaml into data/stances.yaml, applying the
settled disagreements between pass A and the blind pass B (see docs/curation.md).
Also writes docs/curation/pass-a.yaml: pass A's 100 codebook decisions as first made."""
from pathlib import Path

import yaml

root = Path(__file__).resolve().parents[1]
parts = root / "data" / "parts"
base = yaml.safe_load(open(parts / "00-base.yaml"))
docs = [d["id"] for d in base["documents"]]
extra = yaml.safe_load(open(parts / "extra.yaml")) if (parts / "extra.yaml").exists() else {"issues": [], "positions": []}
issues = base["issues"] + extra["issues"]
order = {i["key"]: n for n, i in enumerate(issues)}
codebook = [i["key"] for i in issues if i.get("codebook")]

positions, not_addressed, pass_a = [], {}, []
for d in docs:
    part = yaml.safe_load(open(parts / f"{d}.yaml"))
    positions += part["positions"]
    not_addressed[d] = list(part.get("not_addressed") or [])
positions += extra["positions"]

for d in docs:
    for k in codebook:
        own = [p for p in positions if p.get("document") == d and p["issue"] == k]
        pass_a.append({"document": d, "issue": k, "stance": own[0]["stance"] if own else "absent"})

SETTLED = "Settled after the blind second pass disagreed: "


def find(doc, issue):
    return next(p for p in positions if p.get("document") == doc and p["issue"] == issue)


def restance(doc, issue, stance, note, confidence="medium"):
    p = find(doc, issue)
    p["stance"], p["confidence"], p["note"] = stance, confidence, SETTLED + note


def drop(doc, issue):
    positions.remove(find(doc, issue))
    not_addressed[doc].append(issue)


restance("parat-2014", "prekvalifisering", "for",
         "central approval is worded with 'bør', a preference, not a demand.")
restance("ntl-2012", "prekvalifisering", "strongly-for",
         "'skal tildeles prekvalifiserte tiltaksarrangører framfor å anbudsutsette disse' is an unreserved demand on this very proposal; the reservation about main responsibility for users concerns NAV's role, not pre-qualification.")
restance("ntl-2012", "egenregi", "for",
         "NAV should take over, but gradually, with non-profit providers doing what NAV cannot yet do: support with conditions.")
restance("bergen-2014", "egenregi", "for",
         "the demand is for room to keep and create NAV offices' own measures beside bought ones, not for NAV to do the work instead of buying it.")
restance("bergen-2014", "lokalt-handlingsrom", "for",
         "Bergen defends the room local offices have today ('også i fremtiden'), a demand for the status quo rather than for more authority.")
drop("ntl-2012", "malstyring")
drop("bergen-2014", "kommersielle-aktorer")

positions.sort(key=lambda p: (docs.index(p.get("document") or p.get("reported_by")),
                              1 if p.get("reported_by") else 0, p.get("organisation", ""), order[p["issue"]]))
for d in docs:
    not_addressed[d].sort(key=order.get)

KEYS = ("issue", "document", "organisation", "reported_by", "stance", "confidence", "note", "summary", "quotes")
positions = [{k: p[k] for k in KEYS if k in p} for p in positions]


class Dumper(yaml.SafeDumper):
    pass


def str_rep(dumper, data):
    style = '"' if any(c in data for c in ":#'\"") or len(data) > 60 else None
    return dumper.represent_scalar("tag:yaml.org,2002:str", data, style=style)


Dumper.add_representer(str, str_rep)


def dump(obj):
    return yaml.dump(obj, Dumper=Dumper, allow_unicode=True, sort_keys=False, width=4096, default_flow_style=False)


header = """# yaml-language-server: $schema=../src/stancecli/schema/stances.schema.json
#
# stancecli dataset: where organisations stand on NAV labour-market policy, in their own words.
# The sources are the files under ../seeds/ (paths are relative to this file). Every quote must be
# verbatim from its document's source (only whitespace, line breaks and line-end hyphens may differ);
# `stancecli validate` checks that and resolves each quote's line span. Stances follow the codebook
# (strongly-for +2, for +1, mixed 0, against -1, strongly-against -2); an issue a document does not
# address is listed under not_addressed, never guessed. How the stances were decided: docs/curation.md.
version: 1
"""
out = header
for section in ("organisations", "documents"):
    out += "\n" + dump({section: base[section]})
out += "\n" + dump({"issues": issues})
out += "\n" + dump({"positions": positions})
out += "\n" + dump({"not_addressed": not_addressed})
(root / "data" / "stances.yaml").write_text(out, encoding="utf-8")
(root / "docs" / "curation").mkdir(parents=True, exist_ok=True)
(root / "docs" / "curation" / "pass-a.yaml").write_text(
    "# Pass A: the 100 codebook decisions as the per-document curators first made them.\n"
    + dump({"pass": "A", "pairs": pass_a}), encoding="utf-8")
print(f"{len(positions)} positions, {len(issues)} issues")
