import { FrontendApplicationContribution } from '@theia/core/lib/browser/frontend-application-contribution';
import { CommandContribution } from '@theia/core/lib/common/command';
import type { interfaces } from '@theia/core/shared/inversify';
import { CollaborationSessionContribution } from '../session/session-contribution';
import { FollowModeContribution } from './follow-mode';
import { FollowStatusBar } from './follow-status-bar';
import { LocationStatusContribution } from './location-status';

/** Follow mode: publish where this peer is; go where the followed peer goes. Needs bindCursors (SharedDocuments). */
export function bindFollow(bind: interfaces.Bind): void {
    bind(LocationStatusContribution).toSelf().inSingletonScope();
    bind(CollaborationSessionContribution).toService(LocationStatusContribution);
    bind(FollowModeContribution).toSelf().inSingletonScope();
    bind(CollaborationSessionContribution).toService(FollowModeContribution);
    bind(FollowStatusBar).toSelf().inSingletonScope();
    bind(FrontendApplicationContribution).toService(FollowStatusBar);
    bind(CommandContribution).toService(FollowStatusBar);
}
