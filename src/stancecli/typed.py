"""The two run-time pieces of `typing` that the search path uses, without importing `typing`.

Importing `typing` costs a search about 4 ms, some 5% of a whole `stancecli search` at 10,000
documents. Modules on the start-up path take `NamedTuple` and `overload` from here, and put the
names they use only in annotations under `if TYPE_CHECKING:` (a module constant: mypy reads
every `TYPE_CHECKING` as true, and Python never runs the block). Type checkers see typing's own
`NamedTuple` and `overload`; at run time a class written `class Hit(NamedTuple): ...` becomes
the `collections.namedtuple` that typing would have made, with the same fields, defaults,
methods and docstring (tests/test_typed.py holds the two to each other). Its `__annotations__`
are left as written (strings), as nothing reads them at run time.
"""

from __future__ import annotations

TYPE_CHECKING = False

if TYPE_CHECKING:
    from typing import NamedTuple, overload
else:
    from collections import namedtuple

    # What a NamedTuple class body holds besides its fields that is not copied to the tuple class.
    _OWN = frozenset({"__module__", "__qualname__", "__annotations__", "__dict__", "__weakref__", "_root"})
    # What typing refuses in a NamedTuple class body, as it does.
    _PROHIBITED = frozenset({"__new__", "__init__", "__slots__", "__getnewargs__", "_fields", "_field_defaults",
                             "_make", "_replace", "_asdict", "_source"})

    class _NamedTupleMeta(type):
        def __new__(mcls, name: str, bases: tuple, namespace: dict):
            if namespace.get("_root"):
                return super().__new__(mcls, name, bases, namespace)
            if bases != (NamedTuple,):
                raise TypeError("can only inherit from NamedTuple alone")  # typing refuses a mixin too
            annotations = namespace.get("__annotations__", {})
            fields = list(annotations)
            with_default = [f for f in fields if f in namespace]
            if fields[len(fields) - len(with_default):] != with_default:
                raise TypeError(f"{name}: a field without a default follows one with a default")
            cls = namedtuple(name, fields, defaults=[namespace[f] for f in with_default],
                             module=namespace["__module__"])
            cls.__qualname__ = namespace.get("__qualname__", name)
            cls.__annotations__ = dict(annotations)
            for key, value in namespace.items():
                if key in _PROHIBITED:
                    raise AttributeError(f"Cannot overwrite NamedTuple attribute {key}")
                if key not in _OWN and key not in annotations:
                    setattr(cls, key, value)
            return cls

    class NamedTuple(metaclass=_NamedTupleMeta):
        """Base of the start-up path's named tuples (see the module's docstring)."""

        _root = True

    def overload(func):
        """Run time does not use overload variants: the last definition, the implementation, stays."""
        return func
