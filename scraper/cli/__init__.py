"""The ``broadsheet`` command line: a thin layer over the library (entry point ``main.main``)."""
