//! Text input through `parse`. Text cut into pieces and parsed on several
//! threads must give the same bytes as text parsed in one go.

#![no_main]

use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let Ok(text) = std::str::from_utf8(data) else {
        return;
    };
    let whole = wasmscope::parse::parse_text(text, "fuzz.wat");
    // About four pieces, as large inputs are cut; one piece per function
    // would parse the declarations once per function.
    let chunk = (text.len() / 4).max(1);
    if let Some(pieces) = wasmscope::parse::parse_in_pieces(text, 2, chunk) {
        match &whole {
            Ok(bytes) => assert!(*bytes == pieces, "parsed differently in pieces"),
            Err(e) => panic!("the text parsed in pieces but not in one go: {e}"),
        }
    }
    if let Ok(bytes) = whole {
        let _ = wasmscope::validate::validate(
            &bytes,
            "fuzz.wat",
            wasmscope::features::default_features(),
        );
    }
});
