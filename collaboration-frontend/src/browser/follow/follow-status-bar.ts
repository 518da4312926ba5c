import { StatusBar, StatusBarAlignment } from '@theia/core/lib/browser/status-bar/status-bar';
import type { FrontendApplicationContribution } from '@theia/core/lib/browser/frontend-application-contribution';
import type { CommandContribution, CommandRegistry } from '@theia/core/lib/common/command';
import { inject, injectable } from '@theia/core/shared/inversify';
import { CollaborationSessionService } from '../session/collaboration-session-service';

export const FOLLOW_STATUS_BAR_ID = 'ensemble-follow';
export const STOP_FOLLOWING_COMMAND = { id: 'ensemble.follow.stop', category: 'Ensemble', label: 'Stop Following' };

/** While this window follows someone, the status bar says whom, and a click stops it. */
@injectable()
export class FollowStatusBar implements FrontendApplicationContribution, CommandContribution {
    @inject(StatusBar) protected readonly statusBar!: StatusBar;
    @inject(CollaborationSessionService) protected readonly sessions!: CollaborationSessionService;

    registerCommands(commands: CommandRegistry): void {
        commands.registerCommand(STOP_FOLLOWING_COMMAND, {
            execute: () => this.sessions.follow(undefined),
            isEnabled: () => this.sessions.followedPeerId !== undefined
        });
    }

    onStart(): void {
        this.sessions.onDidChangeFollowing(() => this.render());
        // The leader's name may arrive or change after following started.
        this.sessions.onDidChangeParticipants(() => this.render());
    }

    protected render(): void {
        const leader = this.sessions.followedPeerId;
        if (leader === undefined) {
            void this.statusBar.removeElement(FOLLOW_STATUS_BAR_ID);
            return;
        }
        const name = this.sessions.participants.find(participant => participant.peerId === leader)?.name ?? 'a participant';
        void this.statusBar.setElement(FOLLOW_STATUS_BAR_ID, {
            text: `$(eye) Following ${name} — click to stop`,
            tooltip: `Your editor goes where ${name} goes. Typing, clicking into an editor or switching editors stops it too.`,
            alignment: StatusBarAlignment.LEFT,
            priority: 99,
            command: STOP_FOLLOWING_COMMAND.id,
            className: 'ensemble-follow-status'
        });
    }
}
