import type { Resource } from '@theia/core/lib/common/resource';
import { ILogger } from '@theia/core/lib/common/logger';
import { inject, injectable } from '@theia/core/shared/inversify';
import { EditorPreferences } from '@theia/editor/lib/common/editor-preferences';
import type { MonacoEditorModel } from '@theia/monaco/lib/browser/monaco-editor-model';
import type { MonacoEditorModelFactory } from '@theia/monaco/lib/browser/monaco-text-model-service';
import { MonacoToProtocolConverter } from '@theia/monaco/lib/browser/monaco-to-protocol-converter';
import { ProtocolToMonacoConverter } from '@theia/monaco/lib/browser/protocol-to-monaco-converter';
import { ENSEMBLE_SCHEME, parseEnsembleUri } from '../../workspace/ensemble-uri';
import { LargeDocumentEditors } from '../large-document-editors';
import { MonacoEditors } from '../monaco-editors';
import type { GuestDocument } from './guest-document';
import { GuestEditorSync } from './guest-editor-sync';
import { SharedDocumentModel } from './shared-document-model';
import { SharedDocumentResource } from './shared-document-resource';

/**
 * Creates the editor models of the host's files (`ensemble:` URIs) on a
 * guest: their text comes from the host's document authority and stays
 * bound to it through the OT client while the model lives.
 */
@injectable()
export class SharedDocumentModelFactory implements MonacoEditorModelFactory {
    readonly scheme = ENSEMBLE_SCHEME;

    @inject(GuestEditorSync) protected readonly sync!: GuestEditorSync;
    @inject(MonacoEditors) protected readonly editors!: MonacoEditors;
    @inject(LargeDocumentEditors) protected readonly largeDocuments!: LargeDocumentEditors;
    @inject(MonacoToProtocolConverter) protected readonly m2p!: MonacoToProtocolConverter;
    @inject(ProtocolToMonacoConverter) protected readonly p2m!: ProtocolToMonacoConverter;
    @inject(ILogger) protected readonly logger!: ILogger;
    @inject(EditorPreferences) protected readonly editorPreferences!: EditorPreferences;

    createModel(resource: Resource): MonacoEditorModel {
        const parsed = parseEnsembleUri(resource.uri);
        // Only root and path travel: the messages' schema refuses anything else.
        const target = parsed && { root: parsed.root, path: parsed.path };
        let document: GuestDocument | undefined;
        let closed = false;
        /** Closes the download's progress notification once the editor's model is built. */
        let settleProgress = (): void => undefined;
        const shared = new SharedDocumentResource(resource, {
            read: async () => {
                if (!target) {
                    throw new Error(`${resource.uri.toString()} names no shared file.`);
                }
                const opened = await this.sync.open(target);
                settleProgress = opened.settled;
                if (closed) {
                    opened.settled();
                    this.sync.close(opened.document);
                } else {
                    document = opened.document;
                }
                return opened.text;
            },
            save: async () => {
                if (!document) {
                    throw new Error(`${resource.uri.path.base} is not connected to the host's copy; reopen it.`);
                }
                await document.save();
            },
            close: () => {
                closed = true;
                if (document) {
                    this.sync.close(document);
                    document = undefined;
                }
            }
        });
        const model = new SharedDocumentModel(shared, this.m2p, this.p2m, this.logger, this.editorPreferences);
        model.resolve().then(() => {
            settleProgress();
            if (document && !model.isDisposed()) {
                const textModel = model.textEditorModel;
                const binding = document.attach({
                    model: textModel,
                    applyRemote: edits => model.applyRemoteEdits(edits),
                    editors: () => this.editors.showing(textModel)
                });
                // A large document's editors skip the whole-document features that would stall typing.
                const limited = this.largeDocuments.track(textModel);
                model.onWillDispose(() => {
                    limited.dispose();
                    binding.dispose();
                });
            }
        }, () => settleProgress());
        return model;
    }
}
