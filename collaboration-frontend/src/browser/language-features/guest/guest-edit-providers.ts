import type * as monaco from '@theia/monaco-editor-core';
import { Disposable, DisposableCollection } from '@theia/core/lib/common/disposable';
import { ApplyCodeActionRequest, CodeActionsRequest, FormatRequest, RenameRequest, type EditAnswer } from '../language-messages';
import type { HostLanguageClient } from './host-language-client';

type Model = monaco.editor.ITextModel;
type Token = monaco.CancellationToken;

/** The Monaco command a guest's code action runs: it asks the host to apply the action (by its handle). */
export const APPLY_HOST_CODE_ACTION = 'ensemble.applyHostCodeAction';

/**
 * The guest's providers of features that change text: rename, formatting,
 * code actions. The host makes the change on its own models (after checking
 * that this guest may write) and it arrives here through editor sync, so
 * Monaco on the guest gets no edits to apply; a refusal is told to the user.
 */
/**
 * Both host formatters (document and range) as one extension's. Monaco
 * counts a range formatter as a document formatter too unless a document
 * formatter of the same extension is there: without an extension id, a
 * guest's Format Document asked "Format Document With..." between two
 * "Ensemble host" entries, every time (the choice could not be kept as the
 * default formatter either, which Theia keys by this id). Monaco's
 * ExtensionIdentifier is internal: this has its two fields, `value` (what
 * Theia reads) and `_lower` (Monaco's key).
 */
const HOST_FORMATTER = {
    displayName: 'Ensemble host',
    extensionId: { value: 'ensemble.host', _lower: 'ensemble.host' }
} as const;

export function registerGuestEditProviders(client: HostLanguageClient, selector: monaco.languages.LanguageSelector): Disposable {
    const api = client.options.monaco;
    const edited = (answer: EditAnswer | undefined): void => {
        if (answer && !answer.applied && answer.message) {
            client.notify(answer.message);
        }
    };

    const rename: monaco.languages.RenameProvider = {
        provideRenameEdits: async (model, position, newName, token) => {
            const asked = client.ask(model, position);
            const answer = asked && await client.send('rename', RenameRequest, { position: asked.position, newName }, token);
            if (!answer) {
                return { edits: [], rejectReason: token.isCancellationRequested ? undefined : 'The host did not answer the rename: see the log, or try again.' };
            }
            return answer.applied ? { edits: [] } : { edits: [], rejectReason: answer.message ?? 'The host did not rename.' };
        }
    };

    const format = async (model: Model, range: monaco.IRange | undefined, formatting: monaco.languages.FormattingOptions, token: Token): Promise<monaco.languages.TextEdit[]> => {
        const target = client.targetOf(model);
        const asked = range ? client.askRange(model, range) : undefined;
        if (!target || (range && !asked)) {
            return [];
        }
        const params = { target, tabSize: Math.min(Math.max(formatting.tabSize, 1), 32), insertSpaces: formatting.insertSpaces };
        edited(await client.send('format', FormatRequest, asked ? { ...params, range: asked.range } : params, token));
        return [];
    };

    const codeActions: monaco.languages.CodeActionProvider = {
        provideCodeActions: async (model, range, context, token) => {
            const asked = client.askRange(model, range);
            const answer = asked && await client.send('codeActions', CodeActionsRequest, {
                ...asked, trigger: context.trigger === 1 ? 1 : 2, ...(context.only ? { only: context.only } : {})
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
            edited(await client.send('applyCodeAction', ApplyCodeActionRequest, { id }, new api.CancellationTokenSource().token));
        }
    };

    return new DisposableCollection(
        api.languages.registerRenameProvider(selector, rename),
        api.languages.registerCodeActionProvider(selector, codeActions),
        api.editor.registerCommand(APPLY_HOST_CODE_ACTION, (_accessor, id: unknown) => applyCodeAction(id)),
        api.languages.registerDocumentFormattingEditProvider(selector, {
            ...HOST_FORMATTER, provideDocumentFormattingEdits: (model, formatting, token) => format(model, undefined, formatting, token)
        }),
        api.languages.registerDocumentRangeFormattingEditProvider(selector, {
            ...HOST_FORMATTER, provideDocumentRangeFormattingEdits: (model, range, formatting, token) => format(model, range, formatting, token)
        })
    );
}
