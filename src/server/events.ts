// Event channel for server mode (Node): a WebSocket at /api/events that pushes ApiEvents
// (import progress, saved labels) to every connected browser. Clients only listen.
import type { IncomingMessage } from 'node:http';
import type { Duplex } from 'node:stream';
import { WebSocketServer, type WebSocket } from 'ws';
import type { ApiEventMessage, EmitEvent } from '../shared/contract/events';

export interface EventHub {
  emit: EmitEvent;
  /** Completes a WebSocket upgrade that has already passed the access checks. */
  accept(request: IncomingMessage, socket: Duplex, head: Buffer): void;
  close(): Promise<void>;
}

export function createEventHub(): EventHub {
  const server = new WebSocketServer({ noServer: true, maxPayload: 64 * 1024 });
  const clients = new Set<WebSocket>();
  server.on('connection', (socket) => {
    clients.add(socket);
    socket.on('close', () => clients.delete(socket));
    socket.on('error', () => clients.delete(socket));
  });
  return {
    emit(event, payload) {
      const text = JSON.stringify({ event, payload } satisfies ApiEventMessage);
      for (const client of clients) if (client.readyState === client.OPEN) client.send(text);
    },
    accept(request, socket, head) {
      server.handleUpgrade(request, socket, head, (ws) => server.emit('connection', ws, request));
    },
    async close() {
      for (const client of clients) client.terminate();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}
