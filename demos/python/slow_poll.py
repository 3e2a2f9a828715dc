"""Twin of `slow_poll`: seed 002 'Common Pitfalls: 1. Blocking the Event Loop'.

Changed as the Rust demo changed the seed: a ticker due every 50 ms and a blocker that
makes one blocking call of 150 ms (`simulate_blocking`: `time.sleep` on the real clock, a
jump of loop time on the virtual one). asyncio's slow-callback warning appears only in
debug mode (`asyncio.run(main(), debug=True)`); this twin does not turn it on.
"""

import asyncio

from vloop import now, run, say, simulate_blocking


async def blocker():
    await asyncio.sleep(0.06)
    say("blocker: calling a blocking function (150 ms) without await")
    simulate_blocking(0.150)  # time.sleep(0.150)
    say("blocker: back; for 150 ms nothing else could run")


async def ticker():
    start = now()
    for tick in range(1, 5):
        due = start + 0.05 * tick
        await asyncio.sleep(due - now())  # tinyloop's sleep_until(due)
        late = now() - due
        say(f"ticker: tick {tick} (due at t={due:.2f}, late by {round(late * 1000)} ms)")


async def main():
    ticker_task = asyncio.create_task(ticker(), name="ticker")
    blocker_task = asyncio.create_task(blocker(), name="blocker")
    await blocker_task
    await ticker_task
    say("main: done")


run(main())
