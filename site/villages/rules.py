# django-rules autodiscovers `rules` modules: the predicates live in access.py.
from villages import access  # noqa: F401
