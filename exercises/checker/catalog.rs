//! Every exercise the checker knows: its file, the chapter that teaches it, and its hints.
//!
//! Hints are graded: the first is a nudge (which idea applies), the last is nearly the answer.
//! `cargo run -- hint N` shows them one at a time, so a learner takes only as much help as
//! they need; nothing prints them unasked.

/// One exercise.
pub struct Exercise {
    /// Its number, 1-based; its tests are `tests/exNN.rs`.
    pub number: u32,
    /// Its title, as in the book.
    pub title: &'static str,
    /// The file the learner edits, relative to `exercises/`.
    pub file: &'static str,
    /// The chapter that teaches what it needs: its title and its page in `book/src/`.
    pub chapter: (&'static str, &'static str),
    /// Hints, from a nudge to nearly the answer.
    pub hints: &'static [&'static str],
}

impl Exercise {
    /// The name of its test target: `ex01`.
    pub fn test_name(&self) -> String {
        format!("ex{:02}", self.number)
    }

    /// `01 A future that counts down`.
    pub fn label(&self) -> String {
        format!("{:02} {}", self.number, self.title)
    }
}

/// The exercise numbered `number`.
pub fn find(number: u32) -> Option<&'static Exercise> {
    EXERCISES.iter().find(|e| e.number == number)
}

