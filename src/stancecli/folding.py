"""How a user types Norwegian in ASCII: æ as ae, ø as o, å as aa, other accents dropped.

The one table of letter spellings; names (stancecli.names.fold) and search text
(stancecli.search.text.fold) both fold through it, each adding what its own job needs.
"""

from __future__ import annotations

ASCII_SPELLINGS: dict[str, str] = {
    "æ": "ae", "ø": "o", "å": "aa", "ä": "ae", "ö": "o", "ü": "u", "ß": "ss",
    "é": "e", "è": "e", "ê": "e", "ë": "e", "á": "a", "à": "a", "â": "a",
    "ó": "o", "ò": "o", "ô": "o", "í": "i", "ì": "i", "î": "i", "ï": "i",
    "ú": "u", "ù": "u", "û": "u", "ç": "c", "ñ": "n",
    "\u0307": "",  # the dot that "İ".lower() leaves behind
}
FOLD_TABLE = str.maketrans(ASCII_SPELLINGS)
