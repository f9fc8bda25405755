"""Every finding code, what it means, an example and the fix: the registry.

``validate``, ``lint`` and ``fmt --check`` report problems as findings with a
stable code (``error[unknown-reference]``). This module lists every code
they can emit; the site's "Finding codes" page is generated from it
(:mod:`generator.render.findings`), and ``tests/test_codes.py`` fails when
the code emits a finding code that is not listed here, or lists one that
nothing emits. Add a code here in the same change that adds its check.
"""

from __future__ import annotations

from dataclasses import dataclass

from generator.findings import Severity

E = Severity.ERROR
W = Severity.WARNING

#: Where a code comes from, in pipeline order: the stage and the command that reports it.
STAGES: dict[str, str] = {
    "read": "Reading a file (encoding, strict YAML): validate, fmt",
    "bibtex": "The bibliography, kb/references.bib: validate",
    "schema": "Each file against the schema of its type: validate",
    "rules": "Links and structure across entries: validate",
    "data": "Study data in kb/data/ and scope records in kb/studies.yaml: validate",
    "lint": "Review quality: lint (warnings; lint --strict fails on them)",
    "fmt": "Canonical form: fmt --check",
}


@dataclass(frozen=True)
class Code:
    """One finding code.

    Attributes:
        code: The stable code, as printed in ``error[code]``.
        severity: Error (fails ``validate``) or warning (fails only under ``--strict``).
        stage: Key of :data:`STAGES`: where in the pipeline it is found.
        meaning: What the finding says is wrong, in one or two sentences.
        example: A finding as the text report prints it.
        fix: What to do about it.
    """

    code: str
    severity: Severity
    stage: str
    meaning: str
    example: str
    fix: str


P = "kb/practices/read-the-reference-code.yaml"
C = "kb/challenges/under-documented-reference-model.yaml"
D = "kb/defects/missing-hyperparameter.yaml"
S = "kb/stages/testing.yaml"
B = "kb/references.bib"
SC = "kb/scenarios/pytorch-to-onnx-runtime.yaml"

