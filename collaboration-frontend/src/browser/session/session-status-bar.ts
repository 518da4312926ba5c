import type { FrontendApplicationContribution } from '@theia/core/lib/browser/frontend-application-contribution';
import { StatusBar, StatusBarAlignment } from '@theia/core/lib/browser/status-bar/status-bar';
import { inject, injectable } from '@theia/core/shared/inversify';
import { CollaborationSessionService } from './collaboration-session-service';
import { SessionCommands } from './session-commands';
import type { CollaborationState } from './session-state';
import { describeState } from './session-state-text';

export const SESSION_STATUS_BAR_ID = 'ensemble-session';

/** The status-bar item: the session's state at a glance (with the host-away countdown); a click opens the actions menu. */
@injectable()
export class SessionStatusBar implements FrontendApplicationContribution {
    @inject(CollaborationSessionService) protected readonly sessions!: CollaborationSessionService;
    @inject(StatusBar) protected readonly statusBar!: StatusBar;

    private ticker: ReturnType<typeof setInterval> | undefined;

    onStart(): void {
        this.sessions.onDidChangeState(state => this.render(state));
        this.render(this.sessions.state);
    }

    onStop(): void {
        this.stopTicker();
    }

    protected render(state: CollaborationState): void {
        const text = describeState(state);
        this.statusBar.setElement(SESSION_STATUS_BAR_ID, {
            text: text.text,
            tooltip: text.tooltip,
            alignment: StatusBarAlignment.LEFT,
            priority: 100,
            command: SessionCommands.SHOW_ACTIONS.id,
            className: `ensemble-session-status ensemble-session-${state.kind}`,
            ...(text.attention ? { backgroundColor: 'var(--theia-statusBarItem-warningBackground)', color: 'var(--theia-statusBarItem-warningForeground)' } : {})
        });
        // The countdown is the only part that changes without an event.
        if (state.kind === 'reconnecting' && state.hostGraceEndsAt !== undefined) {
            this.ticker ??= setInterval(() => this.render(this.sessions.state), 1000);
        } else {
            this.stopTicker();
        }
    }

    private stopTicker(): void {
        if (this.ticker !== undefined) {
            clearInterval(this.ticker);
            this.ticker = undefined;
        }
    }
}
