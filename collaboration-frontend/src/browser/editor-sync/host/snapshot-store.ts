import { SNAPSHOT_CHUNK_CHARS } from '../editor-sync-messages';

interface StoredSnapshot {
    readonly text: string;
    readonly owner: string;
    expires: number;
}

/** The first chunk of a snapshot, and the id to read the rest with (when there is more). */
export interface SnapshotHead {
    readonly length: number;
    readonly text: string;
    readonly snapshotId?: string;
}

/**
 * Snapshots being read chunk by chunk by guests. The text is kept as it was
 * when the snapshot was taken (a string is immutable), so a guest reading a
 * big file never mixes two versions; a snapshot goes away once its last
 * chunk is read, when its reader leaves, or after a minute without reads.
 */
export class SnapshotStore {
    private readonly snapshots = new Map<string, StoredSnapshot>();
    private nextId = 1;

    constructor(private readonly lifetimeMs = 60_000, private readonly now: () => number = Date.now) { }

    /** The head of `text` for `owner` (a peer id); the rest is kept for `read` if it does not fit one chunk. */
    start(text: string, owner: string): SnapshotHead {
        this.expire();
        const first = chunkEnd(text, 0);
        if (first >= text.length) {
            return { length: text.length, text };
        }
        const snapshotId = `s${this.nextId++}`;
        this.snapshots.set(snapshotId, { text, owner, expires: this.now() + this.lifetimeMs });
        return { length: text.length, text: text.slice(0, first), snapshotId };
    }

    /** The chunk at `offset`, for its owner only. Throws when the snapshot is unknown or expired. */
    read(snapshotId: string, offset: number, owner: string): string {
        const snapshot = this.snapshots.get(snapshotId);
        if (!snapshot || snapshot.owner !== owner) {
            throw new Error(`The snapshot ${snapshotId} is gone (it expired or was read completely); open the document again.`);
        }
        const end = chunkEnd(snapshot.text, offset);
        if (end >= snapshot.text.length) {
            this.snapshots.delete(snapshotId);
        } else {
            snapshot.expires = this.now() + this.lifetimeMs;
        }
        return snapshot.text.slice(offset, end);
    }

    dropOwner(owner: string): void {
        for (const [id, snapshot] of this.snapshots) {
            if (snapshot.owner === owner) {
                this.snapshots.delete(id);
            }
        }
    }

    clear(): void {
        this.snapshots.clear();
    }

    get size(): number {
        return this.snapshots.size;
    }

    private expire(): void {
        const now = this.now();
        for (const [id, snapshot] of this.snapshots) {
            if (snapshot.expires < now) {
                this.snapshots.delete(id);
            }
        }
    }
}

/** Where the chunk starting at `offset` ends: at most SNAPSHOT_CHUNK_CHARS on, never between the halves of a surrogate pair. */
export function chunkEnd(text: string, offset: number): number {
    let end = Math.min(text.length, offset + SNAPSHOT_CHUNK_CHARS);
    if (end < text.length && end > offset + 1) {
        const before = text.charCodeAt(end - 1);
        if (before >= 0xd800 && before <= 0xdbff) {
            end--;
        }
    }
    return end;
}
