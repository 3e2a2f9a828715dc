"""A virtual clock for asyncio: the Python side of `tinyloop-demos -- NAME --compare`.

tinyloop's demos print exact loop times under `--virtual`: when nothing is ready, the
clock jumps to the next timer instead of sleeping. The Python twins in this folder do the
same on `VirtualClockLoop`, asyncio's own `SelectorEventLoop` with two things changed:

* `time()` returns a number that only the loop moves (it starts at 0.0);
* the selector never sleeps for a timer: when `BaseEventLoop._run_once` asks it to wait
  `timeout` seconds for I/O (it computes `timeout` from the earliest timer: 0 if a callback
  is ready, the time until `_scheduled[0]._when` if a timer is set, `None` otherwise), it
  looks at the real sockets without blocking, and if nothing is there it moves the clock to
  that timer and returns no events. `_run_once` then finds the timer due and runs it.

Everything else (the ready queue, the timer heap, tasks, futures, the primitives) is
asyncio's own code, untouched, so the order of events is what CPython does.

The rule for real I/O and threads is tinyloop's (see runtime/src/executor/mod.rs, "The
virtual clock and real I/O"): a running `run_in_executor`/`to_thread` job holds the clock
(the loop waits for it, for real, up to a second); sockets get 10 ms of real time to report
before the clock jumps; with no timer at all the loop waits for real, and if nothing outside
the loop can wake anyone it raises `LoopStuck` instead of hanging as asyncio would.

Use `run(main())` as `asyncio.run(main())`, `say("...")` to print a line that starts with
the loop time (`t=0.30 ...`, like the Rust demos' `say!`), and `--real` on a twin's command
line to run it on asyncio's ordinary loop and clock instead. `--stable-ties` makes timers
due at the same moment fire in the order they were set (tinyloop's rule; asyncio's heap
promises no order): a diagnostic that shows whether a difference comes from ties alone.
"""

import asyncio
import heapq
import itertools
import selectors
import sys
import time

#: How long (real time) sockets may take to report before the clock jumps past them.
IO_GRACE = 0.010
#: How long (real time) the loop waits for a running executor job before jumping anyway.
THREAD_PATIENCE = 1.0


class LoopStuck(RuntimeError):
    """Nothing is ready, no timer is set and nothing outside the loop can wake a task.

    asyncio's own loop would sit in `select()` for ever here; the virtual loop says so.
    """


class _VirtualSelector(selectors.BaseSelector):
    """A real selector whose `select` asks its loop what a wait for a timer means."""

    def __init__(self):
        self._real = selectors.DefaultSelector()
        self.loop = None  # set by VirtualClockLoop once it exists

    def register(self, fileobj, events, data=None):
        return self._real.register(fileobj, events, data)

    def unregister(self, fileobj):
        return self._real.unregister(fileobj)

    def modify(self, fileobj, events, data=None):
        return self._real.modify(fileobj, events, data)

    def get_map(self):
        return self._real.get_map()

    def close(self):
        self._real.close()

    def select(self, timeout=None):
        return self.loop._virtual_select(self._real, timeout)


class _SequencedTimerHandle(asyncio.TimerHandle):
    """A timer that sorts after the timers set before it for the same moment.

    asyncio's `TimerHandle` compares by `_when` only, so the heap returns timers due at
    the same moment in whatever order the heap happens to keep them. This one breaks ties
    by the order the timers were set, as tinyloop's timer wheel does. Used only with
    `--stable-ties`, to check that a difference is due to timer ties and nothing else.
    """

    __slots__ = ("_sequence",)

    def __init__(self, when, callback, args, loop, context, sequence):
        super().__init__(when, callback, args, loop, context=context)
        self._sequence = sequence

    def __lt__(self, other):
        if self._when == other._when:
            return self._sequence < other._sequence
        return self._when < other._when


