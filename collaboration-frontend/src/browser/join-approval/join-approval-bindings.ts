import { FrontendApplicationContribution } from '@theia/core/lib/browser/frontend-application-contribution';
import type { interfaces } from '@theia/core/shared/inversify';
import { JoinApprovalService } from './join-approval-service';
import { JoinRequestsQuickPick } from './join-requests-quick-pick';

/** The host's join-request handling: policy, notifications, the Show Join Requests pick. */
export function bindJoinApproval(bind: interfaces.Bind): void {
    bind(JoinApprovalService).toSelf().inSingletonScope();
    // Created at start-up (not on first use), so that no join request arrives before it listens.
    bind(FrontendApplicationContribution).toService(JoinApprovalService);
    bind(JoinRequestsQuickPick).toSelf().inSingletonScope();
}
