import { applyToBuffer } from './apply';
import { OneEdit } from './one-edit';
import { AppliedOp, CatchUp, ClientOp, DocumentSnapshot } from './ot-messages';
import { OperationLog, OperationLogLimits } from './operation-log';
import { TextBuffer } from './text-buffer';
import { checkOp, InvalidOperationError, TextOperation } from './text-operation';
import { transform } from './transform';

export interface DocumentAuthorityOptions extends OperationLogLimits {
    /** The revision of the initial text (default 0). */
    readonly revision?: number;
    /** The client id the host's own edits carry (default 'host'). */
    readonly hostClientId?: string;
}

/** What the authority answers a client's operation with. */
export type AuthorityReply =
    /** Applied: broadcast `applied` to every client of the document, the author included. */
    | { readonly type: 'applied'; readonly applied: AppliedOp }
    /** Already applied earlier (a resend): nothing to do. */
    | { readonly type: 'duplicate'; readonly clientId: string; readonly seq: number }
    /** The client must resync: its base is unknown here or its operation was invalid. */
    | { readonly type: 'resync'; readonly catchUp: CatchUp & { type: 'snapshot' } };

/**
 * The host side of one shared document: the current text, its revision and
 * the log of recent operations. An operation based on an older revision is
 * transformed past what was applied since; a client whose base is no longer
 * in the log (or is in the future) gets a snapshot instead, never a wrong
 * document.
 */
export class DocumentAuthority {
    readonly hostClientId: string;
    private rev: number;
    private readonly log: OperationLog;
    /** Per client, the highest seq applied. */
    private readonly clients = new Map<string, ClientProgress>();
    /**
     * The last sender and its record: a typist sends many operations in a
     * row, and comparing one string (usually the same one) is cheaper than
     * a map lookup on every edit.
     */
    private recentClientId: string | undefined;
    private recentProgress: ClientProgress | undefined;
    private hostSeq = 0;

    constructor(readonly buffer: TextBuffer, options: DocumentAuthorityOptions = {}) {
        this.rev = options.revision ?? 0;
        if (!Number.isSafeInteger(this.rev) || this.rev < 0) {
            throw new RangeError(`revision must be a non-negative integer, got ${this.rev}`);
        }
        this.hostClientId = options.hostClientId ?? 'host';
        this.log = new OperationLog(this.rev, options);
    }

    get revision(): number {
        return this.rev;
    }

    /** The oldest revision a client can still be caught up from without a snapshot. */
    get oldestLoggedRevision(): number {
        return this.log.firstRevision;
    }

    /**
     * The operations that produced the revisions after `revision`, in order
     * (to move a position computed at `revision` to the current text), or
     * undefined when the log no longer reaches back that far.
     */
    opsSince(revision: number): TextOperation[] | undefined {
        return revision > this.rev ? undefined : this.log.since(revision)?.map(applied => applied.op);
    }

    get logByteSize(): number {
        return this.log.byteSize;
    }

    get logLength(): number {
        return this.log.length;
    }

    snapshot(): DocumentSnapshot {
        return { revision: this.rev, text: this.buffer.getText() };
    }

    /** The highest seq applied from `clientId` (0 for none). */
    lastSeq(clientId: string): number {
        return this.clients.get(clientId)?.lastSeq ?? 0;
    }

    /** Drops what is kept about a client that left for good. */
    forgetClient(clientId: string): void {
        this.clients.delete(clientId);
        if (clientId === this.recentClientId) {
            this.recentClientId = undefined;
            this.recentProgress = undefined;
        }
    }

