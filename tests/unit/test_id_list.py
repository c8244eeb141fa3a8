"""The list's id sequence behaves like a list of ints, however it was fetched."""

from __future__ import annotations

import pytest

from app.domain.id_list import IdList


@pytest.mark.parametrize("ids", [IdList("5,3,9"), IdList(ids=[5, 3, 9])])
def test_behaves_like_a_list_of_ints(ids: IdList) -> None:
    assert len(ids) == 3 and ids[0] == 5 and ids[-1] == 9
    assert ids[1:] == [3, 9] and list(ids) == [5, 3, 9]
    assert ids.index(9) == 2 and 3 in ids and 4 not in ids
    assert ids == [5, 3, 9]
    with pytest.raises(ValueError):
        ids.index(4)


def test_empty() -> None:
    assert len(IdList(None)) == 0 and list(IdList("")) == [] and IdList(None)[:1] == []
