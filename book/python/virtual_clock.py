"""A virtual clock for asyncio, so that programs about timing print exact, repeatable times.

Not a claim program: a helper that 19_ and 20_ import. `VirtualClockLoop` is asyncio's own
selector event loop with two changes. `time()` reads a counter instead of the monotonic clock,
and when `_run_once` asks the selector to block for `timeout` seconds (until the next timer), the
counter jumps forward by `timeout` instead. Everything else (the ready queue, the timer heap,
`call_soon`, tasks, futures) is CPython's code unchanged, so the order of events is asyncio's.
`advance(seconds)` lets a program charge simulated CPU work to the clock.
"""
import asyncio
import selectors


class _JumpingSelector:
    """Wraps the loop's selector: a wait for `timeout` seconds becomes a jump of the clock."""

    def __init__(self, real, loop):
        self._real = real
        self._loop = loop

    def select(self, timeout=None):
        if timeout is not None and timeout > 0:
            self._loop.advance(timeout)
            timeout = 0
        return self._real.select(timeout)

    def __getattr__(self, name):
        return getattr(self._real, name)


class VirtualClockLoop(asyncio.SelectorEventLoop):
    def __init__(self):
        super().__init__(selectors.DefaultSelector())
        self._virtual_now = 0.0
        self._selector = _JumpingSelector(self._selector, self)

    def time(self):
        return self._virtual_now

    def advance(self, seconds):
        self._virtual_now += seconds


def run_virtual(coro):
    """asyncio.run(coro) on a VirtualClockLoop (3.10 has no loop_factory, hence by hand)."""
    loop = VirtualClockLoop()
    asyncio.set_event_loop(loop)
    try:
        return loop.run_until_complete(coro)
    finally:
        asyncio.set_event_loop(None)
        loop.close()