    /** Transforms a client's operation to the current revision and applies it. Never throws on bad input. */
    receive(message: ClientOp): AuthorityReply {
        const problem = describeBadMessage(message);
        if (problem) {
            return this.resync(typeof message?.clientId === 'string' ? message.clientId : '', `invalid operation message: ${problem}`);
        }
        const { clientId, seq, revision } = message;
        const progress = clientId === this.recentClientId ? this.recentProgress : this.clients.get(clientId);
        const lastSeq = progress === undefined ? 0 : progress.lastSeq;
        if (seq <= lastSeq) {
            return { type: 'duplicate', clientId, seq };
        }
        if (seq !== lastSeq + 1) {
            return this.resync(clientId, `operation ${seq} from ${clientId} arrived after ${lastSeq}: some were lost`);
        }
        if (revision > this.rev) {
            return this.resync(clientId, `the client is at revision ${revision}, ahead of the authority's ${this.rev}`);
        }
        if (revision < this.log.firstRevision) {
            return this.resync(clientId, `revision ${revision} is older than the log keeps (oldest ${this.log.firstRevision})`);
        }
        let op = message.op;
        let edit: Readonly<OneEdit> | undefined;
        try {
            if (revision < this.rev) {
                // transform() trusts its input: check the shape first (applyToBuffer checks the rest).
                checkOp(op);
                for (let r = revision + 1; r <= this.rev; r++) {
                    op = transform(op, this.log.opProducing(r), 'right');
                }
            }
            edit = applyToBuffer(this.buffer, op);
        } catch (error) {
            if (error instanceof InvalidOperationError) {
                return this.resync(clientId, `the operation does not fit the document: ${error.message}`);
            }
            throw error;
        }
        if (progress === undefined) {
            this.recentProgress = { lastSeq: seq };
            this.clients.set(clientId, this.recentProgress);
        } else {
            progress.lastSeq = seq;
            this.recentProgress = progress;
        }
        this.recentClientId = clientId;
        return { type: 'applied', applied: this.record(op, clientId, seq, edit) };
    }

    /**
     * Records an edit of the host itself. With `alreadyApplied` the buffer has
     * it already (the host's editor model is the buffer); otherwise it is
     * applied here. Throws InvalidOperationError if it does not fit.
     */
    applyHostEdit(op: TextOperation, alreadyApplied = false): AppliedOp {
        let edit: Readonly<OneEdit> | undefined;
        if (alreadyApplied) {
            checkOp(op);
        } else {
            edit = applyToBuffer(this.buffer, op);
        }
        return this.record(op, this.hostClientId, ++this.hostSeq, edit);
    }

    /** What a client at `revision` needs to catch up: the operations since, or a snapshot. */
    catchUp(clientId: string, revision: number): CatchUp {
        if (!Number.isSafeInteger(revision) || revision < 0) {
            return this.resync(clientId, `revision must be a non-negative integer, got ${String(revision)}`).catchUp;
        }
        if (revision > this.rev) {
            return this.resync(clientId, `the client is at revision ${revision}, ahead of the authority's ${this.rev}`).catchUp;
        }
        const ops = this.log.since(revision);
        if (!ops) {
            return this.resync(clientId, `revision ${revision} is older than the log keeps (oldest ${this.log.firstRevision})`).catchUp;
        }
        return { type: 'ops', ops };
    }

    /** `edit`: op's parts, when it is of one edit, as applyToBuffer just read them. */
    private record(op: TextOperation, clientId: string, seq: number, edit?: Readonly<OneEdit>): AppliedOp {
        const applied: AppliedOp = { revision: ++this.rev, op, clientId, seq };
        this.log.append(applied, edit);
        return applied;
    }

    private resync(clientId: string, reason: string): AuthorityReply & { type: 'resync' } {
        return { type: 'resync', catchUp: { type: 'snapshot', snapshot: this.snapshot(), lastSeq: this.lastSeq(clientId), reason } };
    }
}

interface ClientProgress {
    /** The highest seq applied; mutable, so that recording a seq needs no second map lookup. */
    lastSeq: number;
}

/** Why `message` is not a well-formed ClientOp, or undefined if it is. */
function describeBadMessage(message: ClientOp): string | undefined {
    if (typeof message !== 'object' || message === null) {
        return 'not an object';
    }
    if (typeof message.clientId !== 'string' || message.clientId.length === 0) {
        return 'clientId must be a non-empty string';
    }
    if (!Number.isSafeInteger(message.seq) || message.seq < 1) {
        return 'seq must be a positive integer';
    }
    if (!Number.isSafeInteger(message.revision) || message.revision < 0) {
        return 'revision must be a non-negative integer';
    }
    if (!Array.isArray(message.op)) {
        return 'op must be an array';
    }
    return undefined;
}
