"""Re-visits of archived articles: which are due, and the ``watch`` loop."""
