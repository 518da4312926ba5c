import {
    applyInvertibly, applyToBuffer, DocumentAuthority, InvalidOperationError, isNoop, RopeTextBuffer, UndoManager,
    type AppliedOp, type CatchUp, type CollaborationSession, type TextOperation
} from '@ensemble/collaboration-common';
import type { SharedPath } from '@ensemble/collaboration-backend/lib/common/workspace-path';
import { Disposable, DisposableCollection } from '@theia/core/lib/common/disposable';
import { DocumentChecksum, MAX_BROADCAST_OP_CHARS, OpApplied, type Eol } from '../editor-sync-messages';
import { changesToOp } from '../model-edits';
import { joinOpParts, wireSize } from '../op-parts';
import { applyOwnStep } from '../own-edit';
import { keepSelections, restoreSelections } from '../selection-keeper';
import { scanInSlices } from '../slice-scan';
import { TextHasher } from '../text-hash';
import type { ContentChangedEvent, SelectionHolder, TextModel } from '../text-model';
import { MonacoModelTextBuffer } from './monaco-model-text-buffer';
import { SnapshotStore, type SnapshotHead } from './snapshot-store';

export interface HostDocumentOptions {
    readonly key: string;
    readonly target: SharedPath;
    readonly session: CollaborationSession;
    /** The host's Monaco model of the file (the one its editors show). */
    readonly model: TextModel;
    /** The editors showing the model right now, to keep their selections in place. */
    readonly editors: () => readonly SelectionHolder[];
    /** Idle time after the last edit before the checksum goes out (ms). Default 1000. */
    readonly checksumDelayMs?: number;
}

/** Most characters of operation pieces a host keeps for one guest client while it waits for the rest (~200 MB of text). */
const MAX_PENDING_PART_CHARS = 100_000_000;

/** The pieces of one big guest operation received so far. */
interface PendingParts {
    readonly seq: number;
    readonly revision: number;
    readonly count: number;
    next: number;
    chars: number;
    readonly op: TextOperation;
}

export type SubmitStatus = { status: 'applied' | 'duplicate' | 'refused' | 'resync' | 'not-open'; reason?: string };

/** A snapshot answer as sent: head plus the revision and line ending. */
export interface HostSnapshot extends SnapshotHead {
    readonly revision: number;
    readonly eol: Eol;
}

/**
 * The revision a new authority starts at: the time in milliseconds, not 0. A
 * host that reloads its window goes back into its session with new
 * authorities while guests still hold revisions of the old ones, and numbers
 * from two histories must never be taken for each other. The old authority
 * could only have got past this one's start with more than one edit per
 * millisecond since it started, so a guest's old revision is "older than the
 * log keeps" here and gets a snapshot, never operations of another history.
 */
function firstRevision(): number {
    return Date.now();
}

/**
 * One shared document on the host: the authority over the host's Monaco
 * model, the host's own typing turned into operations, the guests'
 * operations applied to the model, every applied operation published on the
 * document's topic, and a checksum when edits pause.
 */
export class HostDocument implements Disposable {
    readonly key: string;
    readonly target: SharedPath;
    readonly authority: DocumentAuthority;
    readonly buffer: MonacoModelTextBuffer;
    /**
     * The host's own edits only, transformed past the guests' (Monaco's undo
     * stack knows nothing of the guests' edits and would undo them, or apply
     * at the wrong place).
     */
    readonly undoManager = new UndoManager();
    /**
     * A copy of the text, kept equal to the model with every applied
     * operation. Monaco reports a change after making it, so the text the
     * host deleted (which its undo must put back) is read from here.
     */
    private mirror: RopeTextBuffer;
    private applyingUndo = false;
    /** Client ids (one per guest editor session of this document) by peer. */
    private readonly clients = new Map<string, Set<string>>();
    /** Pieces of big operations being received, by client id. */
    private readonly parts = new Map<string, PendingParts>();
    private readonly snapshots = new SnapshotStore();
    private readonly toDispose = new DisposableCollection();
    private checksumTimer: ReturnType<typeof setTimeout> | undefined;
    private lastChecksumRevision = -1;
    /** Counts checksum passes: a newer one (or dispose) abandons an older one still reading slices. */
    private checksumRun = 0;
    private eol: Eol;

    constructor(private readonly options: HostDocumentOptions) {
        this.key = options.key;
        this.target = options.target;
        this.buffer = new MonacoModelTextBuffer(options.model);
        this.authority = new DocumentAuthority(this.buffer, { hostClientId: 'host', revision: firstRevision() });
        this.eol = eolOf(options.model);
        this.mirror = new RopeTextBuffer(options.model.getValue());
        this.toDispose.push(options.model.onDidChangeContent(event => this.onModelChanged(event)));
        this.toDispose.push(Disposable.create(() => {
            clearTimeout(this.checksumTimer);
            this.snapshots.clear();
        }));
    }