/// Every exercise, in order.
pub const EXERCISES: &[Exercise] = &[
    Exercise {
        number: 1,
        title: "A future that counts down",
        file: "src/ex01_countdown.rs",
        chapter: ("The smallest executor", "smallest_executor.md"),
        hints: &[
            "A future that returns Pending must arrange to be polled again: nobody else will. \
             The Context holds the waker that does it.",
            "Each poll: if `remaining` is 0, the answer is Ready(self.start); otherwise count \
             down, wake, and return Pending.",
            "`self.remaining -= 1; cx.waker().wake_by_ref(); return Poll::Pending;` and at zero \
             `Poll::Ready(self.start)` (no wake on the ready poll).",
        ],
    },
    Exercise {
        number: 2,
        title: "block_on with waker-fn",
        file: "src/ex02_block_on.rs",
        chapter: ("The smallest executor", "smallest_executor.md"),
        hints: &[
            "block_on is a loop: poll; if Pending, sleep until the waker is called; poll again. \
             The waker must be able to wake this thread from anywhere.",
            "Share an Arc<AtomicBool> \"woken\" flag with the waker; the waker sets it and \
             unparks the thread; between polls, park until the flag is set (park may return \
             early, so loop on it).",
            "`let thread = std::thread::current(); let waker = waker_fn(move || { \
             flag.store(true, SeqCst); thread.unpark(); });` then `loop { if let Ready(v) = \
             fut.as_mut().poll(&mut cx) { return v } while !woken.swap(false, SeqCst) { park() } }`",
        ],
    },
    Exercise {
        number: 3,
        title: "A ready queue and spawn",
        file: "src/ex03_spawn.rs",
        chapter: ("Tasks and JoinHandles", "tasks_and_join_handles.md"),
        hints: &[
            "spawn only schedules (like asyncio.create_task): it never polls. run is the loop \
             that pops ready ids and polls each task once.",
            "Take the task's future out of `tasks` while you poll it (the task may spawn), and \
             do not hold the `ready` lock during the poll (the task may wake itself).",
            "spawn: id = next id; tasks.insert(id, Box::pin(future)); ready.push_back(id). \
             run: while let Some(id) = pop { let Some(mut f) = tasks.remove(&id) else { continue }; \
             if f.as_mut().poll(&mut Context::from_waker(&waker_for(id))).is_pending() { \
             tasks.insert(id, f) } }",
        ],
    },
    Exercise {
        number: 4,
        title: "A JoinHandle",
        file: "src/ex04_join_handle.rs",
        chapter: ("Tasks and JoinHandles", "tasks_and_join_handles.md"),
        hints: &[
            "The task and its handle meet in a shared slot: the task writes its output there, \
             the handle reads it, and whoever comes second must not be left waiting.",
            "The handle stores its waker in the slot when the output is not there yet; the task, \
             when it finishes, stores the output and wakes that waker (after the borrow ends).",
            "spawn: slot = Rc<RefCell<Slot::Running(None)>>; spawn_detached(async move { let v = \
             future.await; let old = replace(&mut *slot.borrow_mut(), Finished(v)); if let \
             Running(Some(w)) = old { w.wake() } }); poll: match replace(.., Taken) { Finished(v) \
             => Ready(v), Running(_) => { put back Running(Some(cx.waker().clone())); Pending } }",
        ],
    },
    Exercise {
        number: 5,
        title: "Timers on a heap, and sleep",
        file: "src/ex05_timers.rs",
        chapter: ("Sleeping without blocking", "sleeping_without_blocking.md"),
        hints: &[
            "Sleeping is two halves: the Sleep future registers a timer with its waker; the loop, \
             when nothing is ready, moves the clock to the earliest timer and wakes it.",
            "Sleep::poll registers its timer only once (keep the id), and refreshes the waker on \
             later polls. fire_timers wakes every timer due at the new time, not just one.",
            "Sleep::poll: Ready if now >= deadline, else add_timer once (keep the id) or \
             update_timer; fire_timers: jump the clock to the heap's smallest deadline and wake \
             every timer due by then",
        ],
    },
    Exercise {
        number: 6,
        title: "From a heap to a timing wheel",
        file: "src/ex06_wheel.rs",
        chapter: ("The timer wheel", "timer_wheel.md"),
        hints: &[
            "A wheel files a timer by its deadline modulo the number of slots, so one slot holds \
             timers of several revolutions: poll must check each entry's deadline.",
            "poll visits the slots of ticks elapsed..=now, but never more than `slots` of them \
             (one full turn sees everything); it keeps entries due later in their slot.",
            "insert into slot deadline % slots (a past deadline: slot elapsed % slots); poll: \
             visit ticks elapsed..=now, at most slots of them, swap_remove entries due, set \
             elapsed = now, sort what is due by (deadline, seq)",
        ],
    },
    Exercise {
        number: 7,
        title: "yield_now and fairness",
        file: "src/ex07_yield_now.rs",
        chapter: ("One step of the loop", "one_step_of_the_loop.md"),
        hints: &[
            "yield_now is asyncio.sleep(0): Pending once, with a wake, so the task goes to the \
             back of the queue. Fairness needs the loop's help too: asyncio's ntodo.",
            "A step polls only the tasks that were ready when the step began; a task woken during \
             the step runs in the next one.",
            "YieldNow: first poll wake_by_ref + Pending, then Ready; run_step: drain the ready \
             queue into a Vec first (lock released), then poll_task each id",
        ],
    },
    Exercise {
        number: 8,
        title: "A fair, cancel-safe Semaphore",
        file: "src/ex08_semaphore.rs",
        chapter: ("Semaphore: limiting concurrency", "semaphore.md"),
        hints: &[
            "Two rules: a released permit goes to the oldest waiter (no barging), and a waiter \
             that is dropped must give back a permit it was handed.",
            "release hands the permit over (marks the waiter granted and wakes it) instead of \
             putting it back in the pool; a newcomer takes a free permit only if nobody queues.",
            "release: pop ids from queue; the first still in waiters gets granted = true and a \
             wake; none: permits += 1. Drop for Acquire: remove the waiter; granted? release(); \
             else remove its id from queue.",
        ],
    },
    Exercise {
        number: 9,
        title: "A Queue with task_done and join",
        file: "src/ex09_queue.rs",
        chapter: ("Queue and the producer-consumer pattern", "queue.md"),
        hints: &[
            "join waits for a count to reach zero: every put adds one unfinished item, every \
             task_done removes one.",
            "put wakes the getters; task_done wakes the joiners when the count reaches zero. Wake \
             after the RefCell borrow ends.",
            "put: unfinished += 1, take the getters' wakers, wake them; task_done: Err at zero, \
             else -1 and wake the joiners at zero; join: Ready at zero, else store the waker",
        ],
    },
    Exercise {
        number: 10,
        title: "wait(FIRST_COMPLETED)",
        file: "src/ex10_wait_first.rs",
        chapter: ("Waiting for many things", "waiting_for_many_things.md"),
        hints: &[
            "A future that waits for several others polls all of them with its own Context: \
             each stores the same waker, so whichever is ready first wakes the waiter.",
            "Return the first Ready with its index, and hand back the others unfinished: \
             dropping them would cancel their work.",
            "for (i, f) in futures.iter_mut().enumerate() { if let Ready(v) = f.as_mut().poll(cx) \
             { let mut rest = self.futures.take().unwrap(); rest.remove(i); return Ready((i, v, \
             rest)) } } Pending",
        ],
    },
    Exercise {
        number: 11,
        title: "A timeout",
        file: "src/ex11_timeout.rs",
        chapter: ("Cancellation: Python raises, Rust drops", "cancellation.md"),
        hints: &[
            "A timeout races the work against a sleep. In Rust, cancelling the work means \
             dropping it.",
            "Poll the work first (so work ready at the deadline counts as in time), then the \
             sleep; when the sleep wins, drop the work right away.",
            "poll the work with cx: Ready(v) => Ready(Ok(v)); then poll the sleep: Ready => { \
             self.future = None; Ready(Err(Elapsed)) }; else Pending",
        ],
    },
    Exercise {
        number: 12,
        title: "Counting polls with the tracer",
        file: "src/ex12_poll_counter.rs",
        chapter: ("Watching the loop", "watching_the_loop.md"),
        hints: &[
            "The tracer hands you every event the loop records; you only need two kinds of them.",
            "Spawned gives a task its name; Polled counts one poll of a task. Event is \
             non_exhaustive, so the match needs a `_ => {}` arm.",
            "match event { Event::Spawned { task, name } => names.insert(*task, name.clone()), \
             Event::Polled { task } => *polls.entry(*task).or_insert(0) += 1, _ => {} }",
        ],
    },
    Exercise {
        number: 13,
        title: "Extending tinyloop: a rate limiter",
        file: "src/ex13_rate_limiter.rs",
        chapter: ("Sleeping without blocking", "sleeping_without_blocking.md"),
        hints: &[
            "A rate limiter hands out time slots: each caller reserves the next free slot, then \
             sleeps until it.",
            "Reserve before the first await, so callers are served in the order they asked, and \
             an idle limiter banks no credit: a slot is never earlier than now.",
            "slot = max(now(), next_free); next_free = slot + interval (before any await); then \
             sleep_until(slot) if slot > now",
        ],
    },
    Exercise {
        number: 14,
        title: "A Lock with asyncio's semantics",
        file: "src/ex14_lock.rs",
        chapter: ("Lock: protecting shared state across an await", "lock.md"),
        hints: &[
            "asyncio's Lock does not hand itself over: release wakes the first waiter, and that \
             waiter takes the lock when it runs. The queue is what keeps newcomers out meanwhile.",
            "A waiter stays in `waiters` until its own poll takes the lock, so `waiters` is not \
             empty between the wake and that poll; the fast path checks `!locked && \
             waiters.is_empty()`. A dropped waiter that was woken must wake the next one.",
            "release: locked = false; wake_up_first(). poll, first time: fast path, else push \
             Waiter { id, waker, woken: false } and Pending; again: woken && !locked => remove \
             it, locked = true, Ready(Guard), else refresh the waker. Drop: retain(|w| w.id != \
             id); if !locked { wake_up_first() }",
        ],
    },
    Exercise {
        number: 15,
        title: "gather, joining many futures",
        file: "src/ex15_gather.rs",
        chapter: ("Waiting for many things", "waiting_for_many_things.md"),
        hints: &[
            "The gather is a future that polls its children itself, each with the gather's own \
             Context: any child's wake wakes the gathering task, and it polls them all again.",
            "Keep each child in an Option: Some while it runs, None once it finished (that drops \
             it, and a None is never polled again). Keep the outputs at their children's indexes.",
            "for (child, output) in children.iter_mut().zip(&mut outputs) { if let Some(f) = child \
             && let Ready(v) = f.as_mut().poll(cx) { *output = Some(v); *child = None } } then \
             Pending while any child is Some, else Ready(outputs unwrapped). try: on Err(e), \
             children.clear() and return Ready(Err((index, e)))",
        ],
    },
    Exercise {
        number: 16,
        title: "Cleanup on cancel, and a task group",
        file: "src/ex16_task_group.rs",
        chapter: ("Cancellation: Python raises, Rust drops", "cancellation.md"),
        hints: &[
            "In Rust a cancelled future is dropped, so cleanup lives in Drop. A wrapper that still \
             holds its cleanup when it is dropped knows its future never finished.",
            "with_cleanup: take() the cleanup when the future is Ready (Finished) and in drop if \
             it is still there (Cancelled). Join: after the first Err, cancel() the others, but \
             keep polling them: cancelled tasks end at their next turn and wake you.",
            "Join::poll: for each Some(handle): Ready(r) => { slot = None; match r { Ok(Err(e)) => \
             { errors.push(e); failed = true } Err(Cancelled) | Ok(Ok(())) => {} .. } }; if \
             failed { cancel every remaining handle }; Pending while any Some; then Ok or \
             Err(errors). Drop: cancel every remaining handle",
        ],
    },
    Exercise {
        number: 17,
        title: "to_thread: a job that wakes the loop",
        file: "src/ex17_to_thread.rs",
        chapter: (
            "Threads: to_thread, and why the loop must never block",
            "threads.md",
        ),
        hints: &[
            "Two threads share one Slot: the job's thread writes the result, the loop's task \
             reads it. The task leaves its waker there; the job's thread calls it when done.",
            "The race: the job may finish while the future is being polled. Do the job's \
             \"store result + take waker\" and the poll's \"check result + store waker\" each \
             under one lock. Wake after unlocking. catch_unwind turns a panic into Err.",
            "run_job: let r = catch_unwind(AssertUnwindSafe(job)).map_err(|_| JobPanicked); let \
             w = { let mut s = slot.lock().unwrap(); s.result = Some(r); s.waker.take() }; if let \
             Some(w) = w { w.wake() }. poll: lock; if let Some(r) = s.result.take() { Ready(r) } \
             else { s.waker = Some(cx.waker().clone()); Pending }",
        ],
    },
    Exercise {
        number: 18,
        title: "A readiness loop of your own",
        file: "src/ex18_readiness.rs",
        chapter: ("The reactor: asking the OS what is ready", "reactor.md"),
        hints: &[
            "Readable means one read will not block, not that one read gets everything; and \
             polling reports a registration once, then stays silent until you modify() it.",
            "accept and read in loops that end at ErrorKind::WouldBlock; after handling an event \
             re-arm with poller.modify: the listener for readable, a client for readable \
             (unless eof) and writable (while pending is not empty).",
            "serve: while !eof { match read { Ok(0) => eof = true, Ok(n) => pending.extend, \
             WouldBlock => break, .. } }; while !pending.is_empty() { match write(&pending) { \
             Ok(n) => drain(..n), WouldBlock => break, .. } }; eof && pending empty => \
             remove(key); else modify(&stream, Event { readable: !eof, writable: !pending.is_empty(), .. })",
        ],
    },
    Exercise {
        number: 19,
        title: "A crawler with a Semaphore and a Queue",
        file: "src/ex19_crawler.rs",
        chapter: ("The crawler, end to end", "crawler.md"),
        hints: &[
            "The Queue hands out the URLs and counts unfinished work (join() waits for zero); the \
             Semaphore bounds the fetches in flight, whatever the number of workers.",
            "Mark a page seen when you queue it, not when you fetch it; call task_done() only \
             after the page's links are queued; after join(), cancel the workers (they wait in \
             get() for ever).",
            "worker: loop { let Ok(url) = queue.get().await else { return }; visited.push(url); \
             let page = { let _p = limit.acquire().await; site.fetch(url).await }; for link in \
             links { if seen.insert(link) { queue.put_nowait(link) } } (or broken.push(url)); \
             queue.task_done() }. crawl: put start, spawn, queue.join().await, cancel each handle",
        ],
    },
    Exercise {
        number: 20,
        title: "A bounded Queue, asyncio's way",
        file: "src/ex20_bounded_queue.rs",
        chapter: ("Queue and the producer-consumer pattern", "queue.md"),
        hints: &[
            "asyncio's Queue does not hand items over: items go into the buffer, and a put wakes \
             one getter, taking it out of the line. The woken getter looks at the buffer again \
             when it runs, and may have to wait again.",
            "wakeup_next pops the front waiter and wakes it. poll: if the buffer has an item (or, \
             for put, room), act and wake one of the other line; else wait_in the line (it \
             requeues at the back a waiter that was woken and taken out).",
            "Get::poll: if let Some(item) = buffer.pop_front() { if let Some(id) = self.id.take() \
             { getters.retain(|(i, _)| *i != id) } wakeup_next(&mut putters); Ready(item) } else { \
             id = self.id or new_id(); wait_in(&mut getters, id, cx.waker()); Pending }. Drop: \
             retain; if it was not in line (woken) and the buffer is not empty, wakeup_next(getters)",
        ],
    },
];
