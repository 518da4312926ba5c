import type { CollaborationSession, Request } from '@ensemble/collaboration-common';
import type { SharedPath } from '@ensemble/collaboration-backend/lib/common/workspace-path';
import type * as monaco from '@theia/monaco-editor-core';
import { Disposable, DisposableCollection } from '@theia/core/lib/common/disposable';
import URI from '@theia/core/lib/common/uri';
import { ENSEMBLE_SCHEME, parseEnsembleUri, roomAuthority, toEnsembleUri } from '../../workspace/ensemble-uri';
import { signalOf } from '../cancellation';
import {
    ApplyCodeActionRequest, CodeActionsRequest, CompletionRequest, FormatRequest, HighlightsRequest, HoverRequest, LocationsRequest, RenameRequest, ResolveCompletionRequest, SignatureHelpRequest,
    SymbolsRequest, type EditAnswer, type LineRange, type LocationKind, type OffsetRange, type SharedLocation, type WireCompletionItem, type WireSymbol
} from '../language-messages';
import { toGuestRange, toRevisionOffset, waitForRevision, type RevisionedDocument } from './document-positions';

type Model = monaco.editor.ITextModel;
type Token = monaco.CancellationToken;

/** How long the guest waits for the host per feature (ms): a slow host never leaves the editor waiting for ever. */
export const GUEST_TIMEOUTS_MS = {
    hover: 5_000, completion: 5_000, resolve: 5_000, signatureHelp: 5_000, highlights: 3_000, locations: 10_000, references: 20_000, symbols: 10_000,
    rename: 30_000, format: 15_000, codeActions: 5_000, applyCodeAction: 30_000
} as const;

/** Characters that ask the host for completions as they are typed (the host's providers for the language decide whether they answer). */
export const COMPLETION_TRIGGER_CHARACTERS = ['.', ':', '<', '/', '@', '"', '\'', '#'];

/** The Monaco command a guest's code action runs: it asks the host to apply the action (by its handle). */
export const APPLY_HOST_CODE_ACTION = 'ensemble.applyHostCodeAction';
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
interface Asked {
    readonly target: SharedPath;
    readonly document: RevisionedDocument;
    readonly position: { target: SharedPath; revision: number; offset: number };
}

/**
 * The guest's side: Monaco providers for every language on the host's files
 * (`ensemble:` URIs) that ask the host and map its answers back to this
 * window: positions through the guest's pending edits, host files to
 * `ensemble:` URIs. Monaco's cancellation aborts the request, which aborts
 * the provider run on the host; each feature has its own time limit.
 */
