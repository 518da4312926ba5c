import { applyLocalEdit, applyToBuffer, applyToString } from './apply';
import { compose } from './compose';
import { invert } from './invert';
import { AppliedOp, CatchUp, ClientOp, DocumentSnapshot } from './ot-messages';
import { diff } from './splice';
import { TextBuffer } from './text-buffer';
import { checkOp, InvalidOperationError, TextOperation, withDeleteCounts } from './text-operation';
import { transform } from './transform';

export type OTClientState = 'synchronized' | 'awaiting-ack' | 'awaiting-with-buffer';

export interface OTClientOptions {
    /** Stable for the client's lifetime, reconnects included: it makes resends idempotent. */
    readonly clientId: string;
    /** The authority revision `document` holds. */
    readonly revision: number;
    /** The client's copy of the document; local and remote edits are applied to it here. */
    readonly document: TextBuffer;
    /** Sends an operation to the authority (only while connected). */
    send(message: ClientOp): void;
    /** A remote edit, already transformed and applied to `document`, for the editor to show. */
    onRemoteOp?(op: TextOperation): void;
    /** The client missed operations or lost track; the transport should fetch a CatchUp and call resume(). */
    onOutOfSync?(reason: string): void;
}

/** Replaced, never changed: `sent` stays true to `op` without anyone having to clear it. */
interface Outstanding {
    readonly seq: number;
    /** Invertible (deletes carry their text): what undo and a snapshot rebase need. */
    readonly op: TextOperation;
    /** `op` with its deletes as counts when that is known already (from applying the edit); derived when sending otherwise. */
    readonly sent?: TextOperation;
}

/**
 * The guest side of one shared document (the classic client state machine of
 * Jupiter and Google Wave): local edits apply at once; one batch at a time is
 * in flight to the authority, tagged with the revision it is based on;
 * further edits wait in a buffer; incoming operations are transformed against
 * both. While offline, edits keep collecting; resume() rebases them onto what
 * was missed and sends them again.
 *
 * Pending operations are kept invertible (deletes carry their text) so that a
 * snapshot resync can rebase them too. What goes to the authority has its
 * deletes as counts: checking a delete's text there and at every other
 * client cost more than the rest of an edit's path (and a whole-file replace
 * sent the old file along); a copy that drifted is caught by the periodic
 * checksum instead.
 */
export class OTClient {
    readonly clientId: string;
    readonly document: TextBuffer;
    private rev: number;
    private outstanding: Outstanding | undefined;
    private buffer: TextOperation | undefined;
    private seq = 0;
    private online = true;

    constructor(private readonly options: OTClientOptions) {
        if (typeof options.clientId !== 'string' || options.clientId.length === 0) {
            throw new TypeError('clientId must be a non-empty string');
        }
        if (!Number.isSafeInteger(options.revision) || options.revision < 0) {
            throw new RangeError(`revision must be a non-negative integer, got ${options.revision}`);
        }
        this.clientId = options.clientId;
        this.document = options.document;
        this.rev = options.revision;
    }

    /** The last authority revision this client has applied. */
    get revision(): number {
        return this.rev;
    }

    get state(): OTClientState {
        return this.outstanding === undefined ? 'synchronized' : this.buffer === undefined ? 'awaiting-ack' : 'awaiting-with-buffer';
    }

    get isOnline(): boolean {
        return this.online;
    }

    /** Operations not yet acknowledged, in order, composed: what resume() will resend. */
    get pending(): TextOperation | undefined {
        if (this.outstanding && this.buffer) {
            return compose(this.outstanding.op, this.buffer);
        }
        return this.outstanding?.op ?? this.buffer;
    }

    /**
     * Applies a local edit to the document and queues it for the authority.
     * Returns the edit as applied, with deleted text filled in (what an undo
     * manager records). Throws InvalidOperationError, changing nothing, if
     * the edit does not fit the document.
     */
    applyLocal(op: TextOperation): TextOperation {
        const edit = applyLocalEdit(this.document, op);
        const invertible = edit.invertible;
        if (edit.noop) {
            return invertible;
        }
        if (this.outstanding === undefined) {
            this.outstanding = { seq: ++this.seq, op: invertible, sent: edit.withCounts };
            this.sendOutstanding();
        } else {
            this.buffer = this.buffer === undefined ? invertible : compose(this.buffer, invertible);
        }
        return invertible;
    }