CODES: tuple[Code, ...] = (
    # ------------------------------------------------------------------ read
    Code(
        "file-too-large",
        E,
        "read",
        "The file is larger than an entry should ever be (256 KiB).",
        f"{P}: error[file-too-large] file is 300,000 bytes; the limit is 262,144. Split the entry or shorten its body.",
        "Split the entry, or move long material out of 'body'.",
    ),
    Code(
        "encoding",
        E,
        "read",
        "The file is not plain UTF-8: it has a byte-order mark or bytes that are not UTF-8.",
        f"{P}:3:8: error[encoding] byte 0xe9 is not valid UTF-8; save the file as UTF-8.",
        "Save the file as UTF-8 without BOM (most editors: 'Save with encoding').",
    ),
    Code(
        "tab-indentation",
        E,
        "read",
        "A line is indented with a tab; YAML indents with spaces only, and editors hide the difference.",
        f"{P}:9:1: error[tab-indentation] tab character in indentation; YAML indents with spaces only. "
        "Replace the tab with spaces.",
        "Replace the tab with spaces.",
    ),
    Code(
        "yaml-syntax",
        E,
        "read",
        "The file is not valid YAML (an unclosed bracket or quote, a bad indent, a control character).",
        f"{S}:2:1: error[yaml-syntax] expected ',' or ']', but got '<stream end>' (while parsing a flow sequence)",
        "Fix the YAML at the position given; quote text that contains ': ' or starts with a special character.",
    ),
    Code(
        "empty-file",
        E,
        "read",
        "The file has no content; an entry is a YAML mapping of fields.",
        f"{P}: error[empty-file] file is empty; an entry is a YAML mapping of fields.",
        "Fill the entry (python -m generator new TYPE 'Title' writes a scaffold) or delete the file.",
    ),
    Code(
        "multiple-documents",
        E,
        "read",
        "The file holds more than one YAML document ('---' separators).",
        f"{P}:12:1: error[multiple-documents] only one YAML document per file; remove the '---' separator "
        "and split the file.",
        "One entry per file: remove the separator and move the second document to its own file.",
    ),
    Code(
        "anchor",
        E,
        "read",
        "A YAML anchor (&name) is used; entries are written out in full so every value is where it is read.",
        f"{P}:8:11: error[anchor] anchor '&steps' is not allowed; write the value out in full.",
        "Write the value out in full instead of anchoring it.",
    ),
    Code(
        "alias",
        E,
        "read",
        "A YAML alias (*name) refers to an anchor; entries are written out in full.",
        f"{P}:14:11: error[alias] alias '*steps' is not allowed; write the value out in full.",
        "Copy the value in place of the alias.",
    ),
    Code(
        "tag",
        E,
        "read",
        "A YAML tag (!!python/..., !custom) is used; tags can construct objects and are never needed in an entry.",
        f"{P}:5:8: error[tag] YAML tag '!!python/object' is not allowed; remove it.",
        "Remove the tag; write the value as plain text, a list or a mapping.",
    ),
    Code(
        "too-deep",
        E,
        "read",
        "Lists and mappings are nested deeper than any entry needs.",
        f"{P}:20:15: error[too-deep] nesting is deeper than 24 levels; flatten the structure.",
        "Flatten the structure; check the indentation of the lines above.",
    ),
    Code(
        "complex-key",
        E,
        "read",
        "A mapping key is not a plain string (a list, a mapping or '? ' key).",
        f"{P}:6:1: error[complex-key] mapping keys must be plain strings.",
        "Use a plain word as the key.",
    ),
    Code(
        "duplicate-key",
        E,
        "read",
        "The same key appears twice in one mapping; YAML would silently keep only the last value.",
        f"{P}:9:1: error[duplicate-key] duplicate key 'summary' (first defined on line 4); keep one of them.",
        "Keep one of the two keys (merge their values if both matter).",
    ),
    # ---------------------------------------------------------------- bibtex
    Code(
        "bibtex-syntax",
        E,
        "bibtex",
        "A block of references.bib cannot be parsed, or gives a field twice.",
        f"{B}:12:1: error[bibtex-syntax] cannot parse this BibTeX block: unexpected end of block. "
        "Check braces, quotes and commas.",
        "Check braces, quotes and commas of the entry; add it with 'python -m generator new reference' next time.",
    ),
    Code(
        "duplicate-cite-key",
        E,
        "bibtex",
        "Two BibTeX entries have the same key.",
        f"{B}:30:1: error[duplicate-cite-key] BibTeX key 'doe2024study' is defined twice; rename or remove one entry.",
        "Remove the second entry, or rename it and update the entries that cite it.",
    ),
    Code(
        "invalid-cite-key",
        E,
        "bibtex",
        "A BibTeX key does not have the form entries cite (a letter, then letters, digits, '_', ':' or '-').",
        f"{B}:1:1: error[invalid-cite-key] BibTeX key '2024 study' must match ^[A-Za-z][A-Za-z0-9_:-]{{1,79}}$.",
        "Rename the key, e.g. author, year and a word of the title: doe2024study.",
    ),
    Code(
        "bibtex-entry-type",
        E,
        "bibtex",
        "The entry type is not one the bibliography page can format.",
        f"{B}:1:1: error[bibtex-entry-type] entry type '@online' is not supported; use one of article, book, ...",
        "Use one of the listed types (a web page is @misc with a url).",
    ),
    Code(
        "bibtex-missing-field",
        E,
        "bibtex",
        "A field the entry type requires (author, title, year, venue) is missing.",
        f"{B}:1:1: error[bibtex-missing-field] @article{{doe2024study}} lacks the required field 'journal'.",
        "Add the field from the paper's own metadata (its DOI or arXiv page).",
    ),
    Code(
        "bibtex-invalid-field",
        E,
        "bibtex",
        "A field has an impossible value (a year that is not four digits).",
        f"{B}:1:1: error[bibtex-invalid-field] year '24' of 'doe2024study' should be four digits.",
        "Correct the value.",
    ),
    Code(
        "reference-without-identifier",
        W,
        "bibtex",
        "A reference has neither a DOI nor an arXiv id, so readers cannot find the exact source.",
        f"{B}:1:1: warning[reference-without-identifier] 'doe2024study' has neither 'doi' nor 'eprint' "
        "(arXiv id); add one so readers can find it.",
        "Add 'doi' or 'eprint'.",
    ),
    # ---------------------------------------------------------------- schema
    Code(
        "missing-file",
        E,
        "schema",
        "A file every knowledge base needs (kb.yaml, vocabulary.yaml, references.bib) is missing.",
        "kb/vocabulary.yaml: error[missing-file] 'kb/vocabulary.yaml' is missing.",
        "Restore the file from git.",
    ),
    Code(
        "unexpected-file",
        W,
        "schema",
        "A file lies outside the entity folders and is ignored.",
        "kb/notes.yaml: warning[unexpected-file] file is not in an entity folder (paradigms/, stages/, ...); "
        "it is ignored.",
        "Move it into the folder of its type, or out of kb/.",
    ),
    Code(
        "unknown-folder",
        E,
        "schema",
        "A folder in kb/ is not one of the entity folders.",
        "kb/practice/x.yaml: error[unknown-folder] 'practice/' is not an entity folder. Did you mean 'practices'?",
        "Move the file into the right folder.",
    ),
    Code(
        "wrong-extension",
        E,
        "schema",
        "An entity file does not end in '.yaml'.",
        "kb/practices/x.yml: error[wrong-extension] entity files end in '.yaml'. Rename it to '.yaml'.",
        "Rename the file to end in '.yaml'.",
    ),
    Code(
        "not-a-mapping",
        E,
        "schema",
        "The file is a list or a single value; an entry is a mapping of fields.",
        f"{P}: error[not-a-mapping] the file must be a mapping of fields, found a list.",
        "Write the entry as 'key: value' lines.",
    ),
    Code(
        "missing-modeline",
        W,
        "schema",
        "The first line does not point editors at the JSON Schema of the file's type.",
        f"{P}:1:1: warning[missing-modeline] first line should be "
        "'# yaml-language-server: $schema=../../schemas/practice.schema.json' so editors validate the file "
        "while you type.",
        "Make the first line the comment shown ('python -m generator fmt FILE' adds it).",
    ),
    Code(
        "unknown-key",
        E,
        "schema",
        "A key the entry's type does not have (often a typo).",
        f"{P}:5:1: error[unknown-key] unknown key 'sumary' in practice 'read-the-reference-code'. "
        "Did you mean 'summary'?",
        "Fix the spelling, or remove the key; the schema page of the type lists every field.",
    ),
    Code(
        "missing-field",
        E,
        "schema",
        "A required field is absent.",
        f"{P}:1:1: error[missing-field] missing required field 'summary' in practice 'read-the-reference-code'.",
        "Add the field.",
    ),
    Code(
        "invalid-type",
        E,
        "schema",
        "A value has the wrong type: text where a list is expected, a number where an id is expected.",
        f"{P}:31:9: error[invalid-type] 'checklist[0].id': input should be a valid string; found 42.",
        "Write the value in the expected shape (a list is '[a, b]' or '- ' lines).",
    ),
    Code(
        "invalid-value",
        E,
        "schema",
        "A value has the right type but is not allowed: an id with capitals, an unknown enum value, a bad date.",
        f"{P}:2:5: error[invalid-value] 'id': string should match pattern '^[a-z0-9]+(?:-[a-z0-9]+)*$'; "
        "found 'Read_The_Code'.",
        "Use one of the values the message names.",
    ),
    # ----------------------------------------------------------------- rules
    Code(
        "id-mismatch",
        E,
        "rules",
        "The id differs from the file name; pages and links are found by file name.",
        f"{P}:2:5: error[id-mismatch] id 'read-code' differs from the file name 'read-the-reference-code.yaml'; "
        "rename the file or change the id.",
        "Rename the file or change the id (keep the old id in 'aliases' if it was published).",
    ),
    Code(
        "duplicate-id",
        E,
        "rules",
        "Two entries (or an entry and an alias) use one id; ids are unique across the whole KB.",
        "kb/practices/read-code-first.yaml:2:5: error[duplicate-id] id 'read-the-reference-code' is already used, "
        f"as the id, by {P}:2; ids are unique across the KB.",
        "Give one of them another id.",
    ),
    Code(
        "unknown-reference",
        E,
        "rules",
        "A relation names an entity that does not exist (with the closest existing id as a hint).",
        f"{P}:7:13: error[unknown-reference] unknown challenge 'undocumented-model' in 'addresses'. "
        "Did you mean 'under-documented-reference-model'?",
        "Use an existing id, or add the entry it names.",
    ),
    Code(
        "renamed-reference",
        E,
        "rules",
        "A relation uses an old id, kept as an alias of the renamed entity.",
        f"{C}:9:3: error[renamed-reference] practice 'read-the-reference-code' was renamed to "
        "'read-reference-code-first'; update the reference.",
        "Use the new id.",
    ),
    Code(
        "wrong-reference-type",
        E,
        "rules",
        "A relation names an entity of another type than the field expects.",
        f"{P}:7:13: error[wrong-reference-type] 'missing-hyperparameter' is a defect, but 'addresses' expects "
        "a challenge.",
        "Move the id to the field of its type ('prevents' or 'detects' for a defect type).",
    ),
    Code(
        "deprecated-reference",
        W,
        "rules",
        "A relation points at a deprecated entity.",
        f"{P}:7:13: warning[deprecated-reference] challenge 'old-challenge' is deprecated. "
        "Use 'new-challenge' instead.",
        "Point the relation at the replacement.",
    ),
    Code(
        "unknown-citation",
        E,
        "rules",
        "An evidence item or figure cites a BibTeX key that is not in references.bib.",
        f"{P}:24:11: error[unknown-citation] BibTeX key 'doe2042study' is not in {B}. Did you mean 'doe2024study'?",
        "Fix the key, or add the reference with 'python -m generator new reference'.",
    ),
    Code(
        "unused-reference",
        W,
        "rules",
        "A reference in references.bib is cited by no entry.",
        f"{B}:8:1: warning[unused-reference] BibTeX entry 'smith2020other' is not cited by any entry; "
        "cite it or remove it.",
        "Cite it as evidence where it supports a claim, or remove it.",
    ),
    Code(
        "unknown-term",
        E,
        "rules",
        "A tag, framework, hardware term or model family is not in kb/vocabulary.yaml.",
        f"{P}:10:9: error[unknown-term] unknown framework 'pytorh'. Did you mean 'pytorch'?",
        "Use a term of the vocabulary, or add a genuinely new term to kb/vocabulary.yaml.",
    ),
    Code(
        "todo-marker",
        E,
        "rules",
        "A scaffold's TODO marker (or the placeholder id 'todo') is still in the entry.",
        f"{P}:4:10: error[todo-marker] 'summary' still contains a TODO marker; replace it with real content.",
        "Replace the marker with real content.",
    ),
    Code(
        "unsafe-url",
        E,
        "rules",
        "A link uses a scheme other than http(s), mailto or a relative path (javascript:, data:, file:...).",
        f"{P}:12:7: error[unsafe-url] a 'javascript:' link in 'body' is not allowed; "
        "links must be http(s) or relative.",
        "Link to an http(s) page instead.",
    ),
    Code(
        "duplicate-item-id",
        E,
        "rules",
        "Two checklist items of one practice share an id; exports and saved progress key items by it.",
        f"{P}:34:9: error[duplicate-item-id] checklist item id 'list-hidden-settings' is used twice in this "
        "practice; item ids must be unique.",
        "Give the second item its own id.",
    ),
    Code(
        "practice-without-target",
        E,
        "rules",
        "A practice addresses no challenge and prevents or detects no defect type, so nothing leads to it.",
        f"{P}:7:1: error[practice-without-target] a practice must address a challenge or prevent/detect a defect "
        "type; fill 'addresses', 'prevents' or 'detects'.",
        "Say what the practice is for in 'addresses', 'prevents' or 'detects'.",
    ),
    Code(
        "workflow-cycle",
        E,
        "rules",
        "The stages' 'next' links form a loop; the workflow must be ordered.",
        f"{S}:6:1: error[workflow-cycle] workflow stages form a cycle (analysis -> testing -> analysis); "
        "use 'feeds_back_to' for back-edges.",
        "Express the loop back with 'feeds_back_to' on the later stage.",
    ),
    Code(
        "invalid-back-edge",
        E,
        "rules",
        "A stage's 'feeds_back_to' names a stage that does not come earlier in the workflow.",
        f"{S}:8:5: error[invalid-back-edge] 'testing' feeds back to 'release', which does not come before it "
        "in the workflow.",
        "Use 'next' for a forward link; 'feeds_back_to' only points backwards.",
    ),
    Code(
        "taxonomy-cycle",
        E,
        "rules",
        "Defect types' 'parent' links loop; the taxonomy must be a tree.",
        f"{D}:5:9: error[taxonomy-cycle] defect types form a cycle through 'parent' (missing-hyperparameter -> "
        "training-defects -> missing-hyperparameter); the taxonomy must be a tree.",
        "Remove 'parent' from the type at the top of the tree.",
    ),
    Code(
        "uncovered-challenge",
        W,
        "rules",
        "No practice addresses the challenge: a coverage gap (deprecated challenges never count). "
        "The coverage page and 'stats' list the same gaps.",
        f"{C}:2:5: warning[uncovered-challenge] no practice addresses challenge 'under-documented-reference-model'; "
        "add it to a practice's 'addresses' (coverage gap).",
        "Add the challenge to the 'addresses' of a practice that helps with it, or write that practice.",
    ),
    Code(
        "unguarded-defect",
        W,
        "rules",
        "No practice prevents or detects the leaf defect type: a coverage gap (deprecated types never count). "
        "The coverage page and 'stats' list the same gaps.",
        f"{D}:2:5: warning[unguarded-defect] no practice prevents or detects defect type 'missing-hyperparameter'; "
        "add it to a practice's 'prevents' or 'detects' (coverage gap).",
        "Add the type to the 'prevents' or 'detects' of a practice, or write that practice.",
    ),
    # ------------------------------------------------------------------ lint
    Code(
        "summary-too-short",
        W,
        "lint",
        "The summary is under 60 characters: too short to say what the entry is and why it matters.",
        f"{P}:4:1: warning[summary-too-short] summary is 47 characters; say what this is and why it matters "
        "in one or two sentences (60-300 characters).",
        "Write one or two sentences of 60 to 300 characters.",
    ),
    Code(
        "summary-too-long",
        W,
        "lint",
        "The summary is over 300 characters or three sentences; index pages and search show it whole.",
        f"{P}:4:1: warning[summary-too-long] summary is 340 characters in 3 sentences; keep it to two sentences "
        "and at most 300 characters, and move details to 'body'.",
        "Keep two sentences and move the details to 'body'.",
    ),
    Code(
        "practice-without-checklist",
        W,
        "lint",
        "A practice has no checklist item, so exported checklists leave it out.",
        f"{P}:2:1: warning[practice-without-checklist] practice has no checklist item, so exported checklists "
        "leave it out; add one under 'checklist' (an action someone can tick off).",
        "Add at least one item under 'checklist'.",
    ),
    Code(
        "no-evidence",
        W,
        "lint",
        "A challenge, practice or defect type cites no evidence for its claims.",
        f"{C}:2:1: warning[no-evidence] this challenge cites no source; add an 'evidence' item with a BibTeX key "
        "and what the source shows.",
        "Add an evidence item: the BibTeX key and what the source shows.",
    ),
    Code(
        "evidence-not-in-text",
        W,
        "lint",
        "An evidence key is never named in the body, so readers cannot tell which claim it supports.",
        f"{P}:16:5: warning[evidence-not-in-text] evidence cites 'doe2024study' but the body never names it; "
        "add '(doe2024study)' after the claim it supports.",
        "Name the key in parentheses after the claim it supports.",
    ),
    Code(
        "text-citation-not-in-evidence",
        W,
        "lint",
        "The body names a reference that is not in 'evidence', so the page's references leave it out.",
        f"{P}:12:1: warning[text-citation-not-in-evidence] the body cites 'smith2020other', which is not in "
        "'evidence', so the page's references leave it out; add an evidence item for it.",
        "Add an evidence item for the key.",
    ),
    Code(
        "split-word",
        W,
        "lint",
        "A word looks split at a line break ('re- implementation'): YAML folds the break into a space.",
        f"{P}:12:1: warning[split-word] 're- implementation' in 'body' looks like a word split at a line break "
        "(YAML turns the break into a space); write 're-implementation'.",
        "Join the word on one line.",
    ),
    Code(
        "figure-without-locator",
        W,
        "lint",
        "A figure does not say where in its source it comes from (a table or figure number).",
        f"{D}:7:5: warning[figure-without-locator] figure 'training defects caused by hyperparameters' has no "
        "'locator'; add the table or figure of 'doe2024study' it comes from, so reviewers can check it.",
        "Add 'locator' (e.g. 'Table 3').",
    ),
    Code(
        "review-overdue",
        W,
        "lint",
        "The entry's 'review_by' date has passed.",
        f"{P}:19:1: warning[review-overdue] review was due on 2025-01-31; check the entry against its sources, "
        "then set 'review_by' to a new date.",
        "Check the entry against its sources, then set a new 'review_by'.",
    ),
    Code(
        "deprecated-without-replacement",
        W,
        "lint",
        "A deprecated entry does not say what replaces it.",
        f"{C}:6:1: warning[deprecated-without-replacement] deprecated entry has no 'replaced_by'; name the entry "
        "that replaces it, or say in 'body' why none does.",
        "Set 'replaced_by', or explain in 'body' why nothing replaces it.",
    ),
    # ---------------------------------------------------- added this release
    Code(
        "basis-not-in-evidence",
        E,
        "rules",
        "An effect relation or importance basis cites a key that is not in the entry's own evidence list, so the page has no numbered reference to point to.",
        f"{P}:10:16: error[basis-not-in-evidence] addresses 'under-documented-reference-model' cites 'doe2024stdy', which is not in this entry's 'evidence' list; add an evidence item for it or use a listed key. Did you mean 'doe2024study'?",
        "Add an evidence item for the key (with 'shows' and 'locator'), or cite a key the entry already lists.",
    ),
    Code(
        "contradictory-applies-when",
        E,
        "rules",
        "A checklist item's 'applies_when' contradicts its practice's, so the item can never reach a checklist.",
        f"{P}:20:9: error[contradictory-applies-when] item 'compare-outputs' can never apply: the practice needs target onnx-runtime and the item needs tflite; an item's 'applies_when' may only narrow its practice's.",
        "Make the item's conditions a subset of the practice's, or move the item to a practice that applies.",
    ),
    Code(
        "duplicate-essential",
        E,
        "rules",
        "A scenario lists the same item twice in 'essential'.",
        f"{SC}:14:5: error[duplicate-essential] essential item 'pin-environment/pin-versions' is listed twice.",
        "Remove the second occurrence.",
    ),
    Code(
        "unknown-item",
        E,
        "rules",
        "A scenario's 'essential' list names an item uid ('practice/item') that does not exist.",
        f"{SC}:14:5: error[unknown-item] essential item 'pin-environment/pin-version' does not exist. Did you mean 'pin-environment/pin-versions'?",
        "Correct the uid; uids are '<practice-id>/<item-id>'.",
    ),
    Code(
        "essential-not-selected",
        E,
        "rules",
        "A scenario marks as essential an item that its own selection never receives (excluded practice, or applicability that rules it out).",
        f"{SC}:14:5: error[essential-not-selected] essential item 'overfit-a-single-batch/run-single-batch-overfit' is not in this scenario's checklist (the item applies only when the port trains); drop it from 'essential' or change the scenario's filters.",
        "Drop the item from 'essential', or change the scenario's context, include or exclude.",
    ),
    Code(
        "invalid-order",
        E,
        "rules",
        "A scenario's 'order' does not list every workflow stage exactly once.",
        f"{SC}:20:3: error[invalid-order] 'order' must list every stage exactly once; missing: release.",
        "List every stage id once, in the order the scenario walks through them.",
    ),
    Code(
        "include-and-exclude",
        E,
        "rules",
        "A scenario lists the same practice in 'include' and 'exclude'; 'exclude' wins, so the include is lost.",
        f"{SC}:13:12: error[include-and-exclude] practice 'measure-on-target-hardware' is in both 'include' and 'exclude', so the include has no effect; keep it in one of them.",
        "Keep the practice in one of the two lists.",
    ),
    Code(
        "inapplicable-include",
        W,
        "rules",
        "A scenario includes a practice whose applicability excludes the scenario, so the include has no effect.",
        f"{SC}:12:5: warning[inapplicable-include] practice 'measure-on-target-hardware' applies only to hardware mobile, edge, so this scenario never receives it although it is included; drop it from 'include' or correct its 'applies_when'.",
        "Drop it from 'include', or correct the practice's 'applies_when'.",
    ),
    Code(
        "figure-drift",
        E,
        "data",
        "A figure's count or total differs from what its recompute query gives on the study data in kb/data/.",
        f"{D}:12:5: error[figure-drift] figure 'environment defects caused by API defects' says 72 of 157, but kb/data/cv-reengineering-defects.csv gives 73 of 157 for its recompute query; correct 'count' and 'total', or the query.",
        "Correct 'count' and 'total' to what the data gives, or fix the query if it selects the wrong rows.",
    ),
    Code(
        "figure-cite-mismatch",
        E,
        "data",
        "A recomputed figure cites a different study than the one its data set comes from.",
        f"{D}:14:5: error[figure-cite-mismatch] figure cites 'jajal2024onnx' but its data set 'cv-reengineering-defects' comes from 'jiang2024reengineering'; cite the study whose data it is.",
        "Cite the study named in the data set's provenance file.",
    ),
    Code(
        "unknown-dataset",
        E,
        "data",
        "A figure or case query names a data set that is not in kb/data/.",
        f"{D}:15:16: error[unknown-dataset] data set 'cv-defects' is not in kb/data/; add cv-defects.csv with its provenance cv-defects.yaml.",
        "Use the name of a data set in kb/data/ (the CSV file name without '.csv').",
    ),
    Code(
        "unknown-data-column",
        E,
        "data",
        "A query names a column the data set does not have.",
        f"{D}:17:9: error[unknown-data-column] 'cv-reengineering-defects' has no column 'Root Cause'. Did you mean 'Root Causes'?",
        "Use a column from the data set's header (listed in its provenance file).",
    ),
    Code(
        "unknown-data-value",
        E,
        "data",
        "A query asks for a value that no row of the data set has in that column.",
        f"{D}:17:9: error[unknown-data-value] no row of 'cv-reengineering-defects' has 'Root Causes' = 'API defect'. Did you mean 'API defects'?",
        "Use a value that occurs in that column (spelling and case as in the data).",
    ),
    Code(
        "cases-miss-subtype",
        E,
        "data",
        "A parent defect type's 'cases' query leaves out cases that one of its sub-types lists, so the parent page would show fewer cases than its children.",
        f"{D}:40:3: error[cases-miss-subtype] 'cases' leaves out 3 case(s) of sub-type 'api-defects'; a parent type's query must select every case of its sub-types.",
        "Widen the parent's query so it covers every sub-type's rows, or remove it (the parent then lists its sub-types' cases).",
    ),
    Code(
        "cases-select-nothing",
        E,
        "data",
        "A defect type's 'cases' query matches no row of its data set, so its page would list no real cases.",
        f"{D}:20:3: error[cases-select-nothing] 'cases' selects no row of 'cv-reengineering-defects'; the conditions together match nothing.",
        "Loosen or correct the conditions so they select the defect type's rows.",
    ),
    Code(
        "study-data-mismatch",
        E,
        "data",
        "A scope record in kb/studies.yaml computes its scope from a data set that belongs to another study.",
        "kb/studies.yaml:4:3: error[study-data-mismatch] data set 'onnx-converter-failures' comes from 'jajal2024onnx', not from 'jiang2024reengineering'.",
        "Point the record at the data set of the same study, or drop the data set reference.",
    ),
    Code(
        "ungrouped-data-value",
        E,
        "data",
        "A scope record groups framework values for its shares, and some value of the data is in no group, so the shares would not add up.",
        "kb/studies.yaml:9:5: error[ungrouped-data-value] framework values ['lua torch'] of 'cv-reengineering-defects' are in no group of 'framework_groups'; add them to a group so the shares add up.",
        "Add every framework value of the data to one group.",
    ),
    Code(
        "data-too-large",
        E,
        "data",
        "A study data file is larger than the limit.",
        "kb/data/cv-reengineering-defects.csv: error[data-too-large] data file is 6000000 bytes; the limit is 5000000.",
        "Keep only the coded columns; split a larger data set.",
    ),
    Code(
        "malformed-data",
        E,
        "data",
        "A study data file cannot be read as a CSV table (NUL byte, bad quoting, not UTF-8, a header with blank or repeated names, too many rows or columns).",
        "kb/data/cv-reengineering-defects.csv: error[malformed-data] data file contains a NUL byte.",
        "Save the file as plain UTF-8 CSV with one header row of unique names.",
    ),
    Code(
        "malformed-row",
        E,
        "data",
        "A row of a study data file has a different number of fields than the header.",
        "kb/data/cv-reengineering-defects.csv:40:1: error[malformed-row] row has 11 fields; the header has 12.",
        "Fix the row's quoting or add the missing field.",
    ),
    Code(
        "data-columns-differ",
        E,
        "data",
        "The CSV header and the columns described in its provenance file differ.",
        "kb/data/cv-reengineering-defects.csv:1:1: error[data-columns-differ] the CSV header [...] differs from the columns in kb/data/cv-reengineering-defects.yaml [...]; describe every column, in the CSV's order.",
        "Describe every column of the CSV in the provenance file, in the CSV's order.",
    ),
    Code(
        "data-row-count",
        E,
        "data",
        "The row count stated in the provenance file differs from the CSV's.",
        "kb/data/cv-reengineering-defects.yaml:1:1: error[data-row-count] kb/data/cv-reengineering-defects.yaml says 348 rows, but kb/data/cv-reengineering-defects.csv has 347.",
        "Restore the missing rows, or correct 'rows' if the data set changed on purpose (and say why in the provenance).",
    ),
    Code(
        "missing-data",
        E,
        "data",
        "A provenance file in kb/data/ has no CSV beside it.",
        "kb/data/onnx-converter-failures.yaml: error[missing-data] provenance file without data: kb/data/onnx-converter-failures.csv is missing.",
        "Add the CSV, or remove the provenance file.",
    ),
    Code(
        "missing-provenance",
        E,
        "data",
        "A CSV in kb/data/ has no provenance file, so nobody can tell where its facts come from.",
        "kb/data/onnx-converter-failures.csv: error[missing-provenance] data set 'onnx-converter-failures' has no provenance file; add kb/data/onnx-converter-failures.yaml (source repository, commit, licence, citation, columns).",
        "Add NAME.yaml with the source repository, commit, licence status, citation key and column descriptions.",
    ),
    Code(
        "duplicate-item-text",
        W,
        "lint",
        "Two practices hold checklist items with the same text; both reach checklists, which reads as a duplicate.",
        f"{P}:14:5: warning[duplicate-item-text] checklist item 'pin-versions' has the same text as read-the-reference-code/note-versions; both reach checklists, so reword one to say what differs, or drop one.",
        "Reword one item to say what differs, or drop one.",
    ),
    Code(
        "item-without-how",
        W,
        "lint",
        "A checklist item does not say how it is done (tool, API or command).",
        f"{P}:13:5: warning[item-without-how] checklist item 'pin-versions' has no 'how'; name the tool, API or command (code in backticks) someone uses to do it.",
        "Add 'how' with the command, API or tool, in backticks.",
    ),
    Code(
        "item-without-done-when",
        W,
        "lint",
        "A checklist item does not say when it is done.",
        f"{P}:13:5: warning[item-without-done-when] checklist item 'pin-versions' has no 'done_when'; say which artefact or threshold (with its source or 'rule of thumb:') shows it is done.",
        "Add 'done_when' naming the artefact or the threshold, with its source or a 'rule of thumb:' label.",
    ),
    Code(
        "scenario-without-essential",
        W,
        "lint",
        "A scenario has no essential list of its own, so its short list is ranked from item severity and practice importance.",
        f"{SC}:1:1: warning[scenario-without-essential] scenario has no 'essential' list, so its short list is ranked from item severity and practice importance; list the item ids ('practice/item') behind this kind of port's most common failures.",
        "List up to 25 item uids behind this kind of port's most common failures.",
    ),
    Code(
        "effect-without-basis",
        W,
        "lint",
        "A practice claims an effect (addresses, prevents, detects) with a bare id: no reason and no evidence or judgement mark.",
        f"{P}:6:14: warning[effect-without-basis] 'addresses' lists 'under-documented-reference-model' as a bare id; write it as a mapping with 'id: under-documented-reference-model', 'why' (one line) and 'evidence: [key]' or 'judgement: true'.",
        "Write the relation as a mapping with 'id', 'why' and 'evidence' or 'judgement: true'.",
    ),
    Code(
        "importance-without-basis",
        W,
        "lint",
        "A practice's importance has no stated reason and basis.",
        f"{P}:8:13: warning[importance-without-basis] importance 'essential' has no 'importance_basis'; add one with 'why' (one line) and 'evidence: [key]' or 'judgement: true'.",
        "Add 'importance_basis' with 'why' and 'evidence' or 'judgement: true'.",
    ),
    Code(
        "evidence-without-locator",
        W,
        "lint",
        "An evidence item does not say where in the source its claim is.",
        f"{P}:30:5: warning[evidence-without-locator] evidence 'doe2024study' has no 'locator'; say where in the source it is (section, table, figure or transcript line; 'data set, recomputed' for a number recomputed from study data).",
        "Add 'locator' (section, table, figure, transcript and line).",
    ),
    Code(
        "unsourced-number",
        W,
        "lint",
        "A step or checklist item asks the reader to use a number without a source or a rule-of-thumb label.",
        f"{P}:12:5: warning[unsourced-number] 'steps[1]' asks for 1e-5 without a source; name a BibTeX key in the same text, e.g. '(key, Table 3)', or label it '(rule of thumb: <why this value>)'.",
        "Cite a BibTeX key with its locator in the same text, or label the value '(rule of thumb: <reason>)'.",
    ),
    Code(
        "efficacy-claim",
        W,
        "lint",
        "Text claims an effect ('prevents', 'catches', 'guarantees') that none of the practice's relations backs with evidence.",
        f"{P}:4:3: warning[efficacy-claim] 'summary' says 'prevents', but no prevents of this practice has evidence; add evidence to the relation or say what the practice does without claiming the effect.",
        "Add evidence to the relation, or describe what the practice does without claiming the effect.",
    ),
    Code(
        "not-reviewed",
        W,
        "lint",
        "An entry has no review date, or was last checked against its sources more than 18 months ago (reported under lint --strict).",
        f"{P}:1:1: warning[not-reviewed] entry has no 'reviewed' date; check it against its sources, then add 'reviewed: 2026-11-27'.",
        "Check the entry against its sources, then set 'reviewed' to today's date.",
    ),
    Code(
        "study-without-scope",
        W,
        "lint",
        "A study cited by a figure or by evidence that is not documentation has no scope record (domain, years, "
        "frameworks, sample, method), so readers cannot weigh its figures. Keys cited only as documentation need none.",
        "kb/references.bib:12:1: warning[study-without-scope] 'doe2024study' is cited but has no scope record; add it to kb/studies.yaml with its domain, method, years, frameworks and sample (or the data set to compute them from).",
        "Add a record to kb/studies.yaml.",
    ),
    # ------------------------------------------------------------------- fmt
    Code(
        "not-canonical",
        E,
        "fmt",
        "The file is valid but not in the canonical form (key order, quoting, wrapping) that keeps diffs small.",
        f"{P}:9:1: error[not-canonical] file is not in canonical form (first difference here); run "
        f"'python -m generator fmt {P}'.",
        "Run 'python -m generator fmt FILE' (it keeps comments).",
    ),
    Code(
        "format-failed",
        E,
        "fmt",
        "The formatter could not rewrite the file safely, so it left it unchanged.",
        f"{P}:1:1: error[format-failed] internal: formatting would lose a comment; file left unchanged.",
        "Move the comment the formatter cannot keep (e.g. inside a flow list) to its own line, then run fmt again.",
    ),
    # ------------------------------------------------------------------ hardening (issue 12)
    Code(
        "link-in-kb",
        E,
        "read",
        "A file or folder in kb/ is a symbolic link (or a hard link): it could lead outside the repository, "
        "so it is never read, written or followed.",
        "kb/practices/evil.yaml: error[link-in-kb] file is a symbolic link; the knowledge base holds regular "
        "files only (a link can lead outside the repository). Replace the link with the file itself.",
        "Replace the link with the file (or folder) itself.",
    ),
    Code(
        "not-a-file",
        E,
        "read",
        "An entry in kb/ is neither a file nor a folder (a named pipe, a socket, a device); it is not read.",
        "kb/practices/pipe.yaml: error[not-a-file] this is not a regular file (a pipe, socket or device); "
        "it is not read.",
        "Remove it; the knowledge base holds regular files only.",
    ),
    Code(
        "unreadable",
        E,
        "read",
        "A file in kb/ cannot be opened (permissions, or it vanished while being read).",
        f"{P}: error[unreadable] file cannot be read: Permission denied.",
        "Make the file readable, or remove it.",
    ),
    Code(
        "too-many-files",
        E,
        "read",
        "The KB folder holds more than 20,000 files; the rest are not read.",
        "kb/practices/x-20001.yaml: error[too-many-files] more than 20,000 files; not read.",
        "Remove files that do not belong in the knowledge base.",
    ),
    Code(
        "line-separator",
        E,
        "read",
        "A raw line or paragraph separator, NEL or lone carriage return: YAML reads it as a line break, "
        "editors do not, so every line number after it would be off.",
        f"{P}:4:21: error[line-separator] raw U+2028 LINE SEPARATOR in the text: YAML reads it as a line break, "
        "editors do not. Remove it (or, if it belongs in a value, write it as an escape in a double-quoted string).",
        "Delete the character (it is invisible in most editors), or write it as an escape such as \\u2028.",
    ),
    Code(
        "invalid-character",
        E,
        "read",
        "A string holds a lone surrogate escape (\\ud800 to \\udfff): not a character, and not storable as UTF-8.",
        f"{P}:3:8: error[invalid-character] the escape \\ud800 is a lone surrogate, not a character; no file can "
        "store it as UTF-8. Write the character itself, or a pair of escapes for it.",
        "Write the character itself instead of its escapes.",
    ),
    Code(
        "too-long",
        E,
        "read",
        "A key or string is longer than 20,000 characters.",
        f"{P}:18:7: error[too-long] a string of 30,000 characters; the limit is 20,000. Shorten it.",
        "Shorten it; long material belongs in the sources, cited.",
    ),
    Code(
        "too-many-items",
        E,
        "read",
        "A list has more than 500 items, or a mapping more than 500 keys.",
        f"{P}:6:12: error[too-many-items] more than 500 items in this list; shorten it or split the entry.",
        "Shorten the list (a repeated id is a mistake), or split the entry.",
    ),
    Code(
        "bibtex-macro",
        E,
        "bibtex",
        "A BibTeX value uses an @string macro that is undefined or defined by itself, or cannot be read; "
        "it would otherwise be shown as text.",
        f"{B}:4:1: error[bibtex-macro] field 'journal' of 'doe2024study': undefined macro 'jexamples'; "
        "define it with @string or write the value in braces.",
        "Define the macro with @string before use, or write the value out in braces.",
    ),
    Code(
        "reserved-id",
        E,
        "rules",
        "An id or alias is a device name no file may have on Windows (con, nul, com1...) or the name of a page "
        "or folder the site generates (index, tags, downloads...): its page would collide.",
        "kb/practices/index.yaml:2:1: error[reserved-id] id 'index' is the name of a page or folder the site "
        "generates (the index page of every folder); its page would collide with it. Choose another id.",
        "Choose another id (and rename the file), or another alias.",
    ),
    Code(
        "duplicate-reference",
        E,
        "rules",
        "A relation lists the same target twice.",
        f"{P}:6:31: error[duplicate-reference] 'conceptual-reuse' is listed twice in 'paradigms' "
        "(first at item 0); list it once.",
        "Remove the repeat.",
    ),
    Code(
        "duplicate-term",
        E,
        "schema",
        "The vocabulary defines one term id in two groups (say hardware and topics); tags and filters name "
        "a term by its id alone, so one definition would silently replace the other.",
        "kb/vocabulary.yaml:31:3: error[duplicate-term] term 'cpu' is defined in both 'hardware' and 'topics'; a tag names one term, so one of the two labels would be lost. Keep it in one group.",
        "Keep the term in one group (rename one if they mean different things).",
    ),
    Code(
        "duplicate-item",
        E,
        "rules",
        "A list of text (tags, aliases, steps, URLs) holds the same item twice.",
        f"{P}:18:17: error[duplicate-item] 'testing' appears twice in 'tags' (first at item 0); keep one.",
        "Remove the repeat.",
    ),
    Code(
        "self-replacement",
        E,
        "rules",
        "A deprecated entry names itself in 'replaced_by'.",
        f"{P}:19:1: error[self-replacement] 'read-the-reference-code' is replaced by itself; name the entry "
        "that replaces it, or drop 'replaced_by'.",
        "Name the entry that replaces it, or drop 'replaced_by'.",
    ),
    Code(
        "replacement-cycle",
        E,
        "rules",
        "Following 'replaced_by' from entry to entry comes back to the start: no current entry is named.",
        f"{P}:19:1: error[replacement-cycle] 'replaced_by' goes round in a circle (a -> b -> a); one of them "
        "must be the current entry.",
        "Point 'replaced_by' at the current entry and drop it from that one.",
    ),
    Code(
        "outside-kb",
        E,
        "fmt",
        "The fmt command was asked to format a path outside the knowledge base (or to write through a link); "
        "it reads and writes KB entries only.",
        "kb/../outside/x.yaml: error[outside-kb] path is outside the knowledge base 'kb'; fmt rewrites KB "
        "entries only (not read).",
        "Name files inside the KB folder given with --kb.",
    ),
)

#: The registry: every code by name.
REGISTRY: dict[str, Code] = {c.code: c for c in CODES}
