//! Fitting typed text into terminal cells, shared by the popups that edit text: the end of a
//! line that fits (where the cursor is), and the editor's cells defanged.

use ratatui::buffer::Buffer;
use ratatui::layout::Rect;

use crate::text::{is_unsafe, width};

/// The end of `s` that fits in `cells` (where the cursor is), never splitting a grapheme.
pub fn tail(s: &str, cells: usize) -> String {
    use unicode_segmentation::UnicodeSegmentation;
    let mut out: Vec<&str> = Vec::new();
    let mut used = 0;
    for g in s.graphemes(true).rev() {
        let w = width(g);
        if used + w > cells {
            break;
        }
        used += w;
        out.push(g);
    }
    out.reverse();
    out.concat()
}

/// The text editor draws what was typed as is; a control, bidi or invisible character that
/// reached a cell (pasted, or back from `$EDITOR`) is shown as `�`, keeping the cell's width.
pub fn defang(area: Rect, buf: &mut Buffer) {
    for y in area.top()..area.bottom() {
        for x in area.left()..area.right() {
            let cell = &mut buf[(x, y)];
            if cell.symbol().chars().any(|c| is_unsafe(c, false)) {
                cell.set_symbol("�");
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_tail_fits_and_keeps_whole_graphemes() {
        assert_eq!(tail("Núñez 王小明", 5), "小明");
        assert_eq!(tail("Núñez 王小明", 6), "王小明");
        assert_eq!(tail("Núñez 王小明", 8), "z 王小明");
        assert_eq!(tail("ab👩‍⚕️", 3), "b👩‍⚕️");
        assert_eq!(tail("short", 40), "short");
    }

    #[test]
    fn an_unsafe_cell_is_defanged() {
        let area = Rect::new(0, 0, 3, 1);
        let mut buf = Buffer::empty(area);
        buf[(0, 0)].set_symbol("a");
        buf[(1, 0)].set_symbol("\u{202e}");
        buf[(2, 0)].set_symbol("\u{1b}");
        defang(area, &mut buf);
        assert_eq!(buf[(0, 0)].symbol(), "a");
        assert_eq!(buf[(1, 0)].symbol(), "�");
        assert_eq!(buf[(2, 0)].symbol(), "�");
    }
}
