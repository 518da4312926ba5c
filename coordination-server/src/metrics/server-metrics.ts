import { collectDefaultMetrics, Counter, Gauge, Registry } from 'prom-client';
import { FastHistogram } from './fast-histogram';

const RELAY_DURATION_BUCKETS = [0.00001, 0.00005, 0.0001, 0.00025, 0.0005, 0.001, 0.005, 0.025, 0.1];

/**
 * Prometheus metrics of one server instance (its own registry, so several
 * instances can share a process). What the relay counts per message is kept
 * in plain numbers and handed to prom-client when it collects (each scrape):
 * a labelled prom-client `inc` hashes its labels on every call.
 */
export class ServerMetrics {
    readonly registry = new Registry();
    readonly messagesRejected: Counter<'reason'>;
    readonly connectionsRefused: Counter<'reason'>;
    /** Time from an envelope's arrival to its hand-off to socket.io, i.e. what the server adds to the latency. */
    private readonly relayDuration: FastHistogram;
    /** Relayed envelopes per kind and bytes since the last collection. */
    private readonly relayedSinceCollect = new Map<string, number>();
    private bytesSinceCollect = 0;

    constructor(sockets: () => number, rooms: () => Promise<number>) {
        const registers = [this.registry];
        collectDefaultMetrics({ register: this.registry, prefix: 'ensemble_' });
        new Gauge({ name: 'ensemble_connected_sockets', help: 'Sockets connected to this process', registers, collect() { this.set(sockets()); } });
        new Gauge({
            name: 'ensemble_rooms', help: 'Open rooms (all processes when Redis is shared)', registers,
            async collect() { this.set(await rooms()); }
        });
        const relayed = this.relayedSinceCollect;
        new Counter({
            name: 'ensemble_messages_relayed_total', help: 'Envelopes relayed', labelNames: ['kind'], registers,
            collect() {
                relayed.forEach((count, kind) => this.inc({ kind }, count));
                relayed.clear();
            }
        });
        const takeBytes = (): number => {
            const bytes = this.bytesSinceCollect;
            this.bytesSinceCollect = 0;
            return bytes;
        };
        new Counter({ name: 'ensemble_bytes_relayed_total', help: 'Bytes of relayed envelopes, as received', registers, collect() { this.inc(takeBytes()); } });
        this.messagesRejected = new Counter({
            name: 'ensemble_messages_rejected_total', help: 'Envelopes dropped with an error reply', labelNames: ['reason'], registers
        });
        this.connectionsRefused = new Counter({
            name: 'ensemble_connections_refused_total', help: 'Handshakes refused', labelNames: ['reason'], registers
        });
        this.relayDuration = new FastHistogram('ensemble_relay_duration_seconds', 'Server time per relayed envelope', RELAY_DURATION_BUCKETS, this.registry);
    }

    /** One relayed envelope: its kind, its size as received and the server time it took (seconds). */
    relayed(kind: string, bytes: number, seconds: number): void {
        this.relayedSinceCollect.set(kind, (this.relayedSinceCollect.get(kind) ?? 0) + 1);
        this.bytesSinceCollect += bytes;
        this.relayDuration.observe(seconds);
    }
}
