"""The public API is documented and typed: every public name has a docstring (so that
`help(detente.run)` says something), and the type stub `_native.pyi` covers every name and
method of the native module."""

from __future__ import annotations

import ast
import inspect
from pathlib import Path

import detente
import detente._native as native
import detente.negmas as dn

STUB = Path(native.__file__).with_name("_native.pyi")


def public(obj) -> list[str]:
    return [n for n in dir(obj) if not n.startswith("_")]


def test_every_public_name_has_a_docstring():
    for module in (detente, dn):
        for name in module.__all__:
            obj = getattr(module, name)
            if not (callable(obj) or inspect.isclass(obj)) or isinstance(obj, detente.Action):
                continue
            assert (obj.__doc__ or "").strip(), f"{module.__name__}.{name} has no docstring"
            if inspect.isclass(obj):
                own = [a for a in vars(obj) if not a.startswith("_")]
                for attr in own:
                    member = getattr(obj, attr)
                    if callable(member) or isinstance(member, property) or \
                            type(member).__name__ == "getset_descriptor":
                        assert (member.__doc__ or "").strip(), f"{name}.{attr} has no docstring"


def test_help_shows_the_signature():
    assert str(inspect.signature(detente.run)).startswith("(scenario=None, negotiators=None, *")
    assert "seed=42" in str(inspect.signature(detente.run))
    assert "frame=True" in str(inspect.signature(detente.tournament))


def test_the_stub_covers_the_native_module():
    tree = ast.parse(STUB.read_text())
    names, members = set(), {}
    for node in tree.body:
        if isinstance(node, (ast.FunctionDef, ast.ClassDef)):
            names.add(node.name)
        if isinstance(node, ast.ClassDef):
            members[node.name] = {n.name for n in node.body if isinstance(n, ast.FunctionDef)} | {
                n.target.id for n in node.body if isinstance(n, ast.AnnAssign)}
        if isinstance(node, ast.AnnAssign):
            names.add(node.target.id)
    for name in public(native):
        assert name in names, f"{name} is missing from _native.pyi"
        obj = getattr(native, name)
        if inspect.isclass(obj) and name in members:
            for attr in public(obj):
                assert attr in members[name], f"{name}.{attr} is missing from _native.pyi"


def test_package_names():
    assert set(detente.__all__) <= set(dir(detente))
    assert detente.__version__ == native.VERSION
    assert repr(detente.ACCEPT) == "detente.ACCEPT" and detente.END.kind == "end"
    assert detente.Action.offer((1, 2)).outcome == (1, 2)
    assert detente.Action.offer((1,)) == detente.Action.offer((1,)) != detente.ACCEPT
