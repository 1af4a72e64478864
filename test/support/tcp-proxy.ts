// A TCP proxy the test can cut and restore, to partition two live nodes
// without killing either. Cut = blackhole: connections stay open but no byte
// passes (as when a WAN link drops), so the nodes must notice by heartbeats.
// Restore = drop the blackholed connections and forward new ones again.

import net from 'node:net';

export class TcpProxy {
  private readonly server: net.Server;
  private readonly sockets = new Set<net.Socket>();
  private blackholed = false;
  port = 0;
  /** Connections accepted so far. */
  accepted = 0;
  /** Bytes passed from the client to the target, and back. */
  bytesUp = 0;
  bytesDown = 0;

  constructor(private readonly targetHost: string, private readonly targetPort: number) {
    this.server = net.createServer((client) => this.accept(client));
  }

  listen(port = 0, host = '127.0.0.1'): Promise<number> {
    return new Promise((resolve, reject) => {
      this.server.once('error', reject);
      this.server.listen(port, host, () => {
        this.port = (this.server.address() as net.AddressInfo).port;
        resolve(this.port);
      });
    });
  }

  cut(): void {
    this.blackholed = true;
  }

  restore(): void {
    this.blackholed = false;
    for (const socket of this.sockets) socket.destroy();
    this.sockets.clear();
  }

  close(): Promise<void> {
    for (const socket of this.sockets) socket.destroy();
    return new Promise((resolve) => this.server.close(() => resolve()));
  }

  private accept(client: net.Socket): void {
    this.accepted++;
    const upstream = net.connect(this.targetPort, this.targetHost);
    this.sockets.add(client);
    this.sockets.add(upstream);
    const pipe = (from: net.Socket, to: net.Socket, up: boolean): void => {
      from.on('data', (chunk: Buffer) => {
        if (this.blackholed) return;
        if (up) this.bytesUp += chunk.length;
        else this.bytesDown += chunk.length;
        to.write(chunk);
      });
      from.on('close', () => {
        this.sockets.delete(from);
        to.destroy();
      });
      from.on('error', () => to.destroy());
    };
    pipe(client, upstream, true);
    pipe(upstream, client, false);
  }
}
