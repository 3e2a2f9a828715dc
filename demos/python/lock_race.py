"""Twin of `lock_race`: seed 001 'asyncio.Lock' (modify_shared_resource).

Changed as the Rust demo changed the seed: the same five tasks run with the lock and then
without it, and each part prints the final list and how long it took.
"""

import asyncio

from vloop import now, run, say


async def modify_shared_resource(lock, shared_list):
    async with lock:
        say("Acquired lock...")
        current_value = shared_list[-1] if shared_list else 0
        await asyncio.sleep(0.1)  # another task may run, but not enter
        shared_list.append(current_value + 1)
        say("...Released lock")


async def modify_without_lock(shared_list):
    current_value = shared_list[-1] if shared_list else 0
    await asyncio.sleep(0.1)  # every other task reads the same value here
    shared_list.append(current_value + 1)


async def main():
    say("=== With the lock ===")
    start = now()
    lock = asyncio.Lock()
    shared_list = []
    await asyncio.gather(*(modify_shared_resource(lock, shared_list) for _ in range(5)))
    say(f"Final list: {shared_list} (took {now() - start:.2f} s)")

    say("=== Without it ===")
    start = now()
    shared_list = []
    await asyncio.gather(*(modify_without_lock(shared_list) for _ in range(5)))
    say(f"Final list: {shared_list} (took {now() - start:.2f} s)")


run(main())
