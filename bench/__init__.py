"""The benchmark harness: ``python -m bench.run --size full|quick`` (``make bench[-quick]``).

Every headline speed figure of the project is measured here, side by side with the tool a user
would pick instead, in one run on the same database and machine. See docs/bench.md.
"""
