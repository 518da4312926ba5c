import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { pino } from 'pino';
import { Server } from 'socket.io';
import { startCoordinationServer } from '../start-coordination-server';

/**
 * One server under test, in its own process (forked by run-benchmarks):
 * `ensemble` is the real coordination server, `bare` the peer it is compared
 * with, a plain socket.io relay with no checks. It reports its URL and, on
 * request, its memory after a full GC.
 */
async function main(kind: string): Promise<void> {
    let url: string;
    if (kind === 'ensemble') {
        const server = await startCoordinationServer({
            port: 0, jwtSecret: 'bench-secret-bench-secret-bench-secret-0123', logger: pino({ level: 'silent' }),
            hostGracePeriodMs: 60 * 60_000,
            ...(process.env.ENSEMBLE_BENCH_NO_RECOVERY ? { connectionRecoveryMs: 0 } : {}),
            // Throughput runs blast on purpose: lift the per-socket rates (they are still evaluated on every message).
            limits: { messagesPerSecond: 1e9, messageBurst: 1e9, bytesPerSecond: 1e12, byteBurst: 1e12, maxRooms: 100_000, maxPeersPerRoom: 1000, maxPendingJoinRequests: 1000 }
        });
        url = server.url;
    } else {
        const httpServer = createServer();
        const io = new Server(httpServer, { transports: ['websocket'], serveClient: false });
        io.on('connection', socket => {
            const room = String(socket.handshake.auth.room);
            socket.join(room);
            socket.on('msg', (envelope: unknown) => socket.to(room).emit('msg', envelope));
        });
        await new Promise<void>(resolve => httpServer.listen(0, '127.0.0.1', resolve));
        url = `http://127.0.0.1:${(httpServer.address() as AddressInfo).port}`;
    }
    process.on('message', (message: { type: string }) => {
        if (message.type === 'exit') {
            process.exit(0);
        }
        if (message.type === 'memory') {
            for (let i = 0; i < 3; i++) {
                global.gc?.();
            }
            const usage = process.memoryUsage();
            process.send?.({ type: 'memory', bytes: usage.heapUsed + usage.external, rss: usage.rss });
        }
    });
    process.send?.({ type: 'ready', url });
}

main(process.argv[2] ?? 'ensemble').catch(error => {
    console.error(error);
    process.exit(1);
});
