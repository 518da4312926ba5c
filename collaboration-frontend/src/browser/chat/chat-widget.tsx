import { BadgeService } from '@theia/core/lib/browser/badges/badge-service';
import { codicon } from '@theia/core/lib/browser/widgets/widget';
import { ReactWidget } from '@theia/core/lib/browser/widgets/react-widget';
import type { Message } from '@theia/core/shared/@lumino/messaging';
import { inject, injectable, postConstruct } from '@theia/core/shared/inversify';
import React = require('@theia/core/shared/react');
import { defaultPeerColor } from '../participants/peer-colors';
import { describeActivities } from '../peer-status/builtin-status-keys';
import { PeerStatusService } from '../peer-status/peer-status-service';
import { CollaborationSessionService } from '../session/collaboration-session-service';
import { ChatFileLinks } from './chat-file-links';
import { MessageList } from './chat-message-list';
import { MAX_CHAT_MESSAGE_LENGTH } from './chat-messages';
import { ChatService } from './chat-service';
import { chatTextProblem } from './chat-text';
import { describeTyping } from './chat-typing';

import '../../../src/browser/chat/chat.css';

/**
 * The Chat view: the session's messages (names in peer colours, times,
 * `path:line` links), who is typing, and a box to write (Enter sends,
 * Shift+Enter starts a new line). Counts unread messages on its tab while
 * hidden. Messages are text: every part is rendered as a React text node.
 */
@injectable()
export class ChatWidget extends ReactWidget {
    static readonly ID = 'ensemble-chat';
    static readonly LABEL = 'Chat';

    @inject(ChatService) protected readonly chat!: ChatService;
    @inject(CollaborationSessionService) protected readonly sessions!: CollaborationSessionService;
    @inject(PeerStatusService) protected readonly statuses!: PeerStatusService;
    @inject(ChatFileLinks) protected readonly links!: ChatFileLinks;
    @inject(BadgeService) protected readonly badges!: BadgeService;

    protected draft = '';
    protected sendError: string | undefined;
    protected sending = false;
    protected unread = 0;
    protected input: HTMLTextAreaElement | null = null;

    @postConstruct()
    protected init(): void {
        this.id = ChatWidget.ID;
        this.title.label = ChatWidget.LABEL;
        this.title.caption = 'Ensemble: chat with everyone in the session';
        this.title.iconClass = codicon('comment-discussion');
        this.title.closable = true;
        this.addClass('ensemble-chat');
        this.toDispose.pushAll([
            this.chat.onDidChangeMessages(() => this.update()),
            this.chat.onDidReceiveMessage(() => this.countUnread()),
            this.sessions.onDidChangeState(() => this.update()),
            this.sessions.onDidChangeParticipants(() => this.update()),
            this.statuses.onDidChangeStatus(() => this.update())
        ]);
        // Messages that came while the window was hidden are read once it is back with the view in front.
        const onVisibility = (): void => {
            if (document.visibilityState === 'visible' && this.isVisible) {
                this.clearUnread();
            }
        };
        document.addEventListener('visibilitychange', onVisibility);
        this.toDispose.push({ dispose: () => document.removeEventListener('visibilitychange', onVisibility) });
        this.update();
    }

    protected override onAfterShow(msg: Message): void {
        super.onAfterShow(msg);
        this.clearUnread();
    }

    protected override onActivateRequest(msg: Message): void {
        super.onActivateRequest(msg);
        this.clearUnread();
        (this.input ?? this.node).focus();
    }

    protected countUnread(): void {
        if (this.isVisible && document.visibilityState !== 'hidden') {
            return;
        }
        this.unread++;
        this.badges.showBadge(this, { value: this.unread, tooltip: `${this.unread} unread chat message${this.unread === 1 ? '' : 's'}` });
    }

    protected clearUnread(): void {
        if (this.unread > 0) {
            this.unread = 0;
            this.badges.showBadge(this, undefined);
        }
    }

    protected render(): React.ReactNode {
        return <div className='ensemble-chat-content'>
            {this.renderPeople()}
            <MessageList messages={this.chat.messages} selfId={this.chat.selfId} colorOf={peerId => this.colorOf(peerId)}
                openFile={reference => this.links.open(reference)} header={this.renderHistoryState()} />
            <div className='ensemble-chat-typing' aria-live='polite'>{describeTyping(this.chat.typingNames())}</div>
            {this.renderCompose()}
        </div>;
    }

