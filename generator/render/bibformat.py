r"""Bibliography entries as readers expect them: names, title, venue, links.

BibTeX values keep LaTeX markup (``{ONNX}``, ``Larivi{\`e}re``, ``--``);
:func:`latex_to_text` turns the common forms into plain Unicode text. The
result is plain text: templates escape it like any other entry text.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass, replace

from generator.load.bibtex import BibEntry
from generator.markup import plain

#: LaTeX accent commands and the Unicode combining mark each one adds.
_ACCENTS = {
    "`": "\u0300",
    "'": "\u0301",
    "^": "\u0302",
    "~": "\u0303",
    "=": "\u0304",
    "u": "\u0306",
    ".": "\u0307",
    '"': "\u0308",
    "r": "\u030a",
    "H": "\u030b",
    "v": "\u030c",
    "c": "\u0327",
    "k": "\u0328",
}
_LETTERS = {"o": "ø", "O": "Ø", "ss": "ß", "ae": "æ", "AE": "Æ", "aa": "å", "AA": "Å", "l": "ł", "L": "Ł", "i": "ı"}
_ACCENT_RE = re.compile(r"\\([`'^~=.\"]|[uvrHck](?![a-zA-Z]))\s*(?:\{\s*(\\?[a-zA-Z])\s*\}|(\\?[a-zA-Z]))")
_LETTER_RE = re.compile(r"\\(ss|ae|AE|aa|AA|o|O|l|L|i)(?![a-zA-Z])\s*(?:\{\})?")
_ESCAPED_RE = re.compile(r"\\([&%$#_{}])")
_COMMAND_RE = re.compile(r"\\[a-zA-Z]+\s*")

_SUFFIXES = frozenset({"Jr.", "Jr", "Sr.", "II", "III", "IV"})
ARXIV_URL = "https://arxiv.org/abs/"
DOI_URL = "https://doi.org/"


def _accent(match: re.Match[str]) -> str:
    base = (match.group(2) or match.group(3) or "").lstrip("\\")
    base = "ı" if base == "i" and match.group(0).count("\\") > 1 else base
    return unicodedata.normalize("NFC", base + _ACCENTS[match.group(1)])


def latex_to_text(value: str) -> str:
    """Decode the LaTeX found in BibTeX fields into plain Unicode text."""
    text = value.replace("``", "\u201c").replace("''", "\u201d")
    text = _ACCENT_RE.sub(_accent, text)
    text = _LETTER_RE.sub(lambda m: _LETTERS[m.group(1)], text)
    text = text.replace("---", "\u2014").replace("--", "\u2013").replace("~", "\u00a0")
    text = _ESCAPED_RE.sub(r"\1", text.replace("\\\\", " "))
    text = _COMMAND_RE.sub("", text)
    text = text.replace("{", "").replace("}", "")
    return plain(text)  # one line, control, bidi and zero-width characters dropped


def split_authors(field: str) -> list[str]:
    """Authors of a BibTeX ``author`` field as 'First Last' names."""
    names = []
    for raw in re.split(r"\s+and\s+", field.strip()):
        name = latex_to_text(raw)
        if not name:
            continue
        if "," in name:
            last, _, first = name.partition(",")
            name = f"{first.strip()} {last.strip()}".strip()
        names.append(name)
    return names


def corporate_authors(field: str) -> frozenset[str]:
    """The authors of a BibTeX ``author`` field written in one pair of braces: organisations."""
    out = set()
    for raw in re.split(r"\s+and\s+", field.strip()):
        raw = raw.strip()
        if raw.startswith("{") and raw.endswith("}") and raw.count("{") == 1 and raw.count("}") == 1:
            out.add(latex_to_text(raw))
    return frozenset(out)


def last_name(author: str) -> str:
    """The family name of a 'First Last' name (the last word, not a suffix like 'III')."""
    words = [w for w in author.split() if w not in _SUFFIXES] or author.split()
    return words[-1] if words else author


def join_names(names: list[str]) -> str:
    """'A', 'A and B', 'A, B, and C'."""
    if len(names) <= 2:
        return " and ".join(names)
    return ", ".join(names[:-1]) + ", and " + names[-1]


@dataclass(frozen=True)
class Reference:
    """One bibliography entry, decoded and ready to show."""

    key: str
    authors: list[str]
    title: str
    venue: str
    year: str
    doi_url: str | None
    arxiv_url: str | None
    url: str | None
    details: str
    corporate: frozenset[str] = frozenset()
    """Authors that are organisations (``{{PyTorch Contributors}}``): cited by their whole name."""
    suffix: str = ""
    """The letter after the year that tells apart works cited alike ('2026a', '2026b'): see :func:`disambiguate`."""

    def family(self, author: str) -> str:
        """How an author is cited: an organisation by its whole name, a person by family name."""
        return author if author in self.corporate else last_name(author)

    @property
    def year_label(self) -> str:
        """The year as citations show it, with its :attr:`suffix` ('2026b'); 'n.d.' for no year."""
        return f"{self.year or 'n.d.'}{'-' if self.suffix and not self.year else ''}{self.suffix}"

    @property
    def short(self) -> str:
        """A short citation such as 'Jiang et al., 2024' or 'PyTorch Contributors, 2026b'."""
        if not self.authors:
            return f"{self.title}, {self.year_label}"
        first = self.family(self.authors[0])
        if len(self.authors) == 2:
            first = f"{first} and {self.family(self.authors[1])}"
        elif len(self.authors) > 2:
            first = f"{first} et al."
        return f"{first}, {self.year_label}"

    @property
    def author_text(self) -> str:
        """All authors, comma-separated."""
        return join_names(self.authors)


def _venue(fields: dict[str, str]) -> str:
    for name in ("journal", "booktitle", "howpublished", "institution", "school", "publisher"):
        if fields.get(name):
            return latex_to_text(fields[name])
    if fields.get("archiveprefix", "").lower() == "arxiv" and fields.get("eprint"):
        return f"arXiv preprint arXiv:{fields['eprint'].strip()}"
    return ""


def _details(fields: dict[str, str]) -> str:
    parts = []
    if fields.get("volume"):
        volume = latex_to_text(fields["volume"])
        parts.append(f"{volume}({latex_to_text(fields['number'])})" if fields.get("number") else volume)
    if fields.get("pages"):
        parts.append(f"pp. {latex_to_text(fields['pages'])}")
    if fields.get("publisher") and (fields.get("journal") or fields.get("booktitle")):
        parts.append(latex_to_text(fields["publisher"]))
    return ", ".join(parts)


def format_reference(entry: BibEntry) -> Reference:
    """Decode one BibTeX entry into a :class:`Reference`."""
    fields = entry.fields
    doi = fields.get("doi", "").strip()
    eprint = fields.get("eprint", "").strip()
    is_arxiv = fields.get("archiveprefix", "arxiv").strip().lower() == "arxiv"
    url = fields.get("url", "").strip()
    return Reference(
        key=entry.key,
        authors=split_authors(fields.get("author") or fields.get("editor") or ""),
        corporate=corporate_authors(fields.get("author") or fields.get("editor") or ""),
        title=latex_to_text(fields.get("title", entry.key)),
        venue=_venue(fields),
        year=fields.get("year", "").strip(),
        doi_url=DOI_URL + doi if re.fullmatch(r"10\.\d{4,9}/\S+", doi) else None,
        arxiv_url=ARXIV_URL + eprint if eprint and is_arxiv and re.fullmatch(r"[\w./-]+", eprint) else None,
        url=url if re.fullmatch(r"https?://[^\s<>\"']+", url) else None,
        details=_details(fields),
    )


def _letters(index: int) -> str:
    """0 -> 'a', 25 -> 'z', 26 -> 'aa', 27 -> 'ab'..."""
    out = ""
    index += 1
    while index:
        index, rest = divmod(index - 1, 26)
        out = chr(ord("a") + rest) + out
    return out


def disambiguate(refs: dict[str, Reference]) -> dict[str, Reference]:
    """``refs`` with a letter after the year of works that would be cited alike.

    Author-year citations of several pages by one organisation in one year all
    read 'ONNX Runtime Contributors, 2026'; as in APA style, each such work gets
    a letter ('2026a', '2026b'...) in the bibliography's order (by title), the
    same on every page, the references page and the exports.
    """
    groups: dict[str, list[Reference]] = {}
    for ref in refs.values():
        groups.setdefault(ref.short, []).append(ref)
    out = dict(refs)
    for group in groups.values():
        if len(group) > 1:
            for i, ref in enumerate(sorted(group, key=lambda r: (*sort_key(r), r.key))):
                out[ref.key] = replace(ref, suffix=_letters(i))
    return out


def sort_key(ref: Reference) -> tuple[str, str, str]:
    """Order of the bibliography: first author's family name (an organisation's whole name), year, title."""
    first = ref.family(ref.authors[0]).casefold() if ref.authors else ref.title.casefold()
    return (first, ref.year, ref.title.casefold())
