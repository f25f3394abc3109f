"""`evidence import-bib` on hostile and awkward files: no crash, bounded input, good entries kept,
and never a half-written import."""

from __future__ import annotations

import shutil
import tracemalloc
from pathlib import Path

import pytest

from build_tools.cite import bibimport
from build_tools.cite.bibimport import plan_import
from build_tools.cli import main
from tests.hostile_cases import BIB_CASES

TREE = Path(__file__).parent / "fixtures" / "base" / "evidence"


def good(n: int) -> str:
    """A valid six-line entry (and a blank line) whose stub id is goodman-2020."""
    return (f"@article{{good{n},\n  title = {{A good trial number {n}}},\n"
            "  author = {Goodman, A},\n  journal = {Pain},\n  year = {2020},\n}\n\n")


@pytest.fixture()
def evidence(tmp_path: Path) -> Path:
    """A writable copy of the small valid base tree."""
    shutil.copytree(TREE, tmp_path / "evidence")
    return tmp_path / "evidence"


def studies(evidence: Path) -> list[str]:
    """The study files of the tree."""
    return sorted(p.name for p in (evidence / "studies").iterdir())


def run(evidence: Path, text: str, *more: str) -> int:
    """import-bib on a file holding text."""
    bib = evidence.parent / "in.bib"
    bib.write_text(text, encoding="utf-8")
    return main(["import-bib", str(bib), "--evidence-dir", str(evidence), *more])


def test_three_hundred_nested_braces_are_a_positioned_problem(evidence, capsys):
    nested = ("@article{deep,\n  title = {" + "{" * 300 + "x" + "}" * 300 + "},\n"
              "  author = {Deep, A},\n  year = {2020},\n}\n\n")
    assert run(evidence, nested + good(1)) == 1
    err = capsys.readouterr().err
    assert "Traceback" not in err and "in.bib:2:3: error E402" in err and "nested" in err
    assert studies(evidence) == ["alpha-2020.yaml", "goodman-2020.yaml"]


@pytest.mark.parametrize("field", ["year", "month", "volume", "pages"])
def test_a_number_of_five_thousand_digits_is_no_crash(evidence, capsys, field):
    entry = good(1).replace("  year = {2020},\n", "  year = {2020},\n" if field != "year"
                            else "").replace("}\n\n", f"  {field} = {{{'9' * 5000}}},\n}}\n\n")
    code = run(evidence, entry)
    captured = capsys.readouterr()
    assert "Traceback" not in captured.err
    assert all(len(line) < 400 for line in (captured.out + captured.err).splitlines())
    assert code in (0, 1)


def test_a_huge_integer_in_an_existing_record_does_not_stop_the_import(evidence, capsys):
    record = evidence / "studies" / "alpha-2020.yaml"
    record.write_text(record.read_text().replace("year: 2020", "year: " + "9" * 5000))
    assert run(evidence, good(1)) == 0
    assert "Traceback" not in capsys.readouterr().err


def test_a_file_over_the_size_limit_is_refused_unread(evidence, capsys, monkeypatch):
    monkeypatch.setattr(bibimport, "MAX_BYTES", 2_000)
    assert run(evidence, good(1) * 20) == 1
    err = capsys.readouterr().err
    assert "in.bib:1:1: error E403" in err and "2000" in err
    assert studies(evidence) == ["alpha-2020.yaml"]


def test_malformed_entries_do_not_stop_the_good_ones(evidence, capsys):
    bad = "@article{broken,\n  title = {Never closed,\n  author = {Bad, A},\n  year = {2021},\n}\n\n"
    assert run(evidence, good(1) + bad + good(2).replace("Goodman", "Other")) == 1
    captured = capsys.readouterr()
    assert studies(evidence) == ["alpha-2020.yaml", "goodman-2020.yaml", "other-2020.yaml"]
    assert "in.bib:9:3: error E401" in captured.err
    assert "wrote 2 of 3 entries" in captured.out + captured.err
    # bibtexparser's own log line is not printed next to ours
    assert "aborted" not in captured.err and "Parsing of" not in captured.err


def test_a_stub_that_appears_part_way_leaves_nothing_half_written(evidence, capsys,
                                                                  monkeypatch):
    real = bibimport.write_stubs

    def racing(plan):
        (evidence / "studies" / f"{plan.stubs[1].id}.yaml").write_text("# someone else\n")
        return real(plan)

    monkeypatch.setattr("build_tools.commands.import_bib.write_stubs", racing)
    assert run(evidence, good(1) + good(2).replace("Goodman", "Other")) == 1
    err = capsys.readouterr().err
    assert "nothing written" in err or "was not changed" in err
    assert studies(evidence) == ["alpha-2020.yaml", "other-2020.yaml"]
    assert (evidence / "studies" / "other-2020.yaml").read_text() == "# someone else\n"


def test_plan_reports_nested_braces_in_any_field(evidence, tmp_path):
    bib = tmp_path / "x.bib"
    bib.write_text("@article{k, title = {T}, author = {A, B}, year = {2020},\n"
                   "  journal = {" + "{" * 40 + "J" + "}" * 40 + "}}\n", encoding="utf-8")
    plan = plan_import(bib, evidence)
    assert [(p.code, p.line) for p in plan.problems] == [("E402", 2)] and not plan.stubs


def test_terminal_escapes_in_a_bib_file_are_printed_harmlessly(evidence, capsys):
    record = evidence / "studies" / "alpha-2020.yaml"  # title "A trial of something", 2020
    escaped = ("@article{dup\x1b[2J,\n  title = {A trial of something},\n  author = {Alpha, A},\n"
               "  year = {2020},\n}\n\n@article{bad\x1b]0;owned\x07,\n  title = {T},\n"
               "  author = {Beta, B},\n  year = {2021},\n  doi = {\x1b[31m10.1000/x},\n}\n")
    assert record.is_file() and run(evidence, escaped, "--dry-run") == 1
    captured = capsys.readouterr()
    assert "skipped 'dup\\x1b[2J'" in captured.out and "E402" in captured.err
    assert not any(c in captured.out + captured.err for c in "\x1b\x07")


def test_a_file_of_too_many_entries_is_refused_before_parsing(evidence, capsys, monkeypatch):
    monkeypatch.setattr(bibimport, "MAX_ENTRIES", 3)
    monkeypatch.setattr(bibimport, "parse", lambda *a: 1 / 0)  # never reached
    assert run(evidence, "@comment{x}\n" + "".join(good(n) for n in range(4))) == 1
    err = capsys.readouterr().err
    assert "in.bib:1:1: error E403 file has 4 entries, over the 3-entry limit" in err
    assert studies(evidence) == ["alpha-2020.yaml"]


@pytest.mark.parametrize("name", sorted(BIB_CASES))
def test_every_hostile_bib_of_the_corpus_is_handled_in_bounded_memory(tmp_path, name):
    content, code = BIB_CASES[name]
    bib = tmp_path / "in.bib"
    bib.write_text(content() if callable(content) else content, encoding="utf-8")
    tracemalloc.start()
    plan = plan_import(bib, TREE)
    peak = tracemalloc.get_traced_memory()[1]
    tracemalloc.stop()
    codes = {p.code for p in plan.problems}
    assert (code in codes) if code else not codes, plan.problems
    assert peak < 120_000_000, f"peak {peak} bytes"
