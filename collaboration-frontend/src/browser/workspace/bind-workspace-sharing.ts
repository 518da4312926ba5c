import { HOST_WORKSPACE_PATH, HostWorkspaceService } from '@ensemble/collaboration-backend/lib/common/workspace-sharing-protocol';
import { ServiceConnectionProvider } from '@theia/core/lib/browser/messaging/service-connection-provider';
import { CommandContribution } from '@theia/core/lib/common/command';
import type { interfaces } from '@theia/core/shared/inversify';
import { FileSearchService, fileSearchServicePath } from '@theia/file-search/lib/common/file-search-service';
import { WorkspaceService } from '@theia/workspace/lib/browser/workspace-service';
import { CollaborationSessionContribution } from '../session/session-contribution';
import { GuestAwareFileSearchService } from './guest/guest-file-search-service';
import { GuestWorkspaceMount } from './guest/guest-workspace-mount';
import { GuestAwareWorkspaceService } from './guest/guest-workspace-service';
import { TransferProgressNotifier } from './guest/transfer-progress-notifier';
import { HostWorkspaceChangeRelay } from './host/host-workspace-change-relay';
import { HostWorkspaceSharing } from './host/host-workspace-sharing';
import { WorkspaceSharingCommandContribution } from './host/workspace-sharing-commands';
import { WorkspaceSharingContribution } from './workspace-sharing-contribution';
import { bindWorkspaceSharingPreferences } from './workspace-sharing-preferences';

/**
 * The host's workspace for guests. Replaces two Theia services with
 * subclasses/decorators that behave exactly as before outside a session:
 * WorkspaceService (to show a guest the host's folders without writing a
 * workspace file) and FileSearchService (so "Go to File" searches the host's
 * folders through the host).
 */
export function bindWorkspaceSharing(bind: interfaces.Bind, rebind: interfaces.Rebind): void {
    bindWorkspaceSharingPreferences(bind);

    bind(HostWorkspaceChangeRelay).toSelf().inSingletonScope();
    bind(HostWorkspaceService).toDynamicValue(ctx =>
        ServiceConnectionProvider.createProxy<HostWorkspaceService>(ctx.container, HOST_WORKSPACE_PATH, ctx.container.get(HostWorkspaceChangeRelay))
    ).inSingletonScope();
    bind(HostWorkspaceSharing).toSelf().inSingletonScope();
    bind(WorkspaceSharingCommandContribution).toSelf().inSingletonScope();
    bind(CommandContribution).toService(WorkspaceSharingCommandContribution);

    bind(TransferProgressNotifier).toSelf().inSingletonScope();
    bind(GuestWorkspaceMount).toSelf().inSingletonScope();
    bind(GuestAwareWorkspaceService).toSelf().inSingletonScope();
    rebind(WorkspaceService).toService(GuestAwareWorkspaceService);
    rebind(FileSearchService).toDynamicValue(ctx => new GuestAwareFileSearchService(
        ServiceConnectionProvider.createProxy<FileSearchService>(ctx.container, fileSearchServicePath),
        ctx.container.get(GuestWorkspaceMount)
    )).inSingletonScope();

    bind(WorkspaceSharingContribution).toSelf().inSingletonScope();
    bind(CollaborationSessionContribution).toService(WorkspaceSharingContribution);
}