    get model(): TextModel {
        return this.options.model;
    }

    get revision(): number {
        return this.authority.revision;
    }

    get isOpen(): boolean {
        return this.clients.size > 0;
    }

    hasClient(peerId: string, clientId: string): boolean {
        return this.clients.get(peerId)?.has(clientId) ?? false;
    }

    /** A guest opens the document: it gets a snapshot (head) of the current text. */
    open(peerId: string, clientId: string): HostSnapshot {
        let ids = this.clients.get(peerId);
        if (!ids) {
            this.clients.set(peerId, ids = new Set());
        }
        ids.add(clientId);
        return this.snapshotFor(peerId);
    }

    close(peerId: string, clientId: string): void {
        const ids = this.clients.get(peerId);
        if (ids?.delete(clientId)) {
            this.authority.forgetClient(clientId);
            this.parts.delete(clientId);
            if (ids.size === 0) {
                this.clients.delete(peerId);
                this.snapshots.dropOwner(peerId);
            }
        }
    }

    /** A peer left for good: forget all its clients. */
    dropPeer(peerId: string): void {
        for (const clientId of this.clients.get(peerId) ?? []) {
            this.authority.forgetClient(clientId);
            this.parts.delete(clientId);
        }
        this.clients.delete(peerId);
        this.snapshots.dropOwner(peerId);
    }

    readSnapshot(peerId: string, snapshotId: string, offset: number): string {
        return this.snapshots.read(snapshotId, offset, peerId);
    }

    /** A guest's operation. `canWrite` comes from the server's peer list, never from the message. */
    submit(peerId: string, canWrite: boolean, message: { clientId: string; seq: number; revision: number; op: TextOperation }): SubmitStatus {
        if (!this.hasClient(peerId, message.clientId)) {
            return { status: 'not-open', reason: 'This document is not open for you on the host (any more); open it again.' };
        }
        if (!canWrite) {
            return { status: 'refused', reason: 'You joined read-only: your edits are not applied. Ask the host for read-write access.' };
        }
        const foreign = foreignLineBreak(message.op, this.eol);
        if (foreign) {
            return { status: 'resync', reason: foreign };
        }
        const kept = keepSelections(this.model, this.options.editors());
        const reply = this.authority.receive(message);
        switch (reply.type) {
            case 'applied':
                restoreSelections(this.model, kept, reply.applied.op);
                this.followMirror(reply.applied.op, false);
                this.publish(reply.applied);
                return { status: 'applied' };
            case 'duplicate':
                return { status: 'duplicate' };
            case 'resync':
                return { status: 'resync', reason: reply.catchUp.reason };
        }
    }

    /**
     * One piece of a guest operation too big for one message: kept until the
     * last one arrives, then the joined operation is submitted. Pieces out of
     * order (a lost one, a resend after a reconnect) drop what was kept and
     * start over when the piece is a first one.
     */
    submitPart(peerId: string, canWrite: boolean, message: { clientId: string; seq: number; revision: number; index: number; count: number; op: TextOperation }):
        SubmitStatus | { status: 'partial' } {
        if (!this.hasClient(peerId, message.clientId)) {
            return { status: 'not-open', reason: 'This document is not open for you on the host (any more); open it again.' };
        }
        if (!canWrite) {
            return { status: 'refused', reason: 'You joined read-only: your edits are not applied. Ask the host for read-write access.' };
        }
        let pending = this.parts.get(message.clientId);
        if (message.index === 0) {
            pending = { seq: message.seq, revision: message.revision, count: message.count, next: 0, chars: 0, op: [] };
            this.parts.set(message.clientId, pending);
        }
        if (!pending || pending.seq !== message.seq || pending.revision !== message.revision || pending.count !== message.count
            || pending.next !== message.index || message.index >= message.count) {
            this.parts.delete(message.clientId);
            return { status: 'resync', reason: `piece ${message.index + 1} of edit ${message.seq} came without the pieces before it` };
        }
        pending.chars += wireSize(message.op);
        if (pending.chars > MAX_PENDING_PART_CHARS) {
            this.parts.delete(message.clientId);
            return { status: 'refused', reason: `The edit is too big to share (more than ${MAX_PENDING_PART_CHARS} characters).` };
        }
        joinOpParts(pending.op, message.op);
        pending.next++;
        if (pending.next < pending.count) {
            return { status: 'partial' };
        }
        this.parts.delete(message.clientId);
        return this.submit(peerId, canWrite, { clientId: message.clientId, seq: message.seq, revision: message.revision, op: pending.op });
    }

