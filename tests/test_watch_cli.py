"""`evidence watch` end to end, offline: recorded replies (tests/fixtures/watch/replies-*.json),
every exit code, no traceback, no file over a file, and no network code in check or build."""

from __future__ import annotations

import json
import subprocess
import sys

import pytest

from build_tools import cli
from build_tools.paths import ROOT
from build_tools.records.yamlio import load_text
from build_tools.watch import http
from tests.watch_support import FIXTURES, no_network  # noqa: F401 (autouse)

WINDOW = ["--since", "2027-01-04", "--today", "2027-01-11"]


@pytest.fixture(autouse=True)
def no_waiting(monkeypatch: pytest.MonkeyPatch) -> list[float]:
    """Waits are recorded, not slept; no address or key from the environment leaks in."""
    waited: list[float] = []
    monkeypatch.setattr(http, "pause", waited.append)
    monkeypatch.delenv("EVIDENCE_WATCH_EMAIL", raising=False)
    monkeypatch.delenv("NCBI_API_KEY", raising=False)
    return waited


def watch(capsys, *args: str) -> tuple[int, str, str]:
    """Run `evidence watch` in process: exit code, stdout, stderr."""
    code = cli.main(["watch", "--queries", str(FIXTURES / "queries.yaml"), *args])
    out, err = capsys.readouterr()
    assert "Traceback" not in out + err
    return code, out, err


def replay(name: str) -> list[str]:
    """The options that answer from one recorded-replies file."""
    return ["--replay", str(FIXTURES / f"replies-{name}.json")]


def test_new_records_become_a_draft_and_the_screened_ones_are_left_out(capsys, tmp_path):
    out_file, summary = tmp_path / "watch-2027-01-11.yaml", tmp_path / "summary.md"
    code, out, err = watch(capsys, *replay("ok"), *WINDOW, "--out", str(out_file),
                           "--summary", str(summary))
    assert (code, err) == (0, "")
    assert "7 distinct records returned: 3 already screened or in the base, 4 new" in out
    assert f"Draft written: {out_file} (4 candidates to screen)" in out
    data = load_text(out_file.read_bytes()).data
    assert [c["url"].rsplit("/", 2)[-2 if c["url"].endswith("/") else -1]
            for c in data["candidates"]] == ["41000001", "41000004", "NCT09999991", "NCT09999992"]
    assert all("decision" not in c for c in data["candidates"])
    assert "DOI 10.1016/J.PAIN.2009.06.023 is in study sigtermans-2009" in data["notes"]
    assert "its title matches study schwartzman-2009" in data["notes"]
    body = summary.read_text()
    assert "**4 new candidates**" in body and "\\(Pain Med; PMID 41000001\\)" in body


def test_the_same_path_is_never_written_twice(capsys, tmp_path):
    out_file = tmp_path / "watch-x.yaml"
    out_file.write_text("screened by a person\n")
    code, _, err = watch(capsys, *replay("ok"), *WINDOW, "--out", str(out_file))
    assert code == 2 and "the file exists; the watch never overwrites a record" in err
    assert out_file.read_text() == "screened by a person\n"


def test_a_rate_limit_is_waited_out_and_the_run_succeeds(capsys, tmp_path, no_waiting):
    code, out, _ = watch(capsys, *replay("rate-limit"), *WINDOW, "--out",
                         str(tmp_path / "w.yaml"))
    assert code == 0 and "(2 query families, 5 requests)" in out
    assert 0.0 not in no_waiting and (tmp_path / "w.yaml").exists()  # Retry-After: 0


def test_nothing_new_writes_nothing(capsys, tmp_path):
    code, out, _ = watch(capsys, *replay("empty"), *WINDOW, "--out", str(tmp_path / "w.yaml"),
                         "--summary", str(tmp_path / "s.md"))
    assert code == 0 and "Nothing new since the last search: no draft written." in out
    assert not (tmp_path / "w.yaml").exists() and "No new candidates." in (
        tmp_path / "s.md").read_text()


