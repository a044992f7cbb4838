#!/usr/bin/env python3
"""Sends N requests one after another on one keep-alive connection and checks each answer's status (200 unless
given), optionally with a bearer token.

  requests.py PORT METHOD PATH N [JSON_BODY] [TOKEN] [STATUS]
"""
import socket, sys

port, method, path, n = int(sys.argv[1]), sys.argv[2], sys.argv[3], int(sys.argv[4])
body = sys.argv[5].encode() if len(sys.argv) > 5 else b""
token = sys.argv[6] if len(sys.argv) > 6 else ""
status = (sys.argv[7] if len(sys.argv) > 7 else "200").encode()
head = f"{method} {path} HTTP/1.1\r\nHost: 127.0.0.1\r\n"
if token:
    head += f"Authorization: Bearer {token}\r\n"
if body:
    head += f"Content-Type: application/json\r\nContent-Length: {len(body)}\r\n"
request = head.encode() + b"\r\n" + body
s = socket.create_connection(("127.0.0.1", port), timeout=120)
buffer = b""
for _ in range(n):
    s.sendall(request)
    while b"\r\n\r\n" not in buffer:
        chunk = s.recv(65536)
        if not chunk:
            sys.exit("connection closed")
        buffer += chunk
    header, buffer = buffer.split(b"\r\n\r\n", 1)
    if not header.startswith(b"HTTP/1.1 " + status):
        sys.exit("unexpected answer: " + header.decode(errors="replace")[:200])
    length = 0
    for line in header.split(b"\r\n")[1:]:
        name, _, value = line.partition(b":")
        if name.strip().lower() == b"content-length":
            length = int(value)
    while len(buffer) < length:
        buffer += s.recv(65536)
    buffer = buffer[length:]
s.close()
