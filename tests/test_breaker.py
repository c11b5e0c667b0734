"""The circuit breaker of a node that does not answer: open, a cool-down, one probe."""

from __future__ import annotations

import pytest

from archive.index.breaker import CircuitBreaker, CircuitOpen


class Clock:
    def __init__(self) -> None:
        self.now = 100.0

    def __call__(self) -> float:
        return self.now


def test_a_closed_breaker_lets_every_call_through() -> None:
    breaker = CircuitBreaker(cooldown=5, clock=Clock())
    for _ in range(3):
        breaker.allow()
        breaker.answered()
    assert not breaker.is_open


def test_after_a_call_not_answered_calls_fail_at_once_until_the_cool_down_ends() -> None:
    clock = Clock()
    breaker = CircuitBreaker(cooldown=5, clock=clock)
    breaker.allow()
    breaker.not_answered()
    clock.now += 4.9
    with pytest.raises(CircuitOpen) as info:
        breaker.allow()
    assert 0 < info.value.retry_in <= 0.1 + 1e-9
    clock.now += 0.1
    breaker.allow()  # the probe
    with pytest.raises(CircuitOpen):  # only one probe at a time
        breaker.allow()
    breaker.answered()
    breaker.allow()
    assert not breaker.is_open


def test_a_probe_not_answered_opens_the_breaker_for_another_cool_down() -> None:
    clock = Clock()
    breaker = CircuitBreaker(cooldown=2, clock=clock)
    breaker.not_answered()
    clock.now += 2
    breaker.allow()
    breaker.not_answered()
    clock.now += 1.5
    with pytest.raises(CircuitOpen):
        breaker.allow()
    clock.now += 0.5
    breaker.allow()
