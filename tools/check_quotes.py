"""Development helper: check that every quote in a stances YAML part is verbatim in its source.

Usage: python tools/check_quotes.py data/parts/parat-2014.yaml
"""
import sys
from pathlib import Path

import yaml

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "src"))
from stancecli.corpus import read_source  # noqa: E402

FILES = {
    "parat-2014": "000_1f65e360c591fba1.txt",
    "ntl-2012": "001_37ab94ba59815dd1.txt",
    "fo-2016": "002_d156005e0f5764e6.txt",
    "ntl-2015": "003_7e837691441a8617.txt",
    "bergen-2014": "004_d9c6762876b2bcea.txt",
}
root = Path(__file__).resolve().parents[1]
bad = 0
for arg in sys.argv[1:]:
    data = yaml.safe_load(open(arg, encoding="utf-8"))
    for i, pos in enumerate(data.get("positions") or []):
        doc = pos.get("document") or pos.get("reported_by")
        src = read_source(root / "seeds" / FILES[doc])
        for q in pos.get("quotes") or []:
            span = src.find(q)
            where = f"{arg}: positions[{i}] ({pos.get('issue')}, {doc})"
            if span is None:
                bad += 1
                print(f"NOT FOUND {where}: {q[:90]!r}")
            else:
                print(f"ok {where}: lines {span.line_start}-{span.line_end}")
print(f"{bad} quote(s) not found")
sys.exit(1 if bad else 0)
