"""Offline sandboxes of the upstream APIs, one package each: `python -m sandboxes.<name> --port N`.

They import nothing from `gallery`: each answers as its own upstream's document does.
"""
