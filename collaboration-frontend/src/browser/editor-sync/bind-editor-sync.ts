import { FrontendApplicationContribution } from '@theia/core/lib/browser/frontend-application-contribution';
import { UndoRedoHandler } from '@theia/core/lib/browser/undo-redo-handler';
import type { interfaces } from '@theia/core/shared/inversify';
import { MonacoEditorModelFactory } from '@theia/monaco/lib/browser/monaco-text-model-service';
import { CollaborationSessionContribution } from '../session/session-contribution';
import { EditorSyncContribution } from './editor-sync-contribution';
import { EditorSyncDiagnosticsContribution } from './editor-sync-diagnostics';
import { EditorSyncMetrics } from './editor-sync-metrics';
import { GuestEditorSync } from './guest/guest-editor-sync';
import { SharedDocumentModelFactory } from './guest/shared-document-model-factory';
import { HostEditorSync } from './host/host-editor-sync';
import { LargeDocumentEditors } from './large-document-editors';
import { MonacoEditors } from './monaco-editors';
import { SharedUndoRedoHandler } from './shared-undo-redo-handler';

/** Collaborative editing: the host's documents as OT authorities, guests' editors bound to them. */
export function bindEditorSync(bind: interfaces.Bind): void {
    bind(EditorSyncMetrics).toSelf().inSingletonScope();
    bind(MonacoEditors).toSelf().inSingletonScope();
    bind(LargeDocumentEditors).toSelf().inSingletonScope();
    bind(HostEditorSync).toSelf().inSingletonScope();
    bind(GuestEditorSync).toSelf().inSingletonScope();
    bind(SharedDocumentModelFactory).toSelf().inSingletonScope();
    bind(MonacoEditorModelFactory).toService(SharedDocumentModelFactory);
    bind(SharedUndoRedoHandler).toSelf().inSingletonScope();
    bind(UndoRedoHandler).toService(SharedUndoRedoHandler);
    bind(EditorSyncContribution).toSelf().inSingletonScope();
    bind(CollaborationSessionContribution).toService(EditorSyncContribution);
    bind(EditorSyncDiagnosticsContribution).toSelf().inSingletonScope();
    bind(FrontendApplicationContribution).toService(EditorSyncDiagnosticsContribution);
}
