"""Graded evidence on pages: strength badges, scope lines, relation bases and real cases.

* A study's scope (domain, period, frameworks, sample, method) is shown under
  the evidence list and the figures that cite it, and on the bibliography.
* A relation that claims an effect shows its one-line ``why`` with the
  numbers of its evidence, or a visible "judgement" mark, on both pages it
  links (the practice's and the challenge's or defect type's).
* A defect type's page lists every case of it in the study data, in the
  site's sortable, filterable table.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import cached_property, lru_cache

from markupsafe import Markup, escape

from generator.markup import markdown_inline, plain
from generator.models import EFFECT_RELATIONS, STRENGTH_MEANING, Basis, Effect, Practice, Strength
from generator.render.context import Link, Site
from generator.render.views import Citation, Citations
from generator.validate.cases import defect_cases

#: Shown beside a basis marked ``judgement: true``.
JUDGEMENT_HINT = STRENGTH_MEANING["judgement"]


@dataclass(frozen=True)
class ScopeNote:
    """The scope of one cited study, under a section that cites it."""

    citation: Citation
    parts: list[tuple[str, str]]


def scope_notes(site: Site, cites: Citations, keys: list[str]) -> list[ScopeNote]:
    """Scope lines for the studies among ``keys`` that have a scope record, in citation order."""
    notes = []
    for key in dict.fromkeys(keys):
        scope = site.scopes.get(key)
        if scope is not None:
            notes.append(ScopeNote(cites.cite(key), scope.parts))
    return sorted(notes, key=lambda n: n.citation.number)


@dataclass(frozen=True)
class BasisNote:
    """Why a relation or importance holds: a line, then evidence numbers or a judgement mark."""

    why: Markup
    citations: tuple[Citation, ...]
    judgement: bool


def basis_note(why: str, evidence: tuple[str, ...] | list[str], judgement: bool, cites: Citations) -> BasisNote:
    """A basis ready to show, numbering its evidence on the page."""
    return BasisNote(markdown_inline(why), tuple(cites.cite(key) for key in evidence), judgement)


def importance_note(basis: Basis | None, cites: Citations) -> BasisNote | None:
    """A practice's importance basis, if it has one."""
    return basis_note(basis.why, basis.evidence, basis.judgement, cites) if basis else None


def effect_notes(site: Site, entity_id: str, cites: Citations) -> dict[tuple[str, bool, str], BasisNote]:
    """Bases of the effect relations touching an entity: (relation, outgoing, other id) -> note.

    A practice's page gets its own relations' bases; a challenge's or defect
    type's page gets the bases of the practices that point at it.
    """
    out: dict[tuple[str, bool, str], BasisNote] = {}

    def add(effect: Effect, outgoing: bool, other: str) -> None:
        if effect.why is not None:
            out[(effect.relation, outgoing, other)] = basis_note(effect.why, effect.evidence, effect.judgement, cites)

    entity = site.entities.get(entity_id)
    if isinstance(entity, Practice):
        for effect in entity.all_effects():
            add(effect, True, effect.target)
    for source, _, data in sorted(site.graph.in_edges(entity_id, data=True), key=lambda e: e[0]):
        practice = site.entities.get(source)
        if data["relation"] in EFFECT_RELATIONS and isinstance(practice, Practice):
            for effect in practice.effects(data["relation"]):
                if effect.target == entity_id:
                    add(effect, False, source)
    return out


def strength_hint(strength: Strength) -> str:
    """What a strength badge means (its tooltip)."""
    return STRENGTH_MEANING[strength]


@dataclass(frozen=True)
class CaseRow:
    """One real case: an issue from a study's data."""

    repository: str
    framework: str
    reporter: str
    symptom: str
    link: Link
    filters: dict[str, str]

    @cached_property
    def html(self) -> Markup:
        """The row of the cases table, escaped (a page may list hundreds of cases: quicker in Python than Jinja)."""
        marks = "".join(f' data-filter-{escape(name)}=" {escape(value)} "' for name, value in self.filters.items())
        cells = "".join(f"<td>{escape(v)}</td>" for v in (self.repository, self.framework, self.reporter, self.symptom))
        link = f'<a href="{escape(self.link.href)}" rel="nofollow">{escape(self.link.text)}</a>'
        return Markup(f"<tr{marks}>\n{cells}<td>{link}</td>\n</tr>")


@dataclass(frozen=True)
class Filter:
    """A select box over the cases table: its name, label and options (value, label)."""

    name: str
    label: str
    options: list[tuple[str, str]]


@dataclass(frozen=True)
class CaseTable:
    """Every case of a defect type in the study data, with its filters."""

    table_id: str
    rows: list[CaseRow]
    filters: list[Filter]
    citations: tuple[Citation, ...]
    datasets: tuple[str, ...]

    @property
    def count(self) -> int:
        """Number of cases."""
        return len(self.rows)


@lru_cache(maxsize=4096)
def _slug(value: str) -> str:
    return "-".join("".join(c if c.isalnum() else " " for c in value.casefold()).split()) or "none"


def _case_row(site: Site, name: str, index: int) -> CaseRow:
    """Row ``index`` of data set ``name`` as the cases table shows it."""
    data = site.kb.datasets[name]
    row = data.rows[index]
    roles = data.provenance.roles
    url = row.get("URL", "").strip()
    parts = url.split("/")
    repository = "/".join(parts[3:5]) if url.startswith("https://github.com/") and len(parts) > 4 else ""
    number = parts[6].split("#", 1)[0] if len(parts) > 6 else url
    values = {
        role: plain(data.label(row[column])) if column else ""  # a provenance label may spell any character
        for role, column in (
            ("framework", roles.framework),
            ("reporter", roles.reporter),
            ("symptom", roles.symptom),
        )
    }
    link = Link(url, f"#{number}" if repository else url)
    marks = {role: _slug(value) for role, value in values.items() if value}
    return CaseRow(repository, values["framework"], values["reporter"], values["symptom"], link, marks)


def case_table(site: Site, defect_id: str, cites: Citations) -> CaseTable | None:
    """The cases table of a defect type's page, or None when the data holds none."""
    cases = defect_cases(site.kb, defect_id)
    if not cases:
        return None
    # A case is listed on its type's page and on every parent's: each row is made (and formatted) once per KB.
    made: dict[tuple[str, int], CaseRow] = site.kb.memo("render: case rows", dict)
    rows = [made.get(case) or made.setdefault(case, _case_row(site, *case)) for case in cases]
    names = sorted({name for name, _ in cases})
    rows.sort(key=lambda r: (r.repository.casefold(), r.link.href))
    filters = []
    for role, label in (("framework", "Framework"), ("reporter", "Reporter"), ("symptom", "Symptom")):
        seen = {(_slug(getattr(r, role)), getattr(r, role)) for r in rows if getattr(r, role)}
        if len(seen) > 1:
            filters.append(Filter(role, label, sorted(seen, key=lambda o: o[1].casefold())))
    citations = tuple(cites.cite(site.kb.datasets[n].provenance.cite) for n in names)
    return CaseTable(f"kb-cases-{defect_id}", rows, filters, citations, tuple(names))
