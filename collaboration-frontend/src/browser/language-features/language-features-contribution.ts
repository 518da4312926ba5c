import type { CollaborationSession } from '@ensemble/collaboration-common';
import type { SharedPath } from '@ensemble/collaboration-backend/lib/common/workspace-path';
import { HostWorkspaceService } from '@ensemble/collaboration-backend/lib/common/workspace-sharing-protocol';
import { Disposable, DisposableCollection } from '@theia/core/lib/common/disposable';
import { ILogger } from '@theia/core/lib/common/logger';
import { MessageService } from '@theia/core/lib/common/message-service';
import URI from '@theia/core/lib/common/uri';
import { inject, injectable } from '@theia/core/shared/inversify';
import * as monaco from '@theia/monaco-editor-core';
import { ProblemManager } from '@theia/markers/lib/browser/problem/problem-manager';
import { MonacoTextModelService } from '@theia/monaco/lib/browser/monaco-text-model-service';
import { documentKey } from '../editor-sync/document-key';
import { GuestEditorSync } from '../editor-sync/guest/guest-editor-sync';
import { HostEditorSync } from '../editor-sync/host/host-editor-sync';
import type { CollaborationSessionContribution, SessionContext } from '../session/session-contribution';
import { HostWorkspaceSharing } from '../workspace/host/host-workspace-sharing';
import { registerGuestLanguageProviders } from './guest/guest-language-providers';
import { showHostMarkers } from './guest/guest-markers';
import type { EditableModel } from './host/host-file-edits';
import { registerHostLanguageHandlers, type HeldModel } from './host/host-language-handlers';
import { relayHostMarkers } from './host/host-markers-relay';
import { executeMonacoCommand, monacoLanguageRegistries } from './host/monaco-language-registries';

/**
 * The host's language features for guests: the host answers with its own
 * providers and relays its diagnostics; a guest's editors on the host's
 * files ask the host and show its diagnostics.
 */
@injectable()
export class LanguageFeaturesContribution implements CollaborationSessionContribution {
    @inject(HostEditorSync) protected readonly hostEditors!: HostEditorSync;
    @inject(GuestEditorSync) protected readonly guestEditors!: GuestEditorSync;
    @inject(HostWorkspaceSharing) protected readonly sharing!: HostWorkspaceSharing;
    @inject(MonacoTextModelService) protected readonly textModels!: MonacoTextModelService;
    @inject(ProblemManager) protected readonly problems!: ProblemManager;
    @inject(ILogger) protected readonly logger!: ILogger;
    @inject(MessageService) protected readonly messages!: MessageService;
    @inject(HostWorkspaceService) protected readonly backend!: HostWorkspaceService;

    onSessionStarting({ session, isHost }: SessionContext): Disposable {
        if (isHost) {
            return new DisposableCollection(
                registerHostLanguageHandlers(session, {
                    registries: monacoLanguageRegistries(),
                    acquire: target => this.acquire(target),
                    revisions: target => this.hostEditors.documents?.get(documentKey(target))?.authority,
                    toShared: uri => this.sharing.toSharedPath(new URI(uri.toString())),
                    fileRefusal: (target, peerId) => this.fileRefusal(session, target, peerId),
                    openForEdit: uri => this.openForEdit(uri),
                    executeCommand: executeMonacoCommand
                }),
                relayHostMarkers(session, { problems: this.problems, toShared: uri => this.sharing.toSharedPath(uri) })
            );
        }
        return new DisposableCollection(
            registerGuestLanguageProviders({
                session,
                monaco,
                document: target => this.guestEditors.find(target),
                onError: (feature, error) => this.logger.warn(`Ensemble: the host's ${feature} failed: ${error instanceof Error ? error.message : String(error)}`),
                notify: message => { void this.messages.warn(`Ensemble: ${message}`); }
            }),
            showHostMarkers(session, this.problems)
        );
    }

    /**
     * The host's model of a file a guest has open: editor sync opened it for
     * that guest after the host's backend confirmed the path is shared, not
     * excluded and confined. A reference keeps it alive while providers run.
     */
    protected async acquire(target: SharedPath): Promise<HeldModel> {
        const uri = this.hostEditors.documents?.has(documentKey(target)) ? this.sharing.toFileUri(target) : undefined;
        if (!uri) {
            throw new Error(`${target.path || target.root} is not open for editing on the host: open it again.`);
        }
        const reference = await this.textModels.createModelReference(uri);
        return { model: reference.object.textEditorModel, release: () => reference.dispose() };
    }

    /** The host backend's own answer on whether the file is for the guest (shared, not excluded, a file). */
    protected async fileRefusal(session: CollaborationSession, target: SharedPath, peerId: string): Promise<string | undefined> {
        const role = session.peers.get(peerId)?.role;
        if (role !== 'read-write' && role !== 'read-only') {
            return 'the host does not know you as a participant (any more)';
        }
        const stat = await this.backend.stat({ peerId, role }, target);
        if (!stat.ok) {
            return stat.error.message;
        }
        return stat.value.type === 'file' ? undefined : `${target.path || target.root} is not a file`;
    }

    /** A host model to apply a guest's rename or formatting to (the file may be open nowhere). */
    protected async openForEdit(uri: monaco.Uri): Promise<EditableModel> {
        const reference = await this.textModels.createModelReference(new URI(uri.toString()));
        const editorModel = reference.object;
        return { model: editorModel.textEditorModel, dirty: editorModel.dirty, save: () => editorModel.save(), release: () => reference.dispose() };
    }
}
