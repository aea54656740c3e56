//! SIGINT/SIGTERM: the first stops the render taking new frames (frames in
//! hand finish, no partial file is left) and the run exits 130/143; a second
//! SIGINT ends the process at once.

use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::Arc;

use signal_hook::consts::{SIGINT, SIGTERM};

pub struct Signals {
    pub int: Arc<AtomicBool>,
    pub term: Arc<AtomicBool>,
    /// Set by either signal: what the pipeline watches.
    pub cancel: Arc<AtomicBool>,
}

impl Signals {
    pub fn install() -> Signals {
        let s = Signals {
            int: Arc::new(AtomicBool::new(false)),
            term: Arc::new(AtomicBool::new(false)),
            cancel: Arc::new(AtomicBool::new(false)),
        };
        for (sig, code, flag) in [(SIGINT, 130, &s.int), (SIGTERM, 143, &s.term)] {
            // Registered first, so it sees the flag before this signal sets it:
            // a second signal of the same kind exits at once, with its own code.
            let _ = signal_hook::flag::register_conditional_shutdown(sig, code, Arc::clone(flag));
            let _ = signal_hook::flag::register(sig, Arc::clone(flag));
            let _ = signal_hook::flag::register(sig, Arc::clone(&s.cancel));
        }
        s
    }

    /// 130 after SIGINT, 143 after SIGTERM, else None.
    pub fn exit_code(&self) -> Option<u8> {
        if self.term.load(Ordering::SeqCst) {
            Some(143)
        } else if self.int.load(Ordering::SeqCst) {
            Some(130)
        } else {
            None
        }
    }
}