    /** An operation the authority applied: the acknowledgement of our own, or someone else's to apply. */
    receive(applied: AppliedOp): void {
        if (applied.revision <= this.rev) {
            return; // Seen already (a catch-up overlapping the live stream).
        }
        if (applied.revision !== this.rev + 1) {
            this.options.onOutOfSync?.(`expected revision ${this.rev + 1}, got ${applied.revision}`);
            return;
        }
        if (applied.clientId === this.clientId) {
            if (this.outstanding === undefined || applied.seq !== this.outstanding.seq) {
                this.options.onOutOfSync?.(`acknowledgement of operation ${applied.seq}, which is not the one in flight`);
                return;
            }
            this.rev = applied.revision;
            this.outstanding = undefined;
            if (this.buffer !== undefined) {
                this.outstanding = { seq: ++this.seq, op: this.buffer };
                this.buffer = undefined;
                this.sendOutstanding();
            }
            return;
        }
        this.applyRemote(applied.op, applied.revision);
    }

    /** The connection dropped: keep editing locally, send nothing. */
    suspend(): void {
        this.online = false;
    }

    /**
     * Back online (or told it is out of sync): catch up from `catchUp`, then
     * resend what the authority has not acknowledged.
     */
    resume(catchUp: CatchUp): void {
        if (catchUp.type === 'ops') {
            for (const applied of catchUp.ops) {
                this.receive(applied);
            }
        } else if (catchUp.snapshot.revision >= this.rev) {
            this.resyncTo(catchUp.snapshot, catchUp.lastSeq);
        }
        // An older snapshot (a late answer to an earlier request) tells nothing new.
        this.online = true;
        this.sendOutstanding();
    }

    /**
     * Transforms a remote operation past our pending edits (and them past it)
     * and applies it. The new state is kept only once it applied: an
     * operation that does not fit (a copy that drifted, a garbled message)
     * leaves the document and the pending edits as they were, for the
     * resync that onOutOfSync asks for to rebase.
     */
    private applyRemote(remote: TextOperation, revision: number): void {
        let op = remote;
        let outstanding = this.outstanding;
        let buffer = this.buffer;
        try {
            if (outstanding !== undefined) {
                // transform() trusts its input: check the shape first (applyToBuffer checks the rest).
                checkOp(op);
                const mine = outstanding.op;
                outstanding = { seq: outstanding.seq, op: transform(mine, op, 'right') };
                op = transform(op, mine, 'left');
                if (buffer !== undefined) {
                    const buffered = buffer;
                    buffer = transform(buffered, op, 'right');
                    op = transform(op, buffered, 'left');
                }
            }
            applyToBuffer(this.document, op);
        } catch (error) {
            if (error instanceof InvalidOperationError) {
                this.options.onOutOfSync?.(`a remote operation does not fit the local document: ${error.message}`);
                return;
            }
            throw error;
        }
        this.outstanding = outstanding;
        this.buffer = buffer;
        this.rev = revision;
        this.options.onRemoteOp?.(op);
    }

    /**
     * Rebases pending edits onto a snapshot. The snapshot includes our
     * operations up to `lastSeq`; the rest are transformed past the difference
     * between the text they were based on and the snapshot, as if that
     * difference were one remote operation.
     */
    private resyncTo(snapshot: DocumentSnapshot, lastSeq: number): void {
        if (this.outstanding !== undefined && this.outstanding.seq <= lastSeq) {
            // Applied already: it belongs to the base now. The buffer goes next.
            this.outstanding = this.buffer === undefined ? undefined : { seq: ++this.seq, op: this.buffer };
            this.buffer = undefined;
        }
        this.rev = snapshot.revision - 1;
        this.applyRemote(changesUnderPending(this.document.getText(), this.pending, snapshot.text), snapshot.revision);
    }

    private sendOutstanding(): void {
        if (this.online && this.outstanding !== undefined) {
            this.options.send({ clientId: this.clientId, seq: this.outstanding.seq, revision: this.rev, op: this.outstanding.sent ?? withDeleteCounts(this.outstanding.op) });
        }
    }
}

/**
 * What changed under a client's unacknowledged edits: the operation from the
 * text `pending` was based on (`current`, the client's text, without
 * `pending`) to `snapshot`, as if it were one remote operation. Transforming
 * `pending` past it (transform(pending, result, 'right')) rebases the edits
 * onto the snapshot: OTClient does so on a snapshot resync, and an editor
 * that re-opens a document with a new client does so to keep what was typed.
 */
export function changesUnderPending(current: string, pending: TextOperation | undefined, snapshot: string): TextOperation {
    return diff(pending === undefined ? current : applyToString(current, invert(pending)), snapshot);
}
