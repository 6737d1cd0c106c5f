//! A greeter component: `example:greeter/greet` in Rust, built for
//! wasm32-wasip2 with wit-bindgen. It imports the WASI wall clock (to greet
//! by the time of day) and the WASI interfaces the Rust standard library
//! needs.

use std::sync::atomic::{AtomicU64, Ordering};

wit_bindgen::generate!({
    world: "greeter",
    path: "wit",
    // The WASI clock is generated here too, not taken from another crate.
    generate_all,
});

use exports::example::greeter::greet::{Greeting, Guest, Language};
use wasi::clocks::wall_clock;

static COUNT: AtomicU64 = AtomicU64::new(0);

struct Greeter;

impl Guest for Greeter {
    fn hello(name: String, language: Language) -> Result<Greeting, String> {
        let name = name.trim();
        if name.is_empty() {
            return Err("no name to greet".to_string());
        }
        // Morning or not, by the host's clock (UTC).
        let hour = (wall_clock::now().seconds / 3600) % 24;
        let text = match (language, hour < 12) {
            (Language::English, true) => format!("Good morning, {name}"),
            (Language::English, false) => format!("Hello, {name}"),
            (Language::French, true) => format!("Bonjour, {name}"),
            (Language::French, false) => format!("Salut, {name}"),
            (Language::German, true) => format!("Guten Morgen, {name}"),
            (Language::German, false) => format!("Hallo, {name}"),
        };
        COUNT.fetch_add(1, Ordering::Relaxed);
        Ok(Greeting {
            exclamations: u8::try_from(name.len() % 3).unwrap_or(0) + 1,
            text,
            language,
        })
    }

    fn count() -> u64 {
        COUNT.load(Ordering::Relaxed)
    }
}

export!(Greeter);
