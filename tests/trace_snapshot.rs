//! A snapshot shows the loop's state at a chosen step: ready queue in order, timers with
//! deadlines and owners, every task with its state and what it waits on.

use std::cell::RefCell;
use std::rc::Rc;
use std::time::Duration;

use tinyloop::runtime::trace::{Event, MAIN, Snapshot, Tracer, WaitingOn, snapshot};
use tinyloop::{Builder, Instant, TaskState, sleep, spawn_named, yield_now};

/// Takes a snapshot when step `at` starts.
struct SnapshotAt {
    at: u64,
    taken: Rc<RefCell<Option<Snapshot>>>,
}

impl Tracer for SnapshotAt {
    fn event(&mut self, event: &Event) {
        if let Event::StepStarted { step, .. } = event
            && *step == self.at
        {
            *self.taken.borrow_mut() = snapshot();
        }
    }
}

fn snapshot_before_step(at: u64, main: impl Future<Output = ()>) -> Snapshot {
    let taken = Rc::new(RefCell::new(None));
    let tracer = SnapshotAt {
        at,
        taken: taken.clone(),
    };
    Builder::new()
        .virtual_clock(true)
        .tracer(tracer)
        .build()
        .block_on(main);
    taken.take().expect("the step was reached")
}

async fn three_sleepers() {
    let a = spawn_named("slow", sleep(Duration::from_millis(300)));
    let b = spawn_named("fast", sleep(Duration::from_millis(100)));
    let c = spawn_named("spinner", async {
        for _ in 0..3 {
            yield_now().await;
        }
    });
    a.await.unwrap();
    b.await.unwrap();
    c.await.unwrap();
}

#[test]
fn before_step_two_the_spawned_tasks_are_ready_in_spawn_order() {
    let snapshot = snapshot_before_step(2, three_sleepers());
    let names: Vec<String> = snapshot
        .ready
        .iter()
        .map(|id| snapshot.label_of(*id))
        .collect();
    assert_eq!(
        names,
        ["slow (task-1)", "fast (task-2)", "spinner (task-3)"]
    );
    assert!(snapshot.timers.is_empty());
    let main = snapshot.task(MAIN).unwrap();
    assert_eq!(main.state, TaskState::Idle);
    assert_eq!(snapshot.describe(main), "waiting on slow (task-1)");
}

#[test]
fn before_step_three_the_timers_are_listed_by_deadline_with_their_owners() {
    let snapshot = snapshot_before_step(3, three_sleepers());
    let timers: Vec<(Instant, String)> = snapshot
        .timers
        .iter()
        .map(|timer| (timer.deadline, snapshot.label_of(timer.owner.unwrap())))
        .collect();
    let at = |ms| Instant::from_start(Duration::from_millis(ms));
    assert_eq!(
        timers,
        [
            (at(100), "fast (task-2)".to_string()),
            (at(300), "slow (task-1)".to_string())
        ]
    );
    // Only the spinner, which yielded, is ready.
    assert_eq!(snapshot.ready.len(), 1);
    assert_eq!(snapshot.label_of(snapshot.ready[0]), "spinner (task-3)");
    let slow = snapshot.tasks.iter().find(|t| t.name == "slow").unwrap();
    assert_eq!(slow.state, TaskState::Idle);
    assert_eq!(slow.waiting_on, Some(WaitingOn::Timer(at(300))));
    assert!(snapshot.io.is_empty());
}

#[test]
fn a_snapshot_prints_as_the_step_mode_shows_it() {
    let text = snapshot_before_step(3, three_sleepers()).to_string();
    let expected = "  ready queue: spinner (task-3)
  timers:      t=0.10 fast (task-2)
               t=0.30 slow (task-1)
  I/O:         (none registered)
  tasks:       main              waiting on slow (task-1)
               slow (task-1)     waiting on a timer at t=0.30
               fast (task-2)     waiting on a timer at t=0.10
               spinner (task-3)  ready
";
    assert_eq!(text, expected);
}

#[test]
fn outside_a_loop_there_is_no_snapshot() {
    assert!(snapshot().is_none());
}

#[test]
fn the_snapshot_names_the_task_parked_on_each_socket() {
    tinyloop::run(async {
        let listener = tinyloop::TcpListener::bind("127.0.0.1:0").unwrap();
        let acceptor = spawn_named("acceptor", async move {
            let _ = listener.accept().await;
        });
        yield_now().await; // the acceptor tries accept, gets WouldBlock, and parks
        yield_now().await;
        let state = snapshot().expect("inside a loop");
        assert_eq!(state.io.len(), 1, "{state}");
        let io = &state.io[0];
        assert_eq!(io.reader, Some(acceptor.id()));
        assert_eq!(io.writer, None);
        assert!(io.source.starts_with("fd "), "{}", io.source);
        let shown = state.to_string();
        assert!(shown.contains("reader: acceptor"), "{shown}");
        acceptor.cancel();
    });
}
