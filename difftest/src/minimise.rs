//! Shrinks a lab that differs to a small reproducer: delete chunks of lines (halving the chunk
//! size down to one line, ddmin-style) while the caller's test says the difference persists.
//! The `# --- traffic ---` marker and the first line (the header) are never deleted.

/// Returns the smallest lab found; `still_differs` is called with candidate lab texts and must
/// be true for the input (it is not re-checked).
pub fn minimise(text: &str, mut still_differs: impl FnMut(&str) -> bool) -> String {
    let mut lines: Vec<String> = text.lines().map(str::to_string).collect();
    let removable = |i: usize, l: &str| i != 0 && l != "# --- traffic ---";
    let mut chunk = (lines.len() / 2).max(1);
    loop {
        let mut changed = false;
        let mut start = 0;
        while start < lines.len() {
            let end = (start + chunk).min(lines.len());
            let drop: Vec<usize> = (start..end).filter(|&i| removable(i, &lines[i])).collect();
            if drop.is_empty() {
                start = end;
                continue;
            }
            let cand: Vec<String> = lines
                .iter()
                .enumerate()
                .filter(|(i, _)| !drop.contains(i))
                .map(|(_, l)| l.clone())
                .collect();
            if still_differs(&(cand.join("\n") + "\n")) {
                lines = cand;
                changed = true;
            } else {
                start = end;
            }
        }
        if !changed {
            if chunk == 1 {
                break;
            }
            chunk /= 2;
        }
    }
    lines.join("\n") + "\n"
}

#[cfg(test)]
mod tests {
    use super::minimise;

    #[test]
    fn shrinks_a_synthetic_difference_to_its_cause() {
        // The "difference" needs the namespace, the route and the ping: everything else goes.
        let lab = crate::gen::generate(3);
        let lab = format!("{lab}ip netns exec n1 ping -c 1 10.9.9.9\n").replace(
            "# --- traffic ---\n",
            "ip -n n1 route add 10.9.9.0/24 dev e0\n# --- traffic ---\n",
        );
        let needs = [
            "ip netns add n1",
            "ip -n n1 route add 10.9.9.0/24 dev e0",
            "ping -c 1 10.9.9.9",
        ];
        let mut calls = 0;
        let small = minimise(&lab, |t| {
            calls += 1;
            needs.iter().all(|n| t.contains(n))
        });
        let lines: Vec<&str> = small.lines().collect();
        assert_eq!(lines.len(), 5, "{small}");
        assert!(lines[0].starts_with("# nslab difftest lab"));
        assert_eq!(lines[1], "ip netns add n1");
        assert_eq!(lines[2], "ip -n n1 route add 10.9.9.0/24 dev e0");
        assert_eq!(lines[3], "# --- traffic ---");
        assert_eq!(lines[4], "ip netns exec n1 ping -c 1 10.9.9.9");
        assert!(calls < 200, "{calls} calls");
    }

    #[test]
    fn a_difference_needing_everything_keeps_everything() {
        let lab = "# h\na\nb\n# --- traffic ---\nc\n";
        assert_eq!(minimise(lab, |t| t == lab), lab);
    }
}
