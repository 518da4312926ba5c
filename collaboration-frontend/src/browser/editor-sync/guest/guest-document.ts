import {
    changesUnderPending, diff, ErrorCodes, InvalidOperationError, isNoop, OTClient, RemoteError, RopeTextBuffer, transform, UndoManager,
    type AppliedOp, type CatchUp, type ClientOp, type CollaborationSession, type TextOperation
} from '@ensemble/collaboration-common';
import type { SharedPath } from '@ensemble/collaboration-backend/lib/common/workspace-path';
import { Disposable, DisposableCollection } from '@theia/core/lib/common/disposable';
import { Emitter, type Event } from '@theia/core/lib/common/event';
import {
    CatchUpDocument, CloseDocument, MAX_SUBMIT_OP_CHARS, OpenDocument, ReadSnapshot, SaveDocument, SubmitOp, SubmitOpPart, type Eol
} from '../editor-sync-messages';
import type { EditorSyncMetrics } from '../editor-sync-metrics';
import { changesToOp, opToEdits } from '../model-edits';
import { splitOp, wireSize } from '../op-parts';
import { keepSelections, restoreSelections } from '../selection-keeper';
import { MonacoModelTextBuffer } from '../host/monaco-model-text-buffer';
import { scanInSlices } from '../slice-scan';
import { TextHasher } from '../text-hash';
import { downloadSnapshot } from './snapshot-download';
import type { ContentChangedEvent, SelectionHolder, SingleEdit, TextModel } from '../text-model';

/** Applies a remote edit to the editor's model without marking it dirty or entering its undo stack. */
export type RemoteEditSink = (edits: SingleEdit[]) => void;

/** What the guest's editor is bound to: its model, how remote edits reach it, the editors that show it. */
export interface GuestModelBinding {
    readonly model: TextModel;
    readonly applyRemote: RemoteEditSink;
    readonly editors: () => readonly SelectionHolder[];
}

export interface GuestDocumentOptions {
    readonly session: CollaborationSession;
    readonly key: string;
    readonly target: SharedPath;
    readonly metrics: EditorSyncMetrics;
    /** Progress of a big download, 0..1. */
    readonly onProgress?: (done: number, total: number) => void;
    /** Request timeout (ms); the session's default otherwise. */
    readonly requestTimeoutMs?: number;
}

/** A broadcast operation, as the handler hands it over. */
export interface AppliedOpMessage extends AppliedOp {
    readonly eol?: Eol;
}

/** A snapshot as downloaded (all chunks). */
interface Snapshot {
    readonly revision: number;
    readonly text: string;
    readonly eol: Eol;
}

let clientCounter = 0;

function newClientId(session: CollaborationSession): string {
    return `${session.peerId ?? 'guest'}.${Date.now().toString(36)}.${(++clientCounter).toString(36)}`;
}

/**
 * One shared document on a guest: the OT client with its rope copy of the
 * text, bound to the editor's Monaco model. Local changes become operations
 * for the host; remote operations land in the model without entering its
 * undo stack, keeping the local carets where they belong. Gaps, reconnects,
 * refusals and checksum mismatches are repaired by catching up from the host
 * (operations, or a chunked snapshot), keeping pending local edits.
 */
export class GuestDocument implements Disposable {
    readonly key: string;
    readonly target: SharedPath;
    /** Fresh per open (and per reopen): the host counts seqs per client id, and a new OT client starts at seq 1 again. */
    get clientId(): string { return this.currentClientId; }
    private currentClientId: string;
    readonly undoManager = new UndoManager();
    private client: OTClient | undefined;
    private mirror: RopeTextBuffer | undefined;
    private binding: GuestModelBinding | undefined;
    private eol: Eol = '\n';
    /** Broadcasts held back while opening or catching up (applied once the catch-up is in). */
    private held: AppliedOpMessage[] | undefined = [];
    private applyingRemote = false;
    private applyingUndo = false;
    private catchingUp: Promise<void> | undefined;
    private catchUpAgain: { snapshot: boolean } | undefined;
    private readOnlyRefusalShown = false;
    /** Counts checksum checks: a newer one abandons an older one still reading slices. */
    private checksumRun = 0;
    private disposed = false;
    private readonly toDispose = new DisposableCollection();
    private readonly remoteEditEmitter = new Emitter<TextOperation>();
    private readonly refusedEmitter = new Emitter<string>();
    /** A remote operation reached the model (already applied). */
    readonly onDidApplyRemoteEdit: Event<TextOperation> = this.remoteEditEmitter.event;
    /** The host refused this guest's edits (read-only); the message says why. */
    readonly onDidRefuseEdit: Event<string> = this.refusedEmitter.event;

