"""Twin of `kitchen`: seed 002 'Why Do We Need AsyncIO?' (the chef: 18 minutes vs 10).

Changed as the Rust demo changed the seed: the seed's prose becomes a program; one kitchen
minute is 0.1 s of loop time; each kitchen is its own `run`, so each starts at t=0.00.
"""

import asyncio

from vloop import now, run, say

MINUTE = 0.1  # one kitchen minute in loop time


async def cook(dish, minutes):
    await asyncio.sleep(MINUTE * minutes)  # the pot does the waiting, not the cook
    say(f"{dish} done")


def minutes_now():
    return int(round(now(), 6) / MINUTE)


async def sync_kitchen():
    await cook("pasta", 10)  # wait for the pasta before touching the sauce
    await cook("sauce", 5)
    await cook("vegetables", 3)
    print(f"sync kitchen took {minutes_now()} minutes")


async def async_kitchen():
    pasta = asyncio.create_task(cook("pasta", 10))  # start the pasta, move on
    sauce = asyncio.create_task(cook("sauce", 5))  # start the sauce, move on
    vegetables = asyncio.create_task(cook("vegetables", 3))
    for dish in [pasta, sauce, vegetables]:
        await dish
    print(f"async kitchen took {minutes_now()} minutes")


print("sync kitchen: pasta, then sauce, then vegetables")
run(sync_kitchen())
print("async kitchen: all three at once")
run(async_kitchen())
