import { FrontendApplicationContribution } from '@theia/core/lib/browser/frontend-application-contribution';
import { UndoRedoHandler } from '@theia/core/lib/browser/undo-redo-handler';
import type { interfaces } from '@theia/core/shared/inversify';
import { FileResourceResolver } from '@theia/filesystem/lib/browser/file-resource';
import { MonacoEditorModelFactory } from '@theia/monaco/lib/browser/monaco-text-model-service';
import { CollaborationSessionContribution } from '../session/session-contribution';
import { DiagnosticsPingContribution } from './diagnostics-ping';
import { EditorSyncContribution } from './editor-sync-contribution';
import { EditorSyncDiagnosticsContribution } from './editor-sync-diagnostics';
import { EditorSyncMetrics } from './editor-sync-metrics';
import { GuestEditorSync } from './guest/guest-editor-sync';
import { SharedDocumentModelFactory } from './guest/shared-document-model-factory';
import { GuestFileReads } from './host/guest-file-reads';
import { HostEditorSync } from './host/host-editor-sync';
import { SharedFileResourceResolver } from './host/shared-file-resource-resolver';
import { LargeDocumentEditors } from './large-document-editors';
import { MonacoEditors } from './monaco-editors';
import { SharedUndoRedoHandler } from './shared-undo-redo-handler';

/** Collaborative editing: the host's documents as OT authorities, guests' editors bound to them. */
export function bindEditorSync(bind: interfaces.Bind, rebind: interfaces.Rebind): void {
    bind(EditorSyncMetrics).toSelf().inSingletonScope();
    bind(MonacoEditors).toSelf().inSingletonScope();
    bind(LargeDocumentEditors).toSelf().inSingletonScope();
    bind(HostEditorSync).toSelf().inSingletonScope();
    bind(GuestFileReads).toSelf().inSingletonScope();
    // A guest opening a big file must not stop at a size question on the host's screen.
    rebind(FileResourceResolver).to(SharedFileResourceResolver).inSingletonScope();
    bind(GuestEditorSync).toSelf().inSingletonScope();
    bind(SharedDocumentModelFactory).toSelf().inSingletonScope();
    bind(MonacoEditorModelFactory).toService(SharedDocumentModelFactory);
    bind(SharedUndoRedoHandler).toSelf().inSingletonScope();
    bind(UndoRedoHandler).toService(SharedUndoRedoHandler);
    bind(EditorSyncContribution).toSelf().inSingletonScope();
    bind(CollaborationSessionContribution).toService(EditorSyncContribution);
    bind(DiagnosticsPingContribution).toSelf().inSingletonScope();
    bind(CollaborationSessionContribution).toService(DiagnosticsPingContribution);
    bind(EditorSyncDiagnosticsContribution).toSelf().inSingletonScope();
    bind(FrontendApplicationContribution).toService(EditorSyncDiagnosticsContribution);
}
