import { setImmediate as yieldToEventLoop } from 'node:timers/promises';
import { benchEnvelope, ENVELOPE_EVENT, type BenchRoom } from './bench-rooms';

const PAYLOAD = 'x'.repeat(200);

export interface LatencyResult {
    readonly p50: number;
    readonly p99: number;
    /** Every delivery's latency (ms), so several runs can be pooled. */
    readonly samples: readonly number[];
}

/** The q-quantile (0..1) of some latencies, by the nearest-rank method. */
export function quantile(values: readonly number[], q: number): number {
    const sorted = [...values].sort((a, b) => a - b);
    return sorted[Math.min(sorted.length - 1, Math.floor(q * sorted.length))] ?? NaN;
}

/** Counts deliveries of bench messages and, when asked, their latency. */
function listen(rooms: readonly BenchRoom[]): { deliveries: () => number; latencies: number[]; stop: () => void } {
    let deliveries = 0;
    const latencies: number[] = [];
    const handler = (envelope: { method?: string; params?: { sentAt?: number } }): void => {
        if (envelope.method === 'bench/op' && typeof envelope.params?.sentAt === 'number') {
            deliveries++;
            latencies.push(performance.now() - envelope.params.sentAt);
        }
    };
    rooms.forEach(room => room.sockets.forEach(socket => socket.on(ENVELOPE_EVENT, handler)));
    return {
        deliveries: () => deliveries,
        latencies,
        stop: () => rooms.forEach(room => room.sockets.forEach(socket => socket.off(ENVELOPE_EVENT, handler)))
    };
}

async function waitFor(condition: () => boolean, timeoutMs: number): Promise<boolean> {
    const deadline = Date.now() + timeoutMs;
    while (!condition()) {
        if (Date.now() > deadline) {
            return false;
        }
        await new Promise(resolve => setTimeout(resolve, 5));
    }
    return true;
}

/**
 * Latency under a steady, moderate load: `messages` messages, one per
 * millisecond or so, each from a different peer (rooms in turn).
 */
export async function measureLatency(rooms: readonly BenchRoom[], messages: number): Promise<LatencyResult> {
    const listener = listen(rooms);
    const expected = rooms.reduce((sum, room) => sum + (room.sockets.length - 1), 0) / rooms.length * messages;
    for (let seq = 0; seq < messages; seq++) {
        const room = rooms[seq % rooms.length];
        room.sockets[Math.floor(seq / rooms.length) % room.sockets.length].emit(ENVELOPE_EVENT, benchEnvelope(seq, PAYLOAD));
        await new Promise(resolve => setTimeout(resolve, 1));
    }
    await waitFor(() => listener.deliveries() >= expected, 30_000);
    listener.stop();
    const samples = listener.latencies;
    return { p50: quantile(samples, 0.5), p99: quantile(samples, 0.99), samples };
}

/**
 * Throughput: every peer sends `perPeer` messages as fast as the event loop
 * allows (in bursts), and we count deliveries per second until all arrived.
 */
export async function measureThroughput(rooms: readonly BenchRoom[], perPeer: number): Promise<number> {
    const listener = listen(rooms);
    const expected = rooms.reduce((sum, room) => sum + room.sockets.length * (room.sockets.length - 1) * perPeer, 0);
    const started = performance.now();
    for (let seq = 0; seq < perPeer; seq++) {
        for (const room of rooms) {
            for (const socket of room.sockets) {
                socket.emit(ENVELOPE_EVENT, benchEnvelope(seq, PAYLOAD));
            }
        }
        if (seq % 5 === 4) {
            await yieldToEventLoop();
        }
    }
    const complete = await waitFor(() => listener.deliveries() >= expected, 120_000);
    const elapsed = (performance.now() - started) / 1000;
    listener.stop();
    if (!complete) {
        throw new Error(`only ${listener.deliveries()} of ${expected} deliveries arrived`);
    }
    return expected / elapsed;
}
