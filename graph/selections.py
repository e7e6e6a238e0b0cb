"""What a query asks for below a field, seen from its resolver."""

from __future__ import annotations

from collections.abc import Iterable

from strawberry.types.nodes import SelectedField, Selection

from graph.context import Info


def _fields(selections: Iterable[Selection], name: str) -> list[SelectedField]:
    """The fields called ``name`` among ``selections``, fragments expanded."""
    found: list[SelectedField] = []
    for selection in selections:
        if isinstance(selection, SelectedField):
            if selection.name == name:
                found.append(selection)
        else:
            found.extend(_fields(selection.selections, name))
    return found


def selects(info: Info, *path: str) -> bool:
    """Whether the query selects ``path`` (field names, as in the schema) below
    the resolver's field, through any alias or fragment. ``@skip``/``@include``
    are not evaluated: a skipped field counts as selected, so a resolver that
    loads ahead for it loads at worst once too often."""
    level: list[Selection] = list(info.selected_fields)
    for name in path:
        level = [found for parent in level for found in _fields(parent.selections, name)]
        if not level:
            return False
    return True
