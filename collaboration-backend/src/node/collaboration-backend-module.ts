import { ConnectionHandler, RpcConnectionHandler } from '@theia/core/lib/common/messaging';
import { BackendApplicationContribution } from '@theia/core/lib/node/backend-application';
import { ContainerModule } from '@theia/core/shared/inversify';
import { EMBEDDED_SERVER_PATH, EmbeddedServerService } from '../common/embedded-server-protocol';
import { EmbeddedCoordinationServer } from './embedded-coordination-server';
import { bindWorkspaceSharing } from './workspace/bind-workspace-sharing';

export default new ContainerModule(bind => {
    bind(EmbeddedCoordinationServer).toSelf().inSingletonScope();
    bind(EmbeddedServerService).toService(EmbeddedCoordinationServer);
    bind(BackendApplicationContribution).toService(EmbeddedCoordinationServer);
    bind(ConnectionHandler).toDynamicValue(ctx =>
        new RpcConnectionHandler(EMBEDDED_SERVER_PATH, () => ctx.container.get<EmbeddedServerService>(EmbeddedServerService))
    ).inSingletonScope();
    bindWorkspaceSharing(bind);
});
