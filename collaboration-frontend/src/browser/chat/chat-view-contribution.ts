import type { FrontendApplicationContribution } from '@theia/core/lib/browser/frontend-application-contribution';
import { CommonMenus } from '@theia/core/lib/browser/common-menus';
import { AbstractViewContribution } from '@theia/core/lib/browser/shell/view-contribution';
import type { CommandRegistry } from '@theia/core/lib/common/command';
import type { MenuModelRegistry } from '@theia/core/lib/common/menu';
import { inject, injectable } from '@theia/core/shared/inversify';
import { CollaborationSessionService } from '../session/collaboration-session-service';
import { onSessionEntered } from '../session/session-entered';
import { ENSEMBLE_COMMAND_CATEGORY } from '../session/session-commands';
import { ChatWidget } from './chat-widget';

export const SHOW_CHAT_COMMAND = { id: 'ensemble.chat.show', category: ENSEMBLE_COMMAND_CATEGORY, label: 'Show Chat' };

/**
 * The Chat view in the left side panel, below the Participants view, with
 * "Ensemble: Show Chat" (and a View menu entry). When a session starts it is
 * added without being brought to front, so its tab counts unread messages.
 */
@injectable()
export class ChatViewContribution extends AbstractViewContribution<ChatWidget> implements FrontendApplicationContribution {
    @inject(CollaborationSessionService) protected readonly sessions!: CollaborationSessionService;

    constructor() {
        super({
            widgetId: ChatWidget.ID,
            widgetName: ChatWidget.LABEL,
            defaultWidgetOptions: { area: 'left', rank: 710 }
        });
    }

    onStart(): void {
        onSessionEntered(this.sessions, () => { void this.openView({ activate: false, reveal: false }); });
    }

    override registerCommands(commands: CommandRegistry): void {
        commands.registerCommand(SHOW_CHAT_COMMAND, { execute: () => this.openView({ activate: true, reveal: true }) });
    }

    override registerMenus(menus: MenuModelRegistry): void {
        menus.registerMenuAction(CommonMenus.VIEW_VIEWS, { commandId: SHOW_CHAT_COMMAND.id, label: ChatWidget.LABEL });
    }
}
