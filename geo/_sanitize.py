"""Untrusted text made safe for the file formats it is written into (standard library only).

- XML (the SVG export): XML 1.0 forbids most control characters outright, even as character
  references (``&#0;`` is as malformed as a raw NUL), so :func:`xml_text` removes them.
- CSV (the quotes, places and geoparse tables): a cell a spreadsheet would read as a formula is
  made inert by a leading apostrophe, the OWASP rule for CSV injection (cells starting with ``=``,
  ``+``, ``-``, ``@``, a tab or a carriage return); control characters other than tab, line feed and
  carriage return (which CSV quoting carries) are removed, NUL first among them; a carriage return
  is written as a line feed.
"""

from __future__ import annotations

import re
from typing import Any

#: What XML 1.0's ``Char`` production leaves out (C0 controls but tab, LF, CR; surrogates; U+FFFE/F).
XML_FORBIDDEN = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ud800-\udfff\ufffe\uffff]")
#: Control characters never written into a CSV cell (C0 but tab, LF and CR; DEL).
CSV_CONTROL = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")
#: First characters that make a spreadsheet read a cell as a formula (OWASP).
FORMULA_START = ("=", "+", "-", "@", "\t", "\r")
_CSV_NEEDS = re.compile("^[=+\\-@\t]|[\x00-\x08\x0b-\x1f\x7f]")


def xml_text(s: str) -> str:
    """``s`` without the characters XML 1.0 forbids (escaping ``<`` and ``&`` is the writer's job)."""
    return XML_FORBIDDEN.sub("", s)


def csv_cell(v: Any) -> Any:
    """A CSV cell's value made inert: text without control characters and, when it starts as a
    formula would, with a leading apostrophe; anything else (numbers, None) as it is."""
    if not isinstance(v, str) or not _CSV_NEEDS.search(v):
        return v
    v = CSV_CONTROL.sub("", v)
    formula = v.startswith(FORMULA_START)
    # a carriage return is a line break: as "\n", which CSV quoting carries (the csv module does
    # not quote a cell for a "\r" when its lines end in "\n", and readers then lose it)
    v = v.replace("\r\n", "\n").replace("\r", "\n")
    return "'" + v if formula else v


def csv_frame(df):
    """A copy of the pandas DataFrame ``df`` with every text cell passed through :func:`csv_cell`."""
    out = df.copy()
    for col in out.columns:
        if out[col].dtype == object or str(out[col].dtype) in ("string", "str"):
            out[col] = [csv_cell(v) for v in out[col]]
    header = [csv_cell(c) if isinstance(c, str) else c for c in out.columns]
    out.columns = header
    return out
