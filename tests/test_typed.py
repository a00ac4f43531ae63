"""typing's NamedTuple and overload without typing (stancecli/typed.py): a class written against
ours is the named tuple typing's would make."""

import subprocess
import sys
import typing

import pytest

from stancecli import typed


def _pair(base):
    class Point(base):
        """A place on a line."""

        line: int
        col: int = 1
        note: str = ""

        @property
        def where(self) -> str:
            return f"{self.line}:{self.col}"

        def later(self, n: int) -> "Point":
            return self._replace(line=self.line + n)

    return Point


Ours, Theirs = _pair(typed.NamedTuple), _pair(typing.NamedTuple)


def test_a_named_tuple_has_the_fields_defaults_and_methods_typing_gives_it():
    for attr in ("_fields", "_field_defaults", "__doc__", "__name__", "__qualname__", "__module__"):
        assert getattr(Ours, attr) == getattr(Theirs, attr), attr
    assert set(Ours.__annotations__) == set(Theirs.__annotations__)
    ours, theirs = Ours(3), Theirs(3)
    assert ours == theirs == (3, 1, "")
    assert repr(ours) == repr(theirs) == "Point(line=3, col=1, note='')"
    assert ours.where == theirs.where == "3:1"
    assert ours.later(2) == theirs.later(2) == (5, 1, "")
    assert Ours._make([1, 2, "x"])._asdict() == Theirs._make([1, 2, "x"])._asdict()
    assert isinstance(ours, tuple) and not isinstance(ours, typed.NamedTuple)


def test_a_named_tuple_at_module_level_pickles_as_typings_does(tmp_path):
    (tmp_path / "shapes_probe.py").write_text(
        "from stancecli.typed import NamedTuple\n\nclass Pair(NamedTuple):\n    a: int\n    b: str = 'x'\n",
        encoding="utf-8")
    probe = ("import pickle, shapes_probe\n"
             "p = shapes_probe.Pair(1)\n"
             "assert pickle.loads(pickle.dumps(p)) == p and type(pickle.loads(pickle.dumps(p))) is shapes_probe.Pair\n")
    subprocess.run([sys.executable, "-c", probe], cwd=tmp_path, check=True)


@pytest.mark.parametrize("base", [typed.NamedTuple, typing.NamedTuple])
def test_a_field_without_default_after_one_with_is_refused_as_typing_refuses_it(base):
    with pytest.raises(TypeError):
        class Bad(base):
            a: int = 1
            b: int


@pytest.mark.parametrize("base", [typed.NamedTuple, typing.NamedTuple])
def test_overwriting_what_a_named_tuple_needs_is_refused_as_typing_refuses_it(base):
    with pytest.raises(AttributeError):
        class Bad(base):
            a: int

            def _replace(self, **kw):
                return self


@pytest.mark.parametrize("base", [typed.NamedTuple, typing.NamedTuple])
def test_a_named_tuple_with_a_mixin_is_refused_as_typing_refuses_it(base):
    class Mixin:
        def extra(self) -> int:
            return 1

    with pytest.raises(TypeError):
        class Bad(base, Mixin):  # type: ignore[misc]
            a: int


def test_overload_leaves_the_implementation_in_place():
    class Box:
        @typed.overload
        def get(self, i: int) -> int: ...

        @typed.overload
        def get(self, i: slice) -> list[int]: ...

        def get(self, i):
            return [1, 2, 3][i]

    assert Box().get(1) == 2 and Box().get(slice(0, 2)) == [1, 2]


def test_a_module_using_them_imports_no_typing():
    probe = "import sys, stancecli.typed\nassert 'typing' not in sys.modules, 'typing imported'\n"
    subprocess.run([sys.executable, "-c", probe], check=True)
