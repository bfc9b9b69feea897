"""The page arguments of every paged listing, defined once: `page` (from 1) and `page_size`.

A listing's query schema subclasses PageQuerySchema and adds its own arguments, which come first in
its documented parameters; its answer echoes `page` and `page_size`.
"""

from __future__ import annotations

from marshmallow import Schema, fields, validate
from marshmallow.schema import SchemaMeta

MAX_PAGE = 1_000_000
DEFAULT_PAGE_SIZE = 100
MAX_PAGE_SIZE = 500


class _PageArgumentsLast(SchemaMeta):
    """A subclass's own fields first, then the inherited ones (marshmallow's default is the reverse)."""

    @classmethod
    def get_declared_fields(mcs, klass, cls_fields, inherited_fields, dict_cls=dict):
        own = {name for name, _ in cls_fields}
        return dict_cls(cls_fields + [(name, field) for name, field in inherited_fields if name not in own])


class PageQuerySchema(Schema, metaclass=_PageArgumentsLast):
    page = fields.Integer(load_default=1, validate=validate.Range(min=1, max=MAX_PAGE))
    page_size = fields.Integer(load_default=DEFAULT_PAGE_SIZE, validate=validate.Range(min=1, max=MAX_PAGE_SIZE))


def offset(query: dict) -> int:
    """How many items come before the page a parsed query asks for."""
    return (query["page"] - 1) * query["page_size"]
