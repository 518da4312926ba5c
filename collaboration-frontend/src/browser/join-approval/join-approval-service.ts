import type { JoinDecision, JoinRequestInfo } from '@ensemble/collaboration-common';
import { MessageService } from '@theia/core/lib/common/message-service';
import type { Progress } from '@theia/core/lib/common/message-service-protocol';
import { inject, injectable, postConstruct } from '@theia/core/shared/inversify';
import { CollaborationPreferences } from '../collaboration-preferences';
import { CollaborationSessionService } from '../session/collaboration-session-service';
import { escapeMarkdown } from '../session/session-messages';
import { decideJoinRequest } from './join-approval-policy';

/** The actions of a join-request notification, in the order shown. */
export const JoinRequestActions = {
    accept: 'Accept',
    acceptReadOnly: 'Accept Read-Only',
    deny: 'Deny'
} as const;

const DECISIONS: Readonly<Record<string, JoinDecision>> = {
    [JoinRequestActions.accept]: 'read-write',
    [JoinRequestActions.acceptReadOnly]: 'read-only',
    [JoinRequestActions.deny]: 'deny'
};

/**
 * The host's side of join requests: applies the auto-accept and allow-list
 * preferences, shows one notification per request that needs an answer, and
 * removes it as soon as the request is answered elsewhere (Participants view,
 * Show Join Requests), withdrawn or expired. Requests never get lost: they
 * stay listed in the Participants view and the status bar until answered.
 */
@injectable()
export class JoinApprovalService {
    @inject(CollaborationSessionService) protected readonly sessions!: CollaborationSessionService;
    @inject(CollaborationPreferences) protected readonly preferences!: CollaborationPreferences;
    @inject(MessageService) protected readonly messages!: MessageService;

    /** Open notifications by request id. */
    private readonly prompts = new Map<string, Promise<Progress>>();

    @postConstruct()
    protected init(): void {
        this.sessions.onJoinRequest(request => this.handle(request));
        this.sessions.onDidChangeJoinRequests(() => this.closeAnsweredPrompts());
    }

    /** Answers a request and tells the host when that was no longer possible (the guest gave up, or it expired). */
    async answer(request: JoinRequestInfo, decision: JoinDecision): Promise<boolean> {
        this.closePrompt(request.requestId);
        try {
            await this.sessions.answerJoinRequest(request.requestId, decision);
            return true;
        } catch (error) {
            const stillPending = this.sessions.joinRequests.some(pending => pending.requestId === request.requestId);
            this.messages.warn(stillPending
                ? `Could not answer ${escapeMarkdown(request.displayName)}'s request: ${error instanceof Error ? error.message : String(error)}`
                : `${escapeMarkdown(request.displayName)}'s request to join is no longer pending (they stopped waiting, or it expired).`);
            return false;
        }
    }

    protected async handle(request: JoinRequestInfo): Promise<void> {
        const decision = decideJoinRequest(request.displayName, {
            autoAccept: this.preferences['collaboration.autoAccept'] ?? 'off',
            allowList: this.preferences['collaboration.allowList'] ?? []
        });
        if (decision.kind === 'accept') {
            if (await this.answer(request, decision.role)) {
                const rule = decision.because === 'allow-list' ? 'collaboration.allowList' : 'collaboration.autoAccept';
                this.messages.info(`${escapeMarkdown(request.displayName)} joined your session (${decision.role}), accepted automatically by the preference ${rule}.`);
            }
            return;
        }
        await this.prompt(request);
    }

    protected async prompt(request: JoinRequestInfo): Promise<void> {
        if (this.prompts.has(request.requestId)) {
            return;
        }
        // A progress notification, because it is the kind that can be closed from code when the request goes away.
        const progress = this.messages.showProgress({
            text: `${escapeMarkdown(request.displayName)} wants to join your session.`,
            actions: [JoinRequestActions.accept, JoinRequestActions.acceptReadOnly, JoinRequestActions.deny],
            options: { cancelable: false }
        });
        this.prompts.set(request.requestId, progress);
        const action = await (await progress).result;
        this.prompts.delete(request.requestId);
        const decision = action === undefined ? undefined : DECISIONS[action];
        if (decision && this.sessions.joinRequests.some(pending => pending.requestId === request.requestId)) {
            await this.answer(request, decision);
        }
    }

    protected closeAnsweredPrompts(): void {
        const pending = new Set(this.sessions.joinRequests.map(request => request.requestId));
        for (const requestId of [...this.prompts.keys()]) {
            if (!pending.has(requestId)) {
                this.closePrompt(requestId);
            }
        }
    }

    protected closePrompt(requestId: string): void {
        const progress = this.prompts.get(requestId);
        this.prompts.delete(requestId);
        progress?.then(open => open.cancel());
    }
}
