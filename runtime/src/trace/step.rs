//! `--step`: stop before each step, show the loop's state, and wait for Enter.
//!
//! A debugger for the event loop itself. Before each step the [`Stepper`] prints the step's
//! number, the loop time and how long the step may block, then the [`Snapshot`](super::Snapshot):
//! the ready queue in the order the step will poll it, the timers with their owners, the
//! I/O sources, and every task with what it waits on. Then it reads one line:
//!
//! * an empty line (Enter): go on to the next step;
//! * `c`: continue, running to the end without stopping;
//! * `q`: quit the program at once (`std::process::exit(0)`, after flushing stdout).
//!
//! It reads any [`BufRead`], so a test can drive it through a pipe (`"\n\nc\n"`); at the end
//! of the input it continues as `c` does, so a program whose input runs out still ends.
//!
//! The stepper runs inside the loop (it is a tracer), so while it waits for a line the loop
//! is stopped: on the real clock, time passes meanwhile and timers come due; on the
//! virtual clock nothing moves.

use std::io::{BufRead, IsTerminal, Write};

use super::{Event, Tracer, snapshot};

/// The `--step` tracer: before each step it prints the step's number, the loop time, how
/// long the step may block, and the [`Snapshot`](super::Snapshot); then it reads a line.
/// Enter: the next step; `c`: run to the end; `q`: quit the program (`exit(0)`). At the end
/// of its input it runs to the end, as `c` does.
///
/// ```
/// use tinyloop_runtime::trace::Stepper;
/// use tinyloop_runtime::{Builder, yield_now};
///
/// // Two Enters (step 1, step 2), then `c`: the same answers a learner would type.
/// let stepper = Stepper::new(std::io::Cursor::new("\n\nc\n"));
/// let runtime = Builder::new().virtual_clock(true).tracer(stepper).build();
/// runtime.block_on(async {
///     yield_now().await;
///     yield_now().await;
/// });
/// assert_eq!(runtime.steps(), 3);
/// ```
pub struct Stepper {
    /// Where the answers come from: stdin, or a test's pipe.
    input: Box<dyn BufRead>,
    /// True after `c` or the end of the input: stop no more.
    running: bool,
    /// Print a newline after each answer: when the input is not a terminal, the user's Enter
    /// is not echoed, and the next line would otherwise continue the prompt.
    echo: bool,
}

impl Stepper {
    /// A stepper that reads its answers from stdin.
    pub fn stdin() -> Stepper {
        let stdin = std::io::stdin();
        let echo = !stdin.is_terminal();
        Stepper {
            input: Box::new(stdin.lock()),
            running: false,
            echo,
        }
    }

    /// A stepper that reads its answers from `input`.
    pub fn new(input: impl BufRead + 'static) -> Stepper {
        Stepper {
            input: Box::new(input),
            running: false,
            echo: true,
        }
    }

    /// Print the prompt and read one answer; returns false on `q`.
    fn ask(&mut self) -> bool {
        print!("  [Enter] next step · c run to the end · q quit > ");
        let _ = std::io::stdout().flush();
        let mut line = String::new();
        let read = self.input.read_line(&mut line);
        if self.echo {
            println!();
        }
        match (read, line.trim()) {
            (Ok(0) | Err(_), _) => {
                println!("  (end of input: running to the end)");
                self.running = true;
            }
            (_, "c") => self.running = true,
            (_, "q") => return false,
            _ => {}
        }
        true
    }
}

impl Tracer for Stepper {
    fn event(&mut self, event: &Event) {
        let Event::StepStarted { step, now, wait } = event else {
            return;
        };
        if self.running {
            return;
        }
        println!("{now} before step {step}: {wait}");
        if let Some(snapshot) = snapshot() {
            print!("{snapshot}");
        }
        if !self.ask() {
            println!("  quit at step {step}");
            let _ = std::io::stdout().flush();
            std::process::exit(0);
        }
    }
}
