import type * as monaco from '@theia/monaco-editor-core';
import type { SharedPath } from '@ensemble/collaboration-backend/lib/common/workspace-path';
import {
    MAX_COMPLETION_ITEMS, MAX_HIGHLIGHTS, MAX_LABEL_CHARS, MAX_LOCATIONS, MAX_MARKDOWN_CHARS, MAX_SIGNATURES,
    MAX_CODE_ACTIONS, type LocationKind, type OffsetRange, type SharedLocation, type WireCodeAction, type WireCompletionItem, type WireSymbol
} from '../language-messages';
import { PeerHandleStore } from './peer-handle-store';
import {
    ANSWER_BUDGET_CHARS, clip, completionToWire, documentationToWire, fileEditsOf, flattenSymbols, lineRange, offsetRange, smallInt, stripUndefined, withinBudget
} from './wire-conversion';

type Model = monaco.editor.ITextModel;
type Token = monaco.CancellationToken;

/** One of Monaco's provider registries (LanguageFeatureRegistry): the providers for a model, best first. */
export interface ProviderRegistry<T> {
    ordered(model: Model): T[];
}

/** The registries of Monaco's ILanguageFeaturesService that the host serves from. */
export interface LanguageProviderRegistries {
    readonly hoverProvider: ProviderRegistry<monaco.languages.HoverProvider>;
    readonly completionProvider: ProviderRegistry<monaco.languages.CompletionItemProvider>;
    readonly signatureHelpProvider: ProviderRegistry<monaco.languages.SignatureHelpProvider>;
    readonly definitionProvider: ProviderRegistry<monaco.languages.DefinitionProvider>;
    readonly typeDefinitionProvider: ProviderRegistry<monaco.languages.TypeDefinitionProvider>;
    readonly implementationProvider: ProviderRegistry<monaco.languages.ImplementationProvider>;
    readonly declarationProvider: ProviderRegistry<monaco.languages.DeclarationProvider>;
    readonly referenceProvider: ProviderRegistry<monaco.languages.ReferenceProvider>;
    readonly documentHighlightProvider: ProviderRegistry<monaco.languages.DocumentHighlightProvider>;
    readonly documentSymbolProvider: ProviderRegistry<monaco.languages.DocumentSymbolProvider>;
    readonly renameProvider: ProviderRegistry<monaco.languages.RenameProvider>;
    readonly documentFormattingEditProvider: ProviderRegistry<monaco.languages.DocumentFormattingEditProvider>;
    readonly documentRangeFormattingEditProvider: ProviderRegistry<monaco.languages.DocumentRangeFormattingEditProvider>;
    readonly codeActionProvider: ProviderRegistry<monaco.languages.CodeActionProvider>;
}

interface ResolvableItem {
    readonly provider: monaco.languages.CompletionItemProvider;
    readonly item: monaco.languages.CompletionItem;
}

interface ApplicableAction {
    readonly provider: monaco.languages.CodeActionProvider;
    readonly action: monaco.languages.CodeAction;
}

/** What applying a code action takes: its edits (or why they cannot be made) and its command. */
export interface CodeActionWork {
    readonly edits?: FileEdits[] | { rejected: string };
    readonly command?: monaco.languages.Command;
}

/** Text edits of one file, as a refactoring or formatter returns them. */
export interface FileEdits {
    readonly uri: monaco.Uri;
    /** The model version the edits were computed for, when the provider said. */
    readonly versionId?: number;
    readonly edits: monaco.languages.TextEdit[];
}


/**
 * Runs the host's own language providers on its model of a file and turns
 * their results into plain, bounded JSON for the wire. Every provider runs
 * (as Monaco does); one that throws or is cancelled contributes nothing
 * rather than failing the others.
 */
export class HostLanguageProviders {
    /** Completion items a guest may ask to resolve. */
    private readonly completionItems = new PeerHandleStore<ResolvableItem>();
    /** Code actions a guest may ask to apply. */
    private readonly codeActionEntries = new PeerHandleStore<ApplicableAction>();

