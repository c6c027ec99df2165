import net from "node:net";

/**
 * A TCP proxy in front of the portal that gives the browser a slower network than loopback: every
 * byte from the portal to the browser shares one link of `bytesPerSecond`, and each chunk arrives
 * `latencyMs` later in either direction. The portal is held back as on a real link (the proxy reads
 * on only while less than `bufferBytes` per connection wait for the link). For the sync bench's
 * BENCH_SYNC_NETWORK runs: what a contact on a 100 Mbit/s line sees, not what loopback gives.
 */
export interface ThrottleProxy {
  baseUrl: string;
  /** Bytes sent from the portal towards the browser so far. */
  bytesDown(): number;
  stop(): Promise<void>;
}

export async function startThrottleProxy(
  target: URL,
  options: { bytesPerSecond: number; latencyMs: number; bufferBytes?: number },
): Promise<ThrottleProxy> {
  const bufferBytes = options.bufferBytes ?? 256 * 1024;
  let linkFreeAt = 0;
  let bytesDown = 0;
  const sockets = new Set<net.Socket>();
  const server = net.createServer((client) => {
    const upstream = net.connect(Number(target.port), target.hostname);
    sockets.add(client).add(upstream);
    // In order per connection: one timer drains the queue at each chunk's arrival time.
    const queue: { due: number; chunk: Buffer }[] = [];
    let waiting = 0;
    let timer: NodeJS.Timeout | null = null;
    const pump = () => {
      timer = null;
      while (queue.length > 0 && queue[0].due <= performance.now()) {
        const { chunk } = queue.shift()!;
        waiting -= chunk.length;
        if (!client.destroyed) client.write(chunk);
      }
      if (waiting <= bufferBytes) upstream.resume();
      if (queue.length > 0) timer = setTimeout(pump, Math.max(0, queue[0].due - performance.now()));
    };
    upstream.on("data", (chunk: Buffer) => {
      bytesDown += chunk.length;
      linkFreeAt = Math.max(performance.now(), linkFreeAt) + (chunk.length / options.bytesPerSecond) * 1000;
      queue.push({ due: linkFreeAt + options.latencyMs, chunk });
      waiting += chunk.length;
      if (waiting > bufferBytes) upstream.pause();
      timer ??= setTimeout(pump, Math.max(0, queue[0].due - performance.now()));
    });
    client.on("data", (chunk: Buffer) => setTimeout(() => upstream.destroyed || upstream.write(chunk), options.latencyMs));
    const close = () => {
      // Whatever is still on the link arrives first.
      const drain = () => {
        if (queue.length > 0 && !client.destroyed) return void setTimeout(drain, 5);
        client.end();
        upstream.destroy();
        sockets.delete(client);
        sockets.delete(upstream);
      };
      drain();
    };
    upstream.on("close", close).on("error", close);
    client.on("close", close).on("error", close);
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const port = (server.address() as net.AddressInfo).port;
  return {
    baseUrl: `http://localhost:${port}`,
    bytesDown: () => bytesDown,
    stop: () =>
      new Promise<void>((resolve) => {
        for (const socket of sockets) socket.destroy();
        server.close(() => resolve());
      }),
  };
}
