import type { CollaborationSession, Request } from '@ensemble/collaboration-common';
import type { SharedPath } from '@ensemble/collaboration-backend/lib/common/workspace-path';
import type * as monaco from '@theia/monaco-editor-core';
import URI from '@theia/core/lib/common/uri';
import { parseEnsembleUri, roomAuthority, toEnsembleUri } from '../../workspace/ensemble-uri';
import { signalOf } from '../cancellation';
import type { DocumentPosition, OffsetRange, SharedLocation } from '../language-messages';
import { toGuestRange, toRevisionOffset, waitForRevision, type RevisionedDocument } from './document-positions';

type Model = monaco.editor.ITextModel;
type Token = monaco.CancellationToken;

/** How long the guest waits for the host per feature (ms): a slow host never leaves the editor waiting for ever. */
export const GUEST_TIMEOUTS_MS = {
    hover: 5_000, completion: 5_000, resolve: 5_000, signatureHelp: 5_000, highlights: 3_000, locations: 10_000, references: 20_000, symbols: 10_000,
    rename: 30_000, format: 15_000, codeActions: 5_000, applyCodeAction: 30_000
} as const;
export type GuestLanguageFeature = keyof typeof GUEST_TIMEOUTS_MS;

export interface GuestLanguageOptions {
    readonly session: CollaborationSession;
    /** Monaco's API (the module in the browser; the same, loaded, in tests). */
    readonly monaco: Pick<typeof monaco, 'languages' | 'Uri' | 'editor' | 'CancellationTokenSource'>;
    /** The guest's shared document of a host file, while it is open. */
    document(target: SharedPath): RevisionedDocument | undefined;
    /** Told when a request to the host failed (not when it was cancelled). */
    onError?(feature: GuestLanguageFeature, error: unknown): void;
    /** Tells the user why the host did not give or make what they asked for (a change refused, places outside the shared folders). */
    notify?(message: string): void;
    /** Time limits per feature (ms), GUEST_TIMEOUTS_MS by default. */
    readonly timeoutsMs?: Partial<Record<GuestLanguageFeature, number>>;
}

/** A request about a place in a document the guest has open. */
export interface Asked {
    readonly target: SharedPath;
    readonly document: RevisionedDocument;
    readonly position: DocumentPosition;
}

/**
 * What the guest's providers share: which host file a model shows, the
 * guest's positions as the host understands them, requests with Monaco's
 * cancellation and a time limit, and the host's answers mapped back.
 */
export class HostLanguageClient {
    constructor(readonly options: GuestLanguageOptions) { }

    /** The shared path of a model of this session's host files. */
    targetOf(model: Model): SharedPath | undefined {
        const parsed = parseEnsembleUri(new URI(model.uri.toString()));
        const roomId = this.options.session.roomId;
        return parsed && roomId && parsed.roomId === roomAuthority(roomId) ? { root: parsed.root, path: parsed.path } : undefined;
    }

    /** A position of the model as the host understands it (its revision, without this guest's unacknowledged edits). */
    ask(model: Model, position: monaco.IPosition): Asked | undefined {
        const target = this.targetOf(model);
        const document = target && this.options.document(target);
        if (!target || !document || document.revision < 0) {
            return undefined;
        }
        return { target, document, position: { target, ...toRevisionOffset(document, model.getOffsetAt(position)) } };
    }

    /** A range of the model as the host understands it. */
    askRange(model: Model, range: monaco.IRange): { target: SharedPath; range: { revision: number; start: number; end: number } } | undefined {
        const start = this.ask(model, { lineNumber: range.startLineNumber, column: range.startColumn });
        const end = this.ask(model, { lineNumber: range.endLineNumber, column: range.endColumn });
        return start && end && { target: start.target, range: { revision: start.position.revision, start: start.position.offset, end: end.position.offset } };
    }

    /** Sends a request with Monaco's token and the feature's limit; undefined when it fails or is cancelled. */
    async send<P, R>(feature: GuestLanguageFeature, request: Request<P, R>, params: P, token: Token): Promise<R | undefined> {
        const cancel = signalOf(token);
        try {
            return await this.options.session.sendRequest(request, params, { type: 'host' },
                { signal: cancel.signal, timeoutMs: this.options.timeoutsMs?.[feature] ?? GUEST_TIMEOUTS_MS[feature] });
        } catch (error) {
            if (!token.isCancellationRequested) {
                this.options.onError?.(feature, error);
            }
            return undefined;
        } finally {
            cancel.dispose();
        }
    }

    /** A range of an answer (computed at `revision`) in the model now, waiting briefly for that revision; undefined if it no longer fits. */
    async guestRange(model: Model, asked: Asked, revision: number | undefined, range: OffsetRange | undefined): Promise<monaco.IRange | undefined> {
        if (!range) {
            return undefined;
        }
        await waitForRevision(asked.document, revision);
        return this.guestRangeNow(model, asked, revision, range);
    }

    /** As guestRange, for an answer whose revision was waited for already. */
    guestRangeNow(model: Model, asked: Asked, revision: number | undefined, range: OffsetRange): monaco.IRange | undefined {
        const guestRange = toGuestRange(asked.document, revision, range);
        if (!guestRange) {
            return undefined;
        }
        const start = model.getPositionAt(guestRange.start);
        const end = model.getPositionAt(guestRange.end);
        return { startLineNumber: start.lineNumber, startColumn: start.column, endLineNumber: end.lineNumber, endColumn: end.column };
    }

    /** A place in a host file, on this guest. */
    location({ target, range }: SharedLocation): monaco.languages.Location {
        return { uri: this.options.monaco.Uri.parse(toEnsembleUri(this.options.session.roomId ?? '', target).toString()), range: { ...range } };
    }

    notify(message: string): void {
        this.options.notify?.(message);
    }
}
