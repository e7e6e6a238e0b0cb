"""schema.graphql is what the code exports, and it honours the public contract."""

from __future__ import annotations

from pathlib import Path

from graphql import (
    GraphQLEnumType,
    GraphQLInputObjectType,
    GraphQLObjectType,
    GraphQLSchema,
    build_schema,
)

from graph.schema import schema

ROOT = Path(__file__).resolve().parent.parent
CONTRACT = ROOT.parent / "shared" / "contract.graphql"


def test_schema_file_matches_the_code() -> None:
    exported = schema.as_str() + "\n"
    assert (ROOT / "schema.graphql").read_text() == exported, "run: billgraph schema export"


def _members(type_: object) -> dict[str, object]:
    if isinstance(type_, GraphQLEnumType):
        return dict(type_.values)
    if isinstance(type_, GraphQLObjectType | GraphQLInputObjectType):
        return dict(type_.fields)
    return {}


def _field_signature(field: object) -> tuple:
    args = getattr(field, "args", {}) or {}
    return (
        str(getattr(field, "type", "")),
        tuple(sorted((name, str(a.type), repr(a.default_value)) for name, a in args.items())),
    )


def _compare(contract: GraphQLSchema, ours: GraphQLSchema) -> tuple[list[str], set[str]]:
    problems: list[str] = []
    missing: set[str] = set()
    for name, ctype in contract.type_map.items():
        if name.startswith("__"):
            continue
        otype = ours.type_map.get(name)
        if otype is None:
            missing.add(name)
            continue
        if type(otype) is not type(ctype):
            problems.append(
                f"{name}: is a {type(otype).__name__}, contract says {type(ctype).__name__}"
            )
            continue
        ours_members = _members(otype)
        for member, cfield in _members(ctype).items():
            ofield = ours_members.get(member)
            if ofield is None:
                missing.add(f"{name}.{member}")
            elif isinstance(ctype, GraphQLEnumType):
                continue
            elif isinstance(ctype, GraphQLObjectType):
                csig, osig = _field_signature(cfield), _field_signature(ofield)
                # Arguments may be added, never changed or removed.
                if csig[0] != osig[0] or not set(csig[1]) <= set(osig[1]):
                    problems.append(f"{name}.{member}: {osig} differs from contract {csig}")
            elif str(cfield.type) != str(ofield.type):  # type: ignore[attr-defined]
                problems.append(f"{name}.{member}: {ofield.type} != contract {cfield.type}")  # type: ignore[attr-defined]
        if isinstance(otype, GraphQLInputObjectType):
            for extra, ofield in _members(otype).items():
                if extra not in _members(ctype) and str(ofield.type).endswith("!"):  # type: ignore[attr-defined]
                    problems.append(f"{name}.{extra}: a new required input field breaks clients")
    return problems, missing


def test_schema_honours_the_contract() -> None:
    contract = build_schema(CONTRACT.read_text())
    ours = build_schema((ROOT / "schema.graphql").read_text())
    problems, missing = _compare(contract, ours)
    assert problems == []
    assert missing == set(), f"contract parts the schema lacks: {sorted(missing)}"
