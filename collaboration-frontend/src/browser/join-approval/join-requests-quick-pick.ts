import type { JoinDecision, JoinRequestInfo } from '@ensemble/collaboration-common';
import { MessageService } from '@theia/core/lib/common/message-service';
import { QuickInputService, type QuickPickItem } from '@theia/core/lib/common/quick-pick-service';
import { inject, injectable } from '@theia/core/shared/inversify';
import { CollaborationSessionService } from '../session/collaboration-session-service';
import { JoinApprovalService } from './join-approval-service';

interface RequestItem extends QuickPickItem {
    readonly request: JoinRequestInfo;
}

interface DecisionItem extends QuickPickItem {
    readonly decision: JoinDecision;
}

/** "Ensemble: Show Join Requests": every pending request, then what to do with the one picked. */
@injectable()
export class JoinRequestsQuickPick {
    @inject(CollaborationSessionService) protected readonly sessions!: CollaborationSessionService;
    @inject(JoinApprovalService) protected readonly approvals!: JoinApprovalService;
    @inject(QuickInputService) protected readonly quickInput!: QuickInputService;
    @inject(MessageService) protected readonly messages!: MessageService;

    async show(): Promise<void> {
        const requests = this.sessions.joinRequests;
        if (requests.length === 0) {
            this.messages.info('Nobody is waiting to join your session.');
            return;
        }
        const now = Date.now();
        const request = await this.quickInput.showQuickPick<RequestItem>(requests.map(r => ({
            label: r.displayName,
            description: `waiting for ${formatWaiting(now - r.requestedAt)}`,
            request: r
        })), { title: 'Ensemble: Join Requests', placeholder: 'Pick a request to answer' });
        if (!request) {
            return;
        }
        const decision = await this.quickInput.showQuickPick<DecisionItem>([
            { label: 'Accept', description: 'can edit', decision: 'read-write' },
            { label: 'Accept Read-Only', description: 'can look, cannot edit', decision: 'read-only' },
            { label: 'Deny', decision: 'deny' }
        ], { title: `Ensemble: ${request.request.displayName} wants to join` });
        if (decision) {
            await this.approvals.answer(request.request, decision.decision);
        }
    }
}

function formatWaiting(ms: number): string {
    const seconds = Math.max(0, Math.round(ms / 1000));
    return seconds < 60 ? `${seconds} s` : `${Math.floor(seconds / 60)} min ${seconds % 60} s`;
}