    /** Who is in the chat, in their colours, with what they are doing (the built-in status keys: typing, terminal, away). */
    protected renderPeople(): React.ReactNode {
        const participants = this.sessions.participants;
        if (participants.length === 0) {
            return undefined;
        }
        return <div className='ensemble-chat-people'>
            {participants.map(participant => {
                const activities = describeActivities(this.statuses.statusOf(participant.peerId));
                const label = participant.name + (participant.isSelf ? ' (you)' : '') + (activities.length > 0 ? ` (${activities.join(', ')})` : '');
                return <span key={participant.peerId} data-peer-name={participant.name} title={label}
                    className={`ensemble-chat-person${activities.includes('away') ? ' ensemble-chat-away' : ''}`}>
                    <span className='ensemble-chat-person-color' style={{ backgroundColor: participant.color }} />
                    {participant.name}
                    {activities.length > 0 && <span className='ensemble-chat-activity'> · {activities.join(', ')}</span>}
                </span>;
            })}
        </div>;
    }

    protected renderHistoryState(): React.ReactNode {
        const state = this.chat.historyState;
        if (state.kind === 'loading') {
            return <div className='ensemble-chat-hint'>Loading earlier messages from the host…</div>;
        }
        if (state.kind === 'failed') {
            return <div className='ensemble-chat-error'>
                {state.message} <button className='theia-button secondary' onClick={() => this.chat.loadHistory()}>Retry</button>
            </div>;
        }
        if (this.chat.messages.length === 0) {
            return <div className='ensemble-chat-hint'>
                {this.chat.canSend
                    ? 'No messages yet. Messages go to everyone in the session; write a path like src/app.ts:12 to link to a line.'
                    : 'Start or join a collaboration session to chat.'}
            </div>;
        }
        return undefined;
    }

    protected renderCompose(): React.ReactNode {
        const canSend = this.chat.canSend;
        const tooLong = this.draft.length > MAX_CHAT_MESSAGE_LENGTH;
        const error = this.sendError ?? (tooLong ? chatTextProblem(this.draft) : undefined);
        return <div className='ensemble-chat-compose'>
            <textarea className='theia-input ensemble-chat-input' rows={3} value={this.draft} disabled={!canSend}
                ref={element => { this.input = element; }}
                placeholder={this.placeholder(canSend)}
                aria-label='Chat message' spellCheck={true}
                onChange={event => this.onDraftChange(event.currentTarget.value)}
                onKeyDown={event => this.onKeyDown(event)}
                onBlur={() => this.chat.stopTyping()} />
            <div className='ensemble-chat-compose-footer'>
                <span className={`ensemble-chat-counter${tooLong ? ' ensemble-chat-over' : ''}`}>
                    {this.draft.length >= MAX_CHAT_MESSAGE_LENGTH * 0.9 ? `${this.draft.length} / ${MAX_CHAT_MESSAGE_LENGTH}` : ''}
                </span>
                <button className='theia-button ensemble-chat-send' disabled={!canSend || this.sending || tooLong || this.draft.trim() === ''}
                    onClick={() => this.send()}>Send</button>
            </div>
            {error && <div className='ensemble-chat-error' role='alert'>{error}</div>}
        </div>;
    }

    protected placeholder(canSend: boolean): string {
        if (canSend) {
            return 'Message everyone (Enter sends, Shift+Enter for a new line)';
        }
        const kind = this.sessions.state.kind;
        return kind === 'reconnecting' ? 'Reconnecting… you can send again once the session is back'
            : kind === 'connecting' || kind === 'waiting-for-host' ? 'Joining the session…'
                : 'Not in a session';
    }

    protected onDraftChange(value: string): void {
        this.draft = value;
        this.sendError = undefined;
        if (value.length > 0) {
            this.chat.noteTyping();
        } else {
            this.chat.stopTyping();
        }
        this.update();
    }

    protected onKeyDown(event: React.KeyboardEvent<HTMLTextAreaElement>): void {
        if (event.key === 'Enter' && !event.shiftKey && !event.nativeEvent.isComposing) {
            event.preventDefault();
            void this.send();
        }
    }

    protected async send(): Promise<void> {
        if (this.sending) {
            return;
        }
        const text = this.draft;
        // The box empties at once, so it is never shown still holding a message
        // that is already in the list; a failed send puts the text back.
        this.draft = '';
        this.sending = true;
        this.update();
        try {
            await this.chat.send(text);
            this.sendError = undefined;
        } catch (error) {
            if (this.draft === '') {
                this.draft = text;
            }
            this.sendError = error instanceof Error ? error.message : String(error);
        } finally {
            this.sending = false;
            this.update();
        }
    }

    protected colorOf(peerId: string): string {
        return this.sessions.participants.find(participant => participant.peerId === peerId)?.color ?? defaultPeerColor(peerId);
    }
}
