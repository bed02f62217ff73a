"""Validation and cleaning of shopper uploads: the file (files.py) and the form fields (fields.py).

Pure functions, no I/O beyond reading the given stream: the upload endpoint calls clean_fields(form)
and clean_file(file), and lets their ApiError subclasses answer 400, 413 or 415.
"""
from .fields import HONEYPOT, InvalidFields, clean_fields
from .files import CleanedImage, FileRejected, clean_file

__all__ = ["HONEYPOT", "CleanedImage", "FileRejected", "InvalidFields", "clean_fields", "clean_file"]
