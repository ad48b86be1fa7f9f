//! The terminal sanitizer: whatever the text, the output has no control character (C0 but the
//! kept newline and tab, DEL, C1) and no bidi or invisible character that `is_unsafe` names.
#![no_main]

use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let text = String::from_utf8_lossy(data);
    let multi = kamnote::text::sanitize(&text);
    assert!(
        !multi.chars().any(|c| kamnote::text::is_unsafe(c, true)),
        "{multi:?}"
    );
    assert!(
        !multi
            .chars()
            .any(|c| c.is_control() && c != '\n' && c != '\t'),
        "{multi:?}"
    );
    let line = kamnote::text::sanitize_line(&text);
    assert!(
        !line.chars().any(|c| kamnote::text::is_unsafe(c, false)),
        "{line:?}"
    );
    assert!(!line.chars().any(char::is_control), "{line:?}");
    for cells in [0, 1, 2, 7, 40] {
        let fitted = kamnote::text::fit(&line, cells);
        assert_eq!(
            kamnote::text::width(&fitted),
            cells,
            "{fitted:?} for {cells}"
        );
    }
});
