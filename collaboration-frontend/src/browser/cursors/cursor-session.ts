import type { CollaborationSession, TextOperation } from '@ensemble/collaboration-common';
import type { SharedPath } from '@ensemble/collaboration-backend/lib/common/workspace-path';
import { Disposable, DisposableCollection } from '@theia/core/lib/common/disposable';
import type { EditorManager } from '@theia/editor/lib/browser/editor-manager';
import type { EditorWidget } from '@theia/editor/lib/browser/editor-widget';
import { MonacoEditor } from '@theia/monaco/lib/browser/monaco-editor';
import type * as monaco from '@theia/monaco-editor-core';
import { changesToOp } from '../editor-sync/model-edits';
import type { Participant } from '../participants/participant';
import { CursorStyles } from './cursor-styles';
import { LABEL_VISIBLE_MS, RemoteCursorDecorations, type PeerLook } from './remote-cursor-decorations';
import { RemoteSelectionFeed } from './remote-selection-feed';
import { selectionsAtRevision, type DocumentPlace } from './remote-selections';
import { MAX_SELECTIONS, SelectionChanged, type OffsetSelection } from './selection-messages';
import type { SharedDocuments } from './shared-documents';
import { Throttle } from './throttle';

/** At most this many selection broadcasts per second from one window. */
export const SELECTION_BROADCASTS_PER_SECOND = 20;
/** A guest with unacknowledged edits tries again this soon: its offsets match the revision once they are acknowledged. */
const UNSETTLED_RETRY_MS = 50;
/**
 * A guest whose edits stay unacknowledged this long (typing without pause on
 * a slow link) publishes where it is in the revision's text anyway, rather
 * than leave its cursor behind until a pause. On a fast link every try finds
 * the edits acknowledged and nothing more is sent.
 */
const UNSETTLED_PUBLISH_AFTER_MS = 250;

export interface CursorSessionOptions {
    readonly session: CollaborationSession;
    readonly isHost: boolean;
    readonly editorManager: EditorManager;
    readonly documents: SharedDocuments;
    readonly participants: () => readonly Participant[];
    readonly onDidChangeParticipants: (listener: () => void) => Disposable;
}

export interface RemoteCursorsSnapshot {
    readonly path: string;
    readonly peerId: string;
    readonly name: string | undefined;
    readonly colorSuffix: string | undefined;
    readonly selections: readonly OffsetSelection[];
}

interface TrackedEditor {
    readonly control: monaco.editor.ICodeEditor;
    readonly key: string;
    readonly target: SharedPath;
    readonly decorations: RemoteCursorDecorations;
}

/**
 * Remote cursors in one session: publishes this window's selections in
 * the shared document in front (throttled, with the revision they refer
 * to), keeps the others' selections in step with every edit of the local
 * model, and draws them in every editor showing the document.
 */
export class CursorSession implements Disposable {
    private readonly toDispose = new DisposableCollection();
    private readonly tracked = new Map<monaco.editor.ICodeEditor, TrackedEditor>();
    private readonly modelListeners = new Map<monaco.editor.ITextModel, Disposable>();
    private readonly feed: RemoteSelectionFeed;
    private readonly styles = new CursorStyles(document);
    private readonly throttle: Throttle;
    private current: TrackedEditor | undefined;
    private currentListener: Disposable | undefined;
    /** The document this window last published a (non-empty) selection in. */
    private published: { key: string; revision: number } | undefined;
    /** The last selection message sent (document, revision, selections), so that a retry repeats nothing. */
    private lastSent: string | undefined;
    /** A publish was asked for (a move, another editor, a peer arriving): it goes out even if it says what the last one said. */
    private mustSend = false;
    /** Since when the document in front has had unacknowledged edits at every try (undefined while it has none). */
    private unsettledSince: number | undefined;
    private labelTimer: ReturnType<typeof setTimeout> | undefined;
    private retryTimer: ReturnType<typeof setTimeout> | undefined;

