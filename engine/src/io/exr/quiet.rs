//! Keeps the exr crate's panics on damaged files off the terminal: they
//! become an error naming the file instead. A panic hook, installed once,
//! stays silent (remembering the message) while this thread is inside
//! [`super::guarded`], and hands every other panic to the hook that was there
//! before.

use std::cell::{Cell, RefCell};
use std::sync::Once;

thread_local! {
    static QUIET: Cell<bool> = const { Cell::new(false) };
    static MESSAGE: RefCell<Option<String>> = const { RefCell::new(None) };
}

pub fn install() {
    static ONCE: Once = Once::new();
    ONCE.call_once(|| {
        let previous = std::panic::take_hook();
        std::panic::set_hook(Box::new(move |info| {
            if QUIET.with(Cell::get) {
                let text = info
                    .payload()
                    .downcast_ref::<&str>()
                    .map(|s| s.to_string())
                    .or_else(|| info.payload().downcast_ref::<String>().cloned())
                    .unwrap_or_default();
                let at = info
                    .location()
                    .map(|l| {
                        // The last two path components: "b44/mod.rs".
                        let mut parts = l.file().rsplit('/');
                        let file = parts.next().unwrap_or("");
                        match parts.next() {
                            Some(dir) => format!(" at {dir}/{file}:{}", l.line()),
                            None => format!(" at {file}:{}", l.line()),
                        }
                    })
                    .unwrap_or_default();
                MESSAGE.with(|m| *m.borrow_mut() = Some(format!("{text}{at}")));
            } else {
                previous(info);
            }
        }));
    });
}

pub fn set(on: bool) {
    QUIET.with(|q| q.set(on));
    if on {
        MESSAGE.with(|m| *m.borrow_mut() = None);
    }
}

pub fn last_message() -> Option<String> {
    MESSAGE.with(|m| m.borrow_mut().take())
}
