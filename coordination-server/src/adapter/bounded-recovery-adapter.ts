import { randomBytes } from 'node:crypto';
import { Adapter, type BroadcastOptions, type PrivateSessionId, type Room, type Session } from 'socket.io-adapter';
import { RecoveryBuffer, type KeptPacket, type Rooms } from './recovery-buffer';

/** Bounds of the single-process recovery buffer; whichever is reached first evicts the oldest packets. */
export interface RecoveryLimits {
    /** How long a disconnected socket's session, and the packets it may need, are kept (ms). */
    readonly maxDisconnectionMs: number;
    /** Packets kept, all rooms together. */
    readonly maxPackets: number;
    /** Bytes of packets kept, all rooms together. */
    readonly maxBytes: number;
}

type SessionToPersist = Omit<Session, 'missedPackets'>;
type StoredSession = SessionToPersist & { readonly disconnectedAt: number };

/** A socket.io packet as adapters receive it (type 2 is EVENT). */
interface AdapterPacket {
    type: number;
    id?: number;
    data: unknown[];
}

const EVENT = 2;
/** How often expired sessions and packets are dropped, and rooms nobody can recover are released. */
const SWEEP_INTERVAL_MS = 5_000;
/** Rooms gone since the last release that trigger one before the next sweep. */
const RELEASE_BATCH = 256;

/**
 * socket.io's in-memory `SessionAwareAdapter` keeps every broadcast packet
 * (its decoded arguments, its room sets and a time stamp) for the whole
 * recovery window and expires them once a minute: an array that grows with
 * the traffic and whose objects all end up in the old generation.
 *
 * This adapter keeps the same contract with bounded memory:
 * - a {@link RecoveryBuffer} of at most `maxPackets` packets and `maxBytes`
 *   bytes, trimmed on every broadcast;
 * - it keeps the text socket.io already encoded for delivery (one flat string
 *   per packet instead of an object graph) and parses it back only when a
 *   session is restored;
 * - packets addressed only to rooms that no connected socket and no
 *   restorable session is in (e.g. a socket that closed for good) are freed
 *   at once, in batches.
 * A client whose offset fell out of the buffer is simply not recovered
 * (`socket.recovered` is false): the session API's reconnect event tells the
 * layers above to resync. Resync is the guarantee; recovery the fast path.
 *
 * Offsets are `<epoch>.<sequence in base 36>`, the epoch random per adapter,
 * so an offset from another process or an earlier run never matches.
 */
export class BoundedRecoveryAdapter extends Adapter {
    private readonly maxDisconnectionMs: number;
    private readonly buffer: RecoveryBuffer;
    private readonly epoch = randomBytes(3).toString('base64url');
    /** What an event packet of this namespace starts with once encoded: "2" [namespace ","]. */
    private readonly eventPrefix: string;
    /** Disconnected sockets that may come back, in the order they left. */
    private readonly sessions = new Map<PrivateSessionId, StoredSession>();
    /** Rooms deleted since the last release. */
    private readonly goneRooms = new Set<Room>();
    /** (time, next sequence) every sweep: packets numbered before a checkpoint older than the window are expired. */
    private readonly checkpoints: Array<{ readonly at: number; readonly sequence: number }> = [];
    private readonly timer: NodeJS.Timeout;
    /** What the wrapped encoder produced for the broadcast in progress. */
    private lastEncoded: unknown[] | undefined;
    /** False while {@link withoutRecovery} runs. */
    private recording = true;

    constructor(nsp: { readonly name: string }, limits: RecoveryLimits) {
        super(nsp);
        this.maxDisconnectionMs = limits.maxDisconnectionMs;
        this.buffer = new RecoveryBuffer(limits);
        this.eventPrefix = nsp.name === '/' ? `${EVENT}` : `${EVENT}${nsp.name},`;
        // socket.io-adapter encodes a broadcast once for all its recipients: keep what it made rather than encode it again.
        const self = this as unknown as { encoder: { encode(packet: unknown): unknown[] } };
        const encoder = self.encoder;
        self.encoder = { encode: packet => (this.lastEncoded = encoder.encode(packet)) };
        this.on('delete-room', (room: Room) => {
            this.goneRooms.add(room);
            if (this.goneRooms.size >= RELEASE_BATCH) {
                this.releaseGoneRooms();
            }
        });
        this.timer = setInterval(() => this.sweep(Date.now()), SWEEP_INTERVAL_MS);
        this.timer.unref();
    }

    override close(): void {
        clearInterval(this.timer);
    }

    /**
     * Runs `send` without keeping what it emits for recovery: for state the
     * server sends afresh on every connection, recovered ones included (the
     * welcome), which a replay could only deliver stale.
     */
    withoutRecovery(send: () => void): void {
        this.recording = false;
        try {
            send();
        } finally {
            this.recording = true;
        }
    }

    override broadcast(packet: AdapterPacket, opts: BroadcastOptions): void {
        // As socket.io's adapter: packets with an acknowledgement and volatile ones are not kept.
        if (!this.recording || packet.type !== EVENT || packet.id !== undefined || opts.flags?.volatile !== undefined) {
            return super.broadcast(packet, opts);
        }
        const sequence = this.buffer.append(compact(opts.rooms), compact(opts.except));
        // The offset travels as the last argument; the client sends the last one it saw when it reconnects.
        packet.data.push(`${this.epoch}.${sequence.toString(36)}`);
        this.lastEncoded = undefined;
        super.broadcast(packet, opts);
        const encoded = this.lastEncoded as unknown[] | undefined;
        this.lastEncoded = undefined;
        this.buffer.fill(sequence, this.keepable(encoded, packet.data));
    }

