"""WARC capture of every fetch, and what reads it back (replay, WACZ, import).

See issue 12: WARC 1.1 files under ``<archive>/warc/``, written with warcio.
"""
