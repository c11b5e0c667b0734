"""The cache of which terms an index holds: held terms stay, absent ones are asked again."""

from __future__ import annotations

from archive.index.term_cache import TermCache


class Clock:
    def __init__(self) -> None:
        self.now = 0.0

    def __call__(self) -> float:
        return self.now


def test_held_terms_stay_and_absent_ones_are_asked_again_after_the_ttl() -> None:
    clock = Clock()
    cache = TermCache(ttl=5, clock=clock)
    held, absent, new = ("a", "words", "mamay"), ("a", "words", "mamai"), ("a", "keys", "x")
    assert cache.known(held) is None
    cache.learn([held], [absent])
    assert cache.known(held) is True and cache.known(absent) is False and cache.known(new) is None
    assert cache.sort([held, absent, new]) == ([held], [new], [])
    clock.now += 5
    assert cache.known(held) is True and cache.known(absent) is None
    assert cache.sort([held, absent, new]) == ([held], [new], [absent])  # absent most likely, asked again


def test_a_write_of_this_process_forgets_the_absent_terms() -> None:
    cache = TermCache(ttl=60, clock=Clock())
    cache.learn([("a", "f", "held")], [("a", "f", "absent")])
    cache.written()
    assert cache.sort([("a", "f", "absent")]) == ([], [("a", "f", "absent")], [])
    assert cache.known(("a", "f", "absent")) is None and cache.known(("a", "f", "held")) is True
    cache.clear()
    assert cache.known(("a", "f", "held")) is None
