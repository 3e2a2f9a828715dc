//! `task_order`: `spawn` schedules; the loop decides when a task starts.
//!
//! *From First Principles* says of `create_task`: "Schedules a coroutine to run concurrently", and *Asyncio Components*
//! that "Tasks automatically start execution when created". Both are half true: a new task
//! is put at the back of the ready queue, and it starts only when the task that spawned it
//! gives the loop control (awaits something that is not ready). Then the spawned tasks
//! start in spawn order, each in the next step of the loop.

use tinyloop::{current_step, spawn, yield_now};

use crate::{Options, say};

// ANCHOR: worker
async fn worker(name: &'static str) -> &'static str {
    say!("{name}: started in step {}", current_step());
    yield_now().await; // asyncio.sleep(0): let the others run
    say!("{name}: resumed in step {}", current_step());
    name
}
// ANCHOR_END: worker

/// The demo's program.
pub fn run(options: &Options) {
    options.run(async {
        // ANCHOR: main
        say!(
            "main: step {}: spawning worker-1, worker-2, worker-3",
            current_step()
        );
        let handles = [
            spawn(worker("worker-1")),
            spawn(worker("worker-2")),
            spawn(worker("worker-3")),
        ];
        let started = if options.eager_tasks {
            "each ran to its first await inside spawn (--eager)"
        } else {
            "none has started yet"
        };
        say!(
            "main: step {}: spawned all three; {started}",
            current_step()
        );
        let mut count = 0u64;
        for _ in 0..1_000_000 {
            count = std::hint::black_box(count) + 1; // busy work that never awaits
        }
        say!(
            "main: step {}: still running (counted to {count}); the workers still wait",
            current_step()
        );
        for handle in handles {
            let name = handle.await.expect("workers do not panic");
            say!("main: step {}: joined {name}", current_step());
        }
        // ANCHOR_END: main
    });
}