    constructor(private readonly options: GuestDocumentOptions) {
        this.key = options.key;
        this.target = options.target;
        this.currentClientId = newClientId(options.session);
        this.toDispose.push(this.remoteEditEmitter);
        this.toDispose.push(this.refusedEmitter);
    }

    get revision(): number {
        return this.client?.revision ?? -1;
    }

    /** This guest's edits the host has not acknowledged yet, composed (the text is `revision`'s text with them applied). */
    get pendingOp(): TextOperation | undefined {
        return this.client?.pending;
    }

    get state(): OTClient['state'] | 'opening' {
        return this.client?.state ?? 'opening';
    }

    /** This guest's edits the host has not acknowledged yet, composed (the copy is the text at `revision` plus these). */
    get pending(): TextOperation | undefined {
        return this.client?.pending;
    }

    /** The OT copy of the text (what the model must equal). */
    get text(): string {
        return this.mirror?.getText() ?? '';
    }

    /** The bound editor model, if any. */
    get model(): TextModel | undefined {
        return this.binding?.model;
    }

    /** The text of the bound editor model, if any (what the user sees). */
    get modelText(): string | undefined {
        return this.binding?.model.getValue();
    }

    get lineEnding(): Eol {
        return this.eol;
    }

    /** Subscribes to the document's topic, then downloads the snapshot. Resolves with its text, to create the model from. */
    async open(): Promise<string> {
        const session = this.options.session;
        await session.subscribe(this.key);
        const head = await session.sendRequest(OpenDocument, { doc: this.key, target: this.target, clientId: this.clientId }, { type: 'host' }, this.requestOptions());
        const snapshot = await this.download(head);
        this.eol = snapshot.eol;
        this.mirror = new RopeTextBuffer(snapshot.text);
        this.client = this.createClient(snapshot.revision, this.mirror);
        this.drainHeld();
        return snapshot.text;
    }

    /**
     * Binds the editor's model (created from the text `open` resolved with).
     * Operations that arrived meanwhile are in the copy already: the model is
     * brought up to it first.
     */
    attach(binding: GuestModelBinding): Disposable {
        this.binding = binding;
        const model = binding.model;
        if (model.getEOL() !== this.eol) {
            this.withRemoteFlag(() => model.setEOL(this.eol === '\r\n' ? 1 : 0));
        }
        this.repairModel('attach', false);
        const listener = model.onDidChangeContent(event => this.onModelChanged(event));
        return Disposable.create(() => {
            listener.dispose();
            if (this.binding === binding) {
                this.binding = undefined;
            }
        });
    }

    /** An `editor/applied` broadcast for this document. */
    receive(message: AppliedOpMessage): void {
        if (this.held) {
            this.held.push(message);
            return;
        }
        this.feed(message);
    }

