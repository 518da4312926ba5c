import * as assert from 'node:assert/strict';
import { jsonByteLength } from '@ensemble/collaboration-common';
import { ChatHistory } from './chat-history';
import type { ChatMessage } from './chat-messages';

function message(id: number, text = `message ${id}`): ChatMessage {
    return { epoch: 'e1', id, authorId: 'peer-a', authorName: 'Ana', text, time: 1_700_000_000_000 + id };
}

describe('ChatHistory: the bounded, ordered message store', () => {
    it('numbers posted messages from 1 and keeps them in order', () => {
        const history = new ChatHistory('e1');
        const first = history.post({ authorId: 'a', authorName: 'Ana', text: 'hi', time: 1 });
        const second = history.post({ authorId: 'b', authorName: 'Bo', text: 'hello', time: 2 });
        assert.deepEqual([first.id, second.id], [1, 2]);
        assert.deepEqual(history.messages.map(m => m.text), ['hi', 'hello']);
        assert.equal(history.newestId, 2);
    });

    it('adds messages arriving out of order where their id puts them, and each once', () => {
        const history = new ChatHistory('e1');
        assert.equal(history.add(message(3)), true);
        assert.equal(history.add(message(1)), true);
        assert.equal(history.add(message(2)), true);
        assert.equal(history.add(message(2)), false);
        assert.equal(history.add(message(3, 'a different text for a known id')), false);
        assert.deepEqual(history.messages.map(m => m.id), [1, 2, 3]);
        assert.equal(history.messages[2].text, 'message 3');
    });

    it('takes no message of another epoch (a host window that reloaded numbers from 1 again)', () => {
        const history = new ChatHistory('e1');
        assert.equal(history.add({ ...message(1), epoch: 'e2' }), false);
        assert.deepEqual(history.messages, []);
        assert.equal(history.post({ authorId: 'a', authorName: 'Ana', text: 'x', time: 1 }).epoch, 'e1');
    });

    it('drops the oldest messages beyond the message bound, and ids keep counting', () => {
        const history = new ChatHistory('e1', { maxMessages: 3, maxChars: 1_000_000, pageBytes: 1_000_000 });
        for (let i = 0; i < 5; i++) {
            history.post({ authorId: 'a', authorName: 'Ana', text: `m${i + 1}`, time: i });
        }
        assert.deepEqual(history.messages.map(m => m.id), [3, 4, 5]);
        assert.equal(history.post({ authorId: 'a', authorName: 'Ana', text: 'm6', time: 6 }).id, 6);
        assert.equal(history.add(message(1)), false, 'older than everything kept, with no room left');
        assert.deepEqual(history.messages.map(m => m.id), [4, 5, 6]);
    });

    it('drops the oldest messages beyond the character bound, but always keeps the newest', () => {
        const history = new ChatHistory('e1', { maxMessages: 100, maxChars: 10, pageBytes: 1_000_000 });
        history.add(message(1, 'aaaa'));
        history.add(message(2, 'bbbb'));
        history.add(message(3, 'cccc'));
        assert.deepEqual(history.messages.map(m => m.text), ['bbbb', 'cccc']);
        history.add(message(4, 'x'.repeat(50)));
        assert.deepEqual(history.messages.map(m => m.id), [4]);
    });

    it('serves pages after an id, each within the byte budget, until none is left', () => {
        const text = 'é'.repeat(100); // 2 bytes each in UTF-8: the budget counts bytes, not characters
        const perMessage = jsonByteLength(message(10, text)) + 1;
        const history = new ChatHistory('e1', { maxMessages: 100, maxChars: 1_000_000, pageBytes: perMessage * 3 });
        for (let id = 1; id <= 7; id++) {
            history.add(message(id, text));
        }
        const pages: number[][] = [];
        let after = 0;
        for (;;) {
            const page = history.page(after);
            pages.push(page.messages.map(m => m.id));
            assert.ok(page.messages.reduce((sum, m) => sum + jsonByteLength(m) + 1, 0) <= perMessage * 3);
            if (!page.more) {
                break;
            }
            after = page.messages.at(-1)!.id;
        }
        assert.deepEqual(pages, [[1, 2, 3], [4, 5, 6], [7]]);
        assert.deepEqual(history.page(7), { epoch: 'e1', messages: [], more: false });
        assert.deepEqual(history.page(5).messages.map(m => m.id), [6, 7]);
    });
});
