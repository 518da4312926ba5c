import { AbstractViewContribution } from '@theia/core/lib/browser/shell/view-contribution';
import type { FrontendApplicationContribution } from '@theia/core/lib/browser/frontend-application-contribution';
import { CommonMenus } from '@theia/core/lib/browser/common-menus';
import type { CommandRegistry } from '@theia/core/lib/common/command';
import type { MenuModelRegistry } from '@theia/core/lib/common/menu';
import { inject, injectable } from '@theia/core/shared/inversify';
import { CollaborationSessionService } from '../session/collaboration-session-service';
import { onSessionEntered } from '../session/session-entered';
import { ENSEMBLE_COMMAND_CATEGORY } from '../session/session-commands';
import { ParticipantsWidget } from './participants-widget';

export const TOGGLE_PARTICIPANTS_COMMAND = { id: 'ensemble.participants.toggle', category: ENSEMBLE_COMMAND_CATEGORY, label: 'Toggle Participants View' };

/** The Participants view in the left side panel, its toggle command (and View menu entry); it opens when a session starts. */
@injectable()
export class ParticipantsViewContribution extends AbstractViewContribution<ParticipantsWidget> implements FrontendApplicationContribution {
    @inject(CollaborationSessionService) protected readonly sessions!: CollaborationSessionService;

    constructor() {
        super({
            widgetId: ParticipantsWidget.ID,
            widgetName: ParticipantsWidget.LABEL,
            defaultWidgetOptions: { area: 'left', rank: 700 }
        });
    }

    onStart(): void {
        onSessionEntered(this.sessions, () => { void this.openView({ reveal: true, activate: false }); });
    }

    override registerCommands(commands: CommandRegistry): void {
        commands.registerCommand(TOGGLE_PARTICIPANTS_COMMAND, { execute: () => this.toggleView() });
    }

    override registerMenus(menus: MenuModelRegistry): void {
        menus.registerMenuAction(CommonMenus.VIEW_VIEWS, { commandId: TOGGLE_PARTICIPANTS_COMMAND.id, label: ParticipantsWidget.LABEL });
    }
}