export function registerGuestLanguageProviders(options: GuestLanguageOptions): Disposable {
    const { session, monaco: api } = options;
    const selector: monaco.languages.LanguageSelector = { scheme: ENSEMBLE_SCHEME };
    const resolveIds = new WeakMap<monaco.languages.CompletionItem, number>();

    const targetOf = (model: Model): SharedPath | undefined => {
        const parsed = parseEnsembleUri(new URI(model.uri.toString()));
        const roomId = session.roomId;
        return parsed && roomId && parsed.roomId === roomAuthority(roomId) ? { root: parsed.root, path: parsed.path } : undefined;
    };
    const ask = (model: Model, position: monaco.IPosition): Asked | undefined => {
        const target = targetOf(model);
        const document = target && options.document(target);
        if (!target || !document || document.revision < 0) {
            return undefined;
        }
        const at = toRevisionOffset(document, model.getOffsetAt(position));
        return { target, document, position: { target, ...at } };
    };
    /** Sends a request with Monaco's token and the feature's limit; undefined when it fails or is cancelled. */
    async function send<P, R>(feature: GuestLanguageFeature, request: Request<P, R>, params: P, token: Token): Promise<R | undefined> {
        const cancel = signalOf(token);
        try {
            return await session.sendRequest(request, params, { type: 'host' }, { signal: cancel.signal, timeoutMs: options.timeoutsMs?.[feature] ?? GUEST_TIMEOUTS_MS[feature] });
        } catch (error) {
            if (!token.isCancellationRequested) {
                options.onError?.(feature, error);
            }
            return undefined;
        } finally {
            cancel.dispose();
        }
    }
    const toRange = (model: Model, range: OffsetRange): monaco.IRange => {
        const start = model.getPositionAt(range.start);
        const end = model.getPositionAt(range.end);
        return { startLineNumber: start.lineNumber, startColumn: start.column, endLineNumber: end.lineNumber, endColumn: end.column };
    };
    /** A range of the answer in the guest's text now, if it still fits. */
    const mapped = async (model: Model, asked: Asked, revision: number | undefined, range: OffsetRange | undefined, token: Token): Promise<monaco.IRange | undefined> => {
        if (!range) {
            return undefined;
        }
        await waitForRevision(asked.document, revision, 1000);
        const guestRange = !token.isCancellationRequested && toGuestRange(asked.document, revision, range);
        return guestRange ? toRange(model, guestRange) : undefined;
    };
    const location = ({ target, range }: SharedLocation): monaco.languages.Location => ({
        uri: api.Uri.parse(toEnsembleUri(session.roomId ?? '', target).toString()), range
    });
    const locations = (kind: LocationKind, feature: 'locations' | 'references') =>
        async (model: Model, position: monaco.Position, token: Token, includeDeclaration?: boolean): Promise<monaco.languages.Location[] | undefined> => {
            const asked = ask(model, position);
            const answer = asked && await send(feature, LocationsRequest, { position: asked.position, kind, includeDeclaration }, token);
            if (answer && answer.locations.length === 0 && answer.outside > 0) {
                options.notify?.(`The host found ${answer.outside === 1 ? 'it' : `${answer.outside} places`} only outside the shared folders, which guests cannot open.`);
            }
            return answer?.locations.map(location);
        };

    const hover: monaco.languages.HoverProvider = {
        provideHover: async (model, position, token) => {
            const asked = ask(model, position);
            const answer = asked && await send('hover', HoverRequest, { position: asked.position }, token);
            if (!asked || !answer || answer.contents.length === 0) {
                return undefined;
            }
            const range = await mapped(model, asked, answer.revision, answer.range, token);
            return { contents: answer.contents.map(({ value }) => ({ value })), range };
        }
    };

    const completion: monaco.languages.CompletionItemProvider = {
        // Common trigger characters: the host asks only its providers that registered the one typed.
        triggerCharacters: COMPLETION_TRIGGER_CHARACTERS,
        provideCompletionItems: async (model, position, context, token) => {
            const asked = ask(model, position);
            const answer = asked && await send('completion', CompletionRequest,
                { position: asked.position, triggerKind: context.triggerKind, ...(context.triggerCharacter ? { triggerCharacter: context.triggerCharacter } : {}) }, token);
            if (!asked || !answer) {
                return undefined;
            }
            await waitForRevision(asked.document, answer.revision, 1000);
            const word = model.getWordUntilPosition(position);
            const wordEnd = model.getWordAtPosition(position)?.endColumn ?? position.column;
            const defaultRange = {
                insert: { startLineNumber: position.lineNumber, startColumn: word.startColumn, endLineNumber: position.lineNumber, endColumn: position.column },
                replace: { startLineNumber: position.lineNumber, startColumn: word.startColumn, endLineNumber: position.lineNumber, endColumn: Math.max(wordEnd, position.column) }
            };
            const rangeOf = (item: WireCompletionItem): monaco.languages.CompletionItem['range'] => {
                const insert = item.range && toGuestRange(asked.document, answer.revision, item.range.insert);
                const replace = item.range && toGuestRange(asked.document, answer.revision, item.range.replace);
                return insert && replace ? { insert: toRange(model, insert), replace: toRange(model, replace) } : defaultRange;
            };
            const suggestions = answer.items.map(item => {
                const suggestion: monaco.languages.CompletionItem = {
                    label: item.label, kind: item.kind, detail: item.detail, documentation: item.documentation, sortText: item.sortText,
                    filterText: item.filterText, insertText: item.insertText, insertTextRules: item.insertTextRules, preselect: item.preselect,
                    commitCharacters: item.commitCharacters, tags: item.tags, range: rangeOf(item)
                };
                if (item.resolveId !== undefined) {
                    resolveIds.set(suggestion, item.resolveId);
                }
                return suggestion;
            });
            return { suggestions, incomplete: answer.incomplete };
        },
        resolveCompletionItem: async (item, token) => {
            const resolveId = resolveIds.get(item);
            const answer = resolveId === undefined ? undefined : await send('resolve', ResolveCompletionRequest, { resolveId }, token);
            return answer ? { ...item, ...answer } : item;
        }
    };

    const signatureHelp: monaco.languages.SignatureHelpProvider = {
        signatureHelpTriggerCharacters: ['(', ','],
        signatureHelpRetriggerCharacters: [')'],
        provideSignatureHelp: async (model, position, token, context) => {
            const asked = ask(model, position);
            const answer = asked && await send('signatureHelp', SignatureHelpRequest, {
                position: asked.position, triggerKind: context.triggerKind, isRetrigger: context.isRetrigger,
                ...(context.triggerCharacter ? { triggerCharacter: context.triggerCharacter } : {})
            }, token);
            return answer ? { value: answer, dispose: () => undefined } : undefined;
        }
    };

    const highlights: monaco.languages.DocumentHighlightProvider = {
        provideDocumentHighlights: async (model, position, token) => {
            const asked = ask(model, position);
            const answer = asked && await send('highlights', HighlightsRequest, { position: asked.position }, token);
            if (!asked || !answer) {
                return undefined;
            }
            await waitForRevision(asked.document, answer.revision, 1000);
            return answer.highlights.flatMap(({ range, kind }) => {
                const guestRange = toGuestRange(asked.document, answer.revision, range);
                return guestRange ? [{ range: toRange(model, guestRange), kind }] : [];
            });
        }
    };

    const symbols: monaco.languages.DocumentSymbolProvider = {
        displayName: 'Ensemble host',
        provideDocumentSymbols: async (model, token) => {
            const target = targetOf(model);
            const answer = target && await send('symbols', SymbolsRequest, { target }, token);
            return answer && symbolTree(answer.symbols);
        }
    };

    /** The host applies the edits to its own models; they arrive here through editor sync, so Monaco gets none to apply. */
    const edited = (answer: EditAnswer | undefined): void => {
        if (answer && !answer.applied && answer.message) {
            options.notify?.(answer.message);
        }
    };
    const rename: monaco.languages.RenameProvider = {
        provideRenameEdits: async (model, position, newName, token) => {
            const asked = ask(model, position);
            const answer = asked && await send('rename', RenameRequest, { position: asked.position, newName }, token);
            if (!answer) {
                return { edits: [], rejectReason: token.isCancellationRequested ? undefined : 'The host did not answer the rename: see the log, or try again.' };
            }
            return answer.applied ? { edits: [] } : { edits: [], rejectReason: answer.message ?? 'The host did not rename.' };
        }
    };
    const format = async (model: Model, range: monaco.IRange | undefined, formatting: monaco.languages.FormattingOptions, token: Token): Promise<monaco.languages.TextEdit[]> => {
        const target = targetOf(model);
        const document = target && options.document(target);
        if (!target || !document) {
            return [];
        }
        const offsets = range && {
            start: toRevisionOffset(document, model.getOffsetAt({ lineNumber: range.startLineNumber, column: range.startColumn })),
            end: toRevisionOffset(document, model.getOffsetAt({ lineNumber: range.endLineNumber, column: range.endColumn }))
        };
        const params = { target, tabSize: Math.min(Math.max(formatting.tabSize, 1), 32), insertSpaces: formatting.insertSpaces };
        edited(await send('format', FormatRequest,
            offsets ? { ...params, range: { revision: offsets.start.revision, start: offsets.start.offset, end: offsets.end.offset } } : params, token));
        return [];
    };

    const codeActions: monaco.languages.CodeActionProvider = {
        provideCodeActions: async (model, range, context, token) => {
            const target = targetOf(model);
            const document = target && options.document(target);
            if (!target || !document) {
                return undefined;
            }
            const start = toRevisionOffset(document, model.getOffsetAt({ lineNumber: range.startLineNumber, column: range.startColumn }));
            const end = toRevisionOffset(document, model.getOffsetAt({ lineNumber: range.endLineNumber, column: range.endColumn }));
            const answer = await send('codeActions', CodeActionsRequest, {
                target, range: { revision: start.revision, start: start.offset, end: end.offset }, trigger: context.trigger === 1 ? 1 : 2,
                ...(context.only ? { only: context.only } : {})
            }, token);
            return answer && {
                actions: answer.actions.map(({ id, title, kind, isPreferred, disabled }) => ({
                    title, kind, isPreferred, disabled, command: { id: APPLY_HOST_CODE_ACTION, title, arguments: [id] }
                })),
                dispose: () => undefined
            };
        }
    };
    const applyCodeAction = async (id: unknown): Promise<void> => {
        if (typeof id === 'number') {
            edited(await send('applyCodeAction', ApplyCodeActionRequest, { id }, new api.CancellationTokenSource().token));
        }
    };

    const definitions = locations('definition', 'locations');
    const typeDefinitions = locations('typeDefinition', 'locations');
    const implementations = locations('implementation', 'locations');
    const declarations = locations('declaration', 'locations');
    const references = locations('references', 'references');
    return new DisposableCollection(
        api.languages.registerHoverProvider(selector, hover),
        api.languages.registerCompletionItemProvider(selector, completion),
        api.languages.registerSignatureHelpProvider(selector, signatureHelp),
        api.languages.registerDocumentHighlightProvider(selector, highlights),
        api.languages.registerDocumentSymbolProvider(selector, symbols),
        api.languages.registerDefinitionProvider(selector, { provideDefinition: (model, position, token) => definitions(model, position, token) }),
        api.languages.registerTypeDefinitionProvider(selector, { provideTypeDefinition: (model, position, token) => typeDefinitions(model, position, token) }),
        api.languages.registerImplementationProvider(selector, { provideImplementation: (model, position, token) => implementations(model, position, token) }),
        api.languages.registerDeclarationProvider(selector, { provideDeclaration: (model, position, token) => declarations(model, position, token) }),
        api.languages.registerRenameProvider(selector, rename),
        api.languages.registerCodeActionProvider(selector, codeActions),
        api.editor.registerCommand(APPLY_HOST_CODE_ACTION, (_accessor, id: unknown) => applyCodeAction(id)),
        api.languages.registerDocumentFormattingEditProvider(selector, {
            displayName: 'Ensemble host', provideDocumentFormattingEdits: (model, formatting, token) => format(model, undefined, formatting, token)
        }),
        api.languages.registerDocumentRangeFormattingEditProvider(selector, {
            displayName: 'Ensemble host', provideDocumentRangeFormattingEdits: (model, range, formatting, token) => format(model, range, formatting, token)
        }),
        api.languages.registerReferenceProvider(selector, {
            provideReferences: (model, position, context, token) => references(model, position, token, context.includeDeclaration)
        })
    );
}

/** The flattened symbols back as a tree (a parent index that does not come before its child is ignored). */
export function symbolTree(symbols: readonly WireSymbol[]): monaco.languages.DocumentSymbol[] {
    const nodes = symbols.map(({ name, detail, kind, range, selectionRange }) => ({
        name, detail, kind, tags: [], range: lineRange(range), selectionRange: lineRange(selectionRange), children: [] as monaco.languages.DocumentSymbol[]
    }));
    const roots: monaco.languages.DocumentSymbol[] = [];
    symbols.forEach((symbol, index) => {
        const parent = symbol.parent !== undefined && symbol.parent < index ? nodes[symbol.parent] : undefined;
        (parent ? parent.children : roots).push(nodes[index]);
    });
    return roots;
}

function lineRange(range: LineRange): monaco.IRange {
    return { ...range };
}
