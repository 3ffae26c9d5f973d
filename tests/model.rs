//! Model behaviours checked against what the kernel prints.

use nslab::Lab;

fn run(src: &str) -> String {
    let mut lab = Lab::new(1);
    let r = lab.run_shell(src, "model.sh");
    assert_eq!(r.failures, 0, "{}", lab.output());
    lab.output()
}

#[test]
fn secondary_address_routes_use_the_primary_as_source() {
    let out = run("ip link add d0 type dummy\nip link set d0 up\nip addr add 10.1.1.1/24 dev d0\nip addr add 10.1.1.9/24 dev d0\nip route show table local dev d0\nip addr del 10.1.1.9/24 dev d0\nip route show table local dev d0\n");
    // As `ip route show table local` on the kernel: the secondary's local route has src = primary.
    let (before, after) = out.split_at(
        out.find("local 10.1.1.1")
            .and_then(|i| out[i + 1..].find("local 10.1.1.1").map(|j| i + 1 + j))
            .expect("two listings"),
    );
    assert!(
        before.contains("local 10.1.1.9 proto kernel scope host src 10.1.1.1"),
        "{out}"
    );
    assert!(!after.contains("10.1.1.9"), "{out}");
    assert!(
        after.contains("local 10.1.1.1 proto kernel scope host src 10.1.1.1"),
        "{out}"
    );
}

#[test]
fn http_server_job_curl_ss_and_kill() {
    let out = run(r#"ip netns add pod
ip netns exec pod ip link set lo up
echo hello > index.txt
ip netns exec pod python3 -m http.server --bind 127.0.0.1 8080 &
ip netns exec pod ss -tln | grep -q '127.0.0.1:8080' && echo listening
ip netns exec pod curl -sS http://127.0.0.1:8080/index.txt
ip netns exec pod curl -sS -o got.txt http://127.0.0.1:8080/index.txt
cat got.txt
ip netns exec pod curl -s http://127.0.0.1:8081/ || echo "rc=$?"
ip netns exec pod curl -sS http://127.0.0.1:8081/ || echo "rc=$?"
kill %1
wait
ip netns exec pod ss -tln | grep -c LISTEN || echo none
curl -sS nosuchhost || echo "rc=$?"
"#);
    assert_eq!(
        out,
        "Serving HTTP on 127.0.0.1 port 8080 (http://127.0.0.1:8080/) ...\nlistening\n\
         127.0.0.1 - - [01/Jan/1970 00:00:00] \"GET /index.txt HTTP/1.1\" 200 -\nhello\n\
         127.0.0.1 - - [01/Jan/1970 00:00:00] \"GET /index.txt HTTP/1.1\" 200 -\nhello\nrc=7\n\
         curl: (7) Failed to connect to 127.0.0.1 port 8081 after 0 ms: Couldn't connect to server\nrc=7\n\
         0\nnone\n\
         curl: (6) Could not resolve host: nosuchhost\nrc=6\n"
    );
}
