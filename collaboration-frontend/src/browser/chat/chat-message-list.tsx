import React = require('@theia/core/shared/react');
import type { ChatMessage } from './chat-messages';
import { parseChatText, type ChatTextPart, type FileReference } from './chat-text';

/** Messages never change once posted: each is parsed once, not at every render (statuses re-render the view often). */
const parsedParts = new WeakMap<ChatMessage, ChatTextPart[]>();
function partsOf(message: ChatMessage): ChatTextPart[] {
    let parts = parsedParts.get(message);
    if (!parts) {
        parts = parseChatText(message.text);
        parsedParts.set(message, parts);
    }
    return parts;
}

export interface MessageListProps {
    readonly messages: readonly ChatMessage[];
    readonly selfId: string | undefined;
    readonly colorOf: (peerId: string) => string;
    readonly openFile: (reference: FileReference) => void;
    readonly header: React.ReactNode;
}

/** The messages, kept scrolled to the newest one unless the user scrolled up to read. */
export function MessageList({ messages, selfId, colorOf, openFile, header }: MessageListProps): React.ReactElement {
    const list = React.useRef<HTMLDivElement>(null);
    const atBottom = React.useRef(true);
    React.useLayoutEffect(() => {
        if (list.current && atBottom.current) {
            list.current.scrollTop = list.current.scrollHeight;
        }
    }, [messages.length, messages.at(-1)?.epoch, messages.at(-1)?.id]);
    const onScroll = (): void => {
        const element = list.current;
        if (element) {
            atBottom.current = element.scrollHeight - element.scrollTop - element.clientHeight < 24;
        }
    };
    return <div className='ensemble-chat-messages' ref={list} onScroll={onScroll} role='log'>
        {header}
        {messages.map(message => {
            const own = message.authorId === selfId;
            const time = new Date(message.time);
            return <div key={`${message.epoch}:${message.id}`} className={`ensemble-chat-message${own ? ' ensemble-chat-own' : ''}`} data-author={message.authorName}>
                <div className='ensemble-chat-meta'>
                    <span className='ensemble-chat-author' style={{ color: colorOf(message.authorId) }}>{message.authorName}</span>
                    {own && <span className='ensemble-chat-you'> (you)</span>}
                    <time className='ensemble-chat-time' dateTime={time.toISOString()} title={time.toLocaleString()}>
                        {time.toLocaleTimeString([], { hour: '2-digit', minute: '2-digit' })}
                    </time>
                </div>
                <div className='ensemble-chat-text'>
                    {partsOf(message).map((part, index) => part.kind === 'text'
                        ? <React.Fragment key={index}>{part.text}</React.Fragment>
                        : <a key={index} className='ensemble-chat-file-link' href='#' title={`Open ${part.reference.path} at line ${part.reference.line}`}
                            onClick={event => { event.preventDefault(); openFile(part.reference); }}>{part.text}</a>)}
                </div>
            </div>;
        })}
    </div>;
}
