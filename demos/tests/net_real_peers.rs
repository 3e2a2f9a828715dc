//! Programs nobody here wrote talk to the demos' servers: a Python asyncio client talks to
//! `echo --serve`, and `curl` fetches a page from the crawler's HTTP server. Each test is
//! skipped, with a note, where its program is missing.

use std::io::{BufRead, BufReader};
use std::process::{Command, Stdio};

use tinyloop::{run, to_thread};
use tinyloop_demos::net::http;

/// The server runs until killed: kill it (this test's own child, by its handle) however the
/// test ends.
struct KillOnDrop(std::process::Child);

impl Drop for KillOnDrop {
    fn drop(&mut self) {
        let _ = self.0.kill();
        let _ = self.0.wait();
    }
}

#[test]
fn a_python_asyncio_client_talks_to_the_echo_demo() {
    if Command::new("python3").arg("--version").output().is_err() {
        eprintln!("note: python3 is not installed; skipping the real-peer test");
        return;
    }
    let mut demo = KillOnDrop(
        Command::new(env!("CARGO_BIN_EXE_tinyloop-demos"))
            .args(["echo", "--virtual", "--serve"])
            .stdout(Stdio::piped())
            .spawn()
            .expect("the demos runner starts"),
    );
    // Its last line names the port: "t=1.20 serving on 127.0.0.1:PORT: try `nc ...`".
    let mut lines = BufReader::new(demo.0.stdout.take().unwrap()).lines();
    let addr = lines
        .by_ref()
        .map(|line| line.unwrap())
        .find_map(|line| {
            let rest = line.split_once("serving on ")?.1;
            Some(rest.split(':').take(2).collect::<Vec<_>>().join(":"))
        })
        .expect("echo --serve prints its address");
    let port = addr.rsplit(':').next().unwrap().to_string();
    const CLIENT: &str = r#"
import asyncio, sys
async def main(port):
    reader, writer = await asyncio.open_connection("127.0.0.1", port)
    for word in ["hello", "from", "python"]:
        writer.write((word + "\n").encode())
        await writer.drain()
        print((await reader.readline()).decode().strip())
    writer.close()
    await writer.wait_closed()
asyncio.run(main(int(sys.argv[1])))
"#;
    let output = Command::new("python3")
        .args(["-c", CLIENT, &port])
        .output()
        .unwrap();
    drop(demo);
    assert!(
        output.status.success(),
        "{}",
        String::from_utf8_lossy(&output.stderr)
    );
    assert_eq!(
        String::from_utf8_lossy(&output.stdout),
        "hello\nfrom\npython\n"
    );
}

#[test]
fn curl_fetches_a_page_of_the_crawlers_site() {
    if std::process::Command::new("curl")
        .arg("--version")
        .output()
        .is_err()
    {
        eprintln!("note: curl is not installed; skipping the real-peer test");
        return;
    }
    run(async {
        let server = http::serve().unwrap();
        let url = format!("http://{}/page/1", server.addr);
        let output = to_thread(move || {
            std::process::Command::new("curl")
                .args([
                    "--silent",
                    "--show-error",
                    "--include",
                    "--max-time",
                    "10",
                    &url,
                ])
                .output()
                .unwrap()
        })
        .await
        .unwrap();
        assert!(
            output.status.success(),
            "{}",
            String::from_utf8_lossy(&output.stderr)
        );
        let text = String::from_utf8_lossy(&output.stdout);
        assert!(text.starts_with("HTTP/1.1 200 OK\r\n"), "{text}");
        assert!(text.contains("<h1>Page 1</h1>"), "{text}");
        assert_eq!(
            http::find_links(&text),
            ["/page/3", "/page/4", "/page/0"],
            "the links the crawler follows"
        );
        let missing = to_thread({
            let url = format!("http://{}/missing", server.addr);
            move || {
                std::process::Command::new("curl")
                    .args([
                        "--silent",
                        "--output",
                        "/dev/null",
                        "--write-out",
                        "%{http_code}",
                        &url,
                    ])
                    .output()
                    .unwrap()
            }
        })
        .await
        .unwrap();
        assert_eq!(String::from_utf8_lossy(&missing.stdout), "404");
        server.stop();
    });
}