    /**
     * An `editor/checksum` broadcast: compare when at the same revision with
     * nothing pending. The copy is hashed (and compared with the editor's
     * model) a slice at a time between other work, so that a big document
     * never stalls typing; any change meanwhile abandons the check (the next
     * checksum covers it).
     */
    receiveChecksum(revision: number, length: number, hash: string): void {
        const client = this.client;
        const mirror = this.mirror;
        if (!client || !mirror || this.held || !client.isOnline) {
            return;
        }
        if (client.revision < revision) {
            // Operations arrive before the checksum that covers them: some were missed (or too big to broadcast).
            void this.catchUp(false, `behind the host (revision ${client.revision} < ${revision})`);
            return;
        }
        if (client.revision !== revision || client.state !== 'synchronized') {
            return;
        }
        if (mirror.length !== length) {
            this.checksumMismatch(revision);
            return;
        }
        const run = ++this.checksumRun;
        const binding = this.binding;
        const model = binding?.model;
        const versionId = model?.getVersionId();
        const modelText = model && model.getEOL() === this.eol && model.getValueLength() === length ? new MonacoModelTextBuffer(model) : undefined;
        let modelMatches = modelText !== undefined;
        const hasher = new TextHasher(length);
        const unchanged = (): boolean => run === this.checksumRun && !this.disposed && this.client === client && this.mirror === mirror && !this.held
            && client.revision === revision && client.state === 'synchronized' && this.binding === binding && model?.getVersionId() === versionId;
        void scanInSlices(length, unchanged, (start, end) => {
            const piece = mirror.slice(start, end);
            hasher.update(piece);
            modelMatches &&= modelText!.slice(start, end) === piece;
            return true;
        }).then(result => {
            if (result !== 'done') {
                return;
            }
            if (hasher.digest() !== hash) {
                this.checksumMismatch(revision);
            } else if (!modelMatches) {
                this.repairModel('checksum', true);
            }
        }).catch(error => console.warn(`Ensemble: checking ${describe(this.target)} against the host's checksum failed.`, error));
    }

    private checksumMismatch(revision: number): void {
        this.options.metrics.checksumMismatches++;
        console.warn(`Ensemble: ${describe(this.target)} differs from the host's at revision ${revision}; fetching the host's text.`);
        void this.catchUp(true, 'checksum mismatch');
    }

    /** The connection dropped: keep editing locally. */
    suspend(): void {
        this.client?.suspend();
    }

    /** Back online (or told we are out of sync): fetch what was missed, resend what is pending. */
    catchUp(snapshot: boolean, reason: string): Promise<void> {
        if (this.catchingUp) {
            this.catchUpAgain = { snapshot: snapshot || (this.catchUpAgain?.snapshot ?? false) };
            return this.catchingUp;
        }
        let reopen = false;
        const run = async (): Promise<void> => {
            let wantSnapshot = snapshot;
            for (;;) {
                reopen = await this.doCatchUp(wantSnapshot, reason) === 'reopen' || reopen;
                const again = this.catchUpAgain;
                this.catchUpAgain = undefined;
                if (!again || this.disposed) {
                    return;
                }
                wantSnapshot = again.snapshot;
            }
        };
        this.catchingUp = run().finally(() => { this.catchingUp = undefined; });
        // The host answered that it does not know this registration: open again, keeping the pending edits.
        return this.catchingUp.then(() => reopen ? this.reload(true) : undefined);
    }

    /** Saves on the host once the host has every local edit. */
    async save(): Promise<void> {
        await this.whenSynchronized(10_000);
        const result = await this.options.session.sendRequest(SaveDocument, { doc: this.key }, { type: 'host' }, this.requestOptions());
        if (!result.saved) {
            throw new Error(result.message ?? `The host did not save ${describe(this.target)}.`);
        }
    }

    /** Undoes this guest's last own edit (transformed past everyone else's); false when there is none. */
    undo(): boolean {
        return this.applyOwn(this.undoManager.undo());
    }

    redo(): boolean {
        return this.applyOwn(this.undoManager.redo());
    }

    dispose(): void {
        if (this.disposed) {
            return;
        }
        this.disposed = true;
        this.toDispose.dispose();
        const session = this.options.session;
        if (session.state === 'connected') {
            session.sendNotification(CloseDocument, { doc: this.key, clientId: this.clientId }, { type: 'host' });
            session.unsubscribe(this.key).catch(() => undefined);
        }
    }

    // ---- local edits -------------------------------------------------------------------------

