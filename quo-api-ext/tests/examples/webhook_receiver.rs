//! Runs the built `webhook_receiver` example in its demo mode
//! (`QUO_WEBHOOK_SECRET` removed from its environment): the demo server
//! delivers signed events to it, and what it prints is checked.
//!
//! Like every example here, the binary is looked up next to this test's own
//! binary (see [`crate::common`]); `cargo test -p quo-api-ext` builds the
//! examples first.

use crate::common::run_example;
use quo_api_ext::webhooks::Event;

/// Runs the example with `args` in demo mode. It ends by itself (every
/// delivery has a ten-second timeout).
fn run(args: &[&str]) -> (crate::common::Run, String, String) {
    let run = run_example("webhook_receiver", args, &["QUO_WEBHOOK_SECRET"], &[]);
    let (stdout, stderr) = (run.stdout.clone(), run.stderr.clone());
    (run, stdout, stderr)
}

#[test]
fn demo_mode_verifies_both_schemes_prints_the_events_and_rejects_a_forgery() {
    let (output, stdout, stderr) = run(&[]);
    assert!(output.success, "{stdout}\n{stderr}");
    assert!(stderr.contains("QUO_WEBHOOK_SECRET is not set"), "{stderr}");
    let lines: Vec<&str> = stdout.lines().collect();
    assert!(
        lines[0].starts_with("listening on http://127.0.0.1:"),
        "{stdout}"
    );
    // The message came signed with the Standard Webhooks key, from a demo
    // contact to the demo Quo number, with its text.
    let message = lines
        .iter()
        .find(|l| l.starts_with("standard message.received EV"))
        .unwrap_or_else(|| panic!("no message line in:\n{stdout}"));
    assert!(message.contains("-> +15555550100 [received]"), "{message}");
    assert!(
        message.contains("is the quote you sent still valid?"),
        "{message}"
    );
    let call = lines
        .iter()
        .find(|l| l.starts_with("legacy   call.completed EV"))
        .unwrap_or_else(|| panic!("no call line in:\n{stdout}"));
    assert!(call.contains("[completed], 285 s"), "{call}");
    assert!(
        lines.contains(&"rejected: no Standard Webhooks signature matches (1 checked)"),
        "{stdout}"
    );
    assert_eq!(
        lines.last(),
        Some(&"2 events verified, 1 deliveries rejected"),
        "{stdout}"
    );
}

#[test]
fn every_known_event_type_is_delivered_verified_and_decoded() {
    let mut args = Vec::new();
    for event_type in Event::KNOWN_TYPES {
        args.extend(["--event", *event_type]);
    }
    let (output, stdout, stderr) = run(&args);
    assert!(output.success, "{stdout}\n{stderr}");
    for (n, event_type) in Event::KNOWN_TYPES.iter().enumerate() {
        let scheme = if n % 2 == 0 { "standard" } else { "legacy  " };
        let prefix = format!("{scheme} {event_type} EV");
        let line = stdout
            .lines()
            .find(|l| l.starts_with(&prefix))
            .unwrap_or_else(|| panic!("no line starting {prefix:?} in:\n{stdout}"));
        assert!(!line.contains("not decoded"), "{line}");
    }
    assert!(
        stdout.contains(&format!(
            "{} events verified, 1 deliveries rejected",
            Event::KNOWN_TYPES.len()
        )),
        "{stdout}"
    );
}

#[test]
fn an_event_type_the_demo_server_does_not_know_is_one_error_line() {
    let (output, _, stderr) = run(&["--event", "call.exploded"]);
    assert_eq!(output.code, Some(1));
    let errors: Vec<&str> = stderr.lines().filter(|l| l.starts_with("error:")).collect();
    assert_eq!(errors.len(), 1, "{stderr}");
    assert!(errors[0].contains("event_type"), "{}", errors[0]);
}
