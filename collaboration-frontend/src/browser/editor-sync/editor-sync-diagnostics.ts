import type { FrontendApplicationContribution } from '@theia/core/lib/browser/frontend-application-contribution';
import { inject, injectable } from '@theia/core/shared/inversify';
import { CollaborationSessionService } from '../session/collaboration-session-service';
import { DiagnosticsPingContribution, type PingSample } from './diagnostics-ping';
import { EditorSyncMetrics } from './editor-sync-metrics';
import { GuestEditorSync } from './guest/guest-editor-sync';
import { HostEditorSync } from './host/host-editor-sync';
import { MonacoModelTextBuffer } from './host/monaco-model-text-buffer';
import { LargeDocumentEditors } from './large-document-editors';
import { hashText } from './text-hash';
import type { TextModel } from './text-model';

/** One shared document as this window sees it. */
export interface SharedDocumentDiagnostics {
    readonly path: string;
    readonly revision: number;
    /** `synchronized`, `awaiting-ack`, ... on a guest; `authority` on the host. */
    readonly state: string;
    /** The editor model's text (what the user sees). */
    readonly text: string | undefined;
}

/** One shared document without its whole text: cheap to hand out of the page even for a 50 MB document. */
export interface SharedDocumentSummary {
    readonly path: string;
    readonly revision: number;
    readonly state: string;
    /** Length and hash (the checksum's cyrb53) of the editor model's text; -1 and '' without a model. */
    readonly length: number;
    readonly hash: string;
    /** The first and last SUMMARY_EXCERPT_CHARS code units of the model's text. */
    readonly head: string;
    readonly tail: string;
    /** Whether its editors run with the large-document options (see LargeDocumentEditors). */
    readonly limited: boolean;
}

/** Code units of `head` and `tail` in a summary. */
export const SUMMARY_EXCERPT_CHARS = 256;

export interface EditorSyncDiagnostics {
    readonly sessionState: string | undefined;
    documents(): SharedDocumentDiagnostics[];
    summaries(): SharedDocumentSummary[];
    metrics(): ReturnType<EditorSyncMetrics['snapshot']>;
    /**
     * Closes the session's live transport as a network failure does (the
     * session then reconnects by itself, as after a real drop); false when
     * there is none. For end-to-end tests: Chromium's offline emulation
     * blocks new connections but leaves an open WebSocket alone.
     */
    dropConnection(): boolean;
    /** This window's peer id in the session, if in one. */
    readonly peerId: string | undefined;
    /**
     * Calls `listener` for every change of the shared document's editor model
     * at `path` (undefined when there is none): a read-only view for the
     * latency benchmark, which stamps when a remote keystroke arrives.
     */
    watchDocument(path: string, listener: (change: DocumentChange) => void): { dispose(): void } | undefined;
    /** The bare round trip to a peer through the coordination server. */
    ping(target: { type: 'host' } | { type: 'peer'; peer: string }): Promise<PingSample>;
}

/** One content change of a watched document: the inserted text and the number of code units replaced. */
export interface DocumentChange {
    readonly text: string;
    readonly removed: number;
}

/** The part of the session's socket.io client a dropped network closes. */
interface SocketInternals {
    readonly socket?: { readonly io?: { readonly engine?: { close(): void } } };
}

/**
 * Puts a read-only view of the shared documents on `window.ensembleEditorSync`:
 * for a user's bug report ("are we in sync?") and for the browser end-to-end
 * tests, which compare every peer's text without scraping the DOM.
 */
@injectable()
export class EditorSyncDiagnosticsContribution implements FrontendApplicationContribution {
    @inject(HostEditorSync) protected readonly host!: HostEditorSync;
    @inject(GuestEditorSync) protected readonly guest!: GuestEditorSync;
    @inject(EditorSyncMetrics) protected readonly metrics!: EditorSyncMetrics;
    @inject(LargeDocumentEditors) protected readonly largeDocuments!: LargeDocumentEditors;
    @inject(DiagnosticsPingContribution) protected readonly pings!: DiagnosticsPingContribution;
    @inject(CollaborationSessionService) protected readonly sessions!: CollaborationSessionService;

    onStart(): void {
        const diagnostics: EditorSyncDiagnostics = {
            get sessionState(): string | undefined { return undefined; },
            documents: () => [
                ...[...this.host.documents?.values() ?? []].map(document => ({
                    path: document.target.path, revision: document.revision, state: 'authority', text: document.model.getValue()
                })),
                ...this.guest.documents.map(document => ({
                    path: document.target.path, revision: document.revision, state: document.state, text: document.modelText
                }))
            ],
            summaries: () => [
                ...[...this.host.documents?.values() ?? []].map(document => this.summarize(document.target.path, document.revision, 'authority', document.model)),
                ...this.guest.documents.map(document => this.summarize(document.target.path, document.revision, document.state, document.model))
            ],
            metrics: () => this.metrics.snapshot(),
            get peerId(): string | undefined { return undefined; },
            watchDocument: (path, listener) => {
                const model = this.modelOf(path);
                return model?.onDidChangeContent(event => listener({
                    text: event.changes.map(change => change.text).join(''),
                    removed: event.changes.reduce((sum, change) => sum + change.rangeLength, 0)
                }));
            },
            ping: target => this.pings.ping(target),
            dropConnection: () => {
                const engine = (this.sessions.session as unknown as SocketInternals | undefined)?.socket?.io?.engine;
                engine?.close();
                return engine !== undefined;
            }
        };
        Object.defineProperty(diagnostics, 'sessionState', { get: () => this.sessions.session?.state });
        Object.defineProperty(diagnostics, 'peerId', { get: () => this.sessions.session?.peerId });
        (globalThis as { ensembleEditorSync?: EditorSyncDiagnostics }).ensembleEditorSync = diagnostics;
    }

    protected modelOf(path: string): TextModel | undefined {
        for (const document of this.host.documents?.values() ?? []) {
            if (document.target.path === path) {
                return document.model;
            }
        }
        return this.guest.documents.find(document => document.target.path === path)?.model;
    }

    protected summarize(path: string, revision: number, state: string, model: TextModel | undefined): SharedDocumentSummary {
        if (!model || model.isDisposed()) {
            return { path, revision, state, length: -1, hash: '', head: '', tail: '', limited: false };
        }
        const text = new MonacoModelTextBuffer(model);
        const length = text.length;
        return {
            path, revision, state, length,
            hash: hashText(model.getValue()),
            head: text.slice(0, Math.min(length, SUMMARY_EXCERPT_CHARS)),
            tail: text.slice(Math.max(0, length - SUMMARY_EXCERPT_CHARS), length),
            limited: this.largeDocuments.isLimited(model)
        };
    }
}