    private onModelChanged(event: ContentChangedEvent): void {
        if (this.applyingRemote || !this.client || !this.mirror || !this.binding) {
            return;
        }
        let op: TextOperation;
        try {
            op = changesToOp(event.changes, this.mirror.length);
        } catch (error) {
            this.options.metrics.modelRepairs++;
            console.error(`Ensemble: an edit of ${describe(this.target)} did not fit the shared copy; the editor is reset to it.`, error);
            this.repairModel('local change', false);
            return;
        }
        if (isNoop(op)) {
            return;
        }
        try {
            const applied = this.client.applyLocal(op);
            if (!this.applyingUndo) {
                this.undoManager.recordLocal(applied);
            }
        } catch (error) {
            if (!(error instanceof InvalidOperationError)) {
                throw error;
            }
            this.options.metrics.modelRepairs++;
            console.error(`Ensemble: an edit of ${describe(this.target)} did not fit the shared copy; the editor is reset to it.`, error);
            this.repairModel('local change', false);
            return;
        }
        if (this.binding.model.getValueLength() !== this.mirror.length) {
            this.repairModel('local change', true);
        }
    }

    private applyOwn(op: TextOperation | undefined): boolean {
        const binding = this.binding;
        if (!op || !binding) {
            return false;
        }
        const edits = opToEdits(op, binding.model);
        this.applyingUndo = true;
        try {
            // A plain edit of the model: it is this user's (marks the file dirty) and becomes an operation like typing does.
            binding.model.pushStackElement();
            binding.model.applyEdits(edits);
        } finally {
            this.applyingUndo = false;
        }
        const last = edits[edits.length - 1];
        if (last) {
            const end = binding.model.getOffsetAt({ lineNumber: last.range.startLineNumber, column: last.range.startColumn }) + (last.text?.length ?? 0);
            const position = binding.model.getPositionAt(end);
            for (const editor of binding.editors()) {
                if (editor.getModel() === binding.model) {
                    editor.setSelections([{ selectionStartLineNumber: position.lineNumber, selectionStartColumn: position.column, positionLineNumber: position.lineNumber, positionColumn: position.column }]);
                }
            }
        }
        return true;
    }

    // ---- remote edits ------------------------------------------------------------------------

    private createClient(revision: number, document: RopeTextBuffer): OTClient {
        return new OTClient({
            clientId: this.clientId,
            revision,
            document,
            send: message => this.send(message),
            onRemoteOp: op => this.onRemoteOp(op),
            onOutOfSync: reason => { void this.catchUp(false, reason); }
        });
    }

    private feed(message: AppliedOpMessage): void {
        const client = this.client;
        if (!client) {
            return;
        }
        const before = this.eol;
        if (message.eol && message.revision === client.revision + 1) {
            this.eol = message.eol;
        }
        client.receive({ revision: message.revision, op: message.op, clientId: message.clientId, seq: message.seq });
        if (this.eol !== before) {
            this.repairModel('line endings changed', false);
        }
    }

    private onRemoteOp(op: TextOperation): void {
        this.undoManager.transformRemote(op);
        const binding = this.binding;
        if (!binding) {
            return; // attach() brings the model up to the copy
        }
        const model = binding.model;
        if (model.getEOL() !== this.eol) {
            return; // feed() rewrites the model with the new line endings right after
        }
        const kept = keepSelections(model, binding.editors());
        const edits = opToEdits(op, model);
        this.withRemoteFlag(() => binding.applyRemote(edits));
        restoreSelections(model, kept, op);
        if (model.getValueLength() !== this.mirror?.length) {
            this.repairModel('remote edit', true);
        }
        this.remoteEditEmitter.fire(op);
    }

    private send(message: ClientOp): void {
        const session = this.options.session;
        const sent = wireSize(message.op) > MAX_SUBMIT_OP_CHARS
            ? this.sendInParts(message)
            : session.sendRequest(SubmitOp, { doc: this.key, ...message }, { type: 'host' }, this.requestOptions());
        sent.then(reply => {
            switch (reply.status) {
                case 'resync':
                    console.warn(`Ensemble: the host asked to resync ${describe(this.target)}: ${reply.reason ?? ''}`);
                    void this.catchUp(true, reply.reason ?? 'the host asked to resync');
                    break;
                case 'refused':
                    if (!this.readOnlyRefusalShown) {
                        this.readOnlyRefusalShown = true;
                        this.refusedEmitter.fire(reply.reason ?? 'The host refused your edit.');
                    }
                    void this.reload();
                    break;
                case 'not-open':
                    void this.reload(true);
                    break;
            }
        }, () => {
            // Lost with the connection, or no answer in time: the catch-up acknowledges it if it was applied, resume() resends it if not.
            if (session.state === 'connected' && !this.disposed) {
                void this.catchUp(false, 'an edit got no answer');
            }
        });
    }

