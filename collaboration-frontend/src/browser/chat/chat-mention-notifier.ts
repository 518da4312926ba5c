import type { FrontendApplicationContribution } from '@theia/core/lib/browser/frontend-application-contribution';
import { WidgetManager } from '@theia/core/lib/browser/widget-manager';
import { CommandService } from '@theia/core/lib/common/command';
import { MessageService } from '@theia/core/lib/common/message-service';
import { inject, injectable } from '@theia/core/shared/inversify';
import { CollaborationSessionService } from '../session/collaboration-session-service';
import { ChatService } from './chat-service';
import { mentions } from './chat-text';
import { SHOW_CHAT_COMMAND } from './chat-view-contribution';
import { ChatWidget } from './chat-widget';

/** Characters of the message quoted in the notification. */
const EXCERPT_LENGTH = 120;

/**
 * Tells the user when someone writes `@<their name>` in the chat while the
 * Chat view is not in front (or the window is hidden): the unread badge alone
 * is easy to miss for a question addressed to you.
 */
@injectable()
export class ChatMentionNotifier implements FrontendApplicationContribution {
    @inject(ChatService) protected readonly chat!: ChatService;
    @inject(CollaborationSessionService) protected readonly sessions!: CollaborationSessionService;
    @inject(WidgetManager) protected readonly widgets!: WidgetManager;
    @inject(MessageService) protected readonly messages!: MessageService;
    @inject(CommandService) protected readonly commands!: CommandService;

    onStart(): void {
        this.chat.onDidReceiveMessage(async message => {
            const self = this.sessions.participants.find(participant => participant.isSelf);
            if (!self || !mentions(message.text, self.name) || this.chatInFront()) {
                return;
            }
            const excerpt = message.text.length > EXCERPT_LENGTH ? `${message.text.slice(0, EXCERPT_LENGTH)}…` : message.text;
            const action = await this.messages.info(`${message.authorName} mentioned you in chat: ${excerpt}`, 'Show Chat');
            if (action === 'Show Chat') {
                await this.commands.executeCommand(SHOW_CHAT_COMMAND.id);
            }
        });
    }

    protected chatInFront(): boolean {
        const widget = this.widgets.tryGetWidget<ChatWidget>(ChatWidget.ID);
        return widget !== undefined && widget.isVisible && document.visibilityState !== 'hidden';
    }
}
