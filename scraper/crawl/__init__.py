"""The crawl: its loop, one page's visit, scope, discovery, seeds, the frontier (queue) and the
summary and progress a person sees."""
