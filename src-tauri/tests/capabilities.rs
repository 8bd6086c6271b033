#![allow(clippy::unwrap_used, clippy::expect_used)]
//! The window may do what the UI needs and nothing else: every command the app registers has
//! exactly one `allow-…` permission in the capability, the capability grants no other
//! command, plugin or file-system access (only listening to events and destroying its own
//! window), and the content security policy allows no remote or inline script.

use std::collections::BTreeSet;

const LIB: &str = include_str!("../src/lib.rs");
const BUILD: &str = include_str!("../build.rs");
const CAPABILITY: &str = include_str!("../capabilities/default.json");
const CONFIG: &str = include_str!("../tauri.conf.json");

/// The commands in `generate_handler![…]`, without their module.
fn registered() -> BTreeSet<String> {
    let start = LIB.find("generate_handler![").unwrap();
    let end = start + LIB[start..].find(']').unwrap();
    LIB[start + "generate_handler![".len()..end]
        .split(',')
        .map(str::trim)
        .filter(|s| !s.is_empty())
        .map(|s| s.rsplit("::").next().unwrap().to_owned())
        .collect()
}

/// The names in build.rs' COMMANDS list.
fn declared() -> BTreeSet<String> {
    let start = BUILD.find("const COMMANDS").unwrap();
    let end = start + BUILD[start..].find("];").unwrap();
    BUILD[start..end]
        .split('"')
        .skip(1)
        .step_by(2)
        .map(str::to_owned)
        .collect()
}

#[test]
fn every_registered_command_is_declared_and_allowed_and_nothing_else_is() {
    let registered = registered();
    assert!(registered.len() > 40, "{registered:?}");
    assert_eq!(
        declared(),
        registered,
        "build.rs COMMANDS and generate_handler! differ"
    );
    let capability: serde_json::Value = serde_json::from_str(CAPABILITY).unwrap();
    assert_eq!(capability["windows"], serde_json::json!(["main"]));
    let permissions: BTreeSet<String> = capability["permissions"]
        .as_array()
        .unwrap()
        .iter()
        .map(|p| p.as_str().unwrap().to_owned())
        .collect();
    let mut expected: BTreeSet<String> = registered
        .iter()
        .map(|c| format!("allow-{}", c.replace('_', "-")))
        .collect();
    expected.insert("core:event:allow-listen".into());
    expected.insert("core:event:allow-unlisten".into());
    // closing waits for typed text to be stored, then destroys the window
    expected.insert("core:window:allow-destroy".into());
    assert_eq!(permissions, expected);
}

#[test]
fn the_content_security_policy_allows_no_remote_and_no_inline_script() {
    let config: serde_json::Value = serde_json::from_str(CONFIG).unwrap();
    let csp = &config["app"]["security"]["csp"];
    assert_eq!(csp["default-src"], "'self'");
    assert_eq!(csp["script-src"], "'self'");
    assert_eq!(csp["object-src"], "'none'");
    for (directive, value) in csp.as_object().unwrap() {
        let value = value.as_str().unwrap();
        // the one http address allowed is Tauri's own IPC endpoint inside the app
        let value_without_ipc = value.replace("http://ipc.localhost", "");
        assert!(
            !value_without_ipc.contains("http") && !value.contains('*'),
            "{directive}: {value}"
        );
        if directive != "style-src" {
            assert!(!value.contains("unsafe"), "{directive}: {value}");
        }
    }
    assert_eq!(config["app"]["security"]["freezePrototype"], true);
    assert!(
        config["build"].get("devUrl").is_none(),
        "the app loads only its bundled assets"
    );
}
