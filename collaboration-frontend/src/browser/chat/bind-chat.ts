import { FrontendApplicationContribution } from '@theia/core/lib/browser/frontend-application-contribution';
import { bindViewContribution } from '@theia/core/lib/browser/shell/view-contribution';
import { WidgetFactory } from '@theia/core/lib/browser/widget-manager';
import type { interfaces } from '@theia/core/shared/inversify';
import { CollaborationSessionContribution } from '../session/session-contribution';
import { ChatFileLinks } from './chat-file-links';
import { ChatMentionNotifier } from './chat-mention-notifier';
import { ChatHistoryStore } from './chat-history-store';
import { ChatService } from './chat-service';
import { ChatViewContribution } from './chat-view-contribution';
import { ChatWidget } from './chat-widget';

/** The session chat: its service (a session feature), file links, the Chat view and @mention notifications. Needs bindPeerStatus and bindWorkspaceSharing. */
export function bindChat(bind: interfaces.Bind): void {
    bind(ChatHistoryStore).toSelf().inSingletonScope();
    bind(ChatService).toSelf().inSingletonScope();
    bind(CollaborationSessionContribution).toService(ChatService);
    bind(ChatFileLinks).toSelf().inSingletonScope();
    bind(ChatWidget).toSelf();
    bind(WidgetFactory).toDynamicValue(ctx => ({
        id: ChatWidget.ID,
        createWidget: () => ctx.container.get(ChatWidget)
    })).inSingletonScope();
    bindViewContribution(bind, ChatViewContribution);
    bind(FrontendApplicationContribution).toService(ChatViewContribution);
    bind(ChatMentionNotifier).toSelf().inSingletonScope();
    bind(FrontendApplicationContribution).toService(ChatMentionNotifier);
}
