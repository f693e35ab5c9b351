"""Write YAML scalars by hand, so rendered rules text is byte-for-byte deterministic."""

from __future__ import annotations

import re
import unicodedata

_PLAIN = re.compile(r"^[A-Za-z0-9_/.][A-Za-z0-9_/. ()=,<>!-]*$")
_RESERVED = re.compile(
    r"^(?:~|null|Null|NULL|true|True|TRUE|false|False|FALSE|yes|Yes|YES|no|No|NO|on|On|ON|off"
    r"|Off|OFF|y|Y|n|N|[-+]?[0-9][0-9_.:eExXoObB+-]*|\.inf|\.nan|=)$"
)


# Characters YAML reads as line breaks or strips (plus DEL): only safe escaped.
_BREAKS = frozenset("\x7f\x85\u2028\u2029\ufeff")
# No control character and none of _BREAKS: what single quotes hold as it is.
_SINGLE_QUOTABLE = re.compile(r"[^\x00-\x1f\x7f\x85\u2028\u2029\ufeff]*")


def scalar(text: str, *, flow: bool = False) -> str:
    """`text` as a YAML scalar that every YAML 1.1 and 1.2 parser reads back unchanged.

    `flow` is for items inside `[...]`, where a comma would end the item.
    """
    plain = bool(text) and bool(_PLAIN.match(text)) and not _RESERVED.match(text)
    awkward = ": " in text or " #" in text or text.endswith(":") or (flow and "," in text)
    if plain and text == text.strip() and not awkward:
        return text
    if _SINGLE_QUOTABLE.fullmatch(text) and (text.isascii() or all(map(_plain_char, text))):
        return "'" + text.replace("'", "''") + "'"
    return _double_quoted(text)


_ESCAPES = {"\\": "\\\\", '"': '\\"', "\t": "\\t", "\n": "\\n", "\r": "\\r"}


def _double_quoted(text: str) -> str:
    """A double-quoted scalar: every character a reader could not see (controls, line
    breaks YAML folds, invisible format characters) escaped, so the YAML shows what it holds."""
    out = []
    for ch in text:
        if ch in _ESCAPES:
            out.append(_ESCAPES[ch])
        elif _plain_char(ch):
            out.append(ch)
        else:
            o = ord(ch)
            out.append(
                f"\\x{o:02x}" if o < 0x100 else f"\\u{o:04x}" if o < 0x10000 else f"\\U{o:08x}"
            )
    return '"' + "".join(out) + '"'


def flow_list(items: list[str]) -> str:
    return "[" + ", ".join(scalar(i, flow=True) for i in items) + "]"


def comment(text: str) -> str:
    """One comment line; whitespace runs are folded, other control characters shown escaped
    (YAML allows none in a comment)."""
    folded = " ".join(text.split())
    if folded.isascii() and _COMMENT_AS_IS.fullmatch(folded):
        return "# " + folded
    return "# " + "".join(c if _plain_char(c) else f"\\u{{{ord(c):04x}}}" for c in folded)


# What _plain_char accepts of ASCII, as one pattern (most comments are shown as they are).
_COMMENT_AS_IS = re.compile(r"[^\x00-\x1f\x7f]*")  # negated: quick to compile at start-up
# Characters nobody sees: format characters (bidi overrides, zero widths), unassigned ones.
_INVISIBLE = frozenset(("Cf", "Cn", "Co", "Cs", "Zl", "Zp"))


def _plain_char(ch: str) -> bool:
    """Printable in YAML, not read as a line break, and visible to a reader."""
    o = ord(ch)
    if 0x20 <= o <= 0x7E:
        return True
    return (
        (0xA0 <= o <= 0xFFFD or o >= 0x10000)
        and not (0xD800 <= o <= 0xDFFF or ch in _BREAKS)
        and unicodedata.category(ch) not in _INVISIBLE
    )