    override persistSession(session: SessionToPersist): void {
        this.sessions.delete(session.pid);
        this.sessions.set(session.pid, { ...session, disconnectedAt: Date.now() });
    }

    override restoreSession(pid: PrivateSessionId, offset: string): Promise<Session> {
        this.expireSessions(Date.now());
        const session = this.sessions.get(pid);
        // Restored once: the socket keeps its pid and is persisted again if it drops again.
        this.sessions.delete(pid);
        const sequence = session ? this.parseOffset(offset) : undefined;
        const packets = sequence === undefined ? undefined : this.buffer.since(sequence);
        if (!session || !packets) {
            return Promise.resolve(null as unknown as Session);
        }
        const missedPackets: unknown[][] = [];
        for (const { packet, rooms, except } of packets) {
            if (included(session.rooms, rooms, except)) {
                const data = this.decode(packet);
                if (!data) {
                    return Promise.resolve(null as unknown as Session);
                }
                missedPackets.push(data);
            }
        }
        const { disconnectedAt: _disconnectedAt, ...restored } = session;
        return Promise.resolve({ ...restored, missedPackets });
    }

    /** What the buffer holds (tests, diagnostics). */
    recoveryUsage(): { readonly packets: number; readonly bytes: number; readonly sessions: number } {
        return { ...this.buffer.usage, sessions: this.sessions.size };
    }

    /** Drops expired sessions and packets and releases gone rooms now (normally every few seconds). */
    sweep(now: number): void {
        this.expireSessions(now);
        const expired = now - this.maxDisconnectionMs;
        while (this.checkpoints.length > 0 && this.checkpoints[0].at < expired) {
            this.buffer.evictBefore(this.checkpoints.shift()!.sequence);
        }
        this.checkpoints.push({ at: now, sequence: this.buffer.nextSequence });
        this.releaseGoneRooms();
    }

    private expireSessions(now: number): void {
        const expired = now - this.maxDisconnectionMs;
        for (const [pid, session] of this.sessions) {
            if (session.disconnectedAt >= expired) {
                break; // in the order they were persisted
            }
            this.sessions.delete(pid);
        }
    }

    private releaseGoneRooms(): void {
        if (this.goneRooms.size === 0) {
            return;
        }
        const restorable = new Set<Room>();
        for (const session of this.sessions.values()) {
            session.rooms.forEach(room => restorable.add(room));
        }
        // A room deleted and then joined again is in use: keep its packets.
        for (const room of this.goneRooms) {
            if (this.rooms.has(room)) {
                restorable.add(room);
            }
        }
        this.buffer.release(this.goneRooms, restorable);
        this.goneRooms.clear();
    }

    /** Text-only packets (the usual case) are kept as the string that went out, others as their arguments. */
    private keepable(encoded: unknown[] | undefined, data: unknown[]): KeptPacket {
        const text = encoded?.length === 1 ? encoded[0] : undefined;
        if (typeof text === 'string' && text.startsWith(this.eventPrefix)) {
            return text;
        }
        let size = 0;
        for (const part of encoded ?? [JSON.stringify(data)]) {
            size += typeof part === 'string' ? part.length : part instanceof ArrayBuffer || ArrayBuffer.isView(part) ? part.byteLength : 0;
        }
        return { data, size };
    }

    /** The arguments of a kept packet, offset included (socket.io encodes them again for the recovered socket). */
    private decode(packet: KeptPacket): unknown[] | undefined {
        if (typeof packet !== 'string') {
            return packet.data;
        }
        try {
            // socket.io protocol v5: "2" [namespace ","] then the JSON array of the arguments (no ack id: those are not kept).
            const data: unknown = JSON.parse(packet.slice(this.eventPrefix.length));
            return Array.isArray(data) ? data : undefined;
        } catch {
            return undefined;
        }
    }

    private parseOffset(offset: unknown): number | undefined {
        if (typeof offset !== 'string' || offset.length > 32) {
            return undefined;
        }
        const dot = offset.lastIndexOf('.');
        const digits = offset.slice(dot + 1);
        if (offset.slice(0, dot) !== this.epoch || !/^[0-9a-z]{1,10}$/.test(digits)) {
            return undefined;
        }
        const sequence = parseInt(digits, 36);
        // Only offsets this adapter wrote (canonical form) are accepted.
        return sequence.toString(36) === digits ? sequence : undefined;
    }
}

/** socket.io's `adapter` option: a constructor taking the namespace. */
export function boundedRecoveryAdapter(limits: RecoveryLimits): typeof Adapter {
    return class extends BoundedRecoveryAdapter {
        constructor(nsp: { readonly name: string }) {
            super(nsp, limits);
        }
    };
}

function compact(rooms: ReadonlySet<Room> | undefined): Rooms {
    if (!rooms || rooms.size === 0) {
        return undefined;
    }
    if (rooms.size === 1) {
        for (const room of rooms) {
            return room;
        }
    }
    return [...rooms];
}

function has(rooms: Room | readonly Room[], room: Room): boolean {
    return typeof rooms === 'string' ? rooms === room : rooms.includes(room);
}

/** socket.io's rule: sent to one of the session's rooms (or to everyone) and not kept from any of them. */
function included(sessionRooms: readonly Room[], rooms: Rooms, except: Rooms): boolean {
    return (rooms === undefined || sessionRooms.some(room => has(rooms, room)))
        && (except === undefined || sessionRooms.every(room => !has(except, room)));
}
