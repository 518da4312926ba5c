import { FrontendApplicationContribution } from '@theia/core/lib/browser/frontend-application-contribution';
import type { interfaces } from '@theia/core/shared/inversify';
import { CollaborationSessionContribution } from '../session/session-contribution';
import { CursorsDiagnosticsContribution } from './cursors-diagnostics';
import { RemoteCursorsContribution } from './remote-cursors-contribution';
import { SharedDocuments } from './shared-documents';

/** Remote carets and selections of the other peers in the shared documents. */
export function bindCursors(bind: interfaces.Bind): void {
    bind(SharedDocuments).toSelf().inSingletonScope();
    bind(RemoteCursorsContribution).toSelf().inSingletonScope();
    bind(CollaborationSessionContribution).toService(RemoteCursorsContribution);
    bind(CursorsDiagnosticsContribution).toSelf().inSingletonScope();
    bind(FrontendApplicationContribution).toService(CursorsDiagnosticsContribution);
}
