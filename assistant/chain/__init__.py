"""The answer chain: route, condense, expand, retrieve, fuse, select, abstain, compose, verify, generate.

Wired top to bottom in `pipeline.build_answer_pipeline`. Knows no screen or terminal.
"""