    constructor(private readonly registries: LanguageProviderRegistries) { }

    /** The peer left: its handles are of no use any more. */
    forget(peerId: string): void {
        this.completionItems.forget(peerId);
        this.codeActionEntries.forget(peerId);
    }

    dispose(): void {
        this.completionItems.dispose();
        this.codeActionEntries.dispose();
    }

    async hover(model: Model, position: monaco.Position, token: Token): Promise<{ contents: { value: string }[]; range?: OffsetRange }> {
        const hovers = await settleAll(this.registries.hoverProvider.ordered(model), provider => provider.provideHover(model, position, token));
        const contents: { value: string }[] = [];
        let range: OffsetRange | undefined;
        for (const hover of hovers) {
            for (const content of hover.contents) {
                if (content.value.trim() !== '' && contents.length < 32) {
                    contents.push({ value: clip(content.value, MAX_MARKDOWN_CHARS) });
                }
            }
            range ??= hover.range && offsetRange(model, hover.range);
        }
        const fitting = withinBudget(contents);
        return range ? { contents: fitting, range } : { contents: fitting };
    }

    async completion(peerId: string, model: Model, position: monaco.Position, context: monaco.languages.CompletionContext, token: Token)
        : Promise<{ items: WireCompletionItem[]; incomplete: boolean }> {
        this.completionItems.startAnswer(peerId);
        // As Monaco: a trigger character asks only the providers that registered it.
        const providers = this.registries.completionProvider.ordered(model).filter(provider => !isWordBased(provider)
            && (context.triggerKind !== 1 || context.triggerCharacter === undefined || (provider.triggerCharacters ?? []).includes(context.triggerCharacter)));
        const lists = await settleAll(providers, async provider => {
            const list = await provider.provideCompletionItems(model, position, context, token);
            return list && { provider, list };
        });
        const items: WireCompletionItem[] = [];
        let incomplete = false;
        let budget = ANSWER_BUDGET_CHARS;
        for (const { provider, list } of lists) {
            incomplete ||= !!list.incomplete;
            for (const item of list.suggestions) {
                if (items.length >= MAX_COMPLETION_ITEMS || budget <= 0) {
                    incomplete = true;
                    break;
                }
                const wire = completionToWire(model, item);
                if (provider.resolveCompletionItem) {
                    wire.resolveId = this.completionItems.remember(peerId, { provider, item });
                }
                budget -= JSON.stringify(wire).length;
                items.push(wire);
            }
            this.completionItems.keepAlive(peerId, list);
        }
        return { items, incomplete };
    }

    async resolveCompletion(peerId: string, resolveId: number, token: Token): Promise<{ detail?: string; documentation?: string | { value: string } }> {
        const entry = this.completionItems.get(peerId, resolveId);
        if (!entry?.provider.resolveCompletionItem) {
            return {};
        }
        const resolved = await entry.provider.resolveCompletionItem(entry.item, token) ?? entry.item;
        return stripUndefined({ detail: resolved.detail && clip(resolved.detail, MAX_LABEL_CHARS), documentation: documentationToWire(resolved.documentation) });
    }

    async signatureHelp(model: Model, position: monaco.Position, context: monaco.languages.SignatureHelpContext, token: Token) {
        for (const provider of this.registries.signatureHelpProvider.ordered(model)) {
            const [result] = await settleAll([provider], p => p.provideSignatureHelp(model, position, token, context));
            if (!result) {
                continue;
            }
            try {
                const { signatures, activeSignature, activeParameter } = result.value;
                if (signatures.length === 0) {
                    continue;
                }
                return {
                    signatures: withinBudget(signatures.slice(0, MAX_SIGNATURES).map(signature => stripUndefined({
                        label: clip(signature.label, MAX_LABEL_CHARS),
                        documentation: documentationToWire(signature.documentation),
                        parameters: signature.parameters.slice(0, 64).map(parameter => stripUndefined({
                            label: typeof parameter.label === 'string' ? clip(parameter.label, MAX_LABEL_CHARS) : parameter.label,
                            documentation: documentationToWire(parameter.documentation)
                        })),
                        activeParameter: smallInt(signature.activeParameter)
                    }))),
                    activeSignature: smallInt(activeSignature) ?? 0,
                    activeParameter: smallInt(activeParameter) ?? 0
                };
            } finally {
                result.dispose();
            }
        }
        return null;
    }