    /** What a guest at `revision` missed: the operations if they fit a message, a snapshot otherwise. */
    catchUp(peerId: string, clientId: string, revision: number, wantSnapshot: boolean):
        { type: 'ops'; ops: AppliedOp[]; eol: Eol } | (HostSnapshot & { type: 'snapshot'; lastSeq: number; reason: string }) {
        if (!this.hasClient(peerId, clientId)) {
            // The guest must open the document again (this window reloaded, or dropped the guest): its revision means nothing here.
            throw new Error('This document is not open for you on the host (any more); open it again.');
        }
        let catchUp: CatchUp = wantSnapshot
            ? { type: 'snapshot', snapshot: this.authority.snapshot(), lastSeq: this.authority.lastSeq(clientId), reason: 'asked for a snapshot' }
            : this.authority.catchUp(clientId, revision);
        if (catchUp.type === 'ops' && catchUp.ops.reduce((sum, applied) => sum + textSize(applied.op), 0) > MAX_BROADCAST_OP_CHARS) {
            catchUp = { type: 'snapshot', snapshot: this.authority.snapshot(), lastSeq: this.authority.lastSeq(clientId), reason: 'the missed edits are too big for one message' };
        }
        if (catchUp.type === 'ops') {
            return { type: 'ops', ops: [...catchUp.ops], eol: this.eol };
        }
        const head = this.snapshots.start(catchUp.snapshot.text, peerId);
        return { type: 'snapshot', ...head, revision: catchUp.snapshot.revision, eol: this.eol, lastSeq: catchUp.lastSeq, reason: catchUp.reason };
    }

    /**
     * Publishes the checksum of the current revision (tests; and the timer).
     * The text is read and hashed a slice at a time between other work, so
     * that typing never waits for a pass over a big document; an edit during
     * the pass abandons it (the edit schedules the next checksum). The same
     * pass checks that the host's undo copy still equals the model.
     */
    async publishChecksum(): Promise<void> {
        clearTimeout(this.checksumTimer);
        this.checksumTimer = undefined;
        const run = ++this.checksumRun;
        const session = this.options.session;
        if (session.state !== 'connected') {
            return;
        }
        const model = this.model;
        const revision = this.revision;
        const versionId = model.getVersionId();
        const length = model.getValueLength();
        const mirror = this.mirror;
        const hasher = new TextHasher(length);
        let mirrorMatches = mirror.length === length;
        const result = await scanInSlices(length,
            () => run === this.checksumRun && !this.toDispose.disposed && session.state === 'connected' && model.getVersionId() === versionId && this.mirror === mirror,
            (start, end) => {
                const piece = this.buffer.slice(start, end);
                hasher.update(piece);
                mirrorMatches &&= mirror.slice(start, end) === piece;
                return true;
            });
        if (result !== 'done') {
            if (run === this.checksumRun && !this.toDispose.disposed && this.checksumTimer === undefined) {
                // Changed meanwhile without an edit of ours scheduling the next one (the model reloaded, say): try again later.
                this.scheduleChecksum(this.options.checksumDelayMs ?? 1000);
            }
            return;
        }
        if (!mirrorMatches) {
            // The model changed behind the authority's back (a bug): the host's undo history no longer fits it.
            this.resetMirror(model.getValue());
        }
        this.lastChecksumRevision = revision;
        session.publish(this.key, DocumentChecksum, { doc: this.key, revision, length, hash: hasher.digest() });
    }

    /** Undoes the host's last own edit (transformed past the guests'); false when there is none. */
    undo(editors: readonly SelectionHolder[] = this.options.editors()): boolean {
        return this.applyOwn(this.undoManager.undo(), editors);
    }

    redo(editors: readonly SelectionHolder[] = this.options.editors()): boolean {
        return this.applyOwn(this.undoManager.redo(), editors);
    }

    dispose(): void {
        this.toDispose.dispose();
    }

    private applyOwn(op: TextOperation | undefined, editors: readonly SelectionHolder[]): boolean {
        if (!op) {
            return false;
        }
        this.applyingUndo = true;
        try {
            // onModelChanged turns it into a host edit; the undo manager moved the step to its other stack itself.
            applyOwnStep(op, this.model, editors);
        } finally {
            this.applyingUndo = false;
        }
        return true;
    }

