/** Names of socket.io rooms (a socket's own id is a room too). */
export type Room = string;
/** The rooms a packet went to, or was kept from: one name (the usual case), several, or none. */
export type Rooms = Room | readonly Room[] | undefined;

/** A kept packet: the text socket.io sent (usual), or the arguments of a packet with binary parts and their size. */
export type KeptPacket = string | { readonly data: unknown[]; readonly size: number };

export interface RecoveryBufferLimits {
    /** Packets kept, all rooms together (at least 1). */
    readonly maxPackets: number;
    /** Bytes kept: text length of each packet plus a fixed overhead per packet. */
    readonly maxBytes: number;
}

export interface BufferedPacket {
    readonly sequence: number;
    readonly packet: KeptPacket;
    readonly rooms: Rooms;
    readonly except: Rooms;
}

/** Counted per packet on top of its text (its slot, offsets, room names), so tiny packets are not free. */
export const PACKET_OVERHEAD_BYTES = 64;
const INITIAL_CAPACITY = 256;

/**
 * The packets kept for connection state recovery: a ring buffer numbered by
 * sequence, bounded by count and bytes, trimmed on every append (oldest
 * first, O(1) each). A packet too large to keep empties the buffer, so that
 * no offset before it can pass for complete. Packets only addressed to rooms
 * that nobody can recover any more are released early ({@link release}).
 * The ring grows by doubling up to `maxPackets`, so a quiet server does not
 * pay for the whole bound.
 */
export class RecoveryBuffer {
    private readonly maxPackets: number;
    private readonly maxBytes: number;
    private packets: Array<KeptPacket | undefined> = new Array<KeptPacket | undefined>(INITIAL_CAPACITY).fill(undefined);
    private targets: Rooms[] = new Array<Rooms>(INITIAL_CAPACITY).fill(undefined);
    private excluded: Rooms[] = new Array<Rooms>(INITIAL_CAPACITY).fill(undefined);
    /** Slot of the oldest packet. */
    private start = 0;
    private held = 0;
    private heldBytes = 0;
    private next = 0;

    constructor(limits: RecoveryBufferLimits) {
        this.maxPackets = Math.max(1, Math.floor(limits.maxPackets));
        this.maxBytes = Math.max(0, limits.maxBytes);
    }

    /** Sequence number the next appended packet gets. */
    get nextSequence(): number {
        return this.next;
    }

    /** Sequence number of the oldest packet held (equals `nextSequence` when empty). */
    get oldestSequence(): number {
        return this.next - this.held;
    }

    get usage(): { readonly packets: number; readonly bytes: number } {
        return { packets: this.held, bytes: this.heldBytes };
    }

    /**
     * Reserves the next sequence number for a packet to `rooms` except `except`;
     * {@link fill} gives its content once it is encoded. Evicts the oldest
     * packet when the count bound is reached.
     */
    append(rooms: Rooms, except: Rooms): number {
        if (this.held >= this.maxPackets) {
            this.evictOldest();
        } else if (this.held === this.packets.length) {
            this.grow();
        }
        const slot = (this.start + this.held) % this.packets.length;
        this.packets[slot] = undefined;
        this.targets[slot] = rooms;
        this.excluded[slot] = except;
        this.held++;
        return this.next++;
    }

    /** The content of packet `sequence`; evicts the oldest packets until the byte bound holds. */
    fill(sequence: number, packet: KeptPacket): void {
        const slot = this.slotOf(sequence);
        if (slot === undefined) {
            return; // already evicted (the packet triggered more traffic before it was filled)
        }
        const size = sizeOf(packet);
        if (size > this.maxBytes) {
            // Not kept: drop everything up to and including it, so no earlier offset can recover without it.
            this.evictThrough(sequence);
            return;
        }
        this.packets[slot] = packet;
        this.heldBytes += size;
        while (this.heldBytes > this.maxBytes) {
            this.evictOldest();
        }
    }

    /**
     * The packets after `offset` (a sequence number the client saw), oldest
     * first; undefined when some of them were evicted or the offset is unknown.
     * Released packets (see {@link release}) are skipped: nobody can claim them.
     */
    since(offset: number): BufferedPacket[] | undefined {
        const oldest = this.oldestSequence;
        if (!Number.isSafeInteger(offset) || offset < oldest - 1 || offset >= this.next) {
            return undefined;
        }
        const missed: BufferedPacket[] = [];
        for (let sequence = offset + 1; sequence < this.next; sequence++) {
            const slot = (this.start + sequence - oldest) % this.packets.length;
            const packet = this.packets[slot];
            if (packet !== undefined) {
                missed.push({ sequence, packet, rooms: this.targets[slot], except: this.excluded[slot] });
            }
        }
        return missed;
    }

    /** Evicts every packet numbered below `sequence` (they are too old to be recovered). */
    evictBefore(sequence: number): void {
        while (this.held > 0 && this.oldestSequence < sequence) {
            this.evictOldest();
        }
    }

    /**
     * Frees the content of packets addressed to a single room in `gone` and
     * to none in `kept` (the rooms of sessions that may still be restored):
     * no socket can receive them any more. Their slots stay, so offsets keep
     * their meaning. Returns how many were freed.
     */
    release(gone: ReadonlySet<Room>, kept: ReadonlySet<Room>): number {
        let freed = 0;
        const capacity = this.packets.length;
        for (let index = 0; index < this.held; index++) {
            const slot = (this.start + index) % capacity;
            const target = this.targets[slot];
            const packet = this.packets[slot];
            if (packet !== undefined && typeof target === 'string' && gone.has(target) && !kept.has(target)) {
                this.heldBytes -= sizeOf(packet);
                this.packets[slot] = undefined;
                this.targets[slot] = undefined;
                this.excluded[slot] = undefined;
                freed++;
            }
        }
        return freed;
    }

    private slotOf(sequence: number): number | undefined {
        const oldest = this.oldestSequence;
        return sequence < oldest || sequence >= this.next ? undefined : (this.start + sequence - oldest) % this.packets.length;
    }

    private evictThrough(sequence: number): void {
        while (this.held > 0 && this.oldestSequence <= sequence) {
            this.evictOldest();
        }
    }

    private evictOldest(): void {
        const slot = this.start;
        const packet = this.packets[slot];
        if (packet !== undefined) {
            this.heldBytes -= sizeOf(packet);
        }
        this.packets[slot] = undefined;
        this.targets[slot] = undefined;
        this.excluded[slot] = undefined;
        this.start = (slot + 1) % this.packets.length;
        this.held--;
    }

    private grow(): void {
        const capacity = Math.min(this.maxPackets, this.packets.length * 2);
        const reorder = <T>(items: T[], empty: T): T[] => {
            const grown = new Array<T>(capacity).fill(empty);
            for (let index = 0; index < this.held; index++) {
                grown[index] = items[(this.start + index) % items.length];
            }
            return grown;
        };
        this.packets = reorder(this.packets, undefined);
        this.targets = reorder(this.targets, undefined);
        this.excluded = reorder(this.excluded, undefined);
        this.start = 0;
    }
}

export function sizeOf(packet: KeptPacket): number {
    return PACKET_OVERHEAD_BYTES + (typeof packet === 'string' ? packet.length : packet.size);
}
