"""What asyncio's debug mode adds: a warning for every callback or task step that runs longer than
loop.slow_callback_duration (0.1 s by default), "Executing <Task ...> took N seconds". The
"Task exception was never retrieved" and "Task was destroyed but it is pending!" reports are not
debug-mode features: they are logged in normal mode too (debug mode adds where the task was
created); see 07_pending_task_destroyed.py and 08_exception_never_retrieved.py.

Book: watching_the_loop.md ("What asyncio lets you see").
Verdict: RIGHT about the slow-callback warning; IMPRECISE in saying debug mode adds the other two
reports, 3.10-3.13.
CPython: Lib/asyncio/base_events.py: BaseEventLoop._run_once (if self._debug: ... dt >=
self.slow_callback_duration: logger.warning('Executing %s took %.3f seconds', ...)),
BaseEventLoop.__init__ (slow_callback_duration = 0.1).
"""
import asyncio
import logging
import re
import time


class Collect(logging.Handler):
    def emit(self, record):
        message = record.getMessage()
        if message.startswith("Executing"):
            # the task's repr and the time vary; keep the shape
            message = re.sub(r"<.*>", "<Task ...>", message)
            message = re.sub(r"took \d+\.\d+ seconds", "took 0.1xx seconds", message)
            print(message)


logging.getLogger("asyncio").addHandler(Collect())
logging.getLogger("asyncio").propagate = False


async def blocker():
    print("slow_callback_duration:", asyncio.get_running_loop().slow_callback_duration)
    time.sleep(0.15)


print("normal mode:")
asyncio.run(blocker())
print("debug mode:")
asyncio.run(blocker(), debug=True)