    /** Definitions, references...: the ones in shared files (`toShared` maps a host URI), and how many were elsewhere. */
    async locations(model: Model, position: monaco.Position, kind: LocationKind, includeDeclaration: boolean, token: Token,
        toShared: (uri: monaco.Uri) => SharedPath | undefined): Promise<{ locations: SharedLocation[]; outside: number }> {
        const results = await this.runLocationProviders(model, position, kind, includeDeclaration, token);
        const locations: SharedLocation[] = [];
        const seen = new Set<string>();
        let outside = 0;
        for (const result of results) {
            for (const location of Array.isArray(result) ? result : [result]) {
                const link = location as Partial<monaco.languages.LocationLink>;
                const target = toShared(location.uri);
                if (!target) {
                    outside++;
                    continue;
                }
                const range = lineRange(link.targetSelectionRange ?? location.range);
                const key = JSON.stringify([target, range]);
                if (!seen.has(key) && locations.length < MAX_LOCATIONS) {
                    seen.add(key);
                    locations.push({ target, range });
                }
            }
        }
        const fitting = withinBudget(locations);
        return { locations: fitting, outside: outside + locations.length - fitting.length };
    }

    async highlights(model: Model, position: monaco.Position, token: Token): Promise<{ range: OffsetRange; kind: number }[]> {
        // Monaco uses the first provider that answers.
        for (const provider of this.registries.documentHighlightProvider.ordered(model)) {
            const [highlights] = await settleAll([provider], p => p.provideDocumentHighlights(model, position, token));
            if (highlights && highlights.length > 0) {
                return highlights.slice(0, MAX_HIGHLIGHTS).map(({ range, kind }) => ({ range: offsetRange(model, range), kind: kind ?? 0 }));
            }
        }
        return [];
    }

    async symbols(model: Model, token: Token): Promise<WireSymbol[]> {
        for (const provider of this.registries.documentSymbolProvider.ordered(model)) {
            const [symbols] = await settleAll([provider], p => p.provideDocumentSymbols(model, token));
            if (symbols && symbols.length > 0) {
                return withinBudget(flattenSymbols(symbols));
            }
        }
        return [];
    }

    /**
     * The rename's edits by file (the first provider that answers, as
     * Monaco does), or why there are none. File operations (creating,
     * renaming files) are not supported: such a rename is refused.
     */
    async renameEdits(model: Model, position: monaco.Position, newName: string, token: Token): Promise<FileEdits[] | { rejected: string }> {
        for (const provider of this.registries.renameProvider.ordered(model)) {
            const [result] = await settleAll([provider], p => p.provideRenameEdits(model, position, newName, token));
            if (!result) {
                continue;
            }
            return result.rejectReason ? { rejected: result.rejectReason } : fileEditsOf(result);
        }
        return { rejected: 'The host has no rename for this symbol.' };
    }

    /** The formatter's edits of the document (or of `range`), from the first formatter that answers. */
    async formatEdits(model: Model, range: monaco.Range | undefined, options: monaco.languages.FormattingOptions, token: Token): Promise<FileEdits | undefined> {
        const versionId = model.getVersionId();
        const results = range
            ? await firstAnswer(this.registries.documentRangeFormattingEditProvider.ordered(model), p => p.provideDocumentRangeFormattingEdits(model, range, options, token))
            : await firstAnswer(this.registries.documentFormattingEditProvider.ordered(model), p => p.provideDocumentFormattingEdits(model, options, token));
        return results && { uri: model.uri, versionId, edits: results };
    }

