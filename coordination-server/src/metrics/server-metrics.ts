import { collectDefaultMetrics, Counter, Gauge, Histogram, Registry } from 'prom-client';

/** Prometheus metrics of one server instance (its own registry, so several instances can share a process). */
export class ServerMetrics {
    readonly registry = new Registry();
    readonly messagesRelayed: Counter<'kind'>;
    readonly bytesRelayed: Counter;
    readonly messagesRejected: Counter<'reason'>;
    readonly connectionsRefused: Counter<'reason'>;
    /** Time from an envelope's arrival to its hand-off to socket.io, i.e. what the server adds to the latency. */
    readonly relayDuration: Histogram;

    private readonly relayedByKind = new Map<string, { inc(): void }>();

    /** The counter of one envelope kind, looked up once: labelled `inc` hashes its labels on every call. */
    relayed(kind: string): { inc(): void } {
        let counter = this.relayedByKind.get(kind);
        if (!counter) {
            counter = this.messagesRelayed.labels(kind);
            this.relayedByKind.set(kind, counter);
        }
        return counter;
    }

    constructor(sockets: () => number, rooms: () => Promise<number>) {
        const registers = [this.registry];
        collectDefaultMetrics({ register: this.registry, prefix: 'ensemble_' });
        new Gauge({ name: 'ensemble_connected_sockets', help: 'Sockets connected to this process', registers, collect() { this.set(sockets()); } });
        new Gauge({
            name: 'ensemble_rooms', help: 'Open rooms (all processes when Redis is shared)', registers,
            async collect() { this.set(await rooms()); }
        });
        this.messagesRelayed = new Counter({ name: 'ensemble_messages_relayed_total', help: 'Envelopes relayed', labelNames: ['kind'], registers });
        this.bytesRelayed = new Counter({ name: 'ensemble_bytes_relayed_total', help: 'Bytes of relayed envelopes, as received', registers });
        this.messagesRejected = new Counter({
            name: 'ensemble_messages_rejected_total', help: 'Envelopes dropped with an error reply', labelNames: ['reason'], registers
        });
        this.connectionsRefused = new Counter({
            name: 'ensemble_connections_refused_total', help: 'Handshakes refused', labelNames: ['reason'], registers
        });
        this.relayDuration = new Histogram({
            name: 'ensemble_relay_duration_seconds', help: 'Server time per relayed envelope', registers,
            buckets: [0.00001, 0.00005, 0.0001, 0.00025, 0.0005, 0.001, 0.005, 0.025, 0.1]
        });
    }
}
