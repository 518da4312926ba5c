import type { interfaces } from '@theia/core/shared/inversify';
import { CollaborationSessionContribution } from '../session/session-contribution';
import { PeerStatusService } from './peer-status-service';
import { WindowAwayStatus } from './window-away-status';

/** Status objects for extensions (PeerStatusService) and the built-in `ensemble.away` key. */
export function bindPeerStatus(bind: interfaces.Bind): void {
    bind(PeerStatusService).toSelf().inSingletonScope();
    bind(CollaborationSessionContribution).toService(PeerStatusService);
    bind(WindowAwayStatus).toSelf().inSingletonScope();
    bind(CollaborationSessionContribution).toService(WindowAwayStatus);
}
