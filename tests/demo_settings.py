"""Settings for a quick crawl of the bundled demo site in tests: a short politeness delay, one
retry with a short backoff.  Tests append their own sections (``crawl:``, ``warc:``)."""

FAST_CONFIG = """\
politeness:
  delay: 0.02
  per_host_concurrency: 2
  concurrency: 4
fetch:
  retries: 1
  backoff_base: 0.05
"""