def test_a_service_that_fails_means_exit_1_and_no_draft(capsys, tmp_path, no_waiting):
    code, _, err = watch(capsys, *replay("registry-down"), *WINDOW, "--out",
                         str(tmp_path / "w.yaml"))
    assert code == 1 and not (tmp_path / "w.yaml").exists()
    assert "ClinicalTrials.gov, family registry: HTTP 503 after 4 tries" in err
    assert "nothing written; the next run asks for the same window again" in err
    assert [w for w in no_waiting if w >= 2] == [2.0, 4.0, 8.0]  # bounded backoff, not slept


def test_an_unrecorded_request_is_a_failure_not_a_network_call(capsys, tmp_path):
    replies = json.loads((FIXTURES / "replies-ok.json").read_text())
    partial = tmp_path / "partial.json"
    partial.write_text(json.dumps({k: [{"status": 200, "body": (FIXTURES / v[0]["body_file"])
                                        .read_text()}] for k, v in replies.items()
                                   if "eutils" in k}))
    code, _, err = watch(capsys, "--replay", str(partial), *WINDOW, "--dry-run")
    assert code == 1 and "network error (no recorded reply for https://clinicaltrials.gov" in err


def test_record_then_replay_gives_the_same_draft(capsys, tmp_path):
    recorded = tmp_path / "recorded.json"
    first, second = tmp_path / "a-1.yaml", tmp_path / "a-2.yaml"
    assert watch(capsys, *replay("ok"), *WINDOW, "--out", str(first), "--record",
                 str(recorded))[0] == 0
    assert watch(capsys, "--replay", str(recorded), *WINDOW, "--out", str(second))[0] == 0
    assert first.read_text().replace("a-1", "a-2") == second.read_text()


@pytest.mark.parametrize(("args", "message"), [
    (["--since", "2027-02-01", "--today", "2027-01-11"], "the window starts (2027-02-01) after"),
    (["--since", "2027-13-01"], "--since must be a date as YYYY-MM-DD, not '2027-13-01'"),
    (["--today", "soon"], "--today must be a date as YYYY-MM-DD"),
    (["--timeout", "0"], "--timeout must be a positive number of seconds"),
    (["--out", "x/Bad Name.yaml"], "a search record's file name is its id"),
])
def test_bad_options_are_usage_errors(capsys, args, message):
    code, _, err = watch(capsys, *replay("ok"), *args)
    assert code == 2 and message in err


def test_ncbi_gets_a_contact_address_or_nothing_is_asked(capsys):
    code, _, err = watch(capsys, *WINDOW, "--dry-run")  # not a replay: it would go online
    assert code == 2 and "give --email or set $EVIDENCE_WATCH_EMAIL" in err


def test_bad_input_files_are_usage_errors_with_positions(capsys, tmp_path):
    bad = tmp_path / "replies.json"
    bad.write_text("{not json")
    code, _, err = watch(capsys, "--replay", str(bad), *WINDOW, "--dry-run")
    assert code == 2 and "cannot read the recorded replies" in err
    queries = tmp_path / "q.yaml"
    queries.write_text("families:\n  - id: x\n")
    code = cli.main(["watch", *replay("ok"), "--queries", str(queries), *WINDOW])
    assert code == 2 and f"{queries}:2:5: family x has neither" in capsys.readouterr().err


def test_help_documents_the_exit_codes(capsys):
    with pytest.raises(SystemExit):
        cli.main(["watch", "--help"])
    out = capsys.readouterr().out
    assert all(f"\n  {n}  " in out for n in "0123")


def test_check_and_build_never_load_the_network_modules():
    script = ("import sys\nfrom build_tools.cli import build_parser, main\nbuild_parser()\n"
              "main(['check', 'evidence/studies/sigtermans-2009.yaml'])\n"
              "from build_tools import pipeline\n"
              "print(sorted(m for m in sys.modules if m.startswith('build_tools.watch')))\n")
    done = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True,
                          cwd=ROOT, timeout=120)
    assert done.stdout.strip().splitlines()[-1] == "[]", done.stderr
