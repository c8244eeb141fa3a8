"""The printed paper forms (A4 PDFs), one module per form, sharing the toolkit in toolkit.py."""