    constructor(private readonly options: CursorSessionOptions) {
        const { session, isHost, editorManager, documents } = options;
        this.throttle = new Throttle(() => this.publish(), 1000 / SELECTION_BROADCASTS_PER_SECOND);
        this.feed = new RemoteSelectionFeed({
            session, isHost,
            place: doc => this.place(doc),
            hostOpsSince: (doc, revision) => documents.hostOpsSince(doc, revision)
        });
        this.toDispose.push(this.feed);
        this.toDispose.push(this.feed.onDidChange(({ doc, arrived }) => {
            if (arrived.length > 0 && this.current?.key === doc) {
                // A peer that just opened the document does not know where this window is yet.
                this.requestPublish();
            }
            this.renderDoc(doc);
        }));
        this.toDispose.push(session.onReconnect(() => {
            this.subscribeAll();
            this.requestPublish();
        }));
        this.toDispose.push(options.onDidChangeParticipants(() => {
            this.subscribeAll();
            this.renderAll();
        }));
        this.toDispose.push(editorManager.onCreated(widget => this.track(widget)));
        editorManager.all.forEach(widget => this.track(widget));
        this.toDispose.push(editorManager.onCurrentEditorChanged(widget => this.setCurrent(widget)));
        this.setCurrent(editorManager.currentEditor);
    }

    /** The remote selections as this window holds them (offsets in its text), for diagnostics and end-to-end tests. */
    snapshot(): RemoteCursorsSnapshot[] {
        const paths = new Map([...this.tracked.values()].map(editor => [editor.key, editor.target.path]));
        return [...paths].flatMap(([key, path]) => this.feed.selections.get(key).map(entry => ({
            path, peerId: entry.peerId, name: this.look(entry.peerId)?.name, colorSuffix: this.look(entry.peerId)?.colorSuffix,
            selections: entry.selections
        })));
    }

    dispose(): void {
        this.clearPublished();
        this.toDispose.dispose();
        this.throttle.dispose();
        this.currentListener?.dispose();
        clearTimeout(this.labelTimer);
        clearTimeout(this.retryTimer);
        this.modelListeners.forEach(listener => listener.dispose());
        this.modelListeners.clear();
        this.tracked.forEach(editor => editor.decorations.dispose());
        this.tracked.clear();
        this.styles.dispose();
    }

    // ---- editors -----------------------------------------------------------------------------

    private track(widget: EditorWidget): void {
        const editor = widget.editor;
        if (!(editor instanceof MonacoEditor)) {
            return;
        }
        const target = this.options.documents.sharedPath(editor.uri, this.options.isHost);
        const key = this.options.documents.key(editor.uri, this.options.isHost);
        const control = editor.getControl();
        if (!target || !key || this.tracked.has(control)) {
            return;
        }
        const entry: TrackedEditor = { control, key, target, decorations: new RemoteCursorDecorations(control) };
        this.tracked.set(control, entry);
        // The widget may get its model after it is created: listen from whenever it has one.
        this.listenToModel(control.getModel(), key);
        const modelListener = control.onDidChangeModel(() => this.listenToModel(control.getModel(), key));
        this.subscribe(key);
        this.render(entry);
        widget.disposed.connect(() => {
            modelListener.dispose();
            entry.decorations.dispose();
            this.tracked.delete(control);
            if (this.current === entry) {
                this.setCurrent(undefined);
            }
        });
    }

    /** Every edit of a shared model, anyone's, moves the stored remote selections along. */
    private listenToModel(model: monaco.editor.ITextModel | null, key: string): void {
        if (!model || this.modelListeners.has(model)) {
            return;
        }
        const listeners = new DisposableCollection(
            model.onDidChangeContent(event => {
                const delta = event.changes.reduce((sum, change) => sum + change.text.length - change.rangeLength, 0);
                let op: TextOperation;
                try {
                    op = changesToOp(event.changes, model.getValueLength() - delta);
                } catch {
                    return; // not an edit of the whole text this session knows (cannot happen for a model event)
                }
                this.feed.applyEdit(key, op);
            }),
            model.onWillDispose(() => {
                listeners.dispose();
                this.modelListeners.delete(model);
            })
        );
        this.modelListeners.set(model, listeners);
    }

    /** The host receives a document's selections only when subscribed to its topic (guests are, by opening it). */
    private subscribe(key: string): void {
        const { session, isHost } = this.options;
        if (isHost && session.state === 'connected' && !session.subscribedTopics.has(key)) {
            session.subscribe(key).catch(() => undefined);
        }
    }

    private subscribeAll(): void {
        this.tracked.forEach(editor => this.subscribe(editor.key));
    }

    // ---- own selections ----------------------------------------------------------------------

