#!/usr/bin/env python3
"""delay_proxy: a TCP proxy on loopback that delays every byte by a fixed
time in each direction, like a long link with plenty of bandwidth
(bench/run, section 6: a remote fs plugin behind 5 ms each way).

    delay_proxy.py LISTEN_PORT TARGET_PORT DELAY_MS

Listens on 127.0.0.1:LISTEN_PORT and forwards each connection to
127.0.0.1:TARGET_PORT. Bytes keep their order; each chunk leaves DELAY_MS
after it arrived, whatever else is in flight, so throughput is not bounded
by the delay. Prints `ready` once listening. Loopback only.
"""
import asyncio
import sys


async def pump(reader, writer, delay):
    loop = asyncio.get_running_loop()
    try:
        while True:
            data = await reader.read(1 << 20)
            if not data:
                break
            loop.call_later(delay, writer.write, data)
        await asyncio.sleep(delay)
    except (ConnectionError, OSError):
        pass
    finally:
        loop.call_later(delay, writer.close)


async def serve(listen_port, target_port, delay):
    async def on_client(creader, cwriter):
        try:
            treader, twriter = await asyncio.open_connection("127.0.0.1", target_port)
        except OSError:
            cwriter.close()
            return
        await asyncio.gather(pump(creader, twriter, delay), pump(treader, cwriter, delay))

    server = await asyncio.start_server(on_client, "127.0.0.1", listen_port)
    print("ready", flush=True)
    async with server:
        await server.serve_forever()


def main():
    if len(sys.argv) != 4:
        print("usage: delay_proxy.py LISTEN_PORT TARGET_PORT DELAY_MS", file=sys.stderr)
        sys.exit(2)
    try:
        asyncio.run(serve(int(sys.argv[1]), int(sys.argv[2]), float(sys.argv[3]) / 1000))
    except KeyboardInterrupt:
        pass


if __name__ == "__main__":
    main()
