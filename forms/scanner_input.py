"""Fields a barcode scanner or ID card reader types into, past the desk's Chinese input method.

Chinese desks keep an input method (拼音) switched on. A keyboard-wedge scanner "types" a whole
code in a few milliseconds; with the input method in the way the digits go into its candidate
window, some are swallowed, or they arrive as full-width characters. These fields switch the
input method off for themselves (``WA_InputMethodEnabled``) and ask for Latin/digit input, so
every key arrives as a plain key press; what an input method commits anyway (full-width digits,
a lower-case x) is normalised by the services (``models.codes``, ``models.identity``).
"""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QLineEdit

_LATIN = (
    Qt.InputMethodHint.ImhLatinOnly
    | Qt.InputMethodHint.ImhPreferLatin
    | Qt.InputMethodHint.ImhNoPredictiveText
    | Qt.InputMethodHint.ImhNoAutoUppercase
    | Qt.InputMethodHint.ImhSensitiveData  # no learning, no suggestions
)


def scanner_field(edit: QLineEdit, digits_only: bool = False) -> QLineEdit:
    """Make ``edit`` take a scanner's or card reader's keys directly (no input method)."""
    hints = _LATIN | (Qt.InputMethodHint.ImhDigitsOnly if digits_only else Qt.InputMethodHint.ImhNone)
    edit.setInputMethodHints(hints)
    edit.setAttribute(Qt.WidgetAttribute.WA_InputMethodEnabled, False)
    edit.setMaxLength(64)  # a 20-digit code grouped, an 18-character ID, a phone with +86: all fit
    return edit
