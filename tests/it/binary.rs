//! The built `kam` itself: linked at a fixed address on Linux (build.rs), so that its start
//! patches no pointers, unless it was built with `KAM_PIE=1`.

/// ELF's `e_type` (bytes 16–17, little-endian on x86-64 and aarch64): 2 is a fixed-address
/// executable, 3 a position-independent one.
fn elf_type(path: &str) -> Option<u16> {
    let head = std::fs::read(path).ok()?;
    (head.get(..4)? == b"\x7fELF").then(|| u16::from_le_bytes([head[16], head[17]]))
}

#[test]
fn kam_is_linked_at_a_fixed_address_unless_asked_for_pie() {
    if !cfg!(all(target_os = "linux", target_env = "gnu")) {
        eprintln!("note: not Linux with glibc; build.rs leaves the link alone");
        return;
    }
    let expected = if option_env!("KAM_PIE") == Some("1") {
        3
    } else {
        2
    };
    assert_eq!(elf_type(env!("CARGO_BIN_EXE_kam")), Some(expected));
}
