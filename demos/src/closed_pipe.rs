//! `tinyloop-demos NAME | head`: a reader who closes the pipe early is not a crash.
//!
//! Rust ignores `SIGPIPE`, so a write to a pipe whose reader has gone fails with
//! `BrokenPipe`, and `println!` turns that failure into a panic: "failed printing to stdout:
//! Broken pipe". The demos print with `println!` everywhere (in tasks too), so the runner
//! catches the outcome once, at the top: a panic hook that sees this one message ends the
//! process quietly with status 0 (the reader asked for no more; a tool killed by `SIGPIPE`
//! ends just as silently), and leaves every other panic to the default hook.

/// Install the hook. Call once, first thing in `main`.
pub fn exit_quietly_when_stdout_closes() {
    let default_hook = std::panic::take_hook();
    std::panic::set_hook(Box::new(move |info| {
        let message = info.payload_as_str().unwrap_or("");
        if is_closed_stdout(message) {
            std::process::exit(0);
        }
        default_hook(info);
    }));
}

/// Whether a panic message is `println!`'s report of a closed stdout.
fn is_closed_stdout(message: &str) -> bool {
    message.starts_with("failed printing to stdout") && message.contains("Broken pipe")
}

#[cfg(test)]
mod tests {
    use super::is_closed_stdout;

    #[test]
    fn only_a_broken_stdout_pipe_is_taken_for_a_closed_reader() {
        assert!(is_closed_stdout(
            "failed printing to stdout: Broken pipe (os error 32)"
        ));
        assert!(!is_closed_stdout(
            "failed printing to stdout: No space left on device (os error 28)"
        ));
        assert!(!is_closed_stdout("the task panicked: Broken pipe"));
    }
}
