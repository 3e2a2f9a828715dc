"""Seed 003's rate-limiting answer writes `sema = async.Semaphore(value=5)`: `async` is a keyword,
so the program does not even compile.

Book: semaphore.md (the seeds' semaphore examples).
Verdict: the seed's code is a SyntaxError on 3.10-3.13.
CPython: Grammar/python.gram (async is a hard keyword since 3.7).
"""
source = """
async def main():
    sema = async.Semaphore(value=5)
"""
try:
    compile(source, "seed003", "exec")
    print("compiled")
except SyntaxError as e:
    print("SyntaxError on line", e.lineno)
