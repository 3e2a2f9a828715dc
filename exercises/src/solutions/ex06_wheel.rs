//! Reference solution of exercise 06 (see `src/ex06_wheel.rs` for the instructions).

use std::cell::{Cell, RefCell};
use std::collections::{HashMap, VecDeque};
use std::future::Future;
use std::pin::Pin;
use std::rc::Rc;
use std::sync::{Arc, Mutex};
use std::task::{Context, Poll, Waker};
use std::time::Duration;

/// A one-level timing wheel: `slots.len()` slots of one tick (one millisecond) each.
///
/// A timer due at tick `d` lives in slot `d % slots.len()`. A slot holds every timer whose
/// deadline falls on it in *any* revolution of the wheel, so `poll` must check each timer's
/// deadline, not only its slot.
pub struct Wheel {
    /// The timers, by slot. Invariant: a timer with `deadline >= elapsed` is in slot
    /// `deadline % len`; one filed with `deadline < elapsed` (already due) is in slot
    /// `elapsed % len`, where the next `poll` looks first.
    slots: Vec<Vec<Entry>>,
    /// The tick of the last `poll` (0 before any): every timer due before it has fired.
    elapsed: u64,
    /// How many timers are filed.
    len: usize,
    /// Numbers timers in the order they were inserted, to break ties between equal deadlines.
    next_seq: u64,
}

/// One timer in a slot.
pub struct Entry {
    /// The tick it is due at.
    pub deadline: u64,
    /// Its insertion number (see `Wheel::next_seq`).
    pub seq: u64,
    /// What `poll` hands back for it.
    pub key: u64,
}

impl Wheel {
    /// A wheel of `slots` one-tick slots, at tick 0.
    pub fn new(slots: usize) -> Wheel {
        assert!(slots > 0, "a wheel needs at least one slot");
        Wheel {
            slots: (0..slots).map(|_| Vec::new()).collect(),
            elapsed: 0,
            len: 0,
            next_seq: 0,
        }
    }

    /// How many timers are filed.
    pub fn len(&self) -> usize {
        self.len
    }

    /// Whether no timer is filed.
    pub fn is_empty(&self) -> bool {
        self.len == 0
    }

    /// The earliest deadline filed, if any. A scan of every timer: a teaching simplification
    /// (tinyloop's wheel keeps a bitmap of non-empty slots per level instead).
    pub fn next_deadline(&self) -> Option<u64> {
        self.slots
            .iter()
            .flatten()
            .map(|entry| entry.deadline)
            .min()
    }

    // ANCHOR: insert
    /// Files timer `key` to fire at tick `deadline`.
    pub fn insert(&mut self, deadline: u64, key: u64) {
        let seq = self.next_seq;
        self.next_seq += 1;
        // Already due: file it where the next poll starts looking.
        let tick = deadline.max(self.elapsed);
        let slot = (tick % self.slots.len() as u64) as usize;
        self.slots[slot].push(Entry { deadline, seq, key });
        self.len += 1;
    }
    // ANCHOR_END: insert

    // ANCHOR: poll
    /// Advances the wheel to tick `now` and returns the keys of every timer due at or before
    /// `now`, in deadline order, ties in insertion order. Removes them.
    pub fn poll(&mut self, now: u64) -> Vec<u64> {
        let now = now.max(self.elapsed);
        let len = self.slots.len() as u64;
        // Visit the slots of ticks elapsed..=now; after one revolution every slot has been seen.
        let last = now.min(self.elapsed + len - 1);
        let mut due = Vec::new();
        for tick in self.elapsed..=last {
            let slot = &mut self.slots[(tick % len) as usize];
            let mut i = 0;
            while i < slot.len() {
                if slot[i].deadline <= now {
                    due.push(slot.swap_remove(i));
                } else {
                    i += 1; // due in a later revolution: it stays
                }
            }
        }
        // The current tick stays unfinished: a timer may still be filed for it.
        self.elapsed = now;
        self.len -= due.len();
        due.sort_by_key(|entry| (entry.deadline, entry.seq));
        due.into_iter().map(|entry| entry.key).collect()
    }
    // ANCHOR_END: poll
}

/// A task's future, boxed so tasks of different types fit in one map.
type BoxedTask = Pin<Box<dyn Future<Output = ()>>>;

/// Exercise 05's executor, with its heap replaced by a [`Wheel`] of 64 one-millisecond slots.
#[derive(Clone)]
pub struct Executor {
    inner: Rc<Inner>,
}

struct Inner {
    /// Every live task's future, by id; the task being polled is taken out while it runs.
    tasks: RefCell<HashMap<usize, BoxedTask>>,
    /// The id the next spawned task gets.
    next_id: Cell<usize>,
    /// Ids of tasks to poll, FIFO.
    ready: Arc<Mutex<VecDeque<usize>>>,
    /// The loop's virtual clock.
    now: Cell<Duration>,
    /// Pending timers, filed by deadline in whole milliseconds (rounded up).
    wheel: RefCell<Wheel>,
    /// The waker of each pending timer, by timer key. A key is here exactly while its timer
    /// is in the wheel.
    wakers: RefCell<HashMap<u64, Waker>>,
    /// The key the next timer gets.
    next_timer: Cell<u64>,
}

