#!/usr/bin/env python3
"""Places N paid orders one after another on one keep-alive connection and checks each answer is 201.

  orders.py PORT TOKEN JSON_BODY N
"""
import socket, sys

port, token, body, n = int(sys.argv[1]), sys.argv[2], sys.argv[3].encode(), int(sys.argv[4])
request = (f"POST /v1/orders HTTP/1.1\r\nHost: 127.0.0.1\r\nAuthorization: Bearer {token}\r\n"
           f"Content-Type: application/json\r\nContent-Length: {len(body)}\r\n\r\n").encode() + body
s = socket.create_connection(("127.0.0.1", port), timeout=300)
buffer = b""
for _ in range(n):
    s.sendall(request)
    while b"\r\n\r\n" not in buffer:
        chunk = s.recv(65536)
        if not chunk:
            sys.exit("connection closed")
        buffer += chunk
    header, buffer = buffer.split(b"\r\n\r\n", 1)
    length = 0
    for line in header.split(b"\r\n")[1:]:
        name, _, value = line.partition(b":")
        if name.strip().lower() == b"content-length":
            length = int(value)
    while len(buffer) < length:
        buffer += s.recv(65536)
    if not header.startswith(b"HTTP/1.1 201"):
        sys.exit("unexpected answer: " + header.decode(errors="replace")[:200] + " " + buffer[:length].decode(errors="replace")[:300])
    buffer = buffer[length:]
s.close()
