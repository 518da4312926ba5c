import { jsonByteLength } from '@ensemble/collaboration-common';
import { CHAT_HISTORY_PAGE_BYTES, MAX_CHAT_HISTORY_CHARS, MAX_CHAT_HISTORY_MESSAGES, type ChatMessage } from './chat-messages';

export interface ChatHistoryLimits {
    readonly maxMessages: number;
    readonly maxChars: number;
    readonly pageBytes: number;
}

export const DEFAULT_CHAT_HISTORY_LIMITS: ChatHistoryLimits = {
    maxMessages: MAX_CHAT_HISTORY_MESSAGES,
    maxChars: MAX_CHAT_HISTORY_CHARS,
    pageBytes: CHAT_HISTORY_PAGE_BYTES
};

export interface ChatHistoryPage {
    readonly epoch: string;
    readonly messages: ChatMessage[];
    readonly more: boolean;
}

/**
 * The messages of one history (epoch) of the host in id order, bounded
 * (oldest dropped first). The host's copy is the history: `post` gives the
 * next id. Every other window keeps its copy with `add`, which takes messages
 * in any order and any number of times (a broadcast and a history page may
 * bring the same one).
 */
export class ChatHistory {
    private readonly list: ChatMessage[] = [];
    private chars = 0;
    private lastId = 0;

    constructor(readonly epoch: string, private readonly limits: ChatHistoryLimits = DEFAULT_CHAT_HISTORY_LIMITS) { }

    get messages(): readonly ChatMessage[] { return this.list; }

    /** The newest id seen (0 before any); ids never go back, even when old messages are dropped. */
    get newestId(): number { return this.lastId; }

    /** Host: accepts a message and gives it the next id. */
    post(message: Omit<ChatMessage, 'id' | 'epoch'>): ChatMessage {
        const posted: ChatMessage = { ...message, epoch: this.epoch, id: this.lastId + 1 };
        this.add(posted);
        return posted;
    }

    /** Adds a message where its id puts it; false when it was known already, is older than what the bounds keep, or belongs to another epoch. */
    add(message: ChatMessage): boolean {
        if (message.epoch !== this.epoch) {
            return false;
        }
        let index = this.list.length;
        while (index > 0 && this.list[index - 1].id > message.id) {
            index--;
        }
        if (index > 0 && this.list[index - 1].id === message.id) {
            return false;
        }
        if (index === 0 && this.list.length >= this.limits.maxMessages) {
            return false; // older than everything kept, and there is no room
        }
        this.list.splice(index, 0, message);
        this.chars += message.text.length;
        this.lastId = Math.max(this.lastId, message.id);
        this.trim();
        return this.list.includes(message);
    }

    /** The messages after `afterId`, at most `pageBytes` of them (at least one, when any). */
    page(afterId: number): ChatHistoryPage {
        const start = this.list.findIndex(message => message.id > afterId);
        if (start < 0) {
            return { epoch: this.epoch, messages: [], more: false };
        }
        const messages: ChatMessage[] = [];
        let bytes = 0;
        for (let index = start; index < this.list.length; index++) {
            const size = jsonByteLength(this.list[index]) + 1;
            if (messages.length > 0 && bytes + size > this.limits.pageBytes) {
                return { epoch: this.epoch, messages, more: true };
            }
            messages.push(this.list[index]);
            bytes += size;
        }
        return { epoch: this.epoch, messages, more: false };
    }

    private trim(): void {
        while (this.list.length > this.limits.maxMessages || (this.chars > this.limits.maxChars && this.list.length > 1)) {
            this.chars -= this.list.shift()!.text.length;
        }
    }
}

/** A new epoch name: random, so that a reloaded host never reuses one. */
export function newChatEpoch(): string {
    return randomChatId();
}

/** A new post id (see ChatPostIdSchema): random, so that no two posts of a guest share one. */
export function newChatPostId(): string {
    return randomChatId();
}

/** 24 random hex digits: fits the epoch and post id schemas. */
function randomChatId(): string {
    const bytes = crypto.getRandomValues(new Uint8Array(12));
    return Array.from(bytes, byte => byte.toString(16).padStart(2, '0')).join('');
}