impl Default for Executor {
    fn default() -> Executor {
        Executor::new()
    }
}

impl Executor {
    /// The number of slots of the executor's wheel.
    pub const SLOTS: usize = 64;

    /// An executor with no tasks, its clock at zero.
    pub fn new() -> Executor {
        Executor {
            inner: Rc::new(Inner {
                tasks: RefCell::default(),
                next_id: Cell::default(),
                ready: Arc::default(),
                now: Cell::default(),
                wheel: RefCell::new(Wheel::new(Executor::SLOTS)),
                wakers: RefCell::default(),
                next_timer: Cell::default(),
            }),
        }
    }

    /// The loop's clock.
    pub fn now(&self) -> Duration {
        self.inner.now.get()
    }

    /// How many timers are waiting to fire.
    pub fn pending_timers(&self) -> usize {
        self.inner.wheel.borrow().len()
    }

    /// Schedules a task.
    pub fn spawn(&self, future: impl Future<Output = ()> + 'static) {
        let id = self.inner.next_id.get();
        self.inner.next_id.set(id + 1);
        self.inner.tasks.borrow_mut().insert(id, Box::pin(future));
        self.inner.ready.lock().unwrap().push_back(id);
    }

    /// A future that is ready once the clock reaches `now() + duration`.
    pub fn sleep(&self, duration: Duration) -> Sleep {
        Sleep {
            executor: self.clone(),
            deadline: self.now() + duration,
            timer: None,
        }
    }

    /// Runs tasks and fires timers until there is neither a ready task nor a timer.
    pub fn run(&self) {
        loop {
            self.run_ready();
            if !self.fire_timers() {
                return;
            }
        }
    }

    /// Polls ready tasks, FIFO, until none is ready.
    fn run_ready(&self) {
        loop {
            let Some(id) = self.inner.ready.lock().unwrap().pop_front() else {
                return;
            };
            let Some(mut future) = self.inner.tasks.borrow_mut().remove(&id) else {
                continue;
            };
            let ready = self.inner.ready.clone();
            let waker = waker_fn::waker_fn(move || ready.lock().unwrap().push_back(id));
            if future
                .as_mut()
                .poll(&mut Context::from_waker(&waker))
                .is_pending()
            {
                self.inner.tasks.borrow_mut().insert(id, future);
            }
        }
    }

    /// Files a timer that wakes `waker` at `deadline` (rounded up to a whole millisecond, so
    /// it never fires early); returns its key.
    fn add_timer(&self, deadline: Duration, waker: Waker) -> u64 {
        let key = self.inner.next_timer.get();
        self.inner.next_timer.set(key + 1);
        let ms = deadline.as_nanos().div_ceil(1_000_000) as u64;
        self.inner.wheel.borrow_mut().insert(ms, key);
        self.inner.wakers.borrow_mut().insert(key, waker);
        key
    }

    /// Replaces the waker of pending timer `key`.
    fn update_timer(&self, key: u64, waker: &Waker) {
        if let Some(stored) = self.inner.wakers.borrow_mut().get_mut(&key) {
            stored.clone_from(waker);
        }
    }

    /// Called when no task is ready: jumps the clock to the earliest deadline and wakes every
    /// timer due then. `false` when there is no timer.
    fn fire_timers(&self) -> bool {
        let Some(next) = self.inner.wheel.borrow().next_deadline() else {
            return false;
        };
        let now = self.now().max(Duration::from_millis(next));
        self.inner.now.set(now);
        let due = self.inner.wheel.borrow_mut().poll(now.as_millis() as u64);
        for key in due {
            if let Some(waker) = self.inner.wakers.borrow_mut().remove(&key) {
                waker.wake();
            }
        }
        true
    }
}

/// The future returned by [`Executor::sleep`] (exercise 05's, given).
#[must_use = "futures do nothing unless you `.await` or poll them"]
pub struct Sleep {
    /// The loop whose clock and timers it uses.
    executor: Executor,
    /// When it is ready.
    deadline: Duration,
    /// Its timer's key, once it has filed one.
    timer: Option<u64>,
}

impl Future for Sleep {
    type Output = ();

    fn poll(mut self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<()> {
        if self.executor.now() >= self.deadline {
            return Poll::Ready(());
        }
        match self.timer {
            Some(key) => self.executor.update_timer(key, cx.waker()),
            None => {
                let key = self.executor.add_timer(self.deadline, cx.waker().clone());
                self.timer = Some(key);
            }
        }
        Poll::Pending
    }
}
