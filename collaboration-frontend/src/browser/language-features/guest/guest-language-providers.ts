import type * as monaco from '@theia/monaco-editor-core';
import { Disposable, DisposableCollection } from '@theia/core/lib/common/disposable';
import { ENSEMBLE_SCHEME } from '../../workspace/ensemble-uri';
import {
    CompletionRequest, HighlightsRequest, HoverRequest, LocationsRequest, ResolveCompletionRequest, SignatureHelpRequest, SymbolsRequest,
    type LocationKind, type WireCompletionItem, type WireSymbol
} from '../language-messages';
import { waitForRevision } from './document-positions';
import { registerGuestEditProviders } from './guest-edit-providers';
import { HostLanguageClient, type GuestLanguageOptions } from './host-language-client';

export { GUEST_TIMEOUTS_MS, type GuestLanguageFeature, type GuestLanguageOptions } from './host-language-client';
export { APPLY_HOST_CODE_ACTION } from './guest-edit-providers';

type Model = monaco.editor.ITextModel;
type Token = monaco.CancellationToken;

/** Characters that ask the host for completions as they are typed (the host's providers for the language decide whether they answer). */
export const COMPLETION_TRIGGER_CHARACTERS = ['.', ':', '<', '/', '@', '"', '\'', '#'];

/**
 * The guest's side: Monaco providers for every language on the host's files
 * (`ensemble:` URIs) that ask the host and map its answers back to this
 * window: positions through the guest's pending edits, host files to
 * `ensemble:` URIs. Monaco's cancellation aborts the request, which aborts
 * the provider run on the host; each feature has its own time limit.
 */
export function registerGuestLanguageProviders(options: GuestLanguageOptions): Disposable {
    const client = new HostLanguageClient(options);
    const api = options.monaco;
    const selector: monaco.languages.LanguageSelector = { scheme: ENSEMBLE_SCHEME };
    const resolveIds = new WeakMap<monaco.languages.CompletionItem, number>();

    const locations = (kind: LocationKind, feature: 'locations' | 'references') =>
        async (model: Model, position: monaco.Position, token: Token, includeDeclaration?: boolean): Promise<monaco.languages.Location[] | undefined> => {
            const asked = client.ask(model, position);
            const answer = asked && await client.send(feature, LocationsRequest, { position: asked.position, kind, includeDeclaration }, token);
            if (answer && answer.locations.length === 0 && answer.outside > 0) {
                client.notify(`The host found ${answer.outside === 1 ? 'it' : `${answer.outside} places`} only outside the shared folders, which guests cannot open.`);
            }
            return answer?.locations.map(location => client.location(location));
        };

    const hover: monaco.languages.HoverProvider = {
        provideHover: async (model, position, token) => {
            const asked = client.ask(model, position);
            const answer = asked && await client.send('hover', HoverRequest, { position: asked.position }, token);
            if (!asked || !answer || answer.contents.length === 0) {
                return undefined;
            }
            const range = await client.guestRange(model, asked, answer.revision, answer.range);
            return { contents: answer.contents.map(({ value }) => ({ value })), range };
        }
    };

    const completion: monaco.languages.CompletionItemProvider = {
        // Common trigger characters: the host asks only its providers that registered the one typed.
        triggerCharacters: COMPLETION_TRIGGER_CHARACTERS,
        provideCompletionItems: async (model, position, context, token) => {
            const asked = client.ask(model, position);
            const answer = asked && await client.send('completion', CompletionRequest,
                { position: asked.position, triggerKind: context.triggerKind, ...(context.triggerCharacter ? { triggerCharacter: context.triggerCharacter } : {}) }, token);
            if (!asked || !answer) {
                return undefined;
            }
            await waitForRevision(asked.document, answer.revision);
            // Monaco's default: the word before the caret (insert), the whole word (replace).
            const word = model.getWordUntilPosition(position);
            const wordEnd = model.getWordAtPosition(position)?.endColumn ?? position.column;
            const defaultRange = {
                insert: { startLineNumber: position.lineNumber, startColumn: word.startColumn, endLineNumber: position.lineNumber, endColumn: position.column },
                replace: { startLineNumber: position.lineNumber, startColumn: word.startColumn, endLineNumber: position.lineNumber, endColumn: Math.max(wordEnd, position.column) }
            };
            const rangeOf = (item: WireCompletionItem): monaco.languages.CompletionItem['range'] => {
                const insert = item.range && client.guestRangeNow(model, asked, answer.revision, item.range.insert);
                const replace = item.range && client.guestRangeNow(model, asked, answer.revision, item.range.replace);
                return insert && replace ? { insert, replace } : defaultRange;
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
            const answer = resolveId === undefined ? undefined : await client.send('resolve', ResolveCompletionRequest, { resolveId }, token);
            return answer ? { ...item, ...answer } : item;
        }
    };

    const signatureHelp: monaco.languages.SignatureHelpProvider = {
        signatureHelpTriggerCharacters: ['(', ','],
        signatureHelpRetriggerCharacters: [')'],
        provideSignatureHelp: async (model, position, token, context) => {
            const asked = client.ask(model, position);
            const answer = asked && await client.send('signatureHelp', SignatureHelpRequest, {
                position: asked.position, triggerKind: context.triggerKind, isRetrigger: context.isRetrigger,
                ...(context.triggerCharacter ? { triggerCharacter: context.triggerCharacter } : {})
            }, token);
            return answer ? { value: answer, dispose: () => undefined } : undefined;
        }
    };

    const highlights: monaco.languages.DocumentHighlightProvider = {
        provideDocumentHighlights: async (model, position, token) => {
            const asked = client.ask(model, position);
            const answer = asked && await client.send('highlights', HighlightsRequest, { position: asked.position }, token);
            if (!asked || !answer) {
                return undefined;
            }
            await waitForRevision(asked.document, answer.revision);
            return answer.highlights.flatMap(({ range, kind }) => {
                const guestRange = client.guestRangeNow(model, asked, answer.revision, range);
                return guestRange ? [{ range: guestRange, kind }] : [];
            });
        }
    };

    const symbols: monaco.languages.DocumentSymbolProvider = {
        displayName: 'Ensemble host',
        provideDocumentSymbols: async (model, token) => {
            const target = client.targetOf(model);
            const answer = target && await client.send('symbols', SymbolsRequest, { target }, token);
            return answer && symbolTree(answer.symbols);
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
        api.languages.registerReferenceProvider(selector, {
            provideReferences: (model, position, context, token) => references(model, position, token, context.includeDeclaration)
        }),
        registerGuestEditProviders(client, selector)
    );
}

/** The flattened symbols back as a tree (a parent index that does not come before its child is ignored). */
export function symbolTree(symbols: readonly WireSymbol[]): monaco.languages.DocumentSymbol[] {
    const nodes = symbols.map(({ name, detail, kind, range, selectionRange }) => ({
        name, detail, kind, tags: [], range: { ...range }, selectionRange: { ...selectionRange }, children: [] as monaco.languages.DocumentSymbol[]
    }));
    const roots: monaco.languages.DocumentSymbol[] = [];
    symbols.forEach((symbol, index) => {
        const parent = symbol.parent !== undefined && symbol.parent < index ? nodes[symbol.parent] : undefined;
        (parent ? parent.children : roots).push(nodes[index]);
    });
    return roots;
}