    /** Applies an operation the model just took to the mirror; the host's own ones are recorded for undo. */
    private followMirror(op: TextOperation, own: boolean): void {
        try {
            if (own) {
                const invertible = applyInvertibly(this.mirror, op);
                if (!this.applyingUndo) {
                    this.undoManager.recordLocal(invertible);
                }
            } else {
                applyToBuffer(this.mirror, op);
                this.undoManager.transformRemote(op);
            }
        } catch (error) {
            if (!(error instanceof InvalidOperationError)) {
                throw error;
            }
            this.resetMirror(this.model.getValue());
            return;
        }
        if (this.mirror.length !== this.model.getValueLength()) {
            this.resetMirror(this.model.getValue());
        }
    }

    /** The mirror no longer matched the model: start over from the model, without an undo history that no longer fits. */
    private resetMirror(text: string): void {
        console.warn(`Ensemble: the host's copy of ${this.target.path} for undo no longer matched the editor; the host's shared undo history is cleared.`);
        this.mirror = new RopeTextBuffer(text);
        this.undoManager.clear();
    }

    private snapshotFor(peerId: string): HostSnapshot {
        const snapshot = this.authority.snapshot();
        return { ...this.snapshots.start(snapshot.text, peerId), revision: snapshot.revision, eol: this.eol };
    }

    /** The host typed (or its model reloaded from disk, or a formatter ran): one host edit. */
    private onModelChanged(event: ContentChangedEvent): void {
        if (this.buffer.editing) {
            return; // a guest's operation being applied
        }
        const eol = eolOf(this.model);
        const eolChanged = eol !== this.eol;
        this.eol = eol;
        const delta = event.changes.reduce((sum, change) => sum + change.text.length - change.rangeLength, 0);
        let op: TextOperation;
        try {
            op = changesToOp(event.changes, this.model.getValueLength() - delta);
        } catch (error) {
            console.error(`Ensemble: could not turn an edit of ${this.target.path} into an operation; guests will resync.`, error);
            this.scheduleChecksum(0);
            return;
        }
        if (isNoop(op) && !eolChanged) {
            return;
        }
        if (eolChanged) {
            // Every line break changed: steps recorded with the old ones would not fit any more.
            this.mirror = new RopeTextBuffer(this.model.getValue());
            this.undoManager.clear();
        } else {
            this.followMirror(op, true);
        }
        try {
            this.publish(this.authority.applyHostEdit(op, true), eolChanged ? eol : undefined);
        } catch (error) {
            if (!(error instanceof InvalidOperationError)) {
                throw error;
            }
            console.error(`Ensemble: an edit of ${this.target.path} was not a valid operation; guests will resync.`, error);
            this.scheduleChecksum(0);
        }
    }

    private publish(applied: AppliedOp, eol?: Eol): void {
        const session = this.options.session;
        if (session.state === 'connected' && textSize(applied.op) <= MAX_BROADCAST_OP_CHARS) {
            session.publish(this.key, OpApplied, { doc: this.key, revision: applied.revision, op: applied.op, clientId: applied.clientId, seq: applied.seq, ...(eol ? { eol } : {}) });
            this.scheduleChecksum(this.options.checksumDelayMs ?? 1000);
        } else {
            // Too big for one message (or offline): the checksum tells the guests they are behind; they catch up from a snapshot.
            this.scheduleChecksum(0);
        }
    }

    private scheduleChecksum(delayMs: number): void {
        clearTimeout(this.checksumTimer);
        this.checksumTimer = setTimeout(() => {
            if (this.revision !== this.lastChecksumRevision) {
                void this.publishChecksum();
            }
        }, delayMs);
    }
}

export function eolOf(model: TextModel): Eol {
    return model.getEOL() === '\r\n' ? '\r\n' : '\n';
}

/** Characters of text an operation carries (what decides whether it fits a message). */
export function textSize(op: TextOperation): number {
    let size = 0;
    for (const c of op) {
        size += typeof c === 'string' ? c.length : typeof c === 'object' ? (typeof c.d === 'string' ? c.d.length : 8) : 8;
    }
    return size;
}

/**
 * Why an operation's inserts do not fit a model with line ending `eol`, or
 * undefined. Monaco would convert such a line break on insert, and the
 * text would silently differ from what the operation says.
 */
export function foreignLineBreak(op: TextOperation, eol: Eol): string | undefined {
    for (const c of op) {
        if (typeof c === 'string' && (eol === '\n' ? c.includes('\r') : /\r(?!\n)|(?<!\r)\n/.test(c))) {
            return `the edit inserts line breaks other than the document's (${eol === '\n' ? 'LF' : 'CRLF'})`;
        }
    }
    return undefined;
}