    /**
     * An operation too big for one message (a huge paste): its pieces one
     * after the other, the host applies it whole with the last one. The OT
     * client sees one operation as usual; its acknowledgement comes as for
     * any big operation (not broadcast: the checksum tells that the guest is
     * behind, the catch-up's snapshot carries the last applied seq).
     */
    private async sendInParts(message: ClientOp): Promise<{ status: 'partial' | 'applied' | 'duplicate' | 'resync' | 'refused' | 'not-open'; reason?: string }> {
        const parts = splitOp(message.op, MAX_SUBMIT_OP_CHARS);
        const session = this.options.session;
        if (parts.length === 1) {
            // Big only through deleted text, which travels as a length.
            return session.sendRequest(SubmitOp, { doc: this.key, ...message, op: parts[0] }, { type: 'host' }, this.requestOptions());
        }
        let reply: { status: 'partial' | 'applied' | 'duplicate' | 'resync' | 'refused' | 'not-open'; reason?: string } = { status: 'partial' };
        for (let index = 0; index < parts.length; index++) {
            reply = await session.sendRequest(SubmitOpPart,
                { doc: this.key, clientId: message.clientId, seq: message.seq, revision: message.revision, index, count: parts.length, op: parts[index] },
                { type: 'host' }, this.requestOptions());
            if (reply.status !== 'partial') {
                break;
            }
        }
        return reply;
    }

    // ---- catching up -------------------------------------------------------------------------

    private async doCatchUp(snapshot: boolean, reason: string): Promise<'done' | 'reopen'> {
        const client = this.client;
        const session = this.options.session;
        if (!client || this.disposed || session.state !== 'connected') {
            return 'done';
        }
        this.options.metrics.resyncs++;
        client.suspend();
        this.held ??= [];
        try {
            const answer = await session.sendRequest(CatchUpDocument, { doc: this.key, clientId: this.clientId, revision: client.revision, ...(snapshot ? { snapshot } : {}) },
                { type: 'host' }, this.requestOptions());
            let catchUp: CatchUp;
            if (answer.type === 'ops') {
                catchUp = { type: 'ops', ops: answer.ops };
            } else {
                this.options.metrics.snapshotResyncs++;
                const full = await this.download(answer);
                catchUp = { type: 'snapshot', snapshot: { revision: full.revision, text: full.text }, lastSeq: answer.lastSeq, reason: answer.reason };
            }
            const eolBefore = this.eol;
            this.eol = answer.eol;
            client.resume(catchUp);
            if (this.eol !== eolBefore) {
                this.repairModel('line endings changed', false);
            }
        } catch (error) {
            if (session.state === 'connected') {
                // Leave it online so edits keep flowing; the next checksum or gap starts another catch-up.
                client.resume({ type: 'ops', ops: [] });
            }
            if (error instanceof RemoteError && error.code === ErrorCodes.handlerFailed) {
                console.warn(`Ensemble: the host cannot catch up ${describe(this.target)} (${error.message}); opening it again.`);
                return 'reopen';
            }
            console.warn(`Ensemble: catching up ${describe(this.target)} (${reason}) failed; trying again on the next checksum or reconnect.`, error);
        } finally {
            this.drainHeld();
        }
        return 'done';
    }