class VirtualClockLoop(asyncio.SelectorEventLoop):
    """asyncio's selector event loop on a virtual clock (see the module docs)."""

    def __init__(self):
        selector = _VirtualSelector()
        super().__init__(selector)
        selector.loop = self
        #: Loop time in seconds; moved only by `_virtual_select` and `simulate_blocking`.
        self._virtual_now = 0.0
        #: Executor jobs started and not yet finished: while any runs, the clock waits.
        self._jobs = 0
        #: How many times `_run_once` has run: tinyloop's `current_step()`.
        self.steps = 0
        #: Numbers the timers for `--stable-ties`.
        self._timer_sequence = itertools.count()

    def time(self):
        return self._virtual_now

    def _run_once(self):
        self.steps += 1
        super()._run_once()

    def call_at(self, when, callback, *args, context=None):
        if not STABLE_TIES:
            return super().call_at(when, callback, *args, context=context)
        # BaseEventLoop.call_at, with a timer that breaks ties in the order they were set.
        self._check_closed()
        timer = _SequencedTimerHandle(when, callback, args, self, context,
                                      next(self._timer_sequence))
        heapq.heappush(self._scheduled, timer)
        timer._scheduled = True
        return timer

    def run_in_executor(self, executor, func, *args):
        future = super().run_in_executor(executor, func, *args)
        self._jobs += 1
        future.add_done_callback(self._job_done)
        return future

    def _job_done(self, _future):
        self._jobs -= 1

    # ANCHOR: virtual_select
    def _virtual_select(self, real, timeout):
        """What `select(timeout)` means on the virtual clock."""
        events = real.select(0)
        if events or timeout == 0:
            return events
        # Sockets registered besides the loop's own self-pipe.
        sockets = len(real.get_map()) - 1
        if timeout is None:
            if sockets == 0 and self._jobs == 0:
                raise LoopStuck(
                    "the loop can never make progress: no callback is ready, no timer is "
                    "set and nothing outside the loop can wake a task (asyncio's own loop "
                    "would wait in select() for ever here)"
                )
            return real.select(None)  # a peer or a thread may still wake someone
        patience = THREAD_PATIENCE if self._jobs else IO_GRACE if sockets else 0.0
        grace_ends = time.monotonic() + patience
        while True:
            left = grace_ends - time.monotonic()
            if left <= 0:
                break
            events = real.select(left)
            if events:
                return events
        # Nothing outside the loop answered: jump to the timer `timeout` was computed from.
        if self._scheduled:
            self._virtual_now = max(self._virtual_now, self._scheduled[0]._when)
        else:
            self._virtual_now += timeout
        return []
    # ANCHOR_END: virtual_select

    def simulate_blocking(self, seconds):
        """A blocking call of `seconds` as the loop sees it: time passes, nothing runs."""
        self._virtual_now += seconds


#: True when the twin was started with `--real`: asyncio's own loop and clock.
REAL = "--real" in sys.argv[1:]

#: True with `--stable-ties`: timers due at the same moment fire in the order they were
#: set, as on tinyloop (asyncio's heap promises no order). A diagnostic, never the default.
STABLE_TIES = "--stable-ties" in sys.argv[1:]

#: Loop time at which the current `run` started, so every run prints from t=0.00.
_origin = 0.0


#: True with `--eager`: tasks start inside `create_task` (3.12's `eager_task_factory`), as
#: tinyloop's `--eager` (`Builder::eager_tasks`).
EAGER = "--eager" in sys.argv[1:]


def new_loop():
    """A fresh loop: virtual unless `--real` was given; eager task starts with `--eager`."""
    loop = asyncio.new_event_loop() if REAL else VirtualClockLoop()
    if EAGER:
        if not hasattr(asyncio, "eager_task_factory"):
            sys.exit(f"--eager needs Python 3.12 or newer (this is {sys.version.split()[0]})")
        loop.set_task_factory(asyncio.eager_task_factory)
    return loop


def run(main):
    """`asyncio.run(main)` on a fresh loop from `new_loop()`; returns main's result.

    Written out (rather than `asyncio.Runner(loop_factory=...)`, new in 3.11) so that the
    twins run on 3.10 too. It does what `asyncio.run` does: run `main`, then cancel the
    tasks left and wait for them, then shut down async generators and the executor.
    """
    global _origin
    loop = new_loop()
    asyncio.set_event_loop(loop)
    _origin = loop.time()
    try:
        return loop.run_until_complete(main)
    finally:
        try:
            left = asyncio.all_tasks(loop)
            for task in left:
                task.cancel()
            loop.run_until_complete(asyncio.gather(*left, return_exceptions=True))
            loop.run_until_complete(loop.shutdown_asyncgens())
            # Directly, not `loop.shutdown_default_executor()`: that one waits for a
            # helper thread the virtual loop does not count as a job.
            if loop._default_executor is not None:
                loop._default_executor.shutdown(wait=True)
        finally:
            asyncio.set_event_loop(None)
            loop.close()


def now():
    """Seconds of loop time since the current `run` started."""
    return asyncio.get_running_loop().time() - _origin


def stamp():
    """`t=0.30`: the loop time as tinyloop's `Instant` prints it."""
    return f"t={now():.2f}"


def say(message):
    """Print `message` after the loop time, as the Rust demos' `say!` does."""
    print(f"{stamp()} {message}", flush=True)


def step():
    """Which step of the loop is running: tinyloop's `current_step()`."""
    loop = asyncio.get_running_loop()
    return getattr(loop, "steps", 0)


def simulate_blocking(seconds):
    """A blocking call: `time.sleep` on the real clock, a jump of loop time on the virtual."""
    loop = asyncio.get_running_loop()
    if isinstance(loop, VirtualClockLoop):
        loop.simulate_blocking(seconds)
    else:
        time.sleep(seconds)
