import { ILogger } from '@theia/core/lib/common/logger';
import { inject, injectable } from '@theia/core/shared/inversify';
import { Type } from '@sinclair/typebox';
import { Value } from '@sinclair/typebox/value';
import { SessionResumeStorage } from '../session/session-resume-store';
import { readTabStorage, removeFromTabStorage, writeTabStorage } from '../session/tab-storage';
import { ChatEpochSchema, ChatMessageSchema, MAX_CHAT_HISTORY_MESSAGES, type ChatMessage } from './chat-messages';

const KEY = 'ensemble.chat-history';

const StoredHistorySchema = Type.Object({
    roomId: Type.String({ minLength: 1, maxLength: 256 }),
    epoch: ChatEpochSchema,
    messages: Type.Array(ChatMessageSchema, { maxItems: MAX_CHAT_HISTORY_MESSAGES }),
});

/** The host's chat history as kept for a reload of its tab. */
export interface StoredChatHistory {
    readonly epoch: string;
    readonly messages: readonly ChatMessage[];
}

/**
 * Keeps the host's chat history in the tab's session storage (the storage
 * that keeps the session itself across a reload), so that a host who
 * reloads its tab comes back with the same history: it shows the earlier
 * messages, numbers on from them, and late joiners get them all. Only the
 * tab's own storage holds it, and only for the room it belongs to; it is
 * cleared when the session ends for good.
 */
@injectable()
export class ChatHistoryStore {
    @inject(SessionResumeStorage) protected readonly storage!: SessionResumeStorage;
    @inject(ILogger) protected readonly logger!: ILogger;
    private warned = false;

    save(roomId: string, history: StoredChatHistory): void {
        if (writeTabStorage(this.storage, KEY, JSON.stringify({ roomId, epoch: history.epoch, messages: history.messages }))) {
            return;
        }
        // Storage full or disabled: an older copy must not come back (its ids would clash with
        // the ones given since), so a reload starts a new history; the guests keep theirs.
        this.clear();
        if (!this.warned) {
            this.warned = true;
            this.logger.warn('Ensemble: the chat history could not be kept for a reload of this tab; after one, guests keep the earlier messages but new joiners will not get them.');
        }
    }

    /** The history kept for `roomId`, if there is a well-formed one; another room's or a malformed one is removed. */
    load(roomId: string): StoredChatHistory | undefined {
        const raw = readTabStorage(this.storage, KEY);
        if (raw === undefined) {
            return undefined;
        }
        let value: unknown;
        try {
            value = JSON.parse(raw);
        } catch {
            value = undefined;
        }
        if (!Value.Check(StoredHistorySchema, value) || value.roomId !== roomId || value.messages.some(message => message.epoch !== value.epoch)) {
            this.clear();
            return undefined;
        }
        return { epoch: value.epoch, messages: value.messages };
    }

    clear(): void {
        removeFromTabStorage(this.storage, KEY);
    }
}