    /**
     * Registers with the host again and starts over from its text: the host
     * no longer knows this guest's registration (it reloaded, or dropped it),
     * or refused its edits (read-only). With `keepPending` the edits the host
     * has not acknowledged are rebased onto the host's text and sent again
     * (a registration the host lost must not lose what the user typed); after
     * a refusal they are dropped.
     */
    private async reload(keepPending = false): Promise<void> {
        if (this.catchingUp || this.disposed) {
            return;
        }
        const reload = async (): Promise<void> => {
            this.held ??= [];
            try {
                const session = this.options.session;
                const clientId = newClientId(session);
                const head = await session.sendRequest(OpenDocument, { doc: this.key, target: this.target, clientId }, { type: 'host' }, this.requestOptions());
                const snapshot = await this.download(head);
                // Everything from here on is synchronous: no local edit can come between reading the pending edits and the swap.
                const rebased = keepPending ? this.rebasePending(snapshot.text) : undefined;
                this.currentClientId = clientId;
                this.eol = snapshot.eol;
                this.mirror = new RopeTextBuffer(snapshot.text);
                this.client = this.createClient(snapshot.revision, this.mirror);
                this.undoManager.clear();
                if (rebased && !isNoop(rebased)) {
                    this.client.applyLocal(rebased);
                }
                this.repairModel('reload', false);
            } finally {
                this.drainHeld();
            }
        };
        this.catchingUp = reload().catch(error => console.warn(`Ensemble: reloading ${describe(this.target)} failed.`, error))
            .finally(() => { this.catchingUp = undefined; });
        return this.catchingUp;
    }

    /** The current OT client's unacknowledged edits, transformed to apply after `hostText` (as OTClient rebases onto a snapshot). */
    private rebasePending(hostText: string): TextOperation | undefined {
        const pending = this.client?.pending;
        const mirror = this.mirror;
        if (!pending || !mirror) {
            return undefined;
        }
        return transform(pending, changesUnderPending(mirror.getText(), pending, hostText), 'right');
    }

    private drainHeld(): void {
        const held = this.held ?? [];
        this.held = undefined;
        for (const message of held) {
            this.feed(message);
        }
    }

    private async download(head: { revision: number; eol: Eol; length: number; text: string; snapshotId?: string }): Promise<Snapshot> {
        const snapshotId = head.snapshotId;
        const text = await downloadSnapshot(head, {
            read: async offset => {
                if (snapshotId === undefined) {
                    throw new Error('no snapshot to read');
                }
                return (await this.options.session.sendRequest(ReadSnapshot, { snapshotId, offset }, { type: 'host' }, this.requestOptions())).text;
            },
            onProgress: this.options.onProgress
        });
        return { revision: head.revision, text, eol: head.eol };
    }

    // ---- keeping the model equal to the copy -------------------------------------------------

    /**
     * Makes the model equal to the OT copy with one minimal edit (no undo
     * entry, not dirty). With `unexpected` the difference is a bug and is
     * counted and logged.
     */
    private repairModel(when: string, unexpected: boolean): void {
        const binding = this.binding;
        const mirror = this.mirror;
        if (!binding || !mirror) {
            return;
        }
        const model = binding.model;
        if (model.getEOL() !== this.eol) {
            this.withRemoteFlag(() => model.setEOL(this.eol === '\r\n' ? 1 : 0));
        }
        const current = model.getValue();
        const wanted = mirror.getText();
        if (current === wanted) {
            return;
        }
        if (unexpected) {
            this.options.metrics.modelRepairs++;
            console.warn(`Ensemble: the editor of ${describe(this.target)} no longer matched the shared text (${when}); it is reset to it.`);
        }
        const op = diff(current, wanted);
        const kept = keepSelections(model, binding.editors());
        const edits = opToEdits(op, model);
        this.withRemoteFlag(() => binding.applyRemote(edits));
        restoreSelections(model, kept, op);
        if (model.getValue() !== wanted) {
            // Monaco changed the line breaks of the inserted text: nothing more to do here than to say so.
            console.error(`Ensemble: the editor of ${describe(this.target)} cannot hold the shared text exactly (line endings).`);
        }
    }

    private withRemoteFlag(run: () => void): void {
        const was = this.applyingRemote;
        this.applyingRemote = true;
        try {
            run();
        } finally {
            this.applyingRemote = was;
        }
    }

    private async whenSynchronized(timeoutMs: number): Promise<void> {
        const end = Date.now() + timeoutMs;
        while ((this.client?.state !== 'synchronized' || this.catchingUp) && Date.now() < end) {
            await new Promise(resolve => setTimeout(resolve, 20));
        }
    }

    private requestOptions(): { timeoutMs?: number } {
        return this.options.requestTimeoutMs === undefined ? {} : { timeoutMs: this.options.requestTimeoutMs };
    }
}

function describe(target: SharedPath): string {
    return target.path === '' ? target.root : `${target.root}/${target.path}`;
}

