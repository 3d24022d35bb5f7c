"""Cells that stay data: no export cell is ever a formula (CSV/formula injection, OWASP).

A name an administrator typed (institution, staff, catalog item) such as ``=1+1`` or
``=HYPERLINK("http://…","点此")`` would otherwise become a live formula when a finance officer
opens the export in Excel or LibreOffice. Every text cell whose first character is ``=``, ``+``,
``-``, ``@``, tab or carriage return is written as text: in CSV with the OWASP prefix (a single
quote), in XLSX as a string cell with Excel's "quote prefix" style. Plain numbers that we write
ourselves (``-12.00`` for a reversal) are data and stay as they are.
"""

from __future__ import annotations

import re

from openpyxl.worksheet.worksheet import Worksheet

FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")
_NUMBER = re.compile(r"-?\d+(\.\d+)?")


def is_risky(text: str) -> bool:
    return text.startswith(FORMULA_STARTS) and not _NUMBER.fullmatch(text)


def csv_cell(value: object) -> object:
    """The OWASP rule for CSV: a risky text gets a leading single quote."""
    if isinstance(value, str) and is_risky(value):
        return "'" + value
    return value


class SafeCsvWriter:
    """A ``csv.writer`` whose every row goes through :func:`csv_cell`."""

    def __init__(self, writer) -> None:
        self._writer = writer

    def writerow(self, values: list) -> None:
        self._writer.writerow([csv_cell(v) for v in values])

    def writerows(self, rows: list[list]) -> None:
        for values in rows:
            self.writerow(values)


def xlsx_text_only(ws: Worksheet) -> None:
    """Turn every cell openpyxl took for a formula (or any risky text) into a text cell."""
    for row in ws.iter_rows():
        for cell in row:
            if isinstance(cell.value, str) and (cell.data_type == "f" or is_risky(cell.value)):
                cell.data_type = "s"
                cell.quotePrefix = True
