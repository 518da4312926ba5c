import * as assert from 'node:assert/strict';
import { delay } from '@ensemble/coordination-server/lib/testing/session-helpers';
import { describeTyping, TypingIndicator } from './chat-typing';

describe('TypingIndicator', () => {
    it('publishes "typing" once per burst of keystrokes and "stopped" after the idle time', async () => {
        const published: boolean[] = [];
        const indicator = new TypingIndicator(typing => published.push(typing), 150);
        indicator.keystroke();
        indicator.keystroke();
        indicator.keystroke();
        assert.deepEqual(published, [true]);
        assert.equal(indicator.isTyping, true);
        const deadline = Date.now() + 5000;
        while (indicator.isTyping && Date.now() < deadline) {
            await delay(20);
        }
        assert.deepEqual(published, [true, false]);
    });

    it('stops at once on stop (a sent message), and only once', () => {
        const published: boolean[] = [];
        const indicator = new TypingIndicator(typing => published.push(typing), 60_000);
        indicator.keystroke();
        indicator.stop();
        indicator.stop();
        assert.deepEqual(published, [true, false]);
    });
});

describe('describeTyping', () => {
    it('names one or two people, counts more, and says nothing for nobody', () => {
        assert.equal(describeTyping([]), '');
        assert.equal(describeTyping(['Ana']), 'Ana is typing…');
        assert.equal(describeTyping(['Ana', 'Bo']), 'Ana and Bo are typing…');
        assert.equal(describeTyping(['Ana', 'Bo', 'Cy']), '3 people are typing…');
    });
});
