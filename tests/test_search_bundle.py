"""`evidence search-index`: Pagefind's bundle rewritten so the same pages give the same bytes."""

from __future__ import annotations

import json

import pytest

from build_tools.cli import main
from build_tools.site.search_bundle import (
    ENTRY,
    BundleFormatError,
    canonical,
    read_index,
    write_index,
)


def bundle(values: list, filters: list) -> dict[str, bytes]:
    """A minimal Pagefind-shaped bundle: entry, metadata and one filter file per filter."""
    files = {f"filter/{stem}.pf_filter": write_index([name, values]) for name, stem in filters}
    meta = ["1.5.2", [["en_page", 12]], [["a", "z", "en_chunk"]], filters, [], ["kind", "title"]]
    files["pagefind.en_meta.pf_meta"] = write_index(meta)
    files[ENTRY] = json.dumps({"version": "1.5.2", "languages": {"en": {
        "hash": "en_meta", "wasm": "en", "page_count": 3}}}).encode()
    return files


def test_index_files_round_trip():
    value = ["kind", [["Study", [0, 1, 300, 70000]], ["Claim", [2]]], "ünïcode", 2**40]
    assert read_index(write_index(value)) == value
    assert write_index(value) == write_index(value)  # no time stamp in the gzip header


def test_the_same_filters_in_any_order_give_the_same_files():
    one = canonical(bundle([["Study", [0, 1]], ["Claim", [2]]], [["kind", "en_a"], ["design", "en_b"]]))
    two = canonical(bundle([["Claim", [2]], ["Study", [0, 1]]], [["design", "en_c"], ["kind", "en_d"]]))
    assert one.files == two.files
    entry = json.loads(one.files[ENTRY])
    meta = read_index(one.files[f"pagefind.{entry['languages']['en']['hash']}.pf_meta"])
    assert [name for name, _ in meta[3]] == ["design", "kind"]
    for name, stem in meta[3]:
        key, values = read_index(one.files[f"filter/{stem}.pf_filter"])
        assert key == name and values == sorted(values)
    assert "filter/en_a.pf_filter" in one.removed and "pagefind.en_meta.pf_meta" in one.removed


def test_an_unknown_layout_is_refused():
    files = bundle([], [])
    files["pagefind.en_meta.pf_meta"] = write_index(["1.5.2", []])
    with pytest.raises(BundleFormatError):
        canonical(files)


def test_the_command_says_what_is_wrong_with_a_folder_that_is_no_site(tmp_path, capsys):
    assert main(["search-index", str(tmp_path)]) == 1
    err = capsys.readouterr().err
    assert "not a built site" in err and "Traceback" not in err


def test_the_command_never_writes_through_a_planted_link(tmp_path, capsys):
    site, elsewhere = tmp_path / "site", tmp_path / "elsewhere"
    site.mkdir()
    elsewhere.mkdir()
    (site / "index.html").write_text("<!doctype html><title>t</title><main>ketamine</main>")
    (site / "pagefind").symlink_to(elsewhere, target_is_directory=True)
    assert main(["search-index", str(site)]) == 1
    err = capsys.readouterr().err
    assert "symbolic link" in err and "Traceback" not in err, err
    assert list(elsewhere.iterdir()) == []


@pytest.mark.parametrize("folder", ["../outside", "a/b", "..", ""])
def test_the_bundle_folder_is_a_name_inside_the_site_not_a_path(tmp_path, capsys, folder):
    site = tmp_path / "site"
    site.mkdir()
    (site / "index.html").write_text("<!doctype html><title>t</title><main>ketamine</main>")
    assert main(["search-index", str(site), "--folder", folder]) == 1
    err = capsys.readouterr().err
    assert "a folder name inside the site" in err and "Traceback" not in err, err
    assert sorted(p.name for p in tmp_path.iterdir()) == ["site"]


def test_the_bundle_can_go_to_another_folder_with_the_same_bytes(tmp_path):
    site = tmp_path / "site"
    site.mkdir()
    (site / "index.html").write_text('<!doctype html><html lang="en"><head><title>t</title>'
                                     "</head><body><main data-pagefind-body><h1>Ketamine</h1>"
                                     "<p>infusion</p></main></body></html>")
    assert main(["search-index", str(site)]) == 0
    assert main(["search-index", str(site), "--folder", ".next"]) == 0
    made = {p.relative_to(site / "pagefind"): p.read_bytes()
            for p in (site / "pagefind").rglob("*") if p.is_file()}
    again = {p.relative_to(site / ".next"): p.read_bytes()
             for p in (site / ".next").rglob("*") if p.is_file()}
    assert made and made == again
