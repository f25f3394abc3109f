"""`evidence watch`: new PubMed and ClinicalTrials.gov records since the last search, as a draft
search record for a person to screen. The only package that uses the network on purpose; the
check and the build never import it (tests/test_watch_cli.py holds them to that)."""
