// The certificate the peer of a server call presented, read once per TLS
// connection (part of the gRPC adapter, split out of grpc-adapter.ts).

/**
 * grpc-js builds the whole peer certificate object (TLSSocket.getPeerCertificate) on every
 * getAuthContext(): 14 % of a core's CPU under 64 writes in flight. A TLS connection's peer
 * certificate never changes, so it is kept per connection (and per call, where the connection
 * cannot be found).
 */
const peerCertificates = new WeakMap<object, Buffer | null>();
const connectionCertificates = new WeakMap<object, Buffer | null>();

/** The TLS socket of a server call: grpc-js 1.x internals (call.call, through interceptors' nextCall, .stream.session.socket); undefined if they moved. */
function connectionOf(call: object): object | undefined {
  let inner = (call as { call?: unknown }).call as { stream?: { session?: { socket?: object } }; nextCall?: unknown } | undefined;
  for (let depth = 0; inner && depth < 4; depth++) {
    const socket = inner.stream?.session?.socket;
    if (socket) return socket;
    inner = inner.nextCall as typeof inner;
  }
  return undefined;
}

/** The DER certificate the peer of a server call presented, if any (TLS only). */
export function peerCertificate(call: { getAuthContext?(): { sslPeerCertificate?: { raw?: Buffer } } | null }): Buffer | undefined {
  let raw = peerCertificates.get(call);
  if (raw === undefined) {
    const connection = connectionOf(call);
    raw = connection && connectionCertificates.get(connection);
    if (raw === undefined) {
      raw = call.getAuthContext?.()?.sslPeerCertificate?.raw ?? null;
      if (connection) connectionCertificates.set(connection, raw);
    }
    peerCertificates.set(call, raw);
  }
  return raw ?? undefined;
}
