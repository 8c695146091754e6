"""A minimal stand-in Hub for the download benchmark: one file, served from disk with sendfile.

Answers HEAD and GET (with Range) on /{org}/{name}/resolve/{revision}/{filename} with the Hub's headers
(X-Repo-Commit, X-Linked-Etag, X-Linked-Size), keeps connections alive, and prints its port on stdout.
http.server is too slow for gigabytes; asyncio with loop.sendfile keeps the server far faster than any client.

Usage: hub_server.py --file PATH --repo org/name [--repo org/other ...] --filename NAME --sha256 HEX [--port 0]
       [--rate BYTES_PER_SECOND]
(each --repo serves the same file)
"""

import argparse
import asyncio
import os
import sys

COMMIT = "0123456789abcdef0123456789abcdef01234567"


def parse_range(header: str, size: int):
    if not header.startswith("bytes="):
        return None
    start_text, _, end_text = header[len("bytes="):].partition("-")
    if not start_text:
        return None
    start = int(start_text)
    end = int(end_text) + 1 if end_text else size
    return start, min(end, size)


async def handle(reader, writer, args, size):
    try:
        await serve(reader, writer, args, size)
    except ConnectionError:
        pass  # a client that stops early (or is killed) is part of the benchmark, not an error
    finally:
        writer.close()


async def serve(reader, writer, args, size):
    loop = asyncio.get_running_loop()
    prefixes = tuple(f"/{repo}/resolve/" for repo in args.repo)
    with open(args.file, "rb") as file:
        while True:
            request_line = await reader.readline()
            if not request_line:
                break
            headers = {}
            while True:
                line = await reader.readline()
                if line in (b"\r\n", b"\n", b""):
                    break
                name, _, value = line.decode("latin-1").partition(":")
                headers[name.strip().lower()] = value.strip()
            method, path, _ = request_line.decode("latin-1").split(" ", 2)
            wanted = path.split("?", 1)[0]
            if not (wanted.startswith(prefixes) and wanted.endswith("/" + args.filename)):
                writer.write(b"HTTP/1.1 404 Not Found\r\nX-Error-Code: EntryNotFound\r\nContent-Length: 0\r\n\r\n")
                await writer.drain()
                continue
            start, end, status = 0, size, "200 OK"
            extra = ""
            if "range" in headers:
                parsed = parse_range(headers["range"], size)
                if parsed and parsed[0] < size:
                    start, end = parsed
                    status = "206 Partial Content"
                    extra = f"Content-Range: bytes {start}-{end - 1}/{size}\r\n"
            head = (
                f"HTTP/1.1 {status}\r\nX-Repo-Commit: {COMMIT}\r\nX-Linked-Etag: \"{args.sha256}\"\r\n"
                f"X-Linked-Size: {size}\r\nETag: \"{args.sha256}\"\r\nAccept-Ranges: bytes\r\n{extra}"
                f"Content-Length: {end - start}\r\nContent-Type: application/octet-stream\r\n\r\n"
            )
            writer.write(head.encode("latin-1"))
            await writer.drain()
            if method == "GET" and end > start and args.rate:
                await send_slowly(writer, file, start, end, args.rate)
            elif method == "GET" and end > start:
                await loop.sendfile(writer.transport, file, start, end - start)


async def send_slowly(writer, file, start, end, rate):
    """Sends the range at about `rate` bytes per second, so that a test can interrupt a download midway."""
    chunk = 64 * 1024
    file.seek(start)
    while start < end:
        data = file.read(min(chunk, end - start))
        writer.write(data)
        await writer.drain()
        start += len(data)
        await asyncio.sleep(len(data) / rate)


async def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--file", required=True)
    parser.add_argument("--repo", required=True, action="append")
    parser.add_argument("--filename", required=True)
    parser.add_argument("--sha256", required=True)
    parser.add_argument("--port", type=int, default=0)
    parser.add_argument("--rate", type=int, default=0, help="bytes per second per connection (0: as fast as can be)")
    args = parser.parse_args()
    size = os.path.getsize(args.file)
    server = await asyncio.start_server(
        lambda r, w: handle(r, w, args, size), "127.0.0.1", args.port)
    print(server.sockets[0].getsockname()[1], flush=True)
    async with server:
        await server.serve_forever()


if __name__ == "__main__":
    try:
        asyncio.run(main())
    except KeyboardInterrupt:
        sys.exit(0)
