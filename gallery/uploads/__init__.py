"""Shopper uploads and media reports.

- files.py (images.py: its Pillow side), fields.py: validation and cleaning, pure functions (no I/O
  beyond reading the stream);
- views.py: the endpoints, with abuse.py (rate limits, allowed origins);
- store.py: upload records and bytes in Redis; jobs.py: delivery to Olapic, an RQ job.
"""
from .fields import HONEYPOT, InvalidFields, clean_fields
from .files import CleanedImage, FileRejected, clean_file
from .views import init_app

__all__ = ["HONEYPOT", "CleanedImage", "FileRejected", "InvalidFields", "clean_fields", "clean_file", "init_app"]
