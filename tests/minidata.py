"""A small valid dataset (data/stances.yaml + seeds/tf.txt) for tests that break things on purpose."""

from __future__ import annotations

from pathlib import Path

SOURCE = (
    "Høringssvar fra Testforbundet\n"
    "\n"
    "Vi er imot anbudsutsetting av arbeidsmarkeds-\n"
    "tiltak. Anbud gir dårligere kvalitet for brukerne.\n"
    "\n"
    "NAV bør gjøre mer i egenregi, med egne ansatte og egne tiltak.\n"
)

YAML = """\
# yaml-language-server: $schema=../src/stancecli/schema/stances.schema.json
# A small dataset for tests.
version: 1

organisations:
- id: tf
  name: Testforbundet
  short: TF
  kind: union

documents:
- id: tf-2020
  organisation: tf
  title: "Høringssvar: test"
  hearing: Testhøring
  year: 2020
  date: 2020-05-04
  source: ../seeds/tf.txt

issues:
- key: anbud
  codebook: true
  title:
    nb: Anbud på arbeidsmarkedstiltak
    en: Public tendering of measures
  proposal:
    nb: Arbeidsmarkedstiltak skal kjøpes inn gjennom anbud.
    en: Measures should be procured by public tender.
  aliases:
  - anbudsutsetting
- key: egenregi
  title:
    nb: NAV i egenregi
    en: NAV in-house
  proposal:
    nb: NAV skal selv utføre tiltak i egenregi.
    en: NAV itself should carry out measures in-house.

positions:
- issue: anbud
  document: tf-2020
  stance: against
  summary:
    nb: Testforbundet er imot anbud.
    en: Testforbundet opposes tendering.
  quotes:
  - "Vi er imot anbudsutsetting av arbeidsmarkedstiltak."
- issue: egenregi
  document: tf-2020
  stance: for
  summary:
    nb: Testforbundet vil ha mer egenregi.
    en: Testforbundet wants more in-house work.
  quotes:
  - "NAV bør gjøre mer i egenregi, med egne ansatte og egne tiltak."

not_addressed:
  tf-2020: []
"""


# Four more organisations (unions and an employer organisation) for tests that tell authors apart.
MORE_ORGS = """\
- id: ntl
  name: Norsk Tjenestemannslag
  short: NTL
  kind: union
- id: fo
  name: Fellesorganisasjonen
  short: FO
  kind: union
- id: parat
  name: Parat NAV
  short: Parat NAV
  kind: union
- id: nho
  name: Næringslivets Hovedorganisasjon
  short: NHO
  kind: employer-organisation
"""
YAML_MORE_ORGS = YAML.replace("\ndocuments:\n", MORE_ORGS + "\ndocuments:\n", 1)


def make(root: Path, yaml_text: str = YAML, source: bytes | str = SOURCE, name: str = "tf.txt") -> Path:
    """Write the dataset under root; return the path of its stances.yaml."""
    (root / "data").mkdir(parents=True, exist_ok=True)
    (root / "seeds").mkdir(exist_ok=True)
    data = source.encode("utf-8") if isinstance(source, str) else source
    (root / "seeds" / name).write_bytes(data)
    path = root / "data" / "stances.yaml"
    path.write_text(yaml_text, encoding="utf-8")
    return path


def line_of(text: str, needle: str) -> int:
    """1-based line of the first line containing needle."""
    for n, line in enumerate(text.splitlines(), 1):
        if needle in line:
            return n
    raise AssertionError(f"{needle!r} not in text")
