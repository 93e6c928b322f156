"""Data generators, apart from the domain: the demo (`demo`, `seeds`) and the national-scale data (`national`).

A layer of its own, on top of everything: it may import the domain (`measures`) and the documents
and publishing (`reports`) with plain imports, and it writes through their public services where
it can. Nothing but management commands, benches and tests imports it (`lint-imports`).
"""
