import type { FrontendApplicationContribution } from '@theia/core/lib/browser/frontend-application-contribution';
import { MessageService } from '@theia/core/lib/common/message-service';
import type { Progress } from '@theia/core/lib/common/message-service-protocol';
import { inject, injectable } from '@theia/core/shared/inversify';
import { CollaborationSessionService } from './collaboration-session-service';
import { describeHostAway, escapeMarkdown } from './session-messages';
import { secondsUntil, type CollaborationState, type SessionEndReason } from './session-state';

/** Reasons the user chose: a quiet info. Everything else ends a session against the user's will. */
const USER_INITIATED: readonly SessionEndReason[] = ['left', 'ended', 'join-cancelled'];
const FAILURES: readonly SessionEndReason[] = ['server-unreachable', 'protocol-mismatch', 'connection-refused', 'room-not-found', 'failed'];

/**
 * Tells the user, once, about every change of the session they did not just
 * cause themselves: waiting for the host (with a way to stop), admitted, the
 * host away (with the deadline) and back, a new permission, and why a session
 * ended or could not start. Every message says what happened and what to do.
 */
@injectable()
export class SessionNotifier implements FrontendApplicationContribution {
    @inject(CollaborationSessionService) protected readonly sessions!: CollaborationSessionService;
    @inject(MessageService) protected readonly messages!: MessageService;

    private previous: CollaborationState = { kind: 'off' };
    private waiting: Promise<Progress> | undefined;

    onStart(): void {
        this.previous = this.sessions.state;
        this.sessions.onDidChangeState(state => {
            const previous = this.previous;
            this.previous = state;
            this.onStateChange(previous, state);
        });
        this.sessions.onDidFailFeature(({ feature, error }) => this.messages.warn(
            `Part of Ensemble (${feature}) could not start for this session: ${error instanceof Error ? error.message : String(error)}. `
            + 'The session goes on without it; leave and join again to retry.'));
    }

    protected onStateChange(previous: CollaborationState, state: CollaborationState): void {
        if (state.kind !== 'waiting-for-host') {
            this.closeWaiting();
        }
        switch (state.kind) {
            case 'waiting-for-host':
                this.showWaiting();
                return;
            case 'joined':
                if (previous.kind === 'waiting-for-host' || previous.kind === 'connecting') {
                    this.messages.info(`You joined the session${this.hostName()} as a ${state.role === 'read-only' ? 'read-only guest: you can look, not edit' : 'guest who can edit'}.`);
                } else if (previous.kind === 'reconnecting' && previous.cause === 'host-away') {
                    this.messages.info('The host is back; the session goes on.');
                } else if (previous.kind === 'joined' && previous.role !== state.role) {
                    this.messages.info(state.role === 'read-only'
                        ? 'The host made you read-only: you can follow along but not edit.'
                        : 'The host gave you write access: you can edit now.');
                }
                return;
            case 'reconnecting':
                if (state.cause === 'host-away' && !(previous.kind === 'reconnecting' && previous.cause === 'host-away')) {
                    this.messages.warn(describeHostAway(state.hostGraceEndsAt === undefined ? undefined : secondsUntil(state.hostGraceEndsAt)));
                }
                return;
            case 'closed':
                if (USER_INITIATED.includes(state.reason)) {
                    this.messages.info(state.message);
                } else if (FAILURES.includes(state.reason)) {
                    this.messages.error(state.message);
                } else {
                    this.messages.warn(state.message);
                }
                return;
        }
    }

    protected showWaiting(): void {
        if (this.waiting) {
            return;
        }
        const waiting = this.messages.showProgress({
            text: 'Waiting for the host to let you in…',
            options: { cancelable: true }
        }, () => {
            // Only the user's Cancel lands here: closing it from code happens after the state changed.
            if (this.sessions.state.kind === 'waiting-for-host') {
                this.sessions.leaveSession();
            }
        });
        this.waiting = waiting;
    }

    protected closeWaiting(): void {
        const waiting = this.waiting;
        this.waiting = undefined;
        waiting?.then(progress => progress.cancel());
    }

    protected hostName(): string {
        const host = this.sessions.participants.find(participant => participant.role === 'host');
        return host ? ` of ${escapeMarkdown(host.name)}` : '';
    }
}
