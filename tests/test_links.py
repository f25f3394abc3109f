"""`evidence links`, tested offline: recorded responses only, and no socket may be opened."""

from __future__ import annotations

import json
import shutil
import urllib.request
from pathlib import Path

import pytest

from build_tools import cli
from build_tools.check import network as linkcheck
from build_tools.paths import ROOT
from build_tools.problem_codes import CODES
from tests import network_guard

# The autouse guard, bound here so that the tests below can also read its list of attempts.
no_network = network_guard.no_network

BASE = Path(__file__).parent / "fixtures" / "base" / "evidence"
TRIAL = """\
# yaml-language-server: $schema=../schema/study.schema.json
id: gamma-2021
title: A registered trial
authors:
  - family: Gamma
    given: G
year: 2021
ids:
  doi: 10.1000/gone
  pmid: '999'
  registry:
    - NCT00000001
    - NL77785.078.21
publication_type: journal-article
design: rct
summary: A summary.
verified_from:
  - key: abstract
    url: https://example.org/gone
    basis: abstract
  - key: registry
    url: https://example.org/refused
    basis: registry
  - key: page
    url: https://no-such-host.example/page
    basis: web-page
reviewed: 2026-11-22
"""
RESPONSES = {
    "https://doi.org/10.1000/xyz": [302, 403],     # registered; the publisher refuses robots
    "https://pubmed.ncbi.nlm.nih.gov/123/": 200,
    "https://example.org/abstract": [301, 200],
    "https://doi.org/10.1000/gone": 404,
    "https://pubmed.ncbi.nlm.nih.gov/999/": 404,
    "https://clinicaltrials.gov/api/v2/studies/NCT00000001": 404,
    "https://example.org/gone": 410,
    "https://example.org/refused": 403,
    "https://no-such-host.example/page": "host-not-found",
}  # https://example.org/page (the source) is left out on purpose: L106


@pytest.fixture()
def tree(tmp_path: Path) -> Path:
    """A small evidence tree: the valid base records plus one trial with broken identifiers."""
    shutil.copytree(BASE, tmp_path / "evidence")
    shutil.copytree(ROOT / "evidence" / "schema", tmp_path / "evidence" / "schema")
    (tmp_path / "evidence" / "studies" / "gamma-2021.yaml").write_text(TRIAL)
    (tmp_path / "replay.json").write_text(json.dumps(RESPONSES))
    return tmp_path


def links(tree: Path, capsys: pytest.CaptureFixture, *extra: str) -> tuple[int, str]:
    """Run `evidence links` in-process (so the socket stand-ins apply) on the tree."""
    code = cli.main(["links", str(tree / "evidence"), "--replay", str(tree / "replay.json"),
                     *extra])
    return code, capsys.readouterr().out


def test_each_answer_gets_its_code_at_the_identifier(tree, capsys, no_network):
    code, out = links(tree, capsys, "--format", "json")
    report = json.loads(out)
    got = {(Path(p["file"]).name, p["line"], p["col"], p["code"]) for p in report["problems"]}
    assert got == {
        ("gamma-2021.yaml", 9, 8, "L101"),     # doi.org 404
        ("gamma-2021.yaml", 10, 9, "L102"),    # PubMed 404
        ("gamma-2021.yaml", 12, 7, "L103"),    # ClinicalTrials.gov 404 (the NL id is not asked)
        ("gamma-2021.yaml", 19, 10, "L104"),   # 410 Gone
        ("gamma-2021.yaml", 22, 10, "L105"),   # 403: not confirmed, not broken
        ("gamma-2021.yaml", 25, 10, "L104"),   # the host does not exist
        ("web-one.yaml", 5, 6, "L106"),        # no recorded response
    }
    assert code == 1 and report["addresses"] == 10 and report["errors"] == 5
    assert no_network == []


def test_text_report_uses_the_positioned_format_with_hints(tree, capsys):
    _, out = links(tree, capsys)
    lines = out.splitlines()
    first = next(line for line in lines if "L101" in line)
    assert first.endswith("gamma-2021.yaml:9:8: error L101 ids.doi: https://doi.org/10.1000/gone "
                          "answered 404")
    assert lines[lines.index(first) + 1] == "    hint: " + linkcheck.LINK_CODES["L101"].hint
    assert lines[-1] == "10 addresses checked: 5 not found, 2 not confirmed"