    private setCurrent(widget: EditorWidget | undefined): void {
        this.currentListener?.dispose();
        this.currentListener = undefined;
        const editor = widget?.editor;
        const control = editor instanceof MonacoEditor ? editor.getControl() : undefined;
        const entry = control && this.tracked.get(control);
        this.current = entry;
        if (this.published && this.published.key !== entry?.key) {
            this.clearPublished();
        }
        if (entry) {
            this.currentListener = entry.control.onDidChangeCursorSelection(() => this.requestPublish());
            this.requestPublish();
        }
    }

    private requestPublish(): void {
        this.mustSend = true;
        this.throttle.schedule();
    }

    private publish(): void {
        const entry = this.current;
        const { session, isHost, documents } = this.options;
        const model = entry?.control.getModel();
        if (!entry || !model || session.state !== 'connected') {
            return;
        }
        const state = documents.state(entry.target, isHost);
        if (!state) {
            return; // the host: no guest has this document open
        }
        if (state.settled) {
            this.unsettledSince = undefined;
        } else {
            clearTimeout(this.retryTimer);
            // Not requestPublish: a retry that finds nothing new sends nothing.
            this.retryTimer = setTimeout(() => this.throttle.schedule(), UNSETTLED_RETRY_MS);
            const now = Date.now();
            this.unsettledSince ??= now;
            if (now - this.unsettledSince < UNSETTLED_PUBLISH_AFTER_MS) {
                return;
            }
        }
        const inModel: OffsetSelection[] = (entry.control.getSelections() ?? []).slice(0, MAX_SELECTIONS).map(selection => ({
            anchor: model.getOffsetAt({ lineNumber: selection.selectionStartLineNumber, column: selection.selectionStartColumn }),
            head: model.getOffsetAt({ lineNumber: selection.positionLineNumber, column: selection.positionColumn })
        }));
        const selections = selectionsAtRevision(inModel, state.pending);
        const message = JSON.stringify([entry.key, state.revision, selections]);
        if (!this.mustSend && message === this.lastSent) {
            return; // a retry while edits are unacknowledged, with nothing new to say
        }
        this.mustSend = false;
        this.send(entry.key, state.revision, selections);
        this.lastSent = message;
        this.published = selections.length > 0 ? { key: entry.key, revision: state.revision } : undefined;
    }

    /** This window left the document it last published in: the others remove its cursor there. */
    private clearPublished(): void {
        if (this.published) {
            this.send(this.published.key, this.published.revision, []);
            this.published = undefined;
        }
    }

    private send(key: string, revision: number, selections: OffsetSelection[]): void {
        try {
            this.options.session.publish(key, SelectionChanged, { doc: key, revision, selections });
        } catch {
            // Not connected (any more): the selection is sent again after the reconnect.
        }
    }

    // ---- remote selections -------------------------------------------------------------------

    /** Where this window's text of a document stands (undefined when no editor here shows it). */
    private place(doc: string): DocumentPlace | undefined {
        const editor = [...this.tracked.values()].find(candidate => candidate.key === doc);
        const model = editor?.control.getModel();
        const state = editor && this.options.documents.state(editor.target, this.options.isHost);
        if (!editor || !model || !state) {
            return undefined;
        }
        this.listenToModel(model, doc);
        return { revision: state.revision, pending: state.pending, length: model.getValueLength() };
    }

    // ---- drawing -----------------------------------------------------------------------------

    private look(peerId: string): PeerLook | undefined {
        const participant = this.options.participants().find(candidate => candidate.peerId === peerId);
        const colorSuffix = participant && this.styles.ensure(participant.color);
        return participant && colorSuffix ? { name: participant.name, colorSuffix } : undefined;
    }

    private renderDoc(doc: string): void {
        this.tracked.forEach(editor => {
            if (editor.key === doc) {
                this.render(editor);
            }
        });
    }

    private renderAll(): void {
        this.tracked.forEach(editor => this.render(editor));
    }

    private render(editor: TrackedEditor): void {
        editor.decorations.render(this.feed.selections.get(editor.key), peerId => this.look(peerId), Date.now());
        // Hide the name labels once their time is up.
        clearTimeout(this.labelTimer);
        this.labelTimer = setTimeout(() => this.renderAll(), LABEL_VISIBLE_MS + 50);
    }
}
