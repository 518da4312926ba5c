import { transformPosition, type CollaborationSession, type TextOperation } from '@ensemble/collaboration-common';
import type { SharedPath } from '@ensemble/collaboration-backend/lib/common/workspace-path';
import type * as monaco from '@theia/monaco-editor-core';
import { Disposable, DisposableCollection } from '@theia/core/lib/common/disposable';
import { tokenOf, withTimeout } from '../cancellation';
import {
    ApplyCodeActionRequest, CodeActionsRequest, CompletionRequest, FormatRequest, HighlightsRequest, HoverRequest, LocationsRequest, RenameRequest, ResolveCompletionRequest, SignatureHelpRequest,
    SymbolsRequest, type DocumentPosition, type EditAnswer
} from '../language-messages';
import { documentKey } from '../../editor-sync/document-key';
import { applyFileEdits, type EditableModel } from './host-file-edits';
import { HostLanguageProviders, type LanguageProviderRegistries } from './host-language-providers';

/** The host's model of a shared file, held for one request. */
export interface HeldModel {
    readonly model: monaco.editor.ITextModel;
    release(): void;
}

/** What the host knows of a shared document's revisions (its OT authority). */
export interface DocumentRevisions {
    readonly revision: number;
    opsSince(revision: number): TextOperation[] | undefined;
}

export interface HostLanguageHandlerOptions {
    readonly registries: LanguageProviderRegistries;
    /**
     * The host's model of a shared file for a request of `peerId`: confined
     * to the shared folders, not excluded, readable by that peer (throws
     * with a message for the guest otherwise).
     */
    acquire(target: SharedPath, peerId: string): Promise<HeldModel>;
    /** The document's authority while guests have it open, undefined otherwise. */
    revisions(target: SharedPath): DocumentRevisions | undefined;
    /** The shared path of a host URI, undefined outside the shared folders. */
    toShared(uri: monaco.Uri): SharedPath | undefined;
    /**
     * Why the shared file `target` is not for `peerId` (excluded from sharing,
     * for instance), or undefined when it is: every file a guest's rename,
     * formatting or code action would change is checked before any is, and
     * definitions and references in such files are left out.
     */
    fileRefusal(target: SharedPath, peerId: string): Promise<string | undefined>;
    /** A host model (of any file: a rename may change files nobody has open) to apply edits to. */
    openForEdit(uri: monaco.Uri): Promise<EditableModel>;
    /** Runs a command of a code action on the host (as Monaco would when the host applied the action itself). */
    executeCommand?(id: string, args: readonly unknown[]): Promise<unknown>;
    /** The host's own limit on a provider call (ms); the guest has its own, usually shorter. Default 15 000. */
    readonly timeoutMs?: number;
}

/**
 * Answers the guests' language requests with the host's own providers. Who
 * asks comes from the session's peer list (kept by the server), never from
 * the message: reading features are for every participant, features that
 * edit (rename, formatting) for those who may write. Edits are applied by
 * the host to its own models and reach everyone through editor sync.
 * A guest's position is at the revision it has: it is moved past the edits
 * the host applied since, and answers carry the host's revision so that
 * the guest can map ranges back (or leave them out).
 */
