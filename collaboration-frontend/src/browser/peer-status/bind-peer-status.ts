import type { interfaces } from '@theia/core/shared/inversify';
import { CollaborationSessionContribution } from '../session/session-contribution';
import { DebuggingStatus } from './debugging-status';
import { PeerStatusService } from './peer-status-service';
import { TerminalActivityStatus } from './terminal-activity-status';
import { WindowAwayStatus } from './window-away-status';

/** Status objects for extensions (PeerStatusService) and the built-in keys `ensemble.away`, `ensemble.terminal.running` and `ensemble.debugging`. */
export function bindPeerStatus(bind: interfaces.Bind): void {
    bind(PeerStatusService).toSelf().inSingletonScope();
    bind(CollaborationSessionContribution).toService(PeerStatusService);
    bind(WindowAwayStatus).toSelf().inSingletonScope();
    bind(CollaborationSessionContribution).toService(WindowAwayStatus);
    bind(TerminalActivityStatus).toSelf().inSingletonScope();
    bind(CollaborationSessionContribution).toService(TerminalActivityStatus);
    bind(DebuggingStatus).toSelf().inSingletonScope();
    bind(CollaborationSessionContribution).toService(DebuggingStatus);
}
