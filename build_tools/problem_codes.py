"""The catalogue of problem codes: each stable code with its severity, title, explanation and
hint template (the reference page and every checker's message read it)."""

from __future__ import annotations

from typing import NamedTuple


class Code(NamedTuple):
    """One catalogue entry: a stable code with its title, explanation and hint template."""

    severity: str
    title: str
    description: str
    hint: str


# The one catalogue. Codes never change meaning; retired codes are never reused.
# Hints are str.format templates filled from the keyword arguments given to `problem()`.
CODES: dict[str, Code] = {
    # E1xx: reading the file and the YAML itself
    "E100": Code("error", "File cannot be read",
                 "The file could not be opened or is not a regular file inside the repository.",
                 "{detail}"),
    "E101": Code("error", "YAML syntax error",
                 "The YAML parser stopped here. Often an unclosed quote or bracket, a colon inside "
                 "an unquoted value, or wrong indentation.",
                 "{detail}"),
    "E102": Code("error", "Not UTF-8",
                 "Records must be UTF-8 text. The byte here is not valid UTF-8.",
                 "re-save the file as UTF-8 (in most editors: 'Save with encoding' > UTF-8)"),
    "E103": Code("error", "Byte-order mark",
                 "The file starts with an invisible byte-order mark (U+FEFF).",
                 "re-save as 'UTF-8' rather than 'UTF-8 with BOM'"),
    "E104": Code("error", "Tab in indentation",
                 "YAML indentation must use spaces; a tab character was found.",
                 "replace the tab with spaces (two per level)"),
    "E105": Code("error", "Duplicate key",
                 "The same key appears twice in one mapping; YAML would silently keep only the last.",
                 "remove or rename one of them; the first '{key}' is at line {first_line}"),
    "E106": Code("error", "Anchor or alias",
                 "Anchors (&name) and aliases (*name) are not allowed: every value must be written "
                 "where it is used, so reviewers see it in the diff.",
                 "write the value out in full"),
    "E107": Code("error", "Tag not allowed",
                 "YAML tags (!!python/..., !custom) are refused; records are plain data.",
                 "remove the tag '{tag}'"),
    "E108": Code("error", "More than one document",
                 "A record file holds exactly one YAML document; a second '---' starts another.",
                 "remove the second document or split it into its own file"),
    "E109": Code("error", "Empty file",
                 "The file holds no data.",
                 "start from a template: evidence new study|claim|source ID"),
    "E110": Code("error", "File too large",
                 "Records are limited in size so that a check stays fast and bounded.",
                 "a record should be far below {limit} bytes; split it or remove pasted text"),
    "E111": Code("error", "Control character",
                 "The file contains a NUL or another control character, typed or as a YAML escape "
                 "(\\0, \\e, \\a, \\r...).",
                 "delete the invisible character (often pasted from a PDF) or the escape"),
    "E112": Code("error", "Nesting too deep",
                 "Values are nested deeper than any record needs.",
                 "records nest at most {limit} levels"),
    "E113": Code("error", "Not a mapping",
                 "The top level of a record must be a mapping of field: value lines.",
                 "start from a template: evidence new study|claim|source ID"),
    "E114": Code("error", "Key is not text",
                 "Mapping keys must be plain field names.",
                 "use a field name from the schema"),
    "E115": Code("error", "Number not representable",
                 "The number is not finite, or has more digits (over 18) than any record needs.",
                 "write an ordinary decimal number"),
    "E116": Code("error", "Text-direction control",
                 "A bidirectional override, embedding or isolate (U+202A-U+202E, U+2066-U+2069) "
                 "shows text in another order than it is stored; right-to-left names need none.",
                 "delete the invisible character (or its escape)"),
    # E2xx: the record against its JSON Schema
    "E201": Code("error", "Unknown field",
                 "The field is not part of the schema (a typo, or a field of another record kind).",
                 "{hint}"),
    "E202": Code("error", "Missing field",
                 "A required field is absent.",
                 "add '{field}' ({title})"),
    "E203": Code("error", "Value not allowed",
                 "The value is not one of the allowed values.",
                 "{hint}"),
    "E204": Code("error", "Wrong type",
                 "The value has the wrong type (text, number, list, mapping, true/false).",
                 "{hint}"),
    "E205": Code("error", "Wrong format",
                 "The value does not match the required format (DOI, PMID, URL, date, id...).",
                 "{hint}"),
    "E206": Code("error", "Out of range",
                 "The number is outside the allowed range.",
                 "{hint}"),
    "E207": Code("error", "Too short or too long",
                 "The text or list is shorter or longer than allowed.",
                 "{hint}"),
    "E208": Code("error", "Repeated item",
                 "A list that must hold distinct items repeats one.",
                 "remove the repeated item"),
    "E209": Code("error", "Invalid combination",
                 "The fields given do not fit together (for example an author with both a family "
                 "name and a group name).",
                 "{hint}"),
    # E3xx: checks across records
    "E301": Code("error", "Broken link",
                 "A reference to another record (or to an outcome or critique inside one) does not "
                 "resolve.",
                 "{hint}"),
    "E302": Code("error", "Duplicate id",
                 "Two records of the same kind share an id.",
                 "ids are unique per kind; the other is {other}"),
    "E303": Code("error", "Id does not match file name",
                 "The id field must equal the file name without .yaml, so links and URLs are stable.",
                 "rename the file to {expected}.yaml or set id: {stem}"),
    "E304": Code("error", "Schema modeline missing or wrong",
                 "The first line tells editors which schema applies, for completion and hover help.",
                 "make the first line exactly: {modeline}"),
    "E305": Code("error", "Unknown provenance key",
                 "cite.from must name the key of an entry in this record's verified_from list.",
                 "{hint}"),
    "E306": Code("error", "Duplicate id inside the record",
                 "Outcome and critique ids must be unique within a study.",
                 "rename one; the first is item {first_index} of the list"),
    "E307": Code("error", "File in an unknown place",
                 "Records live in evidence/studies, evidence/claims, evidence/sources or "
                 "evidence/search, as .yaml files.",
                 "move it to the folder of its kind"),
    "E308": Code("error", "Record-check block mismatch",
                 "Attribution and critique claims are checked against the study records and need "
                 "an attribution block; practice claims may have one; effect claims must not.",
                 "{hint}"),
    "E309": Code("error", "Field both given and not reported",
                 "A field is listed in not_reported but the record gives it.",
                 "remove '{field}' from not_reported, or remove the value"),
    "E311": Code("error", "Symlink outside the repository",
                 "A record file, or a folder on its way, links outside the repository: not read.",
                 "replace the link with the file or folder itself"),
    "E312": Code("error", "Link cannot test the claim",
                 "A link marked role: tests must be able to test the claim's question: a "
                 "comparison needs a head-to-head or within-study comparison, a mechanism an "
                 "outcome that measures its marker, an effect an outcome in the claim's domain "
                 "(another domain is at best indirect). Harms and benefits never test or inform "
                 "each other, even as context.",
                 "{hint}"),
    "E313": Code("error", "Non-significant result read as a refutation",
                 "A result with no significant difference does not refute a claim (absence of "
                 "evidence is not evidence of absence) unless its estimate is precise enough to "
                 "rule the claimed effect out.",
                 "{hint}"),
    "E314": Code("error", "Same publication recorded twice",
                 "Two studies give the same DOI (in any case) or PMID: one publication, one record.",
                 "merge the two records, or correct the identifier; the other is {other}"),
    "E315": Code("error", "Template placeholder left",
                 "A value still holds the template's TODO; it would be published and cited so.",
                 "{hint}"),
    "E316": Code("error", "Symbolic link where the site is made",
                 "A link in docs/ or overrides/ would publish what it points at; one where a "
                 "command writes would send its files elsewhere. Checks and writers refuse it.",
                 "replace the link with a real file, or delete it (generated folders are rebuilt)"),
    "E317": Code("error", "Effect numbers that cannot all be true",
                 "More events than people, a percentage outside 0-100 or at odds with its counts, "
                 "an interval reversed or leaving out its estimate, a ratio at or below zero, or "
                 "two results on the same side of the comparison.",
                 "{hint}"),
    # E4xx: importing bibliographic files (evidence import-bib)
    "E401": Code("error", "BibTeX syntax error",
                 "The BibTeX parser could not read an entry here: often an unclosed brace or quote, "
                 "a missing comma between fields, or a field given twice.",
                 "{detail}"),
    "E402": Code("error", "BibTeX entry cannot become a study",
                 "A study stub needs a title, at least one author and a four-digit year, and "
                 "identifiers in their standard form; the entry lacks one or gives it in a form "
                 "that cannot be read.",
                 "{hint}"),
    "E403": Code("error", "BibTeX file too large",
                 "A BibTeX file given to import-bib is limited in bytes and entries, so an import "
                 "stays fast and bounded.",
                 "split the export into files of at most {limit}"),
    # W5xx: recommendations
    "W501": Code("warning", "Study not used by any claim",
                 "Every study should bear on at least one claim, or say in unlinked_reason why it does not.",
                 "link it from a claim's evidence list, or add unlinked_reason"),
    "W502": Code("warning", "Windows line endings",
                 "The file uses CRLF line endings; the repository uses LF.",
                 "re-save with LF line endings"),
    "W503": Code("warning", "Recommended field neither given nor marked not reported",
                 "Journal articles should give their bibliographic details and design data; when a "
                 "source does not state one, list it in not_reported so readers know it was "
                 "looked for.",
                 "add '{field}' or list it in not_reported"),
    "W504": Code("warning", "Claim without evidence",
                 "A claim links no study and its notes do not say why; its verdict will be 'insufficient "
                 "evidence'.",
                 "link studies in evidence, or explain in notes why none exist"),
    "W505": Code("warning", "Invisible character in a title or name",
                 "A zero-width or other invisible format character (U+200B, U+2060, U+00AD...) "
                 "hides a difference from readers, search and duplicate checks.",
                 "delete it, unless the name's script needs it (joiners in some scripts)"),
}

# Codes that are no longer produced, with what replaced them; never reused.
RETIRED: dict[str, str] = {
    "E310": "a curated rating outside its domain's allowed values is now a schema rule (E203)",
}
