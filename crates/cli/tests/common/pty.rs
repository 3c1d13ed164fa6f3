//! Driving `qadesk` in a pseudo-terminal, for the tests of its interactive forms and prompts.

use std::process::Command;
use std::time::Duration;

use expectrl::session::OsSession;
use expectrl::{Expect, Session};

/// Starts `command` in a pseudo-terminal; every wait for output gives up after 30 s.
pub fn spawn(command: Command) -> OsSession {
    let mut session = Session::spawn(command).expect("qadesk starts in a pty");
    session.set_expect_timeout(Some(Duration::from_secs(30)));
    session
}

/// Waits for a prompt, then types an answer and Enter.
pub fn answer(session: &mut OsSession, prompt: &str, text: &str) {
    session.expect(prompt).unwrap_or_else(|e| panic!("waiting for {prompt:?}: {e}"));
    session.send(text).expect("type");
    session.send("\r").expect("enter");
}
