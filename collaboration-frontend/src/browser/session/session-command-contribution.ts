import { ClipboardService } from '@theia/core/lib/browser/clipboard-service';
import { CommandContribution, CommandRegistry, CommandService } from '@theia/core/lib/common/command';
import { MessageService } from '@theia/core/lib/common/message-service';
import { QuickInputService, type QuickPickItem, type QuickPickSeparator } from '@theia/core/lib/common/quick-pick-service';
import { inject, injectable } from '@theia/core/shared/inversify';
import { JoinRequestsQuickPick } from '../join-approval/join-requests-quick-pick';
import { CollaborationSessionService, SessionFailedError, type SessionInvite } from './collaboration-session-service';
import { DisplayNamePrompt } from './display-name-prompt';
import { InviteParseError, parseInvite } from './invite-link';
import { SessionCommands } from './session-commands';
import { describeState } from './session-state-text';

/** The Participants view's toggle; declared here so the actions menu can offer it without importing the view. */
const SHOW_PARTICIPANTS_COMMAND_ID = 'ensemble.participants.toggle';

/** Start, join, leave, end, copy the invite, answer requests: the palette commands and the status bar's menu. */
@injectable()
export class SessionCommandContribution implements CommandContribution {
    @inject(CollaborationSessionService) protected readonly sessions!: CollaborationSessionService;
    @inject(QuickInputService) protected readonly quickInput!: QuickInputService;
    @inject(MessageService) protected readonly messages!: MessageService;
    @inject(ClipboardService) protected readonly clipboard!: ClipboardService;
    @inject(CommandService) protected readonly commandService!: CommandService;
    @inject(DisplayNamePrompt) protected readonly displayNames!: DisplayNamePrompt;
    @inject(JoinRequestsQuickPick) protected readonly joinRequestsPick!: JoinRequestsQuickPick;

    registerCommands(registry: CommandRegistry): void {
        const idle = (): boolean => this.sessions.session === undefined;
        registry.registerCommand(SessionCommands.START, { execute: () => this.startSession(), isEnabled: idle });
        registry.registerCommand(SessionCommands.JOIN, { execute: () => this.joinSession(), isEnabled: idle });
        registry.registerCommand(SessionCommands.LEAVE, {
            execute: () => this.run(() => this.sessions.leaveSession()),
            isEnabled: () => this.sessions.session !== undefined && !(this.sessions.isHost && this.sessions.invite !== undefined)
        });
        registry.registerCommand(SessionCommands.END, {
            execute: () => this.run(() => this.sessions.endSession()),
            isEnabled: () => this.sessions.session !== undefined && this.sessions.isHost
        });
        registry.registerCommand(SessionCommands.COPY_INVITE, {
            execute: () => this.sessions.invite && this.copyInvite(this.sessions.invite),
            isEnabled: () => this.sessions.invite !== undefined
        });
        registry.registerCommand(SessionCommands.SHOW_JOIN_REQUESTS, {
            execute: () => this.joinRequestsPick.show(),
            isEnabled: () => this.sessions.isHost && this.sessions.invite !== undefined
        });
        registry.registerCommand(SessionCommands.SHOW_ACTIONS, { execute: () => this.showActions() });
    }

    async startSession(): Promise<void> {
        const displayName = await this.displayNames.getDisplayName('Ensemble: Start Session');
        if (displayName === undefined) {
            return;
        }
        await this.run(async () => {
            const invite = await this.sessions.startSession({ displayName });
            const copied = await this.writeClipboard(invite.link);
            this.showInvite(invite, copied ? 'Session started. The invite link is copied to the clipboard; send it to your guests' : 'Session started. Send this invite link to your guests');
        });
    }

