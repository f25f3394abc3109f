"""`evidence scan`: split a web text into sentences and match each checkable one to a claim.

words -> lexicon -> terms -> index -> matcher; extract and sentences turn an input text into
sentences with offsets; annotate ties them together. The browser's matcher
(docs/javascripts/check.js) reads the same index and must give the same answers.
"""
