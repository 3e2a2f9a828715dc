//! `Event`'s line under churn: waits that time out in the middle of the line, around
//! waiters that stay, leave the stayers' order and count intact (the line squeezes the gaps
//! out as it goes, `core/ticket_line.rs`). asyncio (3.10-3.13, the program below) wakes
//! the stayers in the order they came: a, b, c.
//!
//! ```python
//! async def main():
//!     event, log = asyncio.Event(), []
//!     async def stayer(name, delay):
//!         await asyncio.sleep(delay); await event.wait(); log.append(name)
//!     async def churner(k):
//!         for _ in range(50):
//!             try: await asyncio.wait_for(event.wait(), (1 + k % 5) / 1000)
//!             except asyncio.TimeoutError: pass
//!     tasks = [asyncio.create_task(stayer("a", 0))]
//!     tasks += [asyncio.create_task(churner(k)) for k in range(20)]
//!     tasks += [asyncio.create_task(stayer("b", 0.03)), asyncio.create_task(stayer("c", 0.06))]
//!     await asyncio.sleep(0.5); event.set(); await asyncio.gather(*tasks); print(log)
//! ```

use std::cell::RefCell;
use std::rc::Rc;
use std::time::Duration;

use tinyloop_primitives::Event;
use tinyloop_runtime::time::{sleep, timeout};
use tinyloop_runtime::{run_virtual, spawn};

fn ms(millis: u64) -> Duration {
    Duration::from_millis(millis)
}

#[test]
fn waits_timing_out_around_waiters_that_stay_keep_their_order() {
    let log = run_virtual(async {
        let event = Event::new();
        let log: Rc<RefCell<Vec<&str>>> = Rc::default();
        let stayer = |name: &'static str, delay: u64| {
            let (event, log) = (event.clone(), log.clone());
            spawn(async move {
                sleep(ms(delay)).await;
                event.wait().await;
                log.borrow_mut().push(name);
            })
        };
        let mut tasks = vec![stayer("a", 0)];
        for k in 0..20 {
            let event = event.clone();
            tasks.push(spawn(async move {
                for _ in 0..50 {
                    let waited = timeout(ms(1 + k % 5), event.wait()).await;
                    assert!(waited.is_err(), "nobody sets the event yet");
                }
            }));
        }
        tasks.push(stayer("b", 30));
        tasks.push(stayer("c", 60));
        sleep(ms(500)).await;
        assert_eq!(event.waiting(), 3, "only the stayers are left in line");
        event.set();
        for task in tasks {
            task.await.unwrap();
        }
        assert_eq!(event.waiting(), 0);
        log.take()
    });
    assert_eq!(log, ["a", "b", "c"]);
}