def test_github_format_gives_annotations(tree, capsys):
    _, out = links(tree, capsys, "--format", "github")
    assert any(line.startswith("::error file=") and ",line=12,col=7,title=L103 Registry id not "
               "found::" in line for line in out.splitlines())
    assert any(line.startswith("::warning file=") and "L105" in line for line in out.splitlines())


def test_warnings_alone_pass_unless_strict(tree, capsys):
    (tree / "evidence" / "studies" / "gamma-2021.yaml").unlink()
    assert links(tree, capsys)[0] == 0  # only L106 left, a warning
    assert links(tree, capsys, "--strict")[0] == 1


def test_record_writes_a_replay_file_that_gives_the_same_report(tree, capsys):
    recorded = tree / "recorded.json"
    _, first = links(tree, capsys, "--record", str(recorded))
    data = json.loads(recorded.read_text())
    assert data == {url: value for url, value in RESPONSES.items()}  # not-recorded is not written
    (tree / "replay.json").write_text(recorded.read_text())
    assert links(tree, capsys)[1] == first


def test_unreadable_replay_file_and_bad_timeout_exit_2(tree, capsys):
    (tree / "replay.json").write_text("[1, 2]")
    assert links(tree, capsys)[0] == 2
    assert cli.main(["links", "--timeout", "0"]) == 2


def test_live_fetcher_turns_a_failed_connection_into_a_warning(no_network):
    fetch = linkcheck.live_fetcher(timeout=1, interval=0)
    answer = fetch("https://doi.org/10.1000/xyz")
    assert answer.status is None and answer.error and no_network  # the stand-in was reached
    target = linkcheck.Target("doi", "https://doi.org/10.1000/xyz", "ids.doi", "s.yaml", 3, 4)
    assert linkcheck.judge(target, answer).code == "L105"
    no_network.clear()  # these attempts were the point of the test, and were refused


def test_live_fetcher_never_opens_other_schemes(no_network):
    answer = linkcheck.live_fetcher(interval=0)("file:///etc/passwd")
    assert answer.error == "not an http(s) address" and no_network == []


def test_redirects_keep_the_head_method():
    handler = linkcheck._KeepMethodRedirect()
    request = urllib.request.Request("https://doi.org/10.1/x", method="HEAD")
    new = handler.redirect_request(request, None, 302, "Found", {}, "https://example.org/x")
    assert new.get_method() == "HEAD" and new.full_url == "https://example.org/x"


@pytest.mark.parametrize("value, status, error", [
    (200, 200, None), ([302, 404], 404, None), ("timeout", None, "timeout"),
    ([302, 302, "too many redirects"], None, "too many redirects"), (True, None, "bad replay value"),
])
def test_replay_values_round_trip(value, status, error):
    response = linkcheck.Response.from_json(value)
    assert (response.status, response.error) == (status, error)
    if error != "bad replay value":
        assert response.to_json() == value


@pytest.mark.parametrize("code", sorted(linkcheck.LINK_CODES))
def test_link_catalogue_entry_is_documented_and_apart_from_check_codes(code):
    entry = linkcheck.LINK_CODES[code]
    assert code.startswith("L") and code[1:].isdigit() and code not in CODES
    assert entry.severity in ("error", "warning") and entry.title and entry.hint
    assert entry.description.endswith(".")
    assert f"`{code}`" in (ROOT / "CONTRIBUTING.md").read_text(encoding="utf-8")


@pytest.mark.parametrize("kind, answer, code", [
    ("doi", [302, "too many redirects"], None),   # doi.org knew it; the publisher looped
    ("url", [302, "too many redirects"], "L105"),
    ("doi", [302, 404], None),                    # registered DOI, dead landing page: not ours
    ("pmid", "host-not-found", "L105"),           # our network, not the record
    ("url", "timeout", "L105"),
])
def test_judgements_of_redirects_and_failures(kind, answer, code):
    target = linkcheck.Target(kind, "https://x.example/1", "ids.x", "s.yaml", 1, 1)
    problem = linkcheck.judge(target, linkcheck.Response.from_json(answer))
    assert (problem.code if problem else None) == code