    /** The code actions for a range (all providers, as Monaco asks them), each with a handle to apply it by. */
    async codeActions(peerId: string, model: Model, range: monaco.Range, context: monaco.languages.CodeActionContext, token: Token): Promise<WireCodeAction[]> {
        this.codeActionEntries.startAnswer(peerId);
        const lists = await settleAll(this.registries.codeActionProvider.ordered(model), async provider => {
            const list = await provider.provideCodeActions(model, range, context, token);
            return list && { provider, list };
        });
        const actions: WireCodeAction[] = [];
        for (const { provider, list } of lists) {
            this.codeActionEntries.keepAlive(peerId, list);
            for (const action of list.actions) {
                const id = actions.length < MAX_CODE_ACTIONS ? this.codeActionEntries.remember(peerId, { provider, action }) : undefined;
                if (id !== undefined) {
                    actions.push(stripUndefined({
                        id, title: clip(action.title, MAX_LABEL_CHARS), kind: action.kind && clip(action.kind, MAX_LABEL_CHARS),
                        isPreferred: action.isPreferred, disabled: action.disabled && clip(action.disabled, MAX_LABEL_CHARS)
                    }));
                }
            }
        }
        return withinBudget(actions);
    }

    /** What applying one of the peer's code actions takes (resolving it first if its provider does that lazily); undefined if it is gone. */
    async codeActionWork(peerId: string, id: number, token: Token): Promise<CodeActionWork | undefined> {
        const entry = this.codeActionEntries.get(peerId, id);
        if (!entry) {
            return undefined;
        }
        let action = entry.action;
        if (!action.edit && entry.provider.resolveCodeAction) {
            action = await entry.provider.resolveCodeAction(action, token) ?? action;
        }
        return stripUndefined({ edits: action.edit && fileEditsOf(action.edit), command: action.command });
    }

    private runLocationProviders(model: Model, position: monaco.Position, kind: LocationKind, includeDeclaration: boolean, token: Token)
        : Promise<(monaco.languages.Definition | monaco.languages.LocationLink[])[]> {
        const r = this.registries;
        switch (kind) {
            case 'definition': return settleAll(r.definitionProvider.ordered(model), p => p.provideDefinition(model, position, token));
            case 'typeDefinition': return settleAll(r.typeDefinitionProvider.ordered(model), p => p.provideTypeDefinition(model, position, token));
            case 'implementation': return settleAll(r.implementationProvider.ordered(model), p => p.provideImplementation(model, position, token));
            case 'declaration': return settleAll(r.declarationProvider.ordered(model), p => p.provideDeclaration(model, position, token));
            case 'references': return settleAll(r.referenceProvider.ordered(model), p => p.provideReferences(model, position, { includeDeclaration }, token));
        }
    }
}

/**
 * Monaco's own word suggestions (registered for every language by its
 * editor worker service): the guest's Monaco makes them from the same text
 * itself, so the host's would only come twice.
 */
function isWordBased(provider: monaco.languages.CompletionItemProvider): boolean {
    return (provider as { _debugDisplayName?: string })._debugDisplayName === 'wordbasedCompletions';
}

/** Runs `call` on every provider at once; the results that came (failures and empty answers are left out). */
async function settleAll<P, R>(providers: readonly P[], call: (provider: P) => R | null | undefined | PromiseLike<R | null | undefined>): Promise<R[]> {
    const settled = await Promise.allSettled(providers.map(provider => Promise.resolve().then(() => call(provider))));
    return settled.flatMap(result => result.status === 'fulfilled' && result.value !== null && result.value !== undefined ? [result.value] : []);
}

/** The first provider's answer that is not empty, in order (as Monaco uses formatters). */
async function firstAnswer<P, R>(providers: readonly P[], call: (provider: P) => R[] | null | undefined | PromiseLike<R[] | null | undefined>): Promise<R[] | undefined> {
    for (const provider of providers) {
        const [result] = await settleAll([provider], call);
        if (result) {
            return result;
        }
    }
    return undefined;
}
