"""The wire between the server and a query worker: frames over a socket.

A frame is an 8-byte big-endian length and that many bytes. The server writes a pickled `QueryJob` and awaits the
reply on its event loop; the reply is an encoded `QueryOutcome` (`execution.encode_outcome`).
"""

from __future__ import annotations

import asyncio
import pickle
import socket
import struct

__all__ = ["LENGTH", "PICKLE", "recv_frame", "recv_frame_async", "send_frame"]

LENGTH = struct.Struct("!Q")
PICKLE = pickle.HIGHEST_PROTOCOL


def send_frame(sock: socket.socket, payload: bytes) -> None:
    sock.sendall(LENGTH.pack(len(payload)) + payload)


def _recv_exactly(sock: socket.socket, size: int) -> bytes:
    data = b""
    while len(data) < size:  # one call on a blocking socket; a socket with a timeout may need more
        more = sock.recv(size - len(data), socket.MSG_WAITALL)
        if not more:
            raise EOFError
        data += more
    return data


def recv_frame(sock: socket.socket) -> bytes:
    return _recv_exactly(sock, LENGTH.unpack(_recv_exactly(sock, LENGTH.size))[0])


async def recv_frame_async(loop: asyncio.AbstractEventLoop, sock: socket.socket) -> bytes | memoryview:
    """One frame from a non-blocking socket: usually a single read; a large one is read into one buffer."""
    data = b""
    while len(data) < LENGTH.size:
        more = await loop.sock_recv(sock, 65_536)
        if not more:
            raise EOFError
        data += more
    end = LENGTH.size + LENGTH.unpack_from(data)[0]
    if len(data) >= end:
        return data[LENGTH.size : end]
    view = memoryview(bytearray(end))
    view[: len(data)] = data
    got = len(data)
    while got < end:
        count = await loop.sock_recv_into(sock, view[got:])
        if not count:
            raise EOFError
        got += count
    return view[LENGTH.size :]
