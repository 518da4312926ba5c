import { ConnectionHandler, RpcConnectionHandler } from '@theia/core/lib/common/messaging';
import type { interfaces } from '@theia/core/shared/inversify';
import { HOST_WORKSPACE_PATH, type HostWorkspaceClient } from '../../common/workspace-sharing-protocol';
import { HostWorkspaceServiceImpl } from './host-workspace-service-impl';

/** The host's workspace service: a fresh instance per frontend connection, disposed (uploads removed, watchers stopped) with it. */
export function bindWorkspaceSharing(bind: interfaces.Bind): void {
    bind(HostWorkspaceServiceImpl).toSelf();
    bind(ConnectionHandler).toDynamicValue(ctx =>
        new RpcConnectionHandler<HostWorkspaceClient>(HOST_WORKSPACE_PATH, client => {
            const service = ctx.container.get(HostWorkspaceServiceImpl);
            service.setClient(client);
            client.onDidCloseConnection(() => service.dispose());
            return service;
        })
    ).inSingletonScope();
}
