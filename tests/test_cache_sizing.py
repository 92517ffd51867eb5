"""The catalog's LRU counts what it keeps in bytes (`approximate_size`): exact for small values, scaled from a sample
for large containers (sizing must cost far less than building the value), and a `Ref` without the label table it
shares with the catalog."""

from __future__ import annotations

import random

from modernstats_kg.catalog.core import _OBJECT_OVERHEAD, Ref, Text, approximate_size


def test_small_values_are_counted_part_by_part() -> None:
    assert approximate_size("abc") == _OBJECT_OVERHEAD + 3
    assert approximate_size(["ab", "cde"]) == _OBJECT_OVERHEAD + 2 * _OBJECT_OVERHEAD + 5
    assert approximate_size({"k": "vv"}) == _OBJECT_OVERHEAD + 2 * _OBJECT_OVERHEAD + 3


def test_large_containers_are_scaled_from_a_sample() -> None:
    uniform = ["x" * 50] * 10_000
    assert approximate_size(uniform) == _OBJECT_OVERHEAD + 10_000 * (_OBJECT_OVERHEAD + 50)
    # uneven items: the sample spreads over the whole container, so the estimate stays close
    lengths = random.Random(7)
    uneven = ["x" * lengths.randrange(200) for _ in range(10_000)]
    exact = _OBJECT_OVERHEAD + sum(_OBJECT_OVERHEAD + len(s) for s in uneven)
    assert abs(approximate_size(uneven) - exact) / exact < 0.1
    big_map = {f"key {i:05}": "v" * lengths.randrange(40) for i in range(5_000)}
    exact = _OBJECT_OVERHEAD + sum(2 * _OBJECT_OVERHEAD + len(k) + len(v) for k, v in big_map.items())
    assert abs(approximate_size(big_map) - exact) / exact < 0.1


def test_a_ref_is_counted_without_the_shared_label_table() -> None:
    labels = {"en": "Instance Variable" * 100, "fr": "Variable d'instance" * 100}
    small, large = Ref("http://x/a", Text({})), Ref("http://x/a", Text(labels))
    assert approximate_size(small) == approximate_size(large) < 300