export function registerHostLanguageHandlers(session: CollaborationSession, options: HostLanguageHandlerOptions): Disposable {
    const providers = new HostLanguageProviders(options.registries);
    const timeoutMs = options.timeoutMs ?? 15_000;

    const participant = (origin: string): string => {
        const role = session.peers.get(origin)?.role;
        if (role !== 'read-only' && role !== 'read-write') {
            throw new Error('The host does not know you as a participant (any more); rejoin the session.');
        }
        return origin;
    };
    /** Undefined when the peer may write; otherwise the refusal to answer with. */
    const refusal = (origin: string): EditAnswer | undefined => {
        participant(origin);
        return session.peers.get(origin)?.role === 'read-write'
            ? undefined
            : { applied: false, message: 'You can only read in this session: ask the host for edit permission.' };
    };
    /** Applies edits unless the guest gave up meanwhile (a cancelled rename must change nothing). */
    const apply = async (origin: string, files: Parameters<typeof applyFileEdits>[0], token: monaco.CancellationToken): Promise<EditAnswer> => {
        if (token.isCancellationRequested) {
            return { applied: false, message: 'Cancelled.' };
        }
        const targets = files.map(file => options.toShared(file.uri));
        const outside = targets.filter(target => !target).length;
        if (outside > 0) {
            return { applied: false, message: `The change would also edit ${outside} file(s) outside the shared folders: ask the host to make it.` };
        }
        for (const target of targets as SharedPath[]) {
            const refused = await options.fileRefusal(target, origin);
            if (refused !== undefined) {
                return { applied: false, message: `The change would also edit ${target.path || target.root}, which you cannot edit (${refused}): ask the host to make it.` };
            }
        }
        if (token.isCancellationRequested) {
            return { applied: false, message: 'Cancelled.' };
        }
        await applyFileEdits(files, options.openForEdit);
        return { applied: true };
    };

    /** Runs `work` on the host's model of `target` with a token that the guest's cancellation and the host's time limit cancel. */
    async function withModel<R>(origin: string, signal: AbortSignal, target: SharedPath,
        work: (model: monaco.editor.ITextModel, token: monaco.CancellationToken) => Promise<R>): Promise<R> {
        const peerId = participant(origin);
        const limited = withTimeout(signal, timeoutMs);
        const held = await options.acquire(target, peerId);
        try {
            return await untilAborted(work(held.model, tokenOf(limited)), limited,
                () => `The host's language provider did not answer within ${timeoutMs / 1000} s.`);
        } finally {
            held.release();
        }
    }

    /** The host's position for a guest's offset at its revision. */
    function hostPosition(model: monaco.editor.ITextModel, { target, revision, offset }: DocumentPosition): monaco.Position {
        const revisions = options.revisions(target);
        if (!revisions) {
            throw new Error(`${target.path || target.root} is not open for editing on the host: open it again.`);
        }
        const ops = revisions.opsSince(revision);
        if (!ops) {
            throw new Error(`Revision ${revision} of ${target.path || target.root} is unknown to the host (too old or ahead): wait for your edits to reach the host and try again.`);
        }
        return model.getPositionAt(Math.min(ops.reduce((at, op) => transformPosition(at, op), offset), model.getValueLength()));
    }

    /** The host's range for a guest's range at its revision. */
    function hostRangeOf(model: monaco.editor.ITextModel, target: SharedPath, range: { revision: number; start: number; end: number }): monaco.Range {
        const start = hostPosition(model, { target, revision: range.revision, offset: range.start });
        const end = hostPosition(model, { target, revision: range.revision, offset: range.end });
        return model.validateRange({ startLineNumber: start.lineNumber, startColumn: start.column, endLineNumber: end.lineNumber, endColumn: end.column });
    }

    const revisionOf = (target: SharedPath): { revision?: number } => {
        const revision = options.revisions(target)?.revision;
        return revision === undefined ? {} : { revision };
    };

    return new DisposableCollection(
        Disposable.create(() => providers.dispose()),
        session.onPeerLeft(({ peerId }) => providers.forget(peerId)),

        session.onRequest(HoverRequest, ({ position }, { origin, signal }) => withModel(origin, signal, position.target, async (model, token) => {
            const hover = await providers.hover(model, hostPosition(model, position), token);
            return { ...hover, ...revisionOf(position.target) };
        })),

        session.onRequest(CompletionRequest, ({ position, triggerKind, triggerCharacter }, { origin, signal }) =>
            withModel(origin, signal, position.target, async (model, token) => {
                const context: monaco.languages.CompletionContext = triggerCharacter === undefined ? { triggerKind } : { triggerKind, triggerCharacter };
                const list = await providers.completion(origin, model, hostPosition(model, position), context, token);
                return { ...list, ...revisionOf(position.target) };
            })),

        session.onRequest(ResolveCompletionRequest, ({ resolveId }, { origin, signal }) => {
            const peerId = participant(origin);
            const limited = withTimeout(signal, timeoutMs);
            return untilAborted(providers.resolveCompletion(peerId, resolveId, tokenOf(limited)), limited,
                () => `The host's completion provider did not resolve the item within ${timeoutMs / 1000} s.`);
        }),

        session.onRequest(SignatureHelpRequest, ({ position, triggerKind, triggerCharacter, isRetrigger }, { origin, signal }) =>
            withModel(origin, signal, position.target, (model, token) => providers.signatureHelp(model, hostPosition(model, position),
                { triggerKind, triggerCharacter, isRetrigger }, token))),

        session.onRequest(LocationsRequest, ({ position, kind, includeDeclaration }, { origin, signal }) =>
            withModel(origin, signal, position.target, async (model, token) => {
                const found = await providers.locations(model, hostPosition(model, position), kind, includeDeclaration ?? true, token, options.toShared);
                // Places in files the guest may not see (excluded) count as outside: not even their paths go out.
                const refusals = new Map<string, Promise<string | undefined>>();
                const refused = await Promise.all(found.locations.map(({ target }) => {
                    const key = documentKey(target);
                    let refusal = refusals.get(key);
                    if (!refusal) {
                        refusal = options.fileRefusal(target, origin);
                        refusals.set(key, refusal);
                    }
                    return refusal;
                }));
                const locations = found.locations.filter((_, index) => refused[index] === undefined);
                return { locations, outside: found.outside + found.locations.length - locations.length };
            })),

        session.onRequest(HighlightsRequest, ({ position }, { origin, signal }) => withModel(origin, signal, position.target, async (model, token) => {
            const highlights = await providers.highlights(model, hostPosition(model, position), token);
            return { highlights, ...revisionOf(position.target) };
        })),

        session.onRequest(RenameRequest, ({ position, newName }, { origin, signal }) => refusal(origin)
            ?? withModel(origin, signal, position.target, async (model, token) => {
                const edits = await providers.renameEdits(model, hostPosition(model, position), newName, token);
                return 'rejected' in edits ? { applied: false, message: edits.rejected } : apply(origin, edits, token);
            })),

        session.onRequest(FormatRequest, ({ target, range, tabSize, insertSpaces }, { origin, signal }) => refusal(origin)
            ?? withModel(origin, signal, target, async (model, token) => {
                const hostRange = range && hostRangeOf(model, target, range);
                const edits = await providers.formatEdits(model, hostRange, { tabSize, insertSpaces }, token);
                return edits ? apply(origin, [edits], token) : { applied: false, message: 'The host has no formatter for this file.' };
            })),

        session.onRequest(CodeActionsRequest, ({ target, range, trigger, only }, { origin, signal }) => withModel(origin, signal, target, async (model, token) => {
            const hostRange = hostRangeOf(model, target, range);
            // Providers registered through Monaco's API read the host's own markers for the range themselves.
            const context: monaco.languages.CodeActionContext = { markers: [], trigger, ...(only ? { only } : {}) };
            return { actions: await providers.codeActions(origin, model, hostRange, context, token) };
        })),

        session.onRequest(ApplyCodeActionRequest, ({ id }, { origin, signal }) => refusal(origin) ?? (async () => {
            const limited = withTimeout(signal, timeoutMs);
            const token = tokenOf(limited);
            const work = await untilAborted(providers.codeActionWork(origin, id, token), limited,
                () => `The host's code action provider did not answer within ${timeoutMs / 1000} s.`);
            if (!work) {
                return { applied: false, message: 'That code action is no longer available on the host: ask for code actions again.' };
            }
            if (work.edits && 'rejected' in work.edits) {
                return { applied: false, message: work.edits.rejected };
            }
            if (work.command && !options.executeCommand) {
                return { applied: false, message: 'This code action runs a command, which the host cannot run for guests.' };
            }
            const edited = work.edits ? await apply(origin, work.edits, token) : { applied: true };
            if (edited.applied && work.command) {
                await options.executeCommand?.(work.command.id, work.command.arguments ?? []);
            }
            return edited;
        })()),

        session.onRequest(SymbolsRequest, ({ target }, { origin, signal }) =>
            withModel(origin, signal, target, async (model, token) => ({ symbols: await providers.symbols(model, token) })))
    );
}

/** `work`, or a rejection as soon as `signal` aborts (a provider that ignores its token must not hold the answer). */
function untilAborted<R>(work: Promise<R>, signal: AbortSignal, message: () => string): Promise<R> {
    return new Promise<R>((resolve, reject) => {
        const onAbort = (): void => reject(new Error(message()));
        if (signal.aborted) {
            return onAbort();
        }
        signal.addEventListener('abort', onAbort, { once: true });
        work.then(resolve, reject).finally(() => signal.removeEventListener('abort', onAbort));
    });
}
