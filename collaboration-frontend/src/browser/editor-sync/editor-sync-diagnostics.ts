import type { FrontendApplicationContribution } from '@theia/core/lib/browser/frontend-application-contribution';
import { inject, injectable } from '@theia/core/shared/inversify';
import { CollaborationSessionService } from '../session/collaboration-session-service';
import { EditorSyncMetrics } from './editor-sync-metrics';
import { GuestEditorSync } from './guest/guest-editor-sync';
import { HostEditorSync } from './host/host-editor-sync';

/** One shared document as this window sees it. */
export interface SharedDocumentDiagnostics {
    readonly path: string;
    readonly revision: number;
    /** `synchronized`, `awaiting-ack`, ... on a guest; `authority` on the host. */
    readonly state: string;
    /** The editor model's text (what the user sees). */
    readonly text: string | undefined;
}

export interface EditorSyncDiagnostics {
    readonly sessionState: string | undefined;
    documents(): SharedDocumentDiagnostics[];
    metrics(): ReturnType<EditorSyncMetrics['snapshot']>;
    /**
     * Closes the session's live transport as a network failure does (the
     * session then reconnects by itself, as after a real drop); false when
     * there is none. For end-to-end tests: Chromium's offline emulation
     * blocks new connections but leaves an open WebSocket alone.
     */
    dropConnection(): boolean;
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
            metrics: () => this.metrics.snapshot(),
            dropConnection: () => {
                const engine = (this.sessions.session as unknown as SocketInternals | undefined)?.socket?.io?.engine;
                engine?.close();
                return engine !== undefined;
            }
        };
        Object.defineProperty(diagnostics, 'sessionState', { get: () => this.sessions.session?.state });
        (globalThis as { ensembleEditorSync?: EditorSyncDiagnostics }).ensembleEditorSync = diagnostics;
    }
}