    async joinSession(): Promise<void> {
        const text = await this.quickInput.input({
            title: 'Ensemble: Join Session',
            prompt: 'Paste the invite link (or just the code) you got from the host',
            placeHolder: 'http://host:port/invite/ABCD-EFGH-JKLM or ABCD-EFGH-JKLM',
            ignoreFocusLost: true,
            validateInput: async input => {
                if (input.trim() === '') {
                    return undefined; // no error before the user typed anything
                }
                try {
                    parseInvite(input);
                    return undefined;
                } catch (error) {
                    return error instanceof InviteParseError ? error.message : String(error);
                }
            }
        });
        if (!text?.trim()) {
            return;
        }
        let invite;
        try {
            invite = parseInvite(text);
        } catch (error) {
            this.messages.error(error instanceof Error ? error.message : String(error));
            return;
        }
        const displayName = await this.displayNames.getDisplayName('Ensemble: Join Session');
        if (displayName === undefined) {
            return;
        }
        await this.run(() => this.sessions.joinSession({ invite, displayName }));
    }

    async copyInvite(invite: SessionInvite): Promise<void> {
        const copied = await this.writeClipboard(invite.link);
        this.showInvite(invite, copied ? 'The invite link is copied to the clipboard' : 'The invite link');
    }

    protected showInvite(invite: SessionInvite, intro: string): void {
        this.messages.info(`${intro}: ${invite.link} (code ${invite.code}; a guest whose IDE uses the same server can also type just the code).`, 'Copy')
            .then(async action => {
                if (action === 'Copy' && !await this.writeClipboard(invite.link)) {
                    this.messages.warn(`Could not copy to the clipboard (the browser refused). Select the link in the notification and copy it: ${invite.link}`);
                }
            });
    }

    /** The status bar's menu: every action that applies in the current state. */
    async showActions(): Promise<void> {
        const items: Array<QuickPickItem | QuickPickSeparator> = [];
        const add = (commandId: string, label: string, detail?: string): void => {
            items.push({ label, ...(detail ? { detail } : {}), execute: () => { this.commandService.executeCommand(commandId); } });
        };
        const state = this.sessions.state;
        if (this.sessions.session === undefined) {
            add(SessionCommands.START.id, '$(broadcast) Start Session', 'Host a session: share this workspace and get an invite link');
            add(SessionCommands.JOIN.id, '$(plug) Join Session', 'Join a session with an invite link or code');
        } else if (this.sessions.isHost && this.sessions.invite) {
            add(SessionCommands.COPY_INVITE.id, '$(copy) Copy Invite', this.sessions.invite.link);
            const pending = this.sessions.joinRequests.length;
            add(SessionCommands.SHOW_JOIN_REQUESTS.id, `$(person-add) Show Join Requests (${pending})`,
                pending === 0 ? 'Nobody is waiting' : `${pending} waiting for your answer`);
        }
        add(SHOW_PARTICIPANTS_COMMAND_ID, '$(organization) Toggle Participants View');
        if (this.sessions.session !== undefined) {
            items.push({ type: 'separator' });
            if (state.kind === 'waiting-for-host' || state.kind === 'connecting') {
                add(SessionCommands.LEAVE.id, '$(close) Stop Waiting', 'Cancel this start or join');
            } else if (this.sessions.isHost) {
                add(SessionCommands.END.id, '$(debug-stop) End Session', 'End the session for everyone');
            } else {
                add(SessionCommands.LEAVE.id, '$(sign-out) Leave Session');
            }
        }
        // The quick pick runs the picked item's `execute` itself.
        await this.quickInput.showQuickPick(items, { title: `Ensemble: ${describeState(state).tooltip}` });
    }

    /** Runs a session action; failures recorded in the state are shown by SessionNotifier, anything else here. */
    protected async run(action: () => Promise<unknown>): Promise<void> {
        try {
            await action();
        } catch (error) {
            if (!(error instanceof SessionFailedError)) {
                this.messages.error(error instanceof Error ? error.message : String(error));
            }
        }
    }

    protected async writeClipboard(text: string): Promise<boolean> {
        try {
            await this.clipboard.writeText(text);
            return true;
        } catch {
            return false;
        }
    }
}
