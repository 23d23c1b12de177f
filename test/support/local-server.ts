/** Listening on a free loopback port, and closing even while clients hold connections open. */
import type { Server } from 'node:http';
import type { Socket } from 'node:net';

export interface Listening {
  /** `127.0.0.1:<port>` */
  addr: string;
  /** Closes the server, cutting the connections still open. */
  close(): Promise<void>;
}

export async function listenLocal(server: Server): Promise<Listening> {
  const sockets = new Set<Socket>();
  server.on('connection', (s) => {
    sockets.add(s);
    s.on('close', () => sockets.delete(s));
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  const { port } = server.address() as { port: number };
  return {
    addr: `127.0.0.1:${port}`,
    close: () =>
      new Promise<void>((r) => {
        for (const s of sockets) s.destroy();
        server.close(() => r());
      }),
  };
}
