"""The contract every registered scorer follows (like tests/engine/test_contract.py for methods):
defaults construct, parameters round-trip, ``replace`` leaves the original alone, a bad parameter
is refused by the one declaration, values are in [0, 1] with one row per need and one column per
candidate, and the class agrees with its pure function on an example. A scorer without an
example here fails the test."""

from __future__ import annotations

from collections.abc import Callable

import numpy as np
import pytest

from cimon.engine.params import ParamError
from cimon.errors import MethodError
from cimon.matching import Achievement, build_index
from cimon.matching.index import Index, region_ints
from cimon.matching.scorers import (
    SCORERS,
    Batch,
    Scorer,
    field_score,
    make_scorer,
    maturity_score,
    region_score,
    text_score,
)
from cimon.matching.segment import tokenize

CANDIDATES = [
    Achievement("a", "滩羊舍饲全混合日粮", "滩羊育肥日增重提高", "230", 8, region="640323"),
    Achievement("b", "枸杞热泵制干", "枸杞烘干工艺", "550", 5, region="640521"),
    Achievement("c", "光伏组件清洗机器人", "", "", None, region="110108"),
]
NEEDS = ["滩羊舍饲饲料成本高", "枸杞烘干发黑"]
BATCH = Batch(
    tokens=[tokenize(t) for t in NEEDS],
    industries=["03", "13"],
    counties=region_ints(["640323", "640522"]),
)

#: scorer → the pure function applied to the example by hand
EXAMPLES: dict[str, Callable[[Index], np.ndarray]] = {
    "text": lambda ix: text_score(ix.bm25(BATCH.tokens)),
    "field": lambda ix: field_score(BATCH.industries, ix.discipline_codes, ix.discipline_inverse),
    "region": lambda ix: region_score(BATCH.counties, ix.regions, 0.6, 0.3),
    "maturity": lambda ix: np.broadcast_to(maturity_score(ix.trl, 8, 0.5), (2, 3)),
}
BAD = {"text": {"b": 2.0}, "region": {"city": -1.0}, "maturity": {"full": 1}}


@pytest.fixture(scope="module")
def index() -> Index:
    return build_index(CANDIDATES)


def test_every_scorer_has_an_example() -> None:
    assert set(SCORERS) == set(EXAMPLES)


@pytest.mark.parametrize("name", sorted(SCORERS))
def test_contract(name: str, index: Index) -> None:
    cls = SCORERS[name]
    s = cls()
    assert isinstance(s, Scorer) and cls.title_zh and cls.title_en
    params = s.get_params()
    assert cls(**params) == s
    assert make_scorer({"scorer": name, **params}) == s
    for p in cls.params:
        assert p.name in params
    if params:
        key = next(iter(params))
        other = s.replace(**{key: params[key]})
        assert other == s and other is not s
    with pytest.raises(MethodError):
        s.replace(nonsense=1)
    if name in BAD:
        with pytest.raises(ParamError):
            cls(**BAD[name])
    got = s.score(BATCH, index)
    assert got.shape == (len(NEEDS), len(CANDIDATES))
    assert np.all((got >= 0) & (got <= 1))
    np.testing.assert_allclose(got, EXAMPLES[name](index))


def test_values_on_the_example(index: Index) -> None:
    text = make_scorer({"scorer": "text"}).score(BATCH, index)
    assert text[0].argmax() == 0 and text[0, 0] == 1.0 and text[0, 2] == 0
    assert text[1].argmax() == 1
    fld = make_scorer({"scorer": "field"}).score(BATCH, index)
    assert fld[0].tolist() == [1.0, 0.0, 0.0]  # 畜牧业 ↔ 畜牧兽医; the rest unrelated or unknown
    assert fld[1].tolist() == [0.5, 1.0, 0.0]  # 农副食品加工 ↔ 畜牧 related, 食品 direct
    reg = make_scorer({"scorer": "region"}).score(BATCH, index)
    assert reg[0].tolist() == pytest.approx([1.0, 0.3, 0.0])
    assert reg[1].tolist() == pytest.approx([0.3, 0.6, 0.0])  # 海原 and 中宁 are both 中卫
    mat = make_scorer({"scorer": "maturity"}).score(BATCH, index)
    assert mat[0].tolist() == pytest.approx([1.0, 4 / 7, 0.5])


def test_unknown_scorer_and_parameter() -> None:
    with pytest.raises(MethodError):
        make_scorer({"scorer": "nope"})
    with pytest.raises(MethodError):
        make_scorer({"scorer": "region", "county": 1})


def test_text_refuses_an_index_built_with_other_parameters(index: Index) -> None:
    with pytest.raises(MethodError):
        make_scorer({"scorer": "text", "k1": 2.0}).score(BATCH, index)


def test_every_scorer_is_documented() -> None:
    """docs/libraries.md has a row for each registered scorer, naming each of its parameters."""
    from pathlib import Path

    page = (Path(__file__).resolve().parents[2] / "docs" / "libraries.md").read_text(
        encoding="utf-8"
    )
    for name, cls in SCORERS.items():
        row = next((ln for ln in page.splitlines() if ln.strip().startswith(f"| `{name}` |")), None)
        assert row is not None, f"docs/libraries.md: no row for scorer {name}"
        for p in cls.params:
            assert f"`{p.name}`" in row, f"docs/libraries.md: {name} row lacks {p.name}"
